"""Tiny interactive drafts over a generated clip, shared by the interactive tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.ops import apply_ops

W, H, D = 320, 240, 3000


def clip_info(path: Path, media_id: str = "med_a", ms: int = D) -> MediaInfo:
    return MediaInfo(id=media_id, kind="video", path=str(path), name=path.name, w=W, h=H,
                     duration_ms=ms, fps=25, has_video=True, has_audio=True)


def base_draft(src: str = "med_a", d: int = D, **m: Any) -> Draft:
    return Draft(w=W, h=H, fps=25, d=d, m={"name": "Tutorial", **m},
                 t=[Track(id="v1", tt=TrackType.VISUAL,
                          sg=[Segment(id="s1", st=0, d=d, src=src)])])


def tutorial(media: dict[str, MediaInfo]) -> Draft:
    """Chapters, a choice at 1 s (Yes -> 2 s, No -> end), a hotspot and a URL button."""
    return apply_ops(base_draft(), [
        ("add_chapter", {"label": "Intro", "start_ms": 0}),
        ("add_chapter", {"label": "Advanced", "start_ms": 2000}),
        ("add_choice", {"question": "Want the advanced part?", "at_ms": 1000,
                        "choices": [{"label": "Yes", "do": "jump", "t": 2000},
                                    {"label": "No", "do": "end"}]}),
        ("add_hotspot", {"label": "Skip ahead", "place": "top-right", "start_ms": 0,
                         "end_ms": 3000, "action": {"do": "jump", "t": 2500}}),
        ("add_button", {"label": "Docs", "start_ms": 0, "duration_ms": 3000,
                        "action": {"do": "url", "url": "https://example.com/docs"}}),
        ("add_end_screen", {"label": "Thanks for watching", "text": "See you", "start_ms": 2700}),
    ], media)
