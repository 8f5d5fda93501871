"""Chat phrasings for interactive videos (English and Chinese) -> draft operations.

Entry point: ``plan_interactive(message, draft, media)`` returns a list of ``(operation, args)``
to apply in order, a ``Question`` when something needed is missing, or None when the message is
not about buttons, hotspots, choices, chapters or end screens. ``plan_interactive_turn`` wraps
the same into the agent's ``Plan`` with a reply that explains the result.

    "add clickable buttons and branching choices to my tutorial video"  -> recipe (from the video)
    "at 0:45 ask 'Want the advanced part?' Yes -> 1:30, No -> end"     -> add_choice
    "add a hotspot top-right from 12s to 18s linking to https://example.com" -> add_hotspot
    "在1分钟处加一个按钮跳到第二章"                                         -> add_button
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reelwright.agent import numbers
from reelwright.agent.interactive_edits import interactive_edit
from reelwright.agent.interactive_extras import URL as _URL
from reelwright.agent.interactive_extras import button_label, extras
from reelwright.agent.plan import Call, Plan, language_of
from reelwright.agent.recipes.interactive import interactive_structure
from reelwright.agent.times import find_span, find_times
from reelwright.draft import interactive
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, TrackType
from reelwright.draft.ops import apply_ops
from reelwright.draft.ops.interactive import REGIONS
from reelwright.errors import OperationInvalid
from reelwright.media.scenes import timeline_cuts

Op = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Question:
    """A clarifying question to ask instead of editing; ``text`` is in the message's language."""

    text: str


@dataclass(frozen=True)
class _Explained:
    """Operations that come with their own explanation (the whole structure, an edit)."""

    ops: list[Op]
    reply: str


_Planned = list[Op] | Question | _Explained | None


_TOPIC = re.compile(
    r"\bbuttons?\b|\bhotspots?\b|\bchoices?\b|\bbranch(?:es|ing)?\b|\bchapters?\b|"
    r"end ?screens?|\bclickable\b|\binteractive\b|\bask\b|"
    r"按钮|热点|热区|选择|选项|分支|章节|第\d+章|片尾|结尾画面|结束画面|互动|可点击|提问|问")
_WHOLE = re.compile(r"\bclickable\b|\binteractive\b|\bbranching\b|互动|可点击|分支选择|分支")
_QUOTED = re.compile(r"[\"“”'‘’「『](?P<q>[^\"“”‘’「」『』]+?)[\"“”'‘’」』]"
                     r"(?=\s|[,，.。:：!?？;；]|$|[\u4e00-\u9fff])")
_ARROW = r"(?:->|→|=>|⇒|:|：|\bgoes to\b|\bjumps? to\b|\bto\b|跳到|到)"
_END_WORDS = r"(?:the\s+)?end(?:\s+screen)?|finish|stop|结尾|结束|片尾|终点"
_PLACES = {"top-right": r"top[- ]right|upper[- ]right|右上",
           "top-left": r"top[- ]left|upper[- ]left|左上",
           "bottom-right": r"bottom[- ]right|lower[- ]right|右下",
           "bottom-left": r"bottom[- ]left|lower[- ]left|左下",
           "top": r"\btop\b|上方|顶部", "bottom": r"\bbottom\b|下方|底部",
           "center": r"\bcent(?:er|re)\b|\bmiddle\b|中间|中央"}


_MASK = 0xE000  # private-use characters stand in for quoted text while numbers are normalised


def _prepare(message: str) -> tuple[str, list[str]]:
    """Normalised text with each quoted phrase masked, and the phrases as the person typed them."""
    quotes: list[str] = []

    def keep(match: re.Match[str]) -> str:
        quotes.append(match.group("q").strip())
        whole = match.group(0)
        return whole[0] + chr(_MASK + len(quotes) - 1) + whole[-1]

    return numbers.normalize(_QUOTED.sub(keep, message)), quotes


def _unmask(text: str, quotes: list[str]) -> str:
    return "".join(quotes[ord(c) - _MASK] if _MASK <= ord(c) < _MASK + len(quotes) else c
                   for c in text)


