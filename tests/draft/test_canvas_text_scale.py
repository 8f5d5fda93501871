"""Reshaping the canvas keeps text the same size relative to the short side."""

from __future__ import annotations

from reelwright.draft import from_json
from reelwright.draft.ops import apply_op


def titled(w: int, h: int, size: float) -> object:
    return from_json({"w": w, "h": h, "d": 3000, "t": [
        {"id": "x", "tt": 7, "sg": [{"id": "t", "st": 0, "d": 3000, "m": {
            "text": "Summer", "role": "title", "style": {"size": size}}}]},
        {"id": "y", "tt": 7, "sg": [{"id": "u", "st": 0, "d": 1000, "m": {"text": "plain"}}]}]})


def test_vertical_shrinks_height_relative_sizes_and_back_restores_them() -> None:
    # Given a 16:9 title at 96 (px at 1080 high)
    wide = titled(1920, 1080, 96)
    # When it becomes 9:16, Then its size drops by 1080/1920 so its em stays 96 px
    tall = apply_op(wide, "set_canvas", {"aspect": "9:16"})
    assert (tall.w, tall.h) == (1080, 1920)
    assert tall.t[0].sg[0].m["style"]["size"] == 54
    # And a text without an explicit size keeps following its role default
    assert "style" not in tall.t[1].sg[0].m
    # And back to 16:9 restores it; a square keeps 16:9's scale (short side = height)
    assert apply_op(tall, "set_canvas", {"aspect": "16:9"}).t[0].sg[0].m["style"]["size"] == 96
    assert apply_op(wide, "set_canvas", {"aspect": "1:1"}).t[0].sg[0].m["style"]["size"] == 96
    assert wide.t[0].sg[0].m["style"]["size"] == 96  # the input draft is untouched
