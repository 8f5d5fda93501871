"""Quality names (``draft`` .. ``max``) mapped to encoder settings for each output format."""

from __future__ import annotations

from dataclasses import dataclass

from reelwright.render.types import QUALITIES


@dataclass(frozen=True)
class X264:
    preset: str
    crf: int
    lookahead: int | None = None  # cap on rc-lookahead: 40 frames of 1080p cost ~135 MB




@dataclass(frozen=True)
class VP9:
    crf: int
    cpu_used: int


X264_BY_QUALITY: dict[str, X264] = {
    "draft": X264("ultrafast", 28),
    "low": X264("veryfast", 26),
    "medium": X264("faster", 23),
    "high": X264("medium", 20, lookahead=20),
    "max": X264("slow", 17, lookahead=30),
}
VP9_BY_QUALITY: dict[str, VP9] = {
    "draft": VP9(40, 8),
    "low": VP9(37, 6),
    "medium": VP9(34, 5),
    "high": VP9(31, 4),
    "max": VP9(28, 2),
}
PREVIEW_SHORT_SIDE = 480
LIVE_SHORT_SIDE = 360  # the live preview after each edit: 640x360, 360x640 ...
LIVE_MAX_FPS = 15
GIF_LONG_SIDE = 480
GIF_MAX_FPS = 15
assert set(X264_BY_QUALITY) == set(QUALITIES) == set(VP9_BY_QUALITY)


def x264(quality: str, preview: bool = False) -> X264:
    """The encoder settings of a quality; previews (quick and live) use the fastest."""
    return X264_BY_QUALITY["draft" if preview else quality]


def vp9(quality: str, preview: bool = False) -> VP9:
    return VP9_BY_QUALITY["draft" if preview else quality]