def _as_typed(label: str, message: str) -> str:
    """``label`` in the person's own capitalisation (normalising lower-cased it)."""
    found = re.search(re.escape(label), message, re.IGNORECASE)
    return found.group(0) if found else label


def _place(text: str) -> str | None:
    for name, pattern in _PLACES.items():
        if re.search(pattern, text, re.IGNORECASE):
            return name
    return None


def _say(zh: bool, en: str, zh_text: str) -> str:
    return zh_text if zh else en


def _target(text: str, draft: Draft) -> dict[str, Any] | Question | None:
    """Where a button/hotspot/answer leads: URL, chapter N, end, or a time."""
    zh = language_of(text) == "zh"
    url = _URL.search(text)
    if url:
        return {"do": "url", "url": url.group(0).rstrip(".,;")}
    chapter = re.search(r"第(\d+)章|chapter\s*(\d+)", text, re.IGNORECASE)
    if chapter:
        n = int(chapter.group(1) or chapter.group(2))
        marks = interactive.chapters(draft)
        if not 1 <= n <= len(marks):
            return Question(_say(
                zh, f"There is no chapter {n} yet (the video has {len(marks)}). Add chapters "
                    "first, or tell me the time to jump to.",
                f"还没有第{n}章（目前有{len(marks)}章）。请先添加章节，或者告诉我要跳到的时间。"))
        return {"do": "jump", "t": marks[n - 1].st}
    if re.search(_END_WORDS, text, re.IGNORECASE):
        return {"do": "end"}
    if re.search(r"\b(?:the )?(?:start|beginning)\b|开头|从头|最开始", text, re.IGNORECASE):
        return {"do": "jump", "t": 0}
    if re.search(r"\bpause\b|暂停", text):
        return {"do": "pause"}
    named = interactive.branches(draft)
    for name in named:
        if re.search(re.escape(name), text, re.IGNORECASE):
            return {"do": "branch", "b": name}
    times = find_times(text)
    if times:
        return {"do": "jump", "t": times[-1][0]}
    return None


# Answers said in prose: "Yes carries on", "no goes back to 0:10", "是就继续", "不想看就结束".
_PROSE = re.compile(
    r"^(?:if\s+(?:they\s+(?:say|pick|choose)\s+)?|选择?|选了?)?\s*[\"“'‘]?(?P<label>[^\"”'’]{1,30}?)"
    r"[\"”'’]?\s*(?:的话|就|则|then|,)?\s*"
    r"(?P<verb>carr(?:y|ies) on|continues?|keeps? (?:on )?(?:playing|going|watching)|goes on|"
    r"plays? on|resumes?|keeps? playing|继续(?:播放|看|往下看)?|"
    r"ends?(?: the video| it)?|finish(?:es)?(?: the video| it)?|stops?(?: the video)?|"
    r"结束|结尾|"
    r"(?:goes|go|jumps?|skips?|heads?|takes? (?:you|them))(?: back)? to|back to|"
    r"跳回|回到|跳到|跳转到|回去)"
    r"\s*(?P<to>.*)$", re.IGNORECASE)


def _prose_answer(part: str, draft: Draft) -> dict[str, Any] | None:
    m = _PROSE.match(part.strip(" -–—:：\t"))
    if not m:
        return None
    verb = m.group("verb").lower()
    label = m.group("label").strip(" ,，-–—:：")
    if not label or re.search(r"\d:\d|->|→|=>|⇒", label):
        return None
    if label.isascii() and label.islower():
        label = label[:1].upper() + label[1:]  # "yes carries on": the button reads "Yes"
    if re.match(r"carr|contin|keep|goes on|play|resum|继续", verb):
        action: dict[str, Any] | Question | None = {"do": "play"}
    elif re.match(r"end|finish|stop|结束|结尾", verb):
        action = {"do": "end"}
    else:
        action = _target(m.group("to") or "", draft)
    if not isinstance(action, dict) or action["do"] not in interactive.CHOICE_ACTIONS:
        return None
    return {"label": label[:interactive.MAX_LABEL_CHARS], **action}


