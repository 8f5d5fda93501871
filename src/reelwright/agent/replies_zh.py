"""Chinese wording for the change descriptions ``draft.summary.describe_change`` writes in
English ("photo 3 is now 5s; music volume 35% -> 20%"). Clauses without a known pattern stay
as they are, so a new phrase there never breaks a reply, it only stays English."""

from __future__ import annotations

import re
from collections.abc import Callable

from reelwright.agent.display_names import display_name

_TEXT_ROLES = {"title": "标题", "caption": "字幕", "overlay": "文字", "text": "文字"}
_PLACES = {"at the end": "在结尾", "the whole video": "全程"}
Render = Callable[[re.Match[str]], str]
Table = tuple[tuple[re.Pattern[str], Render], ...]


def _translate(table: Table, text: str) -> str | None:
    """The Chinese for ``text`` by the first pattern of ``table`` it matches, or None."""
    for pattern, render in table:
        found = pattern.match(text)
        if found:
            return render(found)
    return None


_STYLE_ZH: Table = (
    (re.compile(r"^colour is now (\S+)$"), lambda m: f"颜色改为 {m[1]}"),
    (re.compile(r"^size (\S+) -> (\S+)$"), lambda m: f"字号 {m[1]} → {m[2]}"),
    (re.compile(r"^background is now (\S+)$"), lambda m: f"背景改为 {m[1]}"),
    (re.compile(r"^outline is now (\S+)$"), lambda m: f"描边改为 {m[1]}"),
    (re.compile(r"^font is now (.+)$"), lambda m: f"字体改为 {m[1]}"),
    (re.compile(r"^bold$"), lambda m: "加粗"), (re.compile(r"^not bold$"), lambda m: "取消加粗"),
    (re.compile(r"^no background$"), lambda m: "去掉背景"),
    (re.compile(r"^no outline$"), lambda m: "去掉描边"),
)


def _style_in_chinese(text: str) -> str:
    return "，".join(_translate(_STYLE_ZH, part) or part for part in text.split(", "))


_NOUNS = {"photo": "第{n}张照片", "clip": "第{n}个片段", "item": "第{n}个素材"}
_ITEM = r"(photo|clip|item)s? (\d+(?:(?:, | and |-)\d+)*)"


def _item(kind: str, n: str) -> str:
    return _NOUNS[kind].format(n=n.replace(", ", "、").replace(" and ", "、"))


