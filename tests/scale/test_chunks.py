"""Splitting a draft into chunks (pure): where cuts may go, and what each chunk draft holds."""

from __future__ import annotations

from typing import Any

from reelwright.draft import TrackType, from_json
from reelwright.render.chunks import (
    choose_boundaries,
    cut_points,
    split,
    video_only,
)
from reelwright.render.compile import compile_plan
from reelwright.render.types import OutputSpec


def seg(sid: str, st: int, d: int, src: str | None = "m", **m: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": sid, "st": st, "d": d, "m": m}
    if src:
        out["src"] = src
    return out


def make(*tracks: dict[str, Any], d: int = 8000, fps: int = 30) -> Any:
    return from_json({"v": 1, "w": 320, "h": 240, "fps": fps, "d": d, "m": {}, "t": list(tracks)})


MAIN = {"id": "v", "tt": 0, "sg": [
    seg("a", 0, 2000), seg("b", 2000, 2000),
    seg("c", 3500, 2500, tr={"n": "fade", "d": 500}),  # crossfade: 3500 is not a cut
    seg("e", 6000, 2000)]}


def test_cuts_are_hard_cuts_only_never_inside_a_transition() -> None:
    assert cut_points(make(MAIN)) == [2000, 6000]


def test_overlay_and_text_fades_block_a_cut_but_text_bodies_do_not() -> None:
    overlay = {"id": "o", "tt": 0, "sg": [seg("pip", 1500, 1000)]}
    assert cut_points(make(MAIN, overlay)) == [6000]
    fading = {"id": "t", "tt": 7, "sg": [seg("t1", 5800, 1000, None, text="hi")]}
    assert cut_points(make(MAIN, fading)) == [2000]  # 6000 is inside its 300 ms fade in
    long_text = {"id": "t", "tt": 7, "sg": [seg("t1", 1000, 6000, None, text="hi")]}
    assert cut_points(make(MAIN, long_text)) == [2000, 6000]


def test_cuts_must_land_exactly_on_a_frame() -> None:
    track = {"id": "v", "tt": 0, "sg": [seg("a", 0, 1010), seg("b", 1010, 2000)]}
    assert cut_points(make(track, d=3010)) == []  # 1010 ms is frame 30.3 at 30 fps
    track = {"id": "v", "tt": 0, "sg": [seg("a", 0, 1200), seg("b", 1200, 2000)]}
    assert cut_points(make(track, d=3200)) == [1200]


def test_boundaries_are_near_equal_shares_and_respect_the_minimum() -> None:
    points = [1000, 2000, 3000, 4000, 5000, 6000, 7000]
    assert choose_boundaries(points, 8000, 2) == [4000]
    assert choose_boundaries(points, 8000, 4) == [2000, 4000, 6000]
    assert choose_boundaries([500, 7600], 8000, 2, min_ms=1000) == []


def test_chunks_cover_every_frame_once_and_carry_only_the_picture() -> None:
    text = {"id": "t", "tt": 7, "sg": [
        seg("t1", 1000, 6000, None, text="spans", fi=200, fo=400,
            words=[[0, 900, "one"], [900, 1400, "two"], [4000, 5000, "three"]])]}
    music = {"id": "a", "tt": 1, "sg": [seg("mu", 0, 8000, "song")]}
    draft = make(MAIN, text, music)
    parts = split(draft, 2)
    assert parts.boundaries_ms == [2000]
    assert sum(c.frames for c in parts.chunks) == parts.total_frames == 240
    first, second = parts.chunks
    assert (first.start_frame, first.frames, second.start_frame) == (0, 60, 60)
    for chunk in parts.chunks:
        assert not chunk.draft.tracks_of(TrackType.AUDIO)
        assert all(s.m.get("mute") for s in chunk.draft.tracks_of(TrackType.VISUAL)[0].sg)
    assert [s.id for s in second.draft.tracks_of(TrackType.VISUAL)[0].sg] == ["b", "c", "e"]
    assert second.draft.tracks_of(TrackType.VISUAL)[0].sg[0].st == 0
    head = first.draft.tracks_of(TrackType.TEXT)[0].sg[0]
    tail = second.draft.tracks_of(TrackType.TEXT)[0].sg[0]
    assert (head.st, head.d, head.m["fi"], head.m["fo"]) == (1000, 1000, 200, 0)
    assert (tail.st, tail.d, tail.m["fi"], tail.m["fo"]) == (0, 5000, 0, 400)
    assert head.m["words"] == [[0, 900, "one"], [900, 1000, "two"]]
    assert tail.m["words"] == [[0, 400, "two"], [3000, 4000, "three"]]
    assert parts.audio is draft  # the sound pass mixes the whole timeline
    assert draft.tracks_of(TrackType.AUDIO)  # the caller's draft is untouched


def test_interactive_or_cutless_drafts_stay_whole() -> None:
    single = {"id": "v", "tt": 0, "sg": [seg("a", 0, 8000)]}
    assert len(split(make(single), 4).chunks) == 1
    buttons = {"id": "i", "tt": 8, "sg": [seg("btn", 0, 1000, None, kind="button")]}
    assert len(split(make(MAIN, buttons), 2).chunks) == 1


def test_video_only_plan_maps_no_sound_and_drains_the_audio_branch() -> None:
    from reelwright.draft import MediaInfo

    media = {"m": MediaInfo("m", "image", "/x/m.jpg", w=640, h=480, has_video=True)}
    chunk = split(make(MAIN), 2).chunks[0]
    plan = video_only(compile_plan(chunk.draft, media, OutputSpec("/o.mp4", quality="draft"),
                                   font="/f/Font.otf"))
    assert len(plan.maps) == 1 and "-c:a" not in plan.output_args
    assert plan.output_args[-2:] == ("-f", "mp4") and "-an" in plan.output_args
    assert plan.graph.rstrip().endswith("anullsink")
    assert plan.frames == 60
