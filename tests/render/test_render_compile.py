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
from reelwright.render.compile_audio import QUICK_LIMIT, limiter
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


def test_live_preview_is_360p_at_most_15_fps_ultrafast_without_a_loudness_pass() -> None:
    song = {"id": "m", "tt": 1, "m": {"role": "music"},
            "sg": [{"id": "s", "src": "song", "st": 0, "d": 2000, "m": {"role": "music"}}]}
    media = {**FAKE, "song": MediaInfo("song", "audio", "/media/song.wav", has_audio=True,
                                       duration_ms=5000)}
    wide = draft(1920, 1080, 2000, [visual({"id": "a", "src": "p0", "st": 0, "d": 2000}), song],
                 fps=30)
    live = OutputSpec("/o.mp4", quality="high", live=True)
    assert (canvas_for(wide, live).w, canvas_for(wide, live).h, canvas_for(wide, live).fps) == \
        (640, 360, 15)
    tall = draft(1080, 1920, 1000, [], fps=24)
    assert (canvas_for(tall, live).w, canvas_for(tall, live).h) == (360, 640)
    square = draft(1080, 1080, 1000, [], fps=12)
    assert (canvas_for(square, live).w, canvas_for(square, live).fps) == (360, 12)
    plan = compile_plan(wide, media, live, font=FONT)
    args = " ".join(plan.output_args)
    assert "-preset ultrafast" in args and "-frames:v 30" in args
    # the live preview only limits peaks; an export is raised by its measured gain and limited
    # oversampled (render.loudness), never by dynamic loudnorm
    oversampled = limiter()[0]
    assert QUICK_LIMIT in plan.graph and oversampled not in plan.graph
    exported = compile_plan(wide, media, OutputSpec("/o.mp4"), font=FONT, gain_db=-3.0).graph
    assert oversampled in exported and "volume=-3.00dB" in exported
    assert QUICK_LIMIT not in exported and "loudnorm" not in plan.graph + exported


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


def test_photos_are_decoded_and_fitted_once_in_the_preparation_pass() -> None:
    # Given two photos, one with Ken Burns (its work frame is taller than the canvas)
    kb = {"z0": 1.0, "z1": 1.2, "x0": 0.5, "y0": 0.4, "x1": 0.5, "y1": 0.6}
    dr = draft(1920, 1080, 2000, [visual({"id": "a", "src": "p0", "st": 0, "d": 1000,
                                          "m": {"kb": kb}},
                                         {"id": "b", "src": "p1", "st": 1000, "d": 1000})])
    # When compiled
    plan = compile_plan(dr, FAKE, OutputSpec("/o.mp4"), font=FONT)
    # Then preparation passes read the photos and write one raw frame each: first the one the
    # main graph opens, then (beside the render) the one only the motion lane reads ...
    eager, lazy = plan.prepare
    assert (eager.lazy, lazy.lazy) == (False, True)
    assert [one[-1] for one in eager.inputs] == ["/media/p1.jpg"]
    assert [one[-1] for one in lazy.inputs] == ["/media/p0.jpg"]
    assert [name for _, name in eager.outputs + lazy.outputs] == ["still1.yuv", "still0.yuv"]
    assert {"prepare0.txt", "prepare1.txt"} <= {aux.name for aux in plan.files()}
    # ... the moving one at its working size, drawn into a motion lane outside ffmpeg ...
    (lane,) = plan.motion
    (moving,) = lane.stills
    assert moving.file == "still0.yuv" and moving.w == 1920 and moving.h > 1080
    assert (lane.w, lane.h, lane.frames) == (1920, 1080, 30)
    # ... and the main graph opens only the lane and the still frame, never the JPEGs
    main_inputs = [" ".join(one) for one in plan.inputs]
    assert not any(".jpg" in one for one in main_inputs)
    assert {(one[-1], one[one.index("-video_size") + 1]) for one in plan.inputs} == {
        ("motion0.yuv", "1920x1080"), ("still1.yuv", "1920x1080")}
    assert "scale=" not in plan.graph and "perspective=" not in plan.graph