_CLAUSES: Table = (
    (re.compile(r"^the frame is now (\d+x\d+)$"), lambda m: f"画面改为 {m[1]}"),
    (re.compile(r"^frame rate is now (\d+) fps$"), lambda m: f"帧率改为 {m[1]} fps"),
    (re.compile(r"^background is now (#\w+)$"), lambda m: f"背景色改为 {m[1]}"),
    (re.compile(r"^the video is now ([\d.]+)s \(was ([\d.]+)s\)$"),
     lambda m: f"视频时长 {m[2]} 秒 → {m[1]} 秒"),
    (re.compile(r"^music volume (?:(\S+) -> )?(\S+)$"),
     lambda m: f"背景音乐音量 {m[1] + ' → ' if m[1] else ''}{m[2]}"),
    (re.compile(r"^music now uses (.+)$"), lambda m: f"背景音乐换成{mood_in_chinese(m[1])}"),
    (re.compile(r'^(title|caption|overlay|text) "(.*)" now starts at ([\d.]+)s$'),
     lambda m: f"{_TEXT_ROLES[m[1]]}“{m[2]}”改为从 {m[3]} 秒开始"),
    (re.compile(r"^removed (.+)$"), lambda m: f"删除了{_names(m[1])}"),
    (re.compile(r"^added (.+)$"), lambda m: f"添加了{_names(m[1])}"),
    (re.compile(rf"^{_ITEM} (?:is|are) now ([\d.]+)s$"),
     lambda m: f"{_item(m[1], m[2])}改为 {m[3]} 秒"),
    (re.compile(rf"^{_ITEM} now enters? with a cut$"), lambda m: f"{_item(m[1], m[2])}前不再转场"),
    (re.compile(rf"^{_ITEM} now enters? with (\w+) \(([\d.]+)s\)$"),
     lambda m: f"{_item(m[1], m[2])}的转场改为{_zh('transition', m[3])}（{m[4]} 秒）"),
    (re.compile(rf"^{_ITEM} (?:is|are) now still$"), lambda m: f"{_item(m[1], m[2])}不再移动"),
    (re.compile(rf"^{_ITEM} moves? \(Ken Burns\)$"),
     lambda m: f"{_item(m[1], m[2])}加上了推拉动效"),
    (re.compile(rf"^{_ITEM} (?:has a new Ken Burns move|have new Ken Burns moves)$"),
     lambda m: f"{_item(m[1], m[2])}换了新的推拉动效"),
    (re.compile(rf"^{_ITEM} fit is now (\w+)$"),
     lambda m: f"{_item(m[1], m[2])}的画面适配改为{_zh('fit', m[3])}"),
    (re.compile(r"^reordered the sequence$"), lambda m: "调整了顺序"),
    (re.compile(rf"^{_ITEM} speed is now ([\d.]+)$"),
     lambda m: f"{_item(m[1], m[2])}速度改为 {m[3]} 倍"),
    (re.compile(rf"^{_ITEM} fade-(in|out) (?:is|are) now ([\d.]+)s$"),
     lambda m: f"{_item(m[1], m[2])}{'淡入' if m[3] == 'in' else '淡出'} {m[4]} 秒"),
    (re.compile(r"^moved (photo|clip|item) (\d+) to position (\d+)$"),
     lambda m: f"{_item(m[1], m[2])}移到了第 {m[3]} 位"),
    (re.compile(rf"^{_ITEM} is now {_ITEM}$"),
     lambda m: f"{_item(m[1], m[2])}移到了第 {m[4]} 位"),
    (re.compile(r'^title "(.*)" now reads "(.*)"$'), lambda m: f"标题改为“{m[2]}”"),
    (re.compile(r'^(title|caption|overlay|text) "(.*)" position is now (\S+)$'),
     lambda m: f"{_TEXT_ROLES[m[1]]}“{m[2]}”的位置改为{_zh('position', m[3])}"),
    (re.compile(r'^title "(.*)" style changed$'), lambda m: "标题样式已修改"),
    (re.compile(r'^(title|caption|overlay|text) "(.*)" ((?:colour|size|bold|not bold|'
                r'background|no background|outline|font|no outline)\b.*)$'),
     lambda m: f"{_TEXT_ROLES[m[1]]}“{m[2]}”{_style_in_chinese(m[3])}"),
)


def _names(text: str) -> str:
    text = re.sub(r'\b(title|caption|overlay|text) "(.*?)"',
                  lambda m: f"{_TEXT_ROLES[m[1]]}“{m[2]}”", text)
    text = re.sub(r" \(([\d.]+)-([\d.]+)s(?:, (at the end|the whole video))?\)",
                  lambda m: f"（{m[1]}-{m[2]} 秒{'，' + _PLACES[m[3]] if m[3] else ''}）", text)
    return re.sub(_ITEM, lambda m: _item(m[1], m[2]), text).replace("music", "背景音乐")


_TRACKS_ZH = {"Photos": "照片", "Video": "视频", "Overlay": "画中画", "BGM": "背景音乐",
              "Voice": "配音", "SFX": "音效", "Audio": "音频", "Title": "标题", "Captions": "字幕",
              "Text": "文字", "Interactive": "互动"}


def _zh(kind: str, name: str) -> str:
    return display_name(kind, name, "zh")


def mood_in_chinese(name: str) -> str:
    """A library mood's label in Chinese ("Calm" -> "舒缓"); other names stay as they are."""
    return _zh("mood", name)


