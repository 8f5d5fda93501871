"""Facts about one piece of media, as ingest measured them: what compile and the agent read.

Pure data (no I/O): ``reelwright.media`` fills it in, the store keeps it as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

MediaKind = Literal["image", "video", "audio", "text"]


@dataclass(frozen=True)
class FocusBox:
    """A region worth keeping in frame, normalised to 0..1; ``kind`` is face or saliency."""

    x: float
    y: float
    w: float
    h: float
    score: float = 1.0
    kind: str = "face"

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class MediaInfo:
    id: str
    kind: MediaKind
    path: str
    name: str = ""
    format: str = ""
    size_bytes: int = 0
    w: int = 0
    h: int = 0
    duration_ms: int | None = None
    fps: float | None = None
    has_video: bool = False
    has_audio: bool = False
    vcodec: str | None = None
    acodec: str | None = None
    animated: bool = False
    taken_at: str | None = None
    focus: tuple[FocusBox, ...] = field(default_factory=tuple)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["focus"] = [asdict(box) for box in self.focus]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MediaInfo:
        values = dict(data)
        values["focus"] = tuple(FocusBox(**box) for box in values.get("focus") or ())
        return cls(**values)
