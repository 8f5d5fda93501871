"""Framing math: cover crops keep faces with headroom; Ken Burns views keep the focus in frame."""

from __future__ import annotations

import pytest

from reelwright.draft.framing import (
    Box,
    cover_window,
    keep_region,
    ken_burns,
    reframe_kb,
    view_at,
    view_box,
)
from reelwright.draft.media import FocusBox

UNIT = Box(0, 0, 1, 1)
CORNER_FACE = FocusBox(0.04, 0.08, 0.1, 0.14)


def views(src: tuple[int, int], aspect: float, kb: dict[str, float], steps: int = 8) -> list[Box]:
    return [view_at(*src, aspect, kb, i / steps) for i in range(steps + 1)]


def test_view_at_matches_the_ends_of_the_move() -> None:
    kb = {"z0": 1.0, "z1": 1.2, "x0": 0.4, "y0": 0.5, "x1": 0.6, "y1": 0.45}
    assert view_at(4000, 3000, 16 / 9, kb, 0) == view_box(4000, 3000, 16 / 9, 1.0, 0.4, 0.5)
    end = view_at(4000, 3000, 16 / 9, kb, 1)
    assert (end.cx, end.cy, end.w) == (pytest.approx(0.6), pytest.approx(0.45),
                                       pytest.approx(1 / 1.2))


def test_face_in_the_corner_stays_inside_a_vertical_crop() -> None:
    window = cover_window(4000, 3000, 9 / 16, [CORNER_FACE])
    assert window.w == pytest.approx(0.421875) and window.h == pytest.approx(1)
    face = Box(CORNER_FACE.x, CORNER_FACE.y, CORNER_FACE.w, CORNER_FACE.h)
    assert window.contains(face) and UNIT.contains(window)
    region = keep_region([CORNER_FACE])
    assert region is not None and window.contains(region)  # headroom included
    assert region.y < CORNER_FACE.y  # headroom lies above the face


def test_without_focus_the_crop_is_centred() -> None:
    window = cover_window(4000, 3000, 16 / 9)
    assert (window.cx, window.w) == (pytest.approx(0.5), pytest.approx(1))
    tall = cover_window(3000, 4000, 16 / 9)
    assert tall.cy < 0.5 and UNIT.contains(tall)  # a little above centre, where heads are


def test_saliency_steers_the_crop() -> None:
    right = cover_window(4000, 2000, 1.0, [FocusBox(0.8, 0.4, 0.1, 0.2, kind="saliency")])
    assert right.x + right.w == pytest.approx(1.0)


def test_heads_are_not_cut_when_faces_do_not_fit() -> None:
    # A group across the whole width of a landscape photo, cropped to 9:16.
    faces = [FocusBox(0.05 + 0.2 * i, 0.3, 0.12, 0.2) for i in range(5)]
    window = cover_window(4000, 3000, 9 / 16, faces)
    biggest = faces[0]
    assert window.y <= biggest.y and window.x <= biggest.cx <= window.x + window.w


@pytest.mark.parametrize("variant", range(6))
@pytest.mark.parametrize(("src", "aspect"), [((4000, 3000), 9 / 16), ((4000, 3000), 16 / 9),
                                             ((3000, 4000), 16 / 9), ((2000, 2000), 4 / 5)])
def test_ken_burns_keeps_the_face_in_view(variant: int, src: tuple[int, int],
                                          aspect: float) -> None:
    kb = ken_burns(*src, aspect, [CORNER_FACE], variant=variant, zoom=1.2)
    assert 1 <= kb["z0"] <= 1.2 and 1 <= kb["z1"] <= 1.2
    face = Box(CORNER_FACE.x, CORNER_FACE.y, CORNER_FACE.w, CORNER_FACE.h)
    for view in views(src, aspect, kb):
        assert UNIT.contains(view), (kb, view)
        assert view.contains(face, tol=2e-3), (kb, view)


def test_ken_burns_alternates_in_out_and_pan() -> None:
    moves = [ken_burns(4000, 3000, 16 / 9, variant=v) for v in range(3)]
    zoom_in, zoom_out, pan = moves
    assert zoom_in["z0"] == 1.0 and zoom_in["z1"] == pytest.approx(1.15)
    assert zoom_out["z0"] == pytest.approx(1.15) and zoom_out["z1"] == 1.0
    assert pan["z0"] == pan["z1"] > 1
    assert (pan["x0"], pan["y0"]) != (pan["x1"], pan["y1"])


def test_zoom_is_limited_so_a_large_face_stays_whole() -> None:
    big = FocusBox(0.3, 0.25, 0.4, 0.45)
    kb = ken_burns(4000, 3000, 16 / 9, [big], variant=0, zoom=2.0)
    assert kb["z1"] < 2.0
    face = Box(big.x, big.y, big.w, big.h)
    for view in views((4000, 3000), 16 / 9, kb):
        assert view.contains(face, tol=2e-3) and UNIT.contains(view)


def test_reframe_clamps_centres_for_a_new_aspect() -> None:
    kb = {"z0": 1.0, "z1": 1.1, "x0": 0.1, "y0": 0.5, "x1": 0.95, "y1": 0.5}
    fixed = reframe_kb(kb, 4000, 3000, 9 / 16)
    for view in views((4000, 3000), 9 / 16, fixed):
        assert UNIT.contains(view)
    assert (fixed["z0"], fixed["z1"]) == (1.0, 1.1)


@pytest.mark.parametrize("variant", range(3))
def test_a_close_up_face_is_kept_whole_when_headroom_cannot_fit(variant: int) -> None:
    close = FocusBox(0.35, 0.2, 0.3, 0.55)
    face = Box(close.x, close.y, close.w, close.h)
    window = cover_window(4000, 3000, 16 / 9, [close])
    assert window.contains(face)
    kb = ken_burns(4000, 3000, 16 / 9, [close], variant=variant)
    for view in views((4000, 3000), 16 / 9, kb):
        assert view.contains(face, tol=2e-3) and UNIT.contains(view)
