"""Rules for words on screen: the title, captions and text overlays."""

from __future__ import annotations

import re
from typing import Any

from reelwright.agent import lexicon, numbers
from reelwright.agent.plan import Call, Ctx, Plan
from reelwright.agent.rules_common import REMOVE_WORDS, has, ordinals, quoted_or_after
from reelwright.agent.times import find_span

TITLE = r"\btitle\b|\bheading\b|\bheadline\b|标题|片名|题目|大标题"
TEXT = r"\bcaptions?\b|\bsubtitles?\b|\btext\b|\bwords\b|\blabel\b|字幕|文字|文本|字"
AT_END = (r"\b(?:at|in|near|towards?|by) the (?:very )?end\b(?! ?screen)|\bat the finish\b|"
          r"\bas the (?:video|slideshow) ends\b|\bend(?:ing)? of the (?:video|slideshow|clip)\b|"
          r"\bthe (?:last|final) (?:[\d.]+ ?|few |couple of |two |three )?(?:seconds?|secs?|s)\b|"
          r"结尾|末尾|片尾|最后(?![一\d]?\s*[张个段幅])")
SHOW = (r"\b(?:put|show|display|write|say|overlay|pop up|flash|add)\b|显示|写上|写|打上|放上|出现|"
        r"加上")
_TITLE_IS = (r"(?:title|heading|headline)(?:'s)?\s*(?:text|words)?\s*(?:should (?:say|read|be)|"
             r"to|is|as|says|that says|reading|:|=|saying|called)?|"
             r"标题的?(?:文字|内容|文本)?(?:改成|改为|换成|是|为|叫|写|用)?|片名(?:是|叫|为)?")


def _style_args(t: str, seg_style: dict[str, Any] | None) -> dict[str, Any]:
    style: dict[str, Any] = {}
    colour = lexicon.find_colour(t)
    if colour is not None and not has(t, r"background|背景"):
        style["color"] = colour
    size = float((seg_style or {}).get("size", 96))
    if has(t, r"bigger|larger|\bbig\b|大一点|大一些|更大|放大|加大"):
        style["size"] = round(min(400, size * 1.25))
    elif has(t, r"smaller|\bsmall\b|小一点|小一些|更小|缩小"):
        style["size"] = round(max(8, size * 0.8))
    if has(t, r"\bbold\b|粗体|加粗"):
        style["bold"] = True
    return style


def title(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, TITLE):
        return None
    existing = ctx.titles
    target = {"track": "title", "index": 1}
    if has(t, REMOVE_WORDS):
        if not existing:
            return Plan.info("title", ctx.say("There is no title to remove.",
                                              "视频里没有标题。"))
        return Plan.edit("title", Call("remove_text", {"target": "all", "role": "title"}))
    if ctx.draft is None or not ctx.main:
        return Plan.refuse("title", ctx.say(
            "Add photos or clips first; then I can put a title over them.",
            "请先加入照片或视频片段，然后我可以加上标题。"))
    words = quoted_or_after(raw, _TITLE_IS)
    if words and re.fullmatch(r"(?i)(bigger|smaller|larger|red|blue|white|black|yellow|"
                              r"at the .*|to the .*|on .*|in .*)", words):
        words = None
    if words and lexicon.find_quoted(raw) is None and (lexicon.find_position(words.lower())
                                                         or lexicon.find_colour(words.lower())
                                                         or numbers.find_duration_ms(words)):
        words = None
    seg_style = existing[0][1].m.get("style") if existing else None
    style = _style_args(t, seg_style if isinstance(seg_style, dict) else None)
    pos = lexicon.find_position(t)
    ms = numbers.find_duration_ms(t)
    if not existing:
        if not words and (style or pos):
            return Plan.ask("title", ctx.say(
                "There is no title yet. What should it say? For example: add a title "
                "\"Our Summer\".", "视频还没有标题。标题要写什么？例如：加一个标题“我们的夏天”。"))
        if not words:
            return Plan.ask("title", ctx.say("What should the title say?", "标题要写什么？"))
        args: dict[str, Any] = {"text": words, "role": "title", "start_ms": 0,
                                "duration_ms": ms or 3000}
        if style:
            args["style"] = style
        if pos:
            args["pos"] = pos
        return Plan.edit("title", Call("add_text", args))
    change: dict[str, Any] = {"target": target}
    if words:
        change["text"] = words
    if style:
        change["style"] = style
    if pos:
        change["pos"] = pos
    if ms is not None:
        change["duration_ms"] = ms
    if len(change) == 1:
        return Plan.ask("title", ctx.say(
            "What should change about the title: its words, colour, size or position?",
            "标题要改什么：文字、颜色、大小还是位置？"))
    return Plan.edit("title", Call("set_text", change))


def caption(ctx: Ctx, t: str, raw: str) -> Plan | None:
    words = lexicon.find_quoted(raw)
    total = ctx.draft.d if ctx.draft is not None else None
    if not has(t, TEXT) and not (words and (has(t, SHOW) or has(t, AT_END) or
                                            find_span(t, total))):
        return None  # 'put "Bye" at the end', '"The End" in the final 2 secs'

    if has(t, REMOVE_WORDS):
        if ctx.draft is None or not any(tr.tt == 7 and tr.sg for tr in ctx.draft.t):
            return Plan.info("text", ctx.say("There is no text to remove.", "视频里没有文字。"))
        return Plan.edit("text", Call("remove_text", {"target": "all"}))
    if not words:
        if has(t, r"\badd\b|加|添加|写"):
            return Plan.ask("text", ctx.say("What should the text say? Put it in quotes, e.g. "
                                            "add text \"Day one\".",
                                            "要显示什么文字？请用引号写出来，例如：加文字“第一天”。"))
        return None
    if not ctx.main:
        return Plan.refuse("text", ctx.say("Add photos or clips first.",
                                           "请先加入照片或视频片段。"))
    role = "caption" if has(t, r"caption|subtitle|字幕") else "overlay"
    args: dict[str, Any] = {"text": words, "role": role}
    at_end = has(t, AT_END)  # "in the last 2 seconds" is a time, not "the last photo"
    span = None if at_end else find_span(t, ctx.draft.d if ctx.draft else None)
    found = [] if at_end or span else ordinals(t)
    if span is not None:  # "for the first 5 seconds", "from 0:05 to 0:08"
        args["start_ms"], args["duration_ms"] = span[0], span[1] - span[0]
    elif found:
        index = found[0]
        if not -len(ctx.main) <= index <= len(ctx.main) or index == 0:
            return None
        seg = ctx.main[index - 1 if index > 0 else index]
        args["start_ms"], args["duration_ms"] = seg.st, seg.d
    else:
        ms = numbers.find_duration_ms(t)
        if ms is not None:
            args["duration_ms"] = ms
        if at_end:
            args["at_end"] = True
    pos = lexicon.find_position(t)
    if pos:
        args["pos"] = pos
    style = _style_args(t, {"size": 48 if role == "caption" else 64})
    if style:
        args["style"] = style
    return Plan.edit("text", Call("add_text", args))
