"""Helpers the rule families share: pattern tests, targets, relative amounts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reelwright.agent import numbers
from reelwright.agent.lexicon import find_quoted
from reelwright.agent.plan import Ctx, Plan

Rule = Callable[[Ctx, str, str], Plan | None]
"""A rule reads the context, the normalised text and the raw message; None = not mine."""

VISUAL_NOUN = (r"photos?|pictures?|pics?|images?|clips?|videos?|slides?|shots?|items?|"
               r"segments?|scenes?|照片|图片|相片|图|片段|镜头|素材|张|段|幅")
REMOVE_WORDS = (r"\bremove\b|\bdelete\b|\bdrop\b|get rid of|take (?:\w+ ){0,3}out\b|cut out|"
                r"\bno\b|without|\blose\b|\bditch\b|\bkill\b|\bscrap\b|\bnix\b|"
                r"\bskip (?:the |any )?(?:music|song|title|transitions?|captions?|subtitles?)|"
                r"don'?t (?:want|need) (?:the |any )?|"
                r"turn off|\bdisable\b|删除|删掉|删了|删去|去掉|去除|去了|移除|拿掉|不要|不用|不加|"
                r"取消|关掉|关闭|撤掉")


def has(text: str, pattern: str) -> bool:
    return re.search(pattern, text) is not None


def visual(index: int) -> dict[str, Any]:
    return {"track": "visual", "index": index}


def ordinals(text: str) -> list[int]:
    return numbers.find_ordinals(text)


def _measure(noun: str) -> str:
    return "张" if noun in ("照片", "图片") else "个"


def check_index(ctx: Ctx, index: int) -> Plan | None:
    """A refusal in plain words when ``index`` names no item of the main sequence."""
    count = len(ctx.main)
    one, many = ctx.visual_noun()
    if count == 0:
        return Plan.refuse("no_items", ctx.say(
            "There is nothing in the video yet. Upload photos or clips and ask me to make a "
            "slideshow.", "视频里还没有内容。请先上传照片或视频片段，然后让我做成幻灯片。"))
    if index == 0 or index > count or index < -count:
        return Plan.refuse("bad_index", ctx.say(
            f"There is no {one} {index}; the video has {count} {one if count == 1 else many}.",
            f"没有第{index}{_measure(one)}{one}；视频里共有{count}{_measure(one)}{many}。"))
    return None


def relative_factor(text: str, *, up: str, down: str) -> float | None:
    """A multiplier from comparative words: ``up`` / ``down`` are patterns for more / less.

    "a bit" makes it gentle (1.25 / 0.8), "much" strong (2 / 0.5), plain 1.5 / 0.67;
    "twice" 2 and "half" 0.5 win over the words.
    """
    if has(text, r"\btwice\b|\bdouble\b|两倍|2倍|翻倍|加倍"):
        return 2.0
    if has(text, r"\bhalf\b|\bhalve\b|一半|减半|0\.5倍"):
        return 0.5
    gentle = has(text, r"a (?:little )?bit|\bslightly\b|a little|\bsomewhat\b|一点|一些|一下|"
                       r"稍微|稍|略|些许")
    strong = has(text, r"\bmuch\b|\ba lot\b|\bway\b|\bvery\b|\bfar\b|"
                       r"很多|非常|大幅|更加|"
                       r"\bmuch more\b")
    if has(text, up):
        return 1.25 if gentle else 2.0 if strong else 1.5
    if has(text, down):
        return 0.8 if gentle else 0.5 if strong else 0.67
    return None


def ask_which(ctx: Ctx, what: str, what_zh: str) -> Plan:
    one, _ = ctx.visual_noun()
    count = len(ctx.main)
    return Plan.ask("which", ctx.say(
        f"Which {one} should I {what}? There are {count}; say e.g. \"{one} 2\" or \"all\".",
        f"要{what_zh}哪一个{one}？共有{count}个，可以说“第2张”或“全部”。"))


def all_items(text: str) -> bool:
    return has(text, r"\ball\b|\bevery\b|\beach\b|\bper\b|\bapiece\b|所有|全部|每张|每个|每一张|"
                     r"每段|每幅|统一") or numbers.find_per_item_ms(text) is not None


def seconds_text(ms: int) -> str:
    return f"{ms / 1000:g}s"


def duration_words(text: str) -> bool:
    return has(text, r"seconds?|\bsecs?\b|\d\s*s\b|minutes?|\bmins?\b|秒|分钟|\blong\b|longer|"
                     r"shorter|duration|length|时长|长度|显示|停留|show|stay|last|\bfor\b")


def quoted_or_after(raw: str, pattern: str) -> str | None:
    """Quoted text, else the words after ``pattern`` (e.g. 'title to Summer' -> 'Summer')."""
    found = find_quoted(raw)
    if found:
        return found
    match = re.search(f"(?:{pattern})" + r"\s*[:：]?\s*(.{1,120}?)\s*[.!。！]?$", raw, re.I)
    if match:
        value = match.group(1).strip().strip("\"'“”‘’「」《》")
        return value or None
    return None
