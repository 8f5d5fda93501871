"""Undo / redo history: labels, redo cleared by a new edit, bounded depth, JSON round trip."""

from __future__ import annotations

import json

import pytest

from reelwright.draft import Draft, History, MediaInfo, apply_op, dumps
from reelwright.errors import OperationInvalid


def test_undo_redo_walks_the_edits(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    # Given a history with two edits
    history = History(slideshow)
    quiet = apply_op(slideshow, "set_volume", {"role": "music", "volume": 0.1}, media)
    history.push(quiet, "quieter music")
    short = apply_op(quiet, "set_duration", {"duration_ms": 8000}, media)
    history.push(short, "8 seconds")
    assert history.labels() == ["start", "quieter music", "8 seconds"]
    assert history.undo_label == "8 seconds" and history.redo_label is None
    # When undoing twice, then redoing once
    assert dumps(history.undo()) == dumps(quiet)
    assert dumps(history.undo()) == dumps(slideshow)
    assert not history.can_undo and history.redo_label == "quieter music"
    assert dumps(history.redo()) == dumps(quiet)
    # Then a new edit drops what could be redone
    history.push(apply_op(quiet, "set_canvas", {"aspect": "1:1"}, media), "square")
    assert not history.can_redo and history.current.w == history.current.h == 1080


def test_nothing_to_undo_or_redo_is_a_clear_error(slideshow: Draft) -> None:
    history = History(slideshow)
    with pytest.raises(OperationInvalid, match="nothing to undo"):
        history.undo()
    with pytest.raises(OperationInvalid, match="nothing to redo"):
        history.redo()
    assert dumps(history.current) == dumps(slideshow)


def test_snapshots_are_isolated_from_later_mutation(slideshow: Draft) -> None:
    history = History(slideshow)
    slideshow.t[0].sg[0].d = 1  # the caller mutates its draft afterwards
    current = history.current
    current.w = 2
    assert history.current.t[0].sg[0].d == 3000 and history.current.w == 1920


def test_depth_is_bounded(slideshow: Draft) -> None:
    history = History(slideshow, limit=3)
    for n in range(10):
        edited = slideshow.copy()
        edited.fps = 10 + n
        history.push(edited, f"fps {10 + n}")
    assert history.labels() == ["fps 16", "fps 17", "fps 18", "fps 19"]
    for _ in range(3):
        history.undo()
    assert history.current.fps == 16 and not history.can_undo


def test_json_round_trip(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    history = History(slideshow)
    history.push(apply_op(slideshow, "set_fit", {"target": "all", "fit": "blur"}, media), "blur")
    history.push(apply_op(slideshow, "set_fit", {"target": "all", "fit": "contain"}, media),
                 "contain")
    history.undo()
    saved = json.loads(json.dumps(history.to_json()))
    restored = History.from_json(saved)
    assert restored.labels() == history.labels() and restored.redo_label == "contain"
    assert dumps(restored.current) == dumps(history.current)
    assert dumps(restored.redo()) == dumps(history.redo())