def _answers(text: str, draft: Draft) -> list[dict[str, Any]]:
    """``Yes -> 1:30, No -> end`` / ``是->1:30，否->结尾`` / ``Yes carries on, No goes back to
    0:10`` / ``是就继续，否就回到0:10`` into labelled actions."""
    out: list[dict[str, Any]] = []
    for part in re.split(r"[,，;；、]|\bor\b|或者|\band\b", text):
        prose = _prose_answer(part, draft)
        if prose is not None:
            out.append(prose)
            continue
        m = re.match(rf"\s*(?P<label>[^\s\-→=>:：][^\-→=>:：]*?)\s*{_ARROW}\s*(?P<to>.+)$",
                     part.strip(), re.IGNORECASE)
        if not m:
            continue
        action = _target(m.group("to"), draft)
        if isinstance(action, dict) and action["do"] in interactive.CHOICE_ACTIONS:
            label = m.group("label").strip(" '\"“”")
            if label:
                out.append({"label": label[:interactive.MAX_LABEL_CHARS], **action})
    return out


def _span(text: str, draft: Draft) -> tuple[int, int | None]:
    """Start (and end) from "from 12s to 18s", "12-18s", "at 1:00", "在1分钟处", "during the first
    5 seconds", "for the last 3 seconds"."""
    span = find_span(text, draft.d)
    if span is not None:
        return span
    times = find_times(text)
    if not times:
        return 0, None
    rng = re.search(r"(\d+(?:\.\d+)?)\s*(?:-|–|~|to|到|至)\s*(\d+(?:\.\d+)?)\s*(s\b|秒|seconds?)",
                    text)
    if rng:
        return int(float(rng.group(1)) * 1000), int(float(rng.group(2)) * 1000)
    if len(times) >= 2 and re.search(r"\bfrom\b|从", text) and \
            re.search(r"\bto\b|\buntil\b|到|至", text[times[0][2]:times[1][1]]):
        return times[0][0], times[1][0]
    return times[0][0], None


@dataclass(frozen=True)
class _Msg:
    raw: str
    quotes: list[str]

    def label(self, text: str, fallback: str) -> str:
        """The first quoted phrase in ``text`` as typed, else a name after "called" / "叫"
        ("a chapter called Summary at 0:30"), else ``fallback``."""
        quoted = _QUOTED.search(text)
        if quoted:
            return _unmask(quoted.group("q"), self.quotes).strip()
        called = re.search(r"\b(?:called|named|titled)\s+(?P<n>.+?)(?=\s+(?:at|from|in|on|"
                           r"that|which|linking|to|for|during|between|starting)\b|[,.;!?]|$)|(?:叫做|名为|叫)(?P<z>[^，。,.\s在从]+)",
                           self.raw, re.IGNORECASE)
        if called:
            return (called.group("n") or called.group("z")).strip()[:interactive.MAX_LABEL_CHARS]
        return fallback


def _choice(text: str, draft: Draft, zh: bool, msg: _Msg) -> list[Op] | Question:
    quoted = _QUOTED.search(text)
    times = find_times(text[: quoted.start()] if quoted else text)
    rest = text[quoted.end():] if quoted else ""
    after = re.match(r"\s*(?:at|在)\s*(\d+:\d{1,2}|\d+(?:\.\d+)?\s*(?:s\b|秒|seconds?|secs?))",
                     rest)
    if quoted and not times and after:  # ask "Want more?" at 0:25; yes ...
        times = find_times(after.group(1))
        rest = rest[after.end():]
    if not quoted or not times:
        return Question(_say(
            zh, "When should the video pause, what should it ask, and where does each answer go? "
                "For example: at 0:45 ask 'Want the advanced part?' Yes -> 1:30, No -> end",
            "视频在什么时候暂停、问什么、每个答案跳到哪里？例如：在0:45问“要看进阶部分吗？” "
            "要->1:30，不要->结尾"))
    answers = [{**a, "label": _as_typed(_unmask(a["label"], msg.quotes), msg.raw)}
               for a in _answers(rest, draft)]
    if len(answers) < 2:
        return Question(_say(
            zh, "Which answers should the question offer, and where does each go? "
                "For example: Yes -> 1:30, No -> end",
            "这个问题有哪些答案，各自跳到哪里？例如：要->1:30，不要->结尾"))
    return [("add_choice", {"question": msg.label(text, ""), "at_ms": times[0][0],
                            "choices": answers})]


