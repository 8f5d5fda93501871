"""The product-demo recipe: clips cut to the target length, title, music, valid draft."""

from __future__ import annotations

import pytest
from tests.agent.agent_fixtures import CLIPS, PHOTOS, library

from reelwright.agent.recipes.product_demo import build_product_demo
from reelwright.draft.layout import main_track
from reelwright.draft.media import MediaInfo
from reelwright.draft.validate import problems
from reelwright.errors import OperationInvalid


def test_two_minutes_from_long_clips_is_exact_and_in_order() -> None:
    music = library("upbeat")
    draft = build_product_demo(CLIPS, target_ms=120_000, music=music, music_name="Upbeat",
                               title="Gadget X")
    main = main_track(draft)
    assert main is not None and draft.d == 120_000
    assert [s.src for s in main.sg] == ["med_c1", "med_c2", "med_c3"]
    # Longer clips keep more time; none plays past its end.
    lengths = [s.d for s in main.sg]
    assert lengths[0] < lengths[1] < lengths[2]
    assert all(s.d <= c.duration_ms for s, c in zip(main.sg, CLIPS, strict=True))  # type: ignore
    assert (draft.w, draft.h) == (1920, 1080)
    music_seg = next(s for t in draft.t if t.tt == 1 for s in t.sg)
    assert music_seg.st == 0 and music_seg.end == draft.d and music_seg.m["loop"]
    title = next(s for t in draft.t if t.tt == 7 for s in t.sg)
    assert title.m["text"] == "Gadget X" and title.st == 0
    assert problems(draft, {**{c.id: c for c in CLIPS}, music.id: music}) == []


def test_short_material_plays_whole_and_photos_fill() -> None:
    short = [MediaInfo(id="med_s1", kind="video", path="", duration_ms=6000, has_video=True),
             PHOTOS[0]]
    draft = build_product_demo(short, target_ms=20_000, aspect="9:16")
    main = main_track(draft)
    assert main is not None and draft.d == 20_000 and (draft.w, draft.h) == (1080, 1920)
    assert main.sg[0].d == 6000  # the whole clip, photos take the rest
    assert problems(draft, {m.id: m for m in short}) == []


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(OperationInvalid, match="at least one"):
        build_product_demo([])
    with pytest.raises(OperationInvalid, match="5 s to 30 minutes"):
        build_product_demo(CLIPS, target_ms=1000)
    with pytest.raises(OperationInvalid, match="audio"):
        build_product_demo([library("calm")])
