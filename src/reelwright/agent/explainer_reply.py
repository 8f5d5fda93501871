"""The closing reply of a turn that made or remade an explainer, in English or Chinese.

English repeats the recipe's notes (length, voice, cuts, pictures, render time and credits);
Chinese says the same facts, read from the draft itself and the notes' numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from reelwright.agent.display_names import display_name
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, TrackType

EXPLAINER_TOOLS = frozenset({"make_explainer", "remake_explainer"})
_VOICE_EN = {"joe": "Joe (US English, male)", "en-male": "an English male voice",
             "en-female": "an English female voice", "zh-female": "a Chinese female voice",
             "zh-male": "a Chinese male voice"}
_VOICE_ZH = {"joe": "英文男声", "en-male": "英文男声", "en-female": "英文女声",
             "zh-female": "中文女声", "zh-male": "中文男声", "none": "无配音"}


def _scenes(draft: Draft) -> int:
    main = next((t for t in draft.t if t.tt == TrackType.VISUAL), None)
    titled = any(s.m.get("role", t.m.get("role")) == "title" for t in draft.t
                 if t.tt == TrackType.TEXT for s in t.sg)
    return (len(main.sg) if main else 0) - (1 if titled else 0)


def _chinese(draft: Draft, notes: Sequence[str]) -> str:
    from reelwright.agent.script import parse_script

    meta = draft.m.get("explainer") or {}
    scenes = _scenes(draft)
    voice = _VOICE_ZH.get(str(meta.get("voice")), str(meta.get("voice")))
    speed = float(meta.get("speed") or 1.0)
    text = (f"讲解视频做好了：{scenes} 个场景，{voice}"
            + (f"（{speed:g} 倍语速）" if abs(speed - 1) > 0.01 and voice != "无配音" else "")
            + f"，时长 {draft.d / 1000:.1f} 秒。")
    if meta.get("song"):
        text += f"配乐是你上传的 {_song_name(draft, str(meta['song']))}。"
    script = meta.get("script")
    if isinstance(script, str) and meta.get("target"):
        total = len(parse_script(script, meta.get("language")).scenes)
        if total > scenes:
            natural = next((m.group(1) for n in notes
                            if (m := re.search(r"about (\d+) s at a natural pace", n))), None)
            text += (f"脚本按自然语速约需 {natural} 秒，" if natural else "脚本太长，") + (
                f"超过了要求的 {meta['target']} 秒：保留了第 1-{scenes} 个场景，删掉了其余 "
                f"{total - scenes} 个。说“保留全部”可以生成完整版。")
    cards = next((m.group(1) for n in notes if (m := re.match(r"(\d+) scenes? had no picture",
                                                              n))), None)
    if cards:
        text += f"{cards} 个场景没有图片，用了设计好的卡片；上传照片或视频可以替换。"
    cost = next((m for n in notes if (m := re.search(
        r"about (\d+) s; this turn costs (\d+) credits?", n))), None)
    if cost:
        text += f"导出渲染大约需要 {cost.group(1)} 秒；本次消耗 {cost.group(2)} 积分（导出免费）。"
    return text + "说“导出”获取 MP4，或者继续提修改，比如“换成女声”、“字幕改成黄色”。"


def _song_name(draft: Draft, media_id: str) -> str:
    for track in draft.t:
        for seg in track.sg:
            if seg.src == media_id:
                return str(seg.m.get("name") or media_id)
    return media_id


def _remade(before: Draft, after: Draft, changes: Mapping[str, Any], lang: str) -> str:
    """The first sentence after a remake: what the person asked to change, as it came out."""
    zh = lang == "zh"
    meta = after.m.get("explainer") or {}
    parts: list[str] = []
    if (before.w, before.h) != (after.w, after.h):
        parts.append(f"画面改为 {after.w}x{after.h}" if zh else
                     f"the frame is now {after.w}x{after.h}")
    if "voice" in changes:
        voice = str(meta.get("voice", changes["voice"]))
        parts.append(f"配音改为{_VOICE_ZH.get(voice, voice)}" if zh else
                     "the voice-over is off" if voice == "none" else
                     f"the voice is now {_VOICE_EN.get(voice, voice)}")
    if "speed" in changes:
        parts.append(f"语速改为 {float(changes['speed']):g} 倍" if zh else
                     f"the voice speaks at {float(changes['speed']):g}x")
    if "caption_style" in changes:
        style = str(changes["caption_style"])
        style_zh = display_name("caption_style", style, "zh")
        parts.append(("去掉了字幕" if style == "none" else f"字幕样式改为{style_zh}") if zh else
                     "the captions are off" if style == "none" else
                     f"the captions are now in the {style} style")
    had = before.m.get("explainer") or {}
    if "mood" in changes or "music" in changes and bool(changes["music"]) != bool(
            had.get("mood") or had.get("song")):
        mood = meta.get("mood") or meta.get("song") and _song_name(after, str(meta["song"]))
        shown = display_name("mood", str(mood), "zh")  # a song's name stays as uploaded
        parts.append(("背景音乐改为" + (shown if shown != mood else f" {mood}") if mood
                      else "去掉了背景音乐") if zh else
                     f"the music is now {mood}" if mood else "the music is off")
    if before.d != after.d:
        parts.append(f"时长 {before.d / 1000:.1f} 秒 → {after.d / 1000:.1f} 秒" if zh else
                     f"it is now {after.d / 1000:.1f} s long (was {before.d / 1000:.1f} s)")
    if not parts:
        return "我按要求重新生成了讲解视频。" if zh else "I made the explainer again as asked."
    if zh:
        return "已重新生成讲解视频：" + "，".join(parts) + "。"
    text = "; ".join(parts)
    return f"Done: {text}."


def explainer_reply(draft: Draft, notes: Sequence[str], lang: str,
                    media: Mapping[str, MediaInfo], *, before: Draft | None = None,
                    changes: Mapping[str, Any] | None = None) -> str:
    """What to say after an explainer was made: facts, cuts, render time, credits, next steps.
    After a remake (``before`` and the asked ``changes`` given) it first says what changed."""
    head = _remade(before, draft, changes, lang) + " " if before is not None and \
        changes is not None else ""
    if lang == "zh":
        return head + _chinese(draft, notes)
    meta = draft.m.get("explainer") or {}
    song = f"The music is your song {_song_name(draft, str(meta['song']))}. " \
        if meta.get("song") and not head else ""
    return (head + ("Your explainer video is ready. " if not head else "") + song
            + " ".join(notes)
            + " Say \"export\" when you want the MP4, or ask for changes such as \"use a "
              "female voice\" or \"make the captions bigger\".")