def _button_or_hotspot(text: str, draft: Draft, zh: bool, hotspot: bool,
                       msg: _Msg) -> list[Op] | Question:
    target_text = text
    lead = re.search(r"linking to|links? to|(?:jump(?:ing|s)?|go(?:es|ing)?|skip(?:s|ping)?|"
                     r"tak(?:es|ing)(?: you)?)(?: back)? to|\bback to|opens?|"
                     r"跳回|回到|跳到|跳转到|链接到|打开|转到", text, re.IGNORECASE)
    if lead:
        target_text = text[lead.end():]
    action = _target(target_text, draft) if lead or _URL.search(text) else None
    if action is None and re.search(r"\b(?:pause|play|resume)\s+buttons?\b|暂停按钮|播放按钮",
                                    text):
        action = {"do": "pause" if re.search(r"pause|暂停", text) else "play"}
    if isinstance(action, Question):
        return action
    if action is None:
        return Question(_say(
            zh, "What should it do when clicked: jump to a time, go to a chapter, or open a link?",
            "点击后要做什么：跳到某个时间、跳到某一章，还是打开一个链接？"))
    scan = text[: lead.start()] if lead else text
    if action["do"] == "url" and not find_times(scan):  # "... linking to URL at 0:10"
        scan = _URL.sub(" ", text)
    start, end = _span(scan, draft)
    chapter = re.search(r"第(\d+)章|chapter\s*(\d+)", target_text, re.IGNORECASE)
    if action["do"] == "jump" and chapter:
        n = chapter.group(1) or chapter.group(2)
        label_default = _say(zh, f"Go to chapter {n}", f"跳到第{n}章")
    elif action["do"] == "url":
        label_default = _say(zh, "Learn more", "了解更多")
    elif action["do"] == "end":
        label_default = _say(zh, "Skip to the end", "跳到结尾")
    else:
        label_default = _say(zh, f"Go to {interactive.clock(action.get('t', 0))}",
                             f"跳到{interactive.clock(action.get('t', 0))}")
    args: dict[str, Any] = {"label": msg.label(text, button_label(msg.raw) or label_default),
                            "action": action, "start_ms": start}
    if end is not None:
        args["end_ms"] = end
    place = _place(scan)
    if hotspot:
        args["place"] = place or "center"
        return [("add_hotspot", args)]
    if place:
        args["pos"] = place
    return [("add_button", args)]


def _end_screen(text: str, draft: Draft, zh: bool, msg: _Msg) -> list[Op] | Question:
    """A new end screen, or the existing one with new words (a video has one ending)."""
    existing = [seg for track in draft.tracks_of(TrackType.INTERACTIVE) for seg in track.sg
                if seg.m.get("kind") == "end"]
    quoted = _QUOTED.search(text) is not None
    label = msg.label(text, _say(zh, "Thanks for watching", "感谢观看"))
    if not existing:
        return [("add_end_screen", {"label": label})]
    last = existing[-1]
    if not quoted:
        return Question(_say(
            zh, f"The video already ends with the end screen \u201c{last.m.get('label')}\u201d "
                f"from {interactive.clock(last.st)}. To change its words, say them in quotes, "
                "e.g. end screen \"See you next time\".",
            f"视频已经有结尾画面“{last.m.get('label')}”（从{interactive.clock(last.st)}开始）。"
            "要改文字，请用引号写出新内容，例如：结尾画面“下次见”。"))
    return [("remove_interactive", {"target": {"id": last.id}}),
            ("add_end_screen", {"label": label, "start_ms": last.st})]


