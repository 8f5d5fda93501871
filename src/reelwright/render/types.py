"""What a caller asks the renderer for, and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OutputFormat = Literal["mp4", "webm", "gif", "png"]
QUALITIES: tuple[str, ...] = ("draft", "low", "medium", "high", "max")


@dataclass(frozen=True)
class OutputSpec:
    """``path`` is where the file goes; ``preview`` renders fast at low resolution;
    ``live`` (the page's live preview after each edit) smaller still, at a low frame rate."""

    path: str
    format: OutputFormat = "mp4"
    quality: str = "high"
    preview: bool = False
    live: bool = False
    threads: int = 0
    poster_ms: int | None = None  # frame time for a ``png`` poster; None = the middle
    scale: float = 1.0  # draw the picture this much smaller than the draft (never larger)
    max_kbps: int | None = None  # cap on the video bitrate (H.264 VBV), for web streaming


@dataclass(frozen=True)
class RenderResult:
    path: str
    format: str
    duration_ms: int
    size_bytes: int
    w: int
    h: int
