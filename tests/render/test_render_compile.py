"""Compile rules that are easier to state than to snapshot, and the transition registry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests import probe
from tests.render.render_helpers import do_render, draft, image_info, region_diff, visual

from reelwright.draft import MediaInfo, vocab
from reelwright.render import compile_plan
from reelwright.render.compile import canvas_for
from reelwright.render.transitions import REGISTRY
from reelwright.render.types import OutputSpec

FONT = "/fonts/NotoSansCJKtc-Bold.otf"
FAKE = {f"p{i}": MediaInfo(f"p{i}", "image", f"/media/p{i}.jpg", w=800, h=600)
        for i in range(40)}


def test_every_draft_transition_is_registered() -> None:
    assert set(vocab.TRANSITIONS) <= set(REGISTRY)
    assert len(REGISTRY) >= 8


@pytest.mark.parametrize(("d", "fps", "frames"), [(1000, 30, 30), (1001, 30, 30),
                                                  (1017, 30, 31), (2500, 24, 60)])
def test_frame_count_is_duration_times_fps(d: int, fps: int, frames: int) -> None:
    dr = draft(320, 180, d, [visual({"id": "a", "src": "p0", "st": 0, "d": d})], fps=fps)
    plan = compile_plan(dr, FAKE, OutputSpec("/o.mp4"), font=FONT)
    assert plan.frames == frames
    assert f"-frames:v {frames}" in " ".join(plan.output_args)


def test_leading_and_trailing_gaps_are_background() -> None:
    dr = draft(320, 180, 3000, [visual({"id": "a", "src": "p0", "st": 1000, "d": 1000})],
               bg="#123456")
    graph = compile_plan(dr, FAKE, OutputSpec("/o.mp4"), font=FONT).graph
    assert graph.count("color=c=0x123456") == 2 and "trim=end_frame=30" in graph


def test_canvas_for_previews_and_gifs() -> None:
    vertical = draft(1080, 1920, 1000, [])
    assert canvas_for(vertical, OutputSpec("/o.mp4", preview=True)) .w == 480
    gif = canvas_for(vertical, OutputSpec("/o.gif", format="gif"))
    assert max(gif.w, gif.h) == 480 and gif.fps == 15
    assert canvas_for(vertical, OutputSpec("/o.mp4")).h == 1920


def test_compile_reads_no_files_and_names_no_absolute_aux_paths() -> None:
    dr = draft(320, 180, 1000, [
        visual({"id": "a", "src": "p0", "st": 0, "d": 1000}),
        {"id": "t", "tt": 7, "sg": [{"id": "x", "st": 0, "d": 1000, "m": {"text": "hi"}}]}])
    plan = compile_plan(dr, FAKE, OutputSpec("/o.mp4"), font=FONT)  # no such files: still fine
    assert "ass=text.ass:fontsdir=fonts" in plan.graph
    assert {aux.name for aux in plan.aux_files} == {"text.ass", "fonts/NotoSansCJKtc-Bold.otf"}


def test_every_transition_renders_with_exact_length(make_photo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Given one segment per registered transition, chained back to back
    media = {f"p{i}": image_info(f"p{i}", make_photo(f"tr{i}.jpg", (320, 180), seed=20 + i))
             for i in range(3)}
    names = sorted(REGISTRY)
    segs, st = [], 0
    for i, name in enumerate(["cut", *names]):
        seg = {"id": f"s{i}", "src": f"p{i % 3}", "st": st, "d": 400, "m": {}}
        if name != "cut":
            seg["m"] = {"tr": {"n": name, "d": 200}}
        segs.append(seg)
        st += 200
    total = st + 200
    out = do_render(draft(256, 144, total, [visual(*segs)]), media, tmp_path / "all.mp4").path
    # Then the video has exactly the frames of the timeline
    assert probe.probe(out).frames == total * 30 // 1000


def test_transitions_that_overlap_each_other_still_render(make_photo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    media = {f"p{i}": image_info(f"p{i}", make_photo(f"ov{i}.jpg", (320, 180), seed=40 + i))
             for i in range(3)}
    # the middle segment (600 ms) is shorter than its 400 ms in + 400 ms out transitions
    segs = visual({"id": "a", "src": "p0", "st": 0, "d": 1000},
                  {"id": "b", "src": "p1", "st": 600, "d": 600,
                   "m": {"tr": {"n": "fade", "d": 400}}},
                  {"id": "c", "src": "p2", "st": 800, "d": 1000,
                   "m": {"tr": {"n": "wipeup", "d": 400}}})
    out = do_render(draft(256, 144, 1800, [segs]), media, tmp_path / "ov.mp4").path
    assert probe.probe(out).frames == 54


def test_picture_in_picture_overlay_shows_in_its_box(make_photo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    media = {"base": image_info("base", make_photo("pip0.jpg", (320, 180), seed=50)),
             "pip": image_info("pip", make_photo("pip1.jpg", (320, 180), seed=51))}
    main = visual({"id": "a", "src": "base", "st": 0, "d": 1000})
    plain = do_render(draft(320, 180, 1000, [main]), media, tmp_path / "plain.mp4",
                      quality="max").path
    pip = {"id": "o", "tt": 0, "sg": [{"id": "b", "src": "pip", "st": 500, "d": 500,
                                       "m": {"box": [0.5, 0.5, 0.5, 0.5]}}]}
    both = do_render(draft(320, 180, 1000, [main, pip]), media, tmp_path / "pip.mp4",
                     quality="max").path
    early, late = probe.frame_at(both, 0.2), probe.frame_at(both, 0.8)
    ref_early, ref_late = probe.frame_at(plain, 0.2), probe.frame_at(plain, 0.8)
    assert region_diff(early, ref_early, (0, 0, 1, 1)) < 3          # not shown yet
    assert region_diff(late, ref_late, (0.55, 0.55, 0.4, 0.4)) > 10  # shown in its box
    assert region_diff(late, ref_late, (0, 0, 0.45, 0.45)) < 3      # and nowhere else
    assert np.asarray(late).shape == (180, 320, 3)
