"""What a planner decides for one chat message: tool calls to make, or a reply without edits.

``Plan.kind`` says how the turn ends:
- ``edit``: apply ``calls`` (draft operations, recipes, undo/redo), all or nothing; charged.
- ``ask``: one clarifying question in ``reply``; nothing changes, nothing is charged.
- ``refuse``: out of scope or impossible; ``reply`` says what it can do; free.
- ``info``: an answer (summary, how to export, help); nothing changes; free.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from reelwright.draft.layout import main_track
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType

PlanKind = Literal["edit", "ask", "refuse", "info"]
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Call:
    """One tool call: a draft operation name (or agent tool) and its JSON arguments."""

    name: str
    args: dict[str, Any]


@dataclass
class Plan:
    kind: PlanKind
    calls: list[Call] = field(default_factory=list)
    reply: str = ""
    intent: str = ""
    skipped: list[str] = field(default_factory=list)
    """Parts of the message this plan does not carry out, each with the reason in words (in
    the message's language); the reply names them so a half-done turn never reads as done."""

    @classmethod
    def edit(cls, intent: str, *calls: Call) -> Plan:
        return cls("edit", list(calls), intent=intent)

    @classmethod
    def ask(cls, intent: str, question: str) -> Plan:
        return cls("ask", reply=question, intent=intent)

    @classmethod
    def refuse(cls, intent: str, reply: str) -> Plan:
        return cls("refuse", reply=reply, intent=intent)

    @classmethod
    def info(cls, intent: str, reply: str) -> Plan:
        return cls("info", reply=reply, intent=intent)


DryRun = Callable[[Sequence[Call]], str | None]
"""Tries calls on a copy of the draft: None when they all apply, else the error in words
(naming the step that failed, for a planner that repairs its plan)."""


def language_of(text: str) -> str:
    """``zh`` when the message has Chinese characters, else ``en``."""
    return "zh" if _CJK.search(text) else "en"


@dataclass
class Ctx:
    """What a planner may look at: the draft (None before the first edit), the session's media
    in upload order, and the language to answer in."""

    draft: Draft | None
    media: Mapping[str, MediaInfo]
    lang: str = "en"

    def say(self, en: str, zh: str) -> str:
        return zh if self.lang == "zh" else en

    @property
    def main(self) -> list[Segment]:
        track = main_track(self.draft) if self.draft is not None else None
        return list(track.sg) if track is not None else []

    def segments_with_role(self, tt: TrackType, role: str) -> list[tuple[Track, Segment]]:
        if self.draft is None:
            return []
        return [(t, s) for t in self.draft.t if t.tt == tt for s in t.sg
                if s.m.get("role", t.m.get("role")) == role]

    @property
    def music(self) -> list[tuple[Track, Segment]]:
        return self.segments_with_role(TrackType.AUDIO, "music")

    @property
    def titles(self) -> list[tuple[Track, Segment]]:
        return self.segments_with_role(TrackType.TEXT, "title")

    def used_media(self) -> set[str]:
        return self.draft.media_ids() if self.draft is not None else set()

    def uploads(self, *kinds: str) -> list[MediaInfo]:
        return [info for info in self.media.values() if info.kind in kinds
                and not info.id.startswith("gen_")]

    def unused(self, *kinds: str) -> list[MediaInfo]:
        used = self.used_media()
        return [info for info in self.uploads(*kinds) if info.id not in used]

    def kind_of(self, seg: Segment) -> str | None:
        info = self.media.get(seg.src) if seg.src else None
        return info.kind if info is not None else None

    def visual_noun(self) -> tuple[str, str]:
        kinds = {self.kind_of(seg) for seg in self.main}
        if kinds == {"video"}:
            return self.say("clip", "片段"), self.say("clips", "片段")
        if kinds == {"image"}:
            return self.say("photo", "照片"), self.say("photos", "照片")
        return self.say("item", "素材"), self.say("items", "素材")