def plan_interactive(message: str, draft: Draft | None,
                     media: Mapping[str, MediaInfo]) -> list[Op] | Question | None:
    """Operations for an interactive request, a ``Question`` when it is incomplete, or None."""
    result = _planned(message, draft, media)
    return result.ops if isinstance(result, _Explained) else result


def _planned(message: str, draft: Draft | None, media: Mapping[str, MediaInfo]) -> _Planned:
    edit = interactive_edit(message, draft)
    if edit is not None:
        return _Explained(edit.ops, edit.reply) if edit.ops else Question(edit.reply)
    result = _plan(message, draft, media)
    ops = result.ops if isinstance(result, _Explained) else result
    if isinstance(ops, list):
        for _, args in ops:  # normalising lower-cased the text; a URL's path keeps its case
            action = args.get("action")
            if isinstance(action, dict) and action.get("do") == "url":
                action["url"] = _as_typed(action["url"], message)
    return result


def _plan(message: str, draft: Draft | None, media: Mapping[str, MediaInfo]) -> _Planned:
    text, quotes = _prepare(message)
    msg = _Msg(message, quotes)
    if not _TOPIC.search(text):
        return None
    zh = language_of(message) == "zh"
    start: list[Op] = []
    if draft is None or draft.d <= 0:
        draft, start = _timeline_of_uploaded_clips(media)
        if draft is None:
            return Question(_say(zh, "Upload a video first, then I can add buttons and choices "
                                 "to it.", "请先上传视频，然后我再给它加按钮和选择。"))
    planned = _plan_on(text, msg, draft, media, zh)
    if not start:
        return planned
    if isinstance(planned, _Explained):
        return _Explained(start + planned.ops, planned.reply)
    return start + planned if isinstance(planned, list) else planned


def _timeline_of_uploaded_clips(media: Mapping[str, MediaInfo]) -> tuple[Draft | None, list[Op]]:
    """No timeline yet: the uploaded clips, in upload order, whole and letterboxed (a tutorial's
    screen must not be cropped), as the operations that build it and the draft they make."""
    clips = [info for info in media.values() if info.kind == "video" and info.duration_ms]
    if not clips:
        return None, []
    ops: list[Op] = [("add_visual", {"media": info.id}) for info in clips]
    ops.append(("set_fit", {"target": "all", "fit": "contain"}))
    try:
        draft = apply_ops(Draft(), ops, media)
    except OperationInvalid:
        return None, []
    return draft, ops


def _plan_on(text: str, msg: _Msg, draft: Draft, media: Mapping[str, MediaInfo],
             zh: bool) -> _Planned:
    lowered = text.lower()
    kinds = sum(bool(re.search(p, lowered)) for p in (r"\bchapters\b|章节", r"\bchoices?\b|分支",
                                                     r"\bbuttons\b"))
    if kinds >= 2 and not find_times(text) and not _URL.search(text):
        return _whole(msg.raw, draft, media, zh)  # "add chapters, a choice and some buttons"
    if re.search(r"\bhotspots?\b|热点|热区", lowered):
        return _button_or_hotspot(text, draft, zh, hotspot=True, msg=msg)
    if re.search(r"\bask\b|提问|问[“\"'‘「]|问题", lowered) and _QUOTED.search(text):
        return _choice(text, draft, zh, msg)
    if re.search(r"\bbuttons?\b|按钮", lowered) and not _WHOLE.search(lowered):
        return _button_or_hotspot(text, draft, zh, hotspot=False, msg=msg)
    if re.search(r"end ?screen|片尾|结尾画面|结束画面", lowered):
        return _end_screen(text, draft, zh, msg)
    if re.search(r"\bchapter\b|章节", lowered) and find_times(text) and not _WHOLE.search(lowered):
        start = find_times(text)[0][0]
        n = len([c for c in interactive.chapters(draft) if c.st < start]) + 1
        return [("add_chapter", {"label": msg.label(text, _say(zh, f"Chapter {n}", f"第{n}章")),
                                 "start_ms": start})]
    if _WHOLE.search(lowered) or re.search(r"\bchoices?\b|选择", lowered):
        return _whole(msg.raw, draft, media, zh)
    return None