def test_a_draft_without_photos_has_no_preparation_pass() -> None:
    dr = draft(320, 180, 1000, [])
    assert compile_plan(dr, FAKE, OutputSpec("/o.mp4"), font=FONT).prepare == ()


def test_many_photos_are_prepared_in_batches() -> None:
    # one ffmpeg decodes all the photos of its batch at once: a long slideshow must not
    # hold hundreds of decoded 12 MP pictures in one process
    segs = [{"id": f"s{i}", "src": f"p{i}", "st": i * 500, "d": 500} for i in range(20)]
    plan = compile_plan(draft(320, 180, 10000, [visual(*segs)]), FAKE, OutputSpec("/o.mp4"),
                        font=FONT)
    assert [len(one.outputs) for one in plan.prepare] == [8, 8, 4]
    names = [name for one in plan.prepare for _, name in one.outputs]
    assert names == [f"still{i}.yuv" for i in range(20)]
    assert len({one.graph_file for one in plan.prepare}) == 3


@pytest.mark.parametrize(("name", "plane_by_plane", "middle", "tolerance"), [
    ("fade", True, (128, 0, 128), 25),     # red and blue mixed half and half
    ("fadeblack", False, (0, 0, 60), 30),  # a dark dip (blue rising), not green: chroma
])                                         # black is 128, not a grey plane's 0
def test_crossfades_keep_their_colours(name: str, plane_by_plane: bool,
                                       middle: tuple[int, int, int], tolerance: int,
                                       tmp_path: Path) -> None:
    # Given a red and a blue picture joined by a 1 s transition
    from PIL import Image

    media = {}
    for key, colour in (("r", (255, 0, 0)), ("b", (0, 0, 255))):
        Image.new("RGB", (320, 180), colour).save(tmp_path / f"{key}.png")
        media[key] = image_info(key, tmp_path / f"{key}.png")
    d = draft(320, 180, 3000, [visual({"id": "a", "src": "r", "st": 0, "d": 2000},
                                      {"id": "b", "src": "b", "st": 1000, "d": 2000,
                                       "m": {"tr": {"n": name, "d": 1000}}})])
    # When compiled, Then colour-neutral transitions run on the 4:2:0 planes directly
    plan = compile_plan(d, media, OutputSpec("/o.mp4"), font=FONT)
    assert ("extractplanes" in plan.graph) is plane_by_plane
    assert ("format=yuv444p" in plan.graph) is not plane_by_plane
    # And when rendered, the middle of the transition has the expected colour
    out = do_render(d, media, tmp_path / f"{name}.mp4", quality="max").path
    pixel = [int(v) for v in probe.frame_at(out, 1.5)[90, 160]]
    assert pixel == pytest.approx(middle, abs=tolerance)
    assert [int(v) for v in probe.frame_at(out, 2.5)[90, 160]] == pytest.approx((0, 0, 255),
                                                                             abs=25)


def test_a_web_output_is_drawn_smaller_and_capped_but_never_larger() -> None:
    dr = draft(1920, 1080, 1000, [visual({"id": "a", "src": "p0", "st": 0, "d": 1000})])
    web = compile_plan(dr, FAKE, OutputSpec("/o.mp4", scale=2 / 3, max_kbps=1500), font=FONT)
    assert (web.canvas.w, web.canvas.h) == (1280, 720)
    args = " ".join(web.output_args)
    assert "-maxrate 1500k -bufsize 1500k" in args
    plain = compile_plan(dr, FAKE, OutputSpec("/o.mp4", scale=1.5), font=FONT)
    assert (plain.canvas.w, plain.canvas.h) == (1920, 1080)  # scale above 1 is ignored
    assert "-maxrate" not in " ".join(plain.output_args)
