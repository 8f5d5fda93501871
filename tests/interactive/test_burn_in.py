"""The "mp4" fallback: interactions become text overlays on a linear video."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tests.interactive.interactive_helpers import tutorial
from tests.probe import frame_at, probe

from reelwright.draft.model import TrackType
from reelwright.render import OutputSpec, render
from reelwright.render.interactive import burn_in_draft, export
from reelwright.render.interactive.manifest import without_layers


def test_burn_in_draft_turns_items_into_labelled_overlays(clip_media):
    draft = tutorial(clip_media)
    flat = burn_in_draft(draft)
    assert flat.tracks_of(TrackType.INTERACTIVE) == []
    texts = [seg.m["text"] for track in flat.tracks_of(TrackType.TEXT) for seg in track.sg]
    assert "Skip ahead → 0:02" in texts
    assert "Docs → example.com/docs" in texts
    assert "Want the advanced part?\nYes → 0:02\nNo → the end" in texts
    assert "Thanks for watching\nSee you" in texts
    assert all(seg.end <= flat.d for _, seg in flat.all_segments())
    assert draft.tracks_of(TrackType.INTERACTIVE)  # the input is untouched


def test_burned_in_mp4_shows_the_question_over_the_video(clip_media, tmp_path: Path):
    draft = tutorial(clip_media)
    out = export(draft, clip_media, "mp4", tmp_path / "linear.mp4")
    facts = probe(out.path, count_frames=False)
    assert facts.vcodec == "h264" and abs(facts.duration - 3.0) < 0.08
    plain = render(without_layers(draft, drop_captions=False), clip_media,
                   OutputSpec(path=str(tmp_path / "plain.mp4"), quality="draft"))
    with_panel = frame_at(out.path, 1.5).astype(np.int16)
    without = frame_at(plain.path, 1.5).astype(np.int16)
    assert with_panel.mean() > 8  # not black
    # The question panel darkens and covers the middle of the picture.
    h, w, _ = with_panel.shape
    middle = (slice(h // 3, 2 * h // 3), slice(w // 4, 3 * w // 4))
    assert np.abs(with_panel[middle] - without[middle]).mean() > 25