def _whole(raw: str, draft: Draft, media: Mapping[str, MediaInfo], zh: bool) -> _Explained:
    """The recipe's structure plus the buttons and end choice the message names, and the
    explanation of both."""
    lang = "zh" if zh else "en"
    cuts, quiet = timeline_cuts(draft, media)
    structure = interactive_structure(draft, cuts, quiet, lang=lang)
    end_at = next((args["start_ms"] for name, args in structure.ops
                   if name == "add_end_screen"), draft.d)
    more = extras(raw, draft, int(end_at), lang)
    return _Explained(structure.ops + more.ops,
                      " ".join([structure.explanation, *more.sentences]))


def _describe(ops: list[Op], zh: bool) -> str:
    clock = interactive.clock
    parts = []
    for name, args in ops:
        if name == "add_choice":
            answers = " / ".join(f"\u201c{c['label']}\u201d" for c in args["choices"])
            parts.append(_say(zh, f"a question: at {clock(args['at_ms'])} the video pauses and "
                                  f"asks \u201c{args['question']}\u201d ({answers})",
                              f"在{clock(args['at_ms'])}暂停并提问“{args['question']}”（{answers}）"))
        elif name in ("add_button", "add_hotspot"):
            kind = _say(zh, "button" if name == "add_button" else "hotspot",
                        "按钮" if name == "add_button" else "热点")
            until = f" to {clock(args['end_ms'])}" if "end_ms" in args else ""
            parts.append(_say(zh, f"a \u201c{args['label']}\u201d {kind} from "
                                  f"{clock(args.get('start_ms', 0))}{until}",
                              f"从{clock(args.get('start_ms', 0))}起显示“{args['label']}”{kind}"))
        elif name == "add_chapter":
            parts.append(_say(zh, f"chapter \u201c{args['label']}\u201d at "
                                  f"{clock(args['start_ms'])}",
                              f"在{clock(args['start_ms'])}的章节“{args['label']}”"))
        elif name == "add_end_screen":
            parts.append(_say(zh, f"an end screen \u201c{args['label']}\u201d",
                              f"结尾画面“{args['label']}”"))
    return _say(zh, "Added " + "; ".join(parts) + ".", "已添加：" + "；".join(parts) + "。")


def plan_interactive_turn(message: str, draft: Draft | None,
                          media: Mapping[str, MediaInfo]) -> Plan | None:
    """The same as ``plan_interactive``, as an agent ``Plan`` whose reply explains it."""
    zh = language_of(message) == "zh"
    planned = _planned(message, draft, media)
    if planned is None:
        return None
    if isinstance(planned, Question):
        return Plan.ask("interactive", planned.text)
    if isinstance(planned, _Explained):
        result, reply = planned.ops, planned.reply
    else:
        result, reply = planned, _describe(planned, zh)
    if [name for name, _ in result] == ["remove_interactive", "add_end_screen"]:
        label = result[1][1]["label"]
        reply = _say(zh, f"The end screen now reads \u201c{label}\u201d.",
                     f"结尾画面改为“{label}”。")
    many = [args for name, args in result if name == "add_choice"
            and len(args["choices"]) > interactive.CALM_CHOICES]
    if many:
        reply += _say(zh, f" Tip: {interactive.TOO_MANY_CHOICES}.",
                      " 提示：每个分支点最好不超过3个选项，观众才不会无所适从。")
    return Plan("edit", [Call(name, args) for name, args in result], reply=reply,
                intent="interactive")


__all__ = ["Question", "find_times", "plan_interactive", "plan_interactive_turn"]
_ = REGIONS  # place names accepted by add_hotspot; kept in step with _PLACES
