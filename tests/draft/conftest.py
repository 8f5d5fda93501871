"""Fixtures for the pure draft tests: session media facts and a small edited slideshow."""

from __future__ import annotations

import pytest

from reelwright.draft import Draft, FocusBox, MediaInfo, apply_ops, dumps


def photo(n: int, w: int = 4000, h: int = 3000, **kw: object) -> MediaInfo:
    return MediaInfo(id=f"med_p{n}", kind="image", path="", name=f"photo{n}.jpg", w=w, h=h,
                     **kw)  # type: ignore[arg-type]


@pytest.fixture
def media() -> dict[str, MediaInfo]:
    items = [photo(n) for n in range(1, 6)] + [
        photo(6, focus=(FocusBox(0.05, 0.1, 0.1, 0.15),)),
        MediaInfo(id="med_c1", kind="video", path="", name="beach.mp4", w=1920, h=1080,
                  duration_ms=8000, has_video=True, has_audio=True),
        MediaInfo(id="med_m1", kind="audio", path="", name="Lo-fi", duration_ms=60000,
                  has_audio=True),
        MediaInfo(id="med_m2", kind="audio", path="", name="Upbeat", duration_ms=90000,
                  has_audio=True),
        MediaInfo(id="med_v1", kind="audio", path="", name="voice.wav", duration_ms=4000,
                  has_audio=True),
        MediaInfo(id="med_s1", kind="image", path="", name="silent.png", w=800, h=600),
    ]
    return {item.id: item for item in items}


@pytest.fixture
def slideshow(media: dict[str, MediaInfo]) -> Draft:
    """Five 3 s photos with 800 ms fades, Ken Burns on all, music at 35 %, a title."""
    ops = [("add_visual", {"media": f"med_p{n}"}) for n in range(1, 6)]
    ops += [
        ("set_transition", {"target": "all", "name": "fade", "duration_ms": 800}),
        ("set_ken_burns", {"target": "all"}),
        ("add_audio", {"media": "med_m1"}),
        ("add_text", {"text": "Urban Dreams", "role": "title"}),
    ]
    return apply_ops(Draft(), ops, media)


def snapshot(draft: Draft) -> str:
    return dumps(draft)
