"""The timeline model: a draft holds tracks, a track holds segments. Times are integer ms.

Pure data: no I/O. The compact JSON form is in ``codec``; the meaning of each ``m`` key is
documented in docs/draft.md and checked by ``validate``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class TrackType(IntEnum):
    VISUAL = 0
    AUDIO = 1
    TEXT = 7
    INTERACTIVE = 8


@dataclass
class Segment:
    id: str
    st: int
    d: int
    src: str | None = None
    in_: int = 0
    m: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.st + self.d


@dataclass
class Track:
    id: str
    tt: TrackType
    sg: list[Segment] = field(default_factory=list)
    m: dict[str, Any] = field(default_factory=dict)


@dataclass
class Draft:
    w: int = 1920
    h: int = 1080
    fps: int = 30
    d: int = 0
    t: list[Track] = field(default_factory=list)
    m: dict[str, Any] = field(default_factory=dict)
    v: int = 1

    def copy(self) -> Draft:
        return copy.deepcopy(self)

    def tracks_of(self, tt: TrackType) -> list[Track]:
        return [track for track in self.t if track.tt == tt]

    def track(self, track_id: str) -> Track:
        for track in self.t:
            if track.id == track_id:
                return track
        raise KeyError(track_id)

    def segment(self, segment_id: str) -> tuple[Track, Segment]:
        for track in self.t:
            for seg in track.sg:
                if seg.id == segment_id:
                    return track, seg
        raise KeyError(segment_id)

    def all_segments(self) -> list[tuple[Track, Segment]]:
        return [(track, seg) for track in self.t for seg in track.sg]

    def content_end(self) -> int:
        return max((seg.end for _, seg in self.all_segments()), default=0)

    def media_ids(self) -> set[str]:
        return {seg.src for _, seg in self.all_segments() if seg.src is not None}

    def new_id(self, prefix: str) -> str:
        """A short id not used by any track or segment yet (deterministic)."""
        used = {track.id for track in self.t} | {seg.id for _, seg in self.all_segments()}
        n = 1
        while f"{prefix}{n}" in used:
            n += 1
        return f"{prefix}{n}"
