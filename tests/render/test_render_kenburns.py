"""Ken Burns: smooth (sub-pixel) motion, aimed where the draft says, on the cover-fit view."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from tests import probe
from tests.render.render_helpers import do_render, draft, image_info, visual

from reelwright.draft import MediaInfo
from reelwright.render import compile_plan, resolve_font, runner
from reelwright.render.kenburns import KenBurns, cover_layout
from reelwright.render.types import OutputSpec

SMOOTHNESS_LIMIT = 0.06  # the target; zoompan measures about 0.17 and more


def smoothness(frames: list[np.ndarray]) -> float:
    """Coefficient of variation of the mean absolute frame-to-frame difference."""
    diffs = np.array([np.mean(np.abs(a - b)) for a, b in zip(frames, frames[1:], strict=False)])
    return float(diffs.std() / diffs.mean())


def _lossless(plan_out: Path, d, media, ffmpeg: str) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    """Run the real compiled graph, but store frames losslessly: we measure the motion the
    renderer draws, not the noise a lossy encoder adds on top of it."""
    plan = compile_plan(d, media, OutputSpec(str(plan_out)), font=resolve_font())
    plan = dataclasses.replace(plan, output_args=("-c:v", "ffv1", "-c:a", "pcm_s16le",
                                                  "-f", "nut"))
    runner.run(plan, ffmpeg=ffmpeg)
    return probe.frames(plan_out)


def test_cover_layout_crops_only_what_the_motion_needs() -> None:
    # a 12 MP 4:3 photo on a 1080p canvas, gentle centred zoom
    lay = cover_layout(4000, 3000, 1920, 1080, KenBurns(1.0, 1.15))
    assert (lay.work_w, lay.work_h) == (1920, 1080)
    cw, ch, cx, cy = lay.crop
    assert (cw, cx) == (4000, 0) and abs(ch - 2250) <= 2 and abs(cy - 375) <= 2
    assert lay.start == pytest.approx((960, 540), abs=1)


def test_zoom_is_smooth_and_smoother_than_zoompan(make_photo, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  ffmpeg_exe: str) -> None:
    photo = make_photo("kb_texture.jpg", (1600, 1200), seed=7)
    media = {"p": image_info("p", photo)}
    kb = {"z0": 1.0, "z1": 1.15, "x0": 0.49, "y0": 0.5, "x1": 0.51, "y1": 0.49}
    d = draft(640, 360, 3000, [visual({"id": "a", "src": "p", "st": 0, "d": 3000,
                                       "m": {"kb": kb}})])
    ours = smoothness(_lossless(tmp_path / "kb.nut", d, media, ffmpeg_exe))
    print(f"smoothness (CV) ours={ours:.4f}")
    assert ours <= SMOOTHNESS_LIMIT

    # the same zoom with zoompan (whole-pixel steps), measured the same way, fails the bar
    zoompan = tmp_path / "zoompan.nut"
    subprocess.run([ffmpeg_exe, "-v", "error", "-y", "-i", str(photo), "-vf",
                    "scale=640:480,crop=640:360,zoompan=z='1+0.15*on/89':"
                    "x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=90:s=640x360:fps=30",
                    "-frames:v", "90", "-c:v", "ffv1", "-f", "nut", str(zoompan)], check=True)
    assert smoothness(probe.frames(zoompan)) > 2 * SMOOTHNESS_LIMIT


def test_zoom_lands_on_the_requested_point(tmp_path: Path) -> None:
    # Given a grey photo with a red dot at (0.75, 0.3) of the source
    path = tmp_path / "dot.png"
    img = Image.new("RGB", (800, 600), (128, 128, 128))
    ImageDraw.Draw(img).ellipse((600 - 12, 180 - 12, 600 + 12, 180 + 12), fill=(255, 0, 0))
    img.save(path)
    media: dict[str, MediaInfo] = {"p": image_info("p", path)}
    kb = {"z0": 1.0, "z1": 2.5, "x0": 0.5, "y0": 0.5, "x1": 0.75, "y1": 0.3}
    d = draft(320, 180, 1000, [visual({"id": "a", "src": "p", "st": 0, "d": 1000,
                                       "m": {"kb": kb}})])
    # When rendered, Then the last frame is centred on the dot, the first is not
    out = do_render(d, media, tmp_path / "aim.mp4", quality="max").path
    last, first = probe.frame_at(out, 0.99), probe.frame_at(out, 0.0)
    assert tuple(last[90, 160]) == pytest.approx((255, 0, 0), abs=40)
    assert tuple(first[90, 160]) == pytest.approx((128, 128, 128), abs=20)


@pytest.mark.parametrize("size", [(2400, 1600), (3000, 2000), (2700, 1800)])
def test_ken_burns_on_common_photo_sizes(size: tuple[int, int], make_photo,  # type: ignore[no-untyped-def]
                                         tmp_path: Path) -> None:
    # Given a common camera size whose cover crop spans the full width at 16:9
    photo = make_photo(f"kb_{size[0]}x{size[1]}.jpg", size, seed=3)
    media = {"p": image_info("p", photo)}
    kb = {"z0": 1.0, "z1": 1.15, "x0": 0.5, "y0": 0.5, "x1": 0.55, "y1": 0.45}
    d = draft(1920, 1080, 200, [visual({"id": "a", "src": "p", "st": 0, "d": 200,
                                        "m": {"kb": kb}})])
    # When rendered at 1080p (the photo is decoded at full size), Then it renders (no crop
    # wider than the photo) and is not black
    out = do_render(d, media, tmp_path / "kb.mp4", quality="draft").path
    assert probe.frame_at(out, 0.1).mean() > 10


def _slideshow(n: int, ms: int, fade_ms: int, w: int, h: int) -> dict:  # type: ignore[type-arg]
    kb = [{"z0": 1.0, "z1": 1.15, "x0": 0.5, "y0": 0.5, "x1": 0.55, "y1": 0.45},
          {"z0": 1.15, "z1": 1.0, "x0": 0.45, "y0": 0.5, "x1": 0.5, "y1": 0.5}]
    segments = [{"id": f"s{i}", "src": f"p{i}", "st": i * (ms - fade_ms), "d": ms,
                 "m": {"kb": kb[i % 2], **({"tr": {"n": "fade", "d": fade_ms}} if i else {})}}
                for i in range(n)]
    return draft(w, h, n * ms - (n - 1) * fade_ms, [visual(*segments)])


def test_a_crossfaded_slideshow_is_one_motion_lane() -> None:
    # Given ten Ken Burns photos with 1 s crossfades
    media = {f"p{i}": MediaInfo(f"p{i}", "image", f"/media/p{i}.jpg", w=4000, h=3000)
             for i in range(10)}
    d = _slideshow(10, 3900, 1000, 1920, 1080)
    # When compiled, Then one motion lane draws them all, cross-fades included: nothing is
    # left for ffmpeg to split, cross-fade or concatenate
    plan = compile_plan(d, media, OutputSpec("/o.mp4"), font="/f/font.otf")
    (lane,) = plan.motion
    assert [s.file for s in lane.stills] == [f"still{i}.yuv" for i in range(10)]
    assert [s.overlap for s in lane.stills] == [0] + [30] * 9
    assert lane.frames == plan.frames == 900
    for absent in ("perspective=", "xfade=", "split=", "concat="):
        assert absent not in plan.graph
    # and each photo keeps the detail of its deepest zoom (1.15): sampled, never magnified
    first = lane.stills[0]
    assert first.move.density == pytest.approx(1.15)
    assert first.w == 2208 and first.h >= 1242  # 1080 * 1.15, and taller for the pan


def test_a_wipe_between_ken_burns_photos_stays_with_ffmpeg() -> None:
    media = {f"p{i}": MediaInfo(f"p{i}", "image", f"/media/p{i}.jpg", w=4000, h=3000)
             for i in range(3)}
    d = _slideshow(3, 2000, 500, 1280, 720)
    d.t[0].sg[1].m["tr"] = {"n": "wipeleft", "d": 500}
    plan = compile_plan(d, media, OutputSpec("/o.mp4"), font="/f/font.otf")
    # photo 0 is alone before the wipe; photos 1 and 2 cross-fade inside one lane
    assert sorted(len(lane.stills) for lane in plan.motion) == [1, 2]
    assert "transition=wipeleft" in plan.graph and "transition=fade" not in plan.graph


def test_a_cross_fade_inside_a_lane_blends_the_two_photos(tmp_path: Path) -> None:
    # Given a red and a blue photo, still (zoom 1), cross-faded over 0.5 s
    paths = []
    for name, colour in (("red", (200, 40, 40)), ("blue", (40, 40, 200))):
        path = tmp_path / f"{name}.png"
        Image.new("RGB", (640, 360), colour).save(path)
        paths.append(path)
    media = {f"p{i}": image_info(f"p{i}", path) for i, path in enumerate(paths)}
    still = {"z0": 1.0, "z1": 1.0, "x0": 0.5, "y0": 0.5, "x1": 0.5, "y1": 0.5}
    d = draft(320, 180, 1500, [visual(
        {"id": "a", "src": "p0", "st": 0, "d": 1000, "m": {"kb": still}},
        {"id": "b", "src": "p1", "st": 500, "d": 1000,
         "m": {"kb": still, "tr": {"n": "fade", "d": 500}}})])
    assert len(compile_plan(d, media, OutputSpec("/o.mp4"), font="/f/f.otf").motion) == 1
    # When rendered
    out = do_render(d, media, tmp_path / "fade.mp4", quality="max").path
    # Then it is red, then half and half in the middle of the fade, then blue
    red, mid, blue = (probe.frame_at(out, t)[90, 160].astype(int) for t in (0.3, 0.75, 1.3))
    assert red[0] > 150 and blue[2] > 150
    assert tuple(mid) == pytest.approx(tuple((red + blue) / 2), abs=16)
    assert len(probe.frames(out)) == 45


def test_photos_sharing_a_lane_change_exactly_at_their_cuts(
        make_photo, tmp_path: Path, ffmpeg_exe: str) -> None:  # type: ignore[no-untyped-def]
    # Given three different photos cut one after another: one motion lane moves all three
    media = {f"p{i}": image_info(f"p{i}", make_photo(f"lane{i}.jpg", (800, 600), seed=20 + i))
             for i in range(3)}
    d = _slideshow(3, 1500, 0, 320, 180)
    plan = compile_plan(d, media, OutputSpec("/o.mp4"), font=resolve_font())
    assert len(plan.motion) == 1 and len(plan.motion[0].stills) == 3
    # When rendered losslessly
    frames = [f.astype(np.float32) for f in _lossless(tmp_path / "lane.nut", d, media,
                                                         ffmpeg_exe)]
    # Then every frame is there, and the picture changes photo exactly at the cuts (frames
    # 45 and 90): no frame of the next photo shows early, none of the last one late
    assert len(frames) == 135
    steps = [float(np.abs(b - a).mean()) for a, b in zip(frames, frames[1:], strict=False)]
    cuts = sorted(range(len(steps)), key=steps.__getitem__)[-2:]
    assert sorted(i + 1 for i in cuts) == [45, 90]
    motion = sorted(steps)[len(steps) // 2]
    assert all(step < 4 * motion for i, step in enumerate(steps) if i + 1 not in (45, 90))
