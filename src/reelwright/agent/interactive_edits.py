"""Chat edits of interactive items that already exist: remove, rename, move, reword.

    "remove the skip button" / "remove all buttons" / "删除所有按钮"       -> remove_interactive
    "rename chapter 2 to Deep dive" / "把第2章改名为深入"                  -> set_interactive label
    "move the question to 0:15" / "move chapter 2 to 0:25"              -> set_interactive start
    "make the question say 'Ready for more?'"                           -> set_interactive question

``interactive_edit(message, draft)`` returns an ``Edit`` (operations and the reply that says
what they do), a ``Question``-like ``Edit`` with no operations when the item is not there, or
None when the message is not such an edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reelwright.agent import numbers
from reelwright.agent.times import find_times
from reelwright.draft import interactive
from reelwright.draft.model import Draft, Segment, TrackType

Op = tuple[str, dict[str, Any]]
_KINDS = {"button": r"buttons?|按钮", "hotspot": r"hotspots?|热点|热区",
          "choice": r"questions?|choices?|提问|问题|选择题", "chapter": r"chapters?|章节?",
          "end": r"end ?screens?|结尾画面|片尾|结束画面"}
_NAMES = {"button": ("button", "按钮"), "hotspot": ("hotspot", "热点"),
          "choice": ("question", "提问"), "chapter": ("chapter", "章节"),
          "end": ("end screen", "结尾画面")}
_REMOVE = re.compile(r"\b(?:remove|delete|drop|get rid of|take out|take away|lose|ditch|kill|"
                     r"scrap)\b|删除|删掉|删了|去掉|移除|不要|拿掉")
_RENAME = re.compile(r"\brename\s+(?P<what>.+?)\s+(?:to|as)\s+(?P<to>.+)$|"
                     r"\bcall\s+(?P<what2>chapter\s*\d+|the .+?)\s+[\"“'](?P<to2>.+)[\"”']\s*$|"
                     r"把(?P<what3>.+?)(?:改名为|改名叫|重命名为|改叫|名字改成)(?P<to3>.+)$|"
                     r"\b(?P<what4>chapter\s*\d+|the [\w ]+?)\s+should be (?:named|called)\s+"
                     r"(?P<to4>.+)$|"
                     r"(?P<what5>第\S{1,3}章)的?(?:名字|名称|标题)?(?:改名为|改名叫|改叫|改成|改为|换成|"
                     r"叫做?)(?P<to5>.+)$",
                     re.IGNORECASE)
_MOVE = re.compile(r"\bmove\s+(?P<what>.+?)\s+to\s+(?P<to>.+)$|"
                   r"\b(?P<what3>the (?:question|choice|button|hotspot|chapter \d+|end screen))\s+"
                   r"should (?:come|appear|show up|start|be)\s+(?:at\s+)?(?P<to3>.+)$|"
                   r"把(?P<what2>.+?)(?:移到|挪到|放到|改到)(?P<to2>.+)$|"
                   r"(?P<what4>问题|提问|选择题|按钮|热点|第\S{1,3}章|结尾画面)(?:改到|挪到|移到|放到)"
                   r"(?P<to4>.+)$", re.IGNORECASE)
_REWORD = re.compile(r"\b(?:make|change|set)\s+the\s+(?:question|choice)\s+(?:to\s+)?"
                     r"(?:say|ask|read)?s?\s*(?:to\s+)?[\"“'](?P<q>[^\"”']+)[\"”']|"
                     r"\bthe\s+(?:question|choice)\s+should\s+(?:say|ask|read|be)\s*[:：]?\s*"
                     r"[\"“'](?P<q3>[^\"”']+)[\"”']|"
                     r"把?(?:提问|问题)的?(?:内容|文字)?(?:改成|改为|换成)[“\"'](?P<q2>[^”\"']+)[”\"']",
                     re.IGNORECASE)
_ALL = re.compile(r"\ball\b|\bevery\b|所有|全部", re.IGNORECASE)


@dataclass
class Edit:
    ops: list[Op] = field(default_factory=list)
    reply: str = ""


def _say(zh: bool, en: str, zh_text: str) -> str:
    return zh_text if zh else en


def _items(draft: Draft, kind: str) -> list[Segment]:
    return sorted((seg for track in draft.tracks_of(TrackType.INTERACTIVE) for seg in track.sg
                   if seg.m.get("kind") == kind), key=lambda s: s.st)


def _kind_in(text: str) -> str | None:
    found = [(m.start(), kind) for kind, pattern in _KINDS.items()
             if (m := re.search(pattern, text, re.IGNORECASE))]
    return min(found)[1] if found else None


def _name(seg: Segment) -> str:
    return str(seg.m.get("label") or seg.m.get("q") or "")


def _pick(text: str, draft: Draft, kind: str) -> list[Segment]:
    """The items of ``kind`` that ``text`` names: all, the N-th, one whose words it quotes or
    contains ("the skip button"), or the only one there is."""
    items = _items(draft, kind)
    if _ALL.search(text):
        return items
    ordinal = re.search(rf"(?:{_KINDS[kind]})\s*(\d+)|第\s*(\d+)\s*(?:{_KINDS[kind]})", text,
                        re.IGNORECASE)
    found = numbers.find_ordinals(text)
    index = int(ordinal.group(1) or ordinal.group(2)) if ordinal else found[0] if found else None
    if index is not None:
        return [items[index - 1 if index > 0 else index]] if 0 < abs(index) <= len(items) and \
            index != 0 else []
    lowered = text.lower()
    named = [seg for seg in items if _name(seg) and (
        _name(seg).lower() in lowered or any(
            len(word) > 3 and word in lowered for word in _name(seg).lower().split()))]
    if named:
        return named[:1]
    return items if len(items) == 1 else []


def _missing(zh: bool, kind: str, draft: Draft) -> Edit:
    en, zh_word = _NAMES[kind]
    items = _items(draft, kind)
    if not items:
        return Edit(reply=_say(zh, f"There is no {en} in the video.",
                               f"视频里还没有{zh_word}。"))
    listed = ", ".join(f"\u201c{_name(s)}\u201d ({interactive.clock(s.st)})" for s in items)
    return Edit(reply=_say(zh, f"Which {en}? The video has {len(items)}: {listed}.",
                           f"是哪一个{zh_word}？视频里有{len(items)}个：{listed}。"))


def interactive_edit(message: str, draft: Draft | None) -> Edit | None:
    """An edit of existing interactive items, or None when ``message`` is not one."""
    if draft is None or not any(t.tt == TrackType.INTERACTIVE and t.sg for t in draft.t):
        return None
    zh = bool(re.search(r"[\u4e00-\u9fff]", message))
    text = message.strip()
    reword = _REWORD.search(text)
    if reword:
        question = (reword.group("q") or reword.group("q2") or reword.group("q3")).strip()
        targets = _pick(text, draft, "choice")
        if len(targets) != 1:
            return _missing(zh, "choice", draft)
        return Edit([("set_interactive", {"target": {"id": targets[0].id},
                                          "question": question[:interactive.MAX_LABEL_CHARS]})],
                    _say(zh, f"The question now asks \u201c{question}\u201d.",
                         f"提问改为“{question}”。"))
    rename = _RENAME.search(text)
    if rename:
        what = next(g for g in (rename.group(f"what{n}") for n in ("", 2, 3, 4, 5)) if g)
        to = next(g for g in (rename.group(f"to{n}") for n in ("", 2, 3, 4, 5)) if g).strip(
            " .。'\"“”")
        kind = _kind_in(what)
        if kind is None or kind == "choice":
            return None
        targets = _pick(what, draft, kind)
        if len(targets) != 1:
            return _missing(zh, kind, draft)
        old = _name(targets[0])
        label = to[:interactive.MAX_LABEL_CHARS]
        return Edit([("set_interactive", {"target": {"id": targets[0].id}, "label": label})],
                    _say(zh, f"The {_NAMES[kind][0]} \u201c{old}\u201d is now called "
                             f"\u201c{label}\u201d.", f"{_NAMES[kind][1]}“{old}”改名为“{label}”。"))
    move = _MOVE.search(text)
    if move:
        what = next(g for g in (move.group(f"what{n}") for n in ("", 2, 3, 4)) if g)
        kind = _kind_in(what)
        times = find_times(numbers.normalize(
            next(g for g in (move.group(f"to{n}") for n in ("", 2, 3, 4)) if g)))
        if kind is None or not times:
            return None
        targets = _pick(what, draft, kind)
        if len(targets) != 1:
            return _missing(zh, kind, draft)
        at = times[0][0]
        return Edit([("set_interactive", {"target": {"id": targets[0].id}, "start_ms": at})],
                    _say(zh, f"The {_NAMES[kind][0]} \u201c{_name(targets[0])}\u201d now starts at "
                             f"{interactive.clock(at)}.",
                         f"{_NAMES[kind][1]}“{_name(targets[0])}”改为从{interactive.clock(at)}开始。"))
    if _REMOVE.search(text):
        kind = _kind_in(text)
        if kind is None:
            if re.search(r"\binteractive\b|互动", text, re.IGNORECASE):
                return Edit([("remove_interactive", {"target": "all"})],
                            _say(zh, "Removed every button, hotspot, question, chapter and end "
                                     "screen.", "已删除所有按钮、热点、提问、章节和结尾画面。"))
            return None
        targets = _pick(text, draft, kind)
        if not targets:
            return _missing(zh, kind, draft)
        names = ", ".join(f"\u201c{_name(s)}\u201d" for s in targets)
        word = _NAMES[kind][0] + ("s" if len(targets) > 1 else "")
        return Edit([("remove_interactive", {"target": {"id": s.id}}) for s in targets],
                    _say(zh, f"Removed the {word} {names}.",
                         f"已删除{_NAMES[kind][1]}{names}。"))
    return None


__all__ = ["Edit", "interactive_edit"]