def summary_in_chinese(summary: str) -> str:
    """``draft.summary.summarize`` text in Chinese: ``时间线（2 条轨道）：1. 照片：a.jpg 等5个
    （0-11.8 秒） 2. 背景音乐：欢快（0-11.8 秒，35%）``."""
    if summary == "Timeline (empty)":
        return "时间线是空的。"
    head = re.match(r"^Timeline \((\d+) tracks?\): ", summary)
    if head is None:
        return summary
    body = summary[head.end():]
    parts = re.split(r" (?=\d+\. (?:" + "|".join(_TRACKS_ZH) + r"): )", body)
    out = []
    for part in parts:
        found = re.match(r"^(\d+)\. (\w+): (.*) \(([\d.]+)-([\d.]+)s(?:, (\d+%))?\)$", part)
        if found is None:
            out.append(part)
            continue
        n, label, contents, a, b, vol = found.groups()
        contents = re.sub(r"^(.*), (.*) \+(\d+) more$",
                          lambda m: f"{m[1]}、{m[2]} 等{int(m[3]) + 2}个", contents)
        contents = re.sub(r'"(.*?)"', r"“\1”", contents)
        contents = ", ".join(mood_in_chinese(c) for c in contents.split(", ")).replace(", ", "、")
        volume = f"，{vol}" if vol else ""
        out.append(f"{n}. {_TRACKS_ZH.get(label, label)}：{contents}（{a}-{b} 秒{volume}）")
    return f"时间线（{head.group(1)} 条轨道）：" + " ".join(out)


_NOTES: Table = (
    (re.compile(r'^(?:a clip is|(\d+) clips are) cut to ([\d.]+)s to keep the pace; say '
                r'"make clip (\d+) longer" to show more of it$'),
     lambda m: f"为了节奏，{m[1] + '个' if m[1] else ''}视频片段只用了 {m[2]} 秒；"
               f"说“第{m[3]}个片段长一点”可以多放一些"),
    (re.compile(r"^your clips hold only ([\d.]+)s, not the ([\d.]+)s asked for; "
                r"upload more to fill it$"),
     lambda m: f"你的片段一共只有 {m[1]} 秒，不够要求的 {m[2]} 秒；再上传一些就能填满"),
)


def note_in_chinese(note: str) -> str:
    """A recipe's note (``Outcome.notes``, written in English) in Chinese where it is known."""
    return _translate(_NOTES, note) or note


def change_in_chinese(change: str) -> str:
    """``describe_change`` text with every clause it knows put into Chinese (、-joined)."""
    return "；".join(_translate(_CLAUSES, clause) or clause for clause in change.split("; "))


_UNITS = {"photo": "张照片", "clip": "个片段", "item": "个素材", "photos": "张照片",
          "clips": "个片段", "items": "个素材", "text": "条文字", "texts": "条文字"}
_ERRORS: Table = (
    (re.compile(r"^there is nothing to undo$"), lambda m: "没有可以撤销的操作"),
    (re.compile(r"^there is nothing to redo$"), lambda m: "没有可以重做的操作"),
    (re.compile(r"^the video is empty; add photos or clips first$"),
     lambda m: "视频还是空的，请先添加照片或片段"),
    (re.compile(r"^there is no (\w+) (\d+); the video has (\d+)(?: \w+)?$"),
     lambda m: f"没有第{m[2]}{_UNITS.get(m[1], '个')}，视频里只有{m[3]}{_UNITS.get(m[1], '个')}"),
    (re.compile(r"^the video is only (\S+?)s? long; pick a time before that$"),
     lambda m: f"视频只有 {m[1]} 秒长，请选一个更早的时间"),
    (re.compile(r"^the video is only (\S+?)s? long; start the text before that$"),
     lambda m: f"视频只有 {m[1]} 秒长，请让文字在这之前出现"),
    (re.compile(r"^(\S+) is after the end of the video \((\S+)\)$"),
     lambda m: f"{m[1]} 已经超过视频的结尾（{m[2]}）"),
    (re.compile(r"^a chapter already starts at (\S+)$"), lambda m: f"{m[1]} 已经有一个章节了"),
    (re.compile(r"^the end time must come after the start time$"),
     lambda m: "结束时间必须晚于开始时间"),
    (re.compile(r"^speed applies to video clips only$"), lambda m: "只有视频片段可以调整速度"),
    (re.compile(r"^only sounds and clips have a volume$"), lambda m: "只有声音和视频片段有音量"),
)


def error_in_chinese(message: str) -> str:
    """A Chinese sentence for a known operation error; unknown ones stay as they are."""
    text = message.removeprefix("step ").split(": ", 1)[-1] if message.startswith("step ") \
        else message
    whole = _translate(_ERRORS, text)
    if whole is not None:
        return whole
    parts = text.split("; ")  # several problems, each translated where it is known
    return "；".join(_translate(_ERRORS, part) or part for part in parts) if len(parts) > 1 \
        else message
