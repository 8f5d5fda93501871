"""Ken Burns motion lanes: the view maths, the native warp against OpenCV, and the runner
feeding lanes to ffmpeg through named pipes (errors, early stops, cancel)."""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from tests import probe
from tests.conftest import need
from tests.render.render_helpers import do_render, draft, image_info, visual

from reelwright.errors import RenderCancelled, RenderFailed
from reelwright.render import compile_plan, motion, resolve_font, runner
from reelwright.render.kenburns import KenBurns, Move, View, sharp_density, view_at
from reelwright.render.plan import MotionLane, MotionStill
from reelwright.render.types import OutputSpec


def _texture(h: int, w: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (h // 8 + 2, w // 8 + 2)).astype(np.float32)
    import cv2

    return np.clip(cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC), 0, 255).astype(
        np.uint8)


def _planes(w: int, h: int, seed: int = 1) -> motion.Planes:
    buf = np.empty(motion.frame_bytes(w, h), np.uint8)
    y, u, v = motion.split_planes(buf, w, h)
    y[:] = _texture(h, w, seed)
    u[:] = _texture(u.shape[0], u.shape[1], seed + 1)
    v[:] = _texture(v.shape[0], v.shape[1], seed + 2)
    return y, u, v


def test_a_move_starts_and_ends_exactly_where_asked() -> None:
    # Given a zoom from 1 to 1.2 panning right over a work frame of density 1.2
    move = Move(frames=61, z0=1.0, z1=1.2, start=(1152, 648), end=(1300, 600), density=1.2)
    first, last = (view_at(move, i, 2304, 1296, 1920, 1080) for i in (0, 60))
    # Then the first view is the whole frame (1.2 work px per output px) ...
    assert first == View(0.0, 0.0, pytest.approx(1.2))
    # ... the last is 1:1 and centred on the end point, and zoom grows geometrically
    assert last.step == pytest.approx(1.0)
    assert (last.left + 960, last.top + 540) == pytest.approx((1300, 600))
    middle = view_at(move, 30, 2304, 1296, 1920, 1080)
    assert middle.step == pytest.approx(1.2 / 1.2 ** 0.5)
    # and no view ever leaves the work frame
    for i in range(61):
        v = view_at(move, i, 2304, 1296, 1920, 1080)
        assert v.left >= 0 and v.top >= 0
        assert v.left + 1920 * v.step <= 2304 + 1e-9 and v.top + 1080 * v.step <= 1296 + 1e-9


def test_density_keeps_the_deepest_zooms_detail_but_never_invents_any() -> None:
    kb = KenBurns(1.0, 1.3)
    assert sharp_density(4000, 3000, 1920, 1080, kb) == pytest.approx(1.3)
    # a small photo has no more detail to keep; a deep zoom is capped (bilinear would alias)
    assert sharp_density(1600, 1200, 1920, 1080, kb) == 1.0
    assert sharp_density(8000, 6000, 1920, 1080, KenBurns(1.0, 3.0)) == pytest.approx(1.5)


def test_native_warp_is_built_here() -> None:
    need(motion.native(), "the C extension reelwright.render._warp was not built "
                          "(no C compiler at install time); OpenCV draws the frames instead")


@pytest.mark.parametrize("step", [1.0, 0.8731, 1.0, 1.1837, 1.5])
def test_native_warp_matches_opencv(step: float) -> None:
    need(motion.native(), "the native warp is not built")
    still = _planes(700, 400, seed=3)
    view = View(left=13.37, top=7.21, step=step)
    w, h = int((700 - 16) / step) // 2 * 2, int((400 - 10) / step) // 2 * 2
    ours, theirs = (motion.split_planes(np.empty(motion.frame_bytes(w, h), np.uint8), w, h)
                    for _ in range(2))
    motion.warp(still, view, ours)
    motion.warp(still, view, theirs, use_native=False)
    for a, b in zip(ours, theirs, strict=True):
        diff = np.abs(a.astype(int) - b.astype(int))[:-1, :-1]
        assert diff.max() <= 3 and diff.mean() < 0.6


def test_a_centred_zoom_keeps_the_centre_still() -> None:
    # Given a dot in the exact centre of a still and a zoom around it
    w, h = 64, 36
    still = motion.split_planes(np.full(motion.frame_bytes(w, h), 128, np.uint8), w, h)
    still[0][16:20, 30:34] = 250
    out = motion.split_planes(np.empty(motion.frame_bytes(w, h), np.uint8), w, h)
    centres = []
    for step in (1.0, 0.9, 0.75, 0.6):
        left, top = 32 - 32 * step, 18 - 18 * step
        motion.warp(still, View(left, top, step), out)
        ys, xs = np.nonzero(out[0] > 189)
        weights = out[0][ys, xs].astype(float)
        centres.append((np.average(xs, weights=weights), np.average(ys, weights=weights)))
    # Then the dot stays centred (pixel centres line up) while it grows
    for cx, cy in centres:
        assert (cx, cy) == pytest.approx((31.5, 17.5), abs=0.05)


def test_a_plane_too_small_for_the_native_warp_falls_back() -> None:
    still = motion.split_planes(np.full(motion.frame_bytes(2, 2), 77, np.uint8), 2, 2)
    out = motion.split_planes(np.empty(motion.frame_bytes(2, 2), np.uint8), 2, 2)
    motion.warp(still, View(0.0, 0.0, 1.0), out)  # chroma planes are 1x1
    assert all(int(p.min()) == 77 == int(p.max()) for p in out)


def _ken_burns(make_photo, ms: int = 2000, size: tuple[int, int] = (320, 180)):  # type: ignore[no-untyped-def]
    photo = make_photo("motion.jpg", (800, 600), seed=5)
    media = {"p": image_info("p", photo)}
    kb = {"z0": 1.0, "z1": 1.2, "x0": 0.5, "y0": 0.5, "x1": 0.6, "y1": 0.4}
    d = draft(size[0], size[1], ms, [visual({"id": "a", "src": "p", "st": 0, "d": ms,
                                             "m": {"kb": kb}})])
    return d, media


def test_a_broken_still_fails_the_render_with_a_clear_error(make_photo, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            ffmpeg_exe: str) -> None:
    # Given a plan whose lane reads a prepared still of the wrong size
    d, media = _ken_burns(make_photo)
    plan = compile_plan(d, media, OutputSpec(str(tmp_path / "out.mp4")), font=resolve_font())
    lane = plan.motion[0]
    still = dataclasses.replace(lane.stills[0], w=lane.stills[0].w + 2)
    plan = dataclasses.replace(plan, motion=(dataclasses.replace(lane, stills=(still,)),))
    # When run, Then it fails naming the still, and no output is claimed
    with pytest.raises(RenderFailed, match="still0.yuv"):
        runner.run(plan, ffmpeg=ffmpeg_exe, workdir=tmp_path / "work")


def test_a_poster_frame_stops_reading_the_lane_early(make_photo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Given a Ken Burns still: the poster needs only the frame at 0.5 s of 2 s
    d, media = _ken_burns(make_photo)
    # When the poster is rendered, Then ffmpeg closing the lane early is not an error
    result = do_render(d, media, tmp_path / "poster.png", format="png", poster_ms=500)
    assert Path(result.path).stat().st_size > 1000


def test_cancel_stops_ffmpeg_and_the_lane_writers(make_photo, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  ffmpeg_exe: str) -> None:
    d, media = _ken_burns(make_photo, ms=60000, size=(1280, 720))
    plan = compile_plan(d, media, OutputSpec(str(tmp_path / "long.mp4"), quality="high"),
                        font=resolve_font())
    cancel = threading.Event()
    timer = threading.Timer(1.5, cancel.set)
    timer.start()
    started = time.monotonic()
    with pytest.raises(RenderCancelled):
        runner.run(plan, ffmpeg=ffmpeg_exe, cancel=cancel, workdir=tmp_path / "work")
    timer.cancel()
    assert time.monotonic() - started < 15
    assert not [t for t in threading.enumerate() if t.name.startswith("motion-")]


def test_a_lane_render_is_a_real_moving_video(make_photo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d, media = _ken_burns(make_photo)
    result = do_render(d, media, tmp_path / "kb.mp4")
    facts = probe.probe(result.path)
    assert facts.frames == 60 and facts.pix_fmt == "yuv420p"
    first, last = probe.frame_at(result.path, 0.0), probe.frame_at(result.path, 1.95)
    assert first.mean() > 10 and last.mean() > 10
    assert np.abs(first.astype(int) - last.astype(int)).mean() > 3  # it moved


def test_lane_stills_are_prepared_beside_the_render_in_growing_batches() -> None:
    from reelwright.draft import MediaInfo

    media = {f"p{i}": MediaInfo(f"p{i}", "image", f"/media/p{i}.jpg", w=4000, h=3000)
             for i in range(10)}
    kb = {"z0": 1.0, "z1": 1.1, "x0": 0.5, "y0": 0.5, "x1": 0.5, "y1": 0.5}
    segments = [{"id": f"s{i}", "src": f"p{i}", "st": i * 2000, "d": 2000, "m": {"kb": kb}}
                for i in range(10)]
    plan = compile_plan(draft(1280, 720, 20000, [visual(*segments)]), media,
                        OutputSpec("/o.mp4"), font="/f/font.otf")
    # the first lane frame waits for one photo only; later batches decode more at once
    assert all(one.lazy for one in plan.prepare)
    assert [len(one.outputs) for one in plan.prepare] == [1, 2, 4, 3]


def test_a_photo_that_cannot_be_decoded_fails_the_render(make_photo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Given a Ken Burns slideshow whose third photo is corrupt (prepared beside the render)
    good = [image_info(f"p{i}", make_photo(f"ok{i}.jpg", (640, 480), seed=i)) for i in range(2)]
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 200)
    from reelwright.draft import MediaInfo

    media = {one.id: one for one in good} | {
        "p2": MediaInfo("p2", "image", str(bad), name="broken.jpg", w=640, h=480)}
    kb = {"z0": 1.0, "z1": 1.1, "x0": 0.5, "y0": 0.5, "x1": 0.5, "y1": 0.5}
    segments = [{"id": f"s{i}", "src": f"p{i}", "st": i * 1000, "d": 1000, "m": {"kb": kb}}
                for i in range(3)]
    out = tmp_path / "broken.mp4"
    # When rendered, Then it fails with ffmpeg's reason and leaves no file behind
    with pytest.raises(RenderFailed):
        do_render(draft(320, 180, 3000, [visual(*segments)]), media, out)
    assert not out.exists()
    assert not [t for t in threading.enumerate() if t.name in ("prepare",) or
                t.name.startswith("motion-")]


def test_without_the_native_warp_opencv_draws_the_same_video(make_photo, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch) -> None:
    # Given an install where the C extension could not be built
    d, media = _ken_burns(make_photo)
    native = do_render(d, media, tmp_path / "native.mp4", quality="max").path
    monkeypatch.setattr(motion, "_warp", None)
    fallback = do_render(d, media, tmp_path / "fallback.mp4", quality="max").path
    # Then the render still works and shows the same moving picture
    def diff(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.abs(a.astype(int) - b.astype(int)).mean())

    for at in (0.1, 1.0, 1.9):  # same frame: warps within 3 levels, then x264's own rounding
        assert diff(probe.frame_at(native, at), probe.frame_at(fallback, at)) < 3
    assert diff(probe.frame_at(native, 0.1), probe.frame_at(fallback, 1.9)) > 10


@pytest.mark.parametrize("weight", [0.0, 1 / 30, 0.5, 29 / 30, 1.0])
def test_a_cross_fade_frame_is_blended_in_the_same_pass(weight: float) -> None:
    # Given two stills and a frame that already shows the first
    w, h = 318, 180
    first, second = _planes(400, 240, seed=4), _planes(400, 240, seed=9)
    a, b = View(11.3, 7.7, 1.09), View(30.2, 21.6, 0.93)
    ours, theirs = (motion.split_planes(np.empty(motion.frame_bytes(w, h), np.uint8), w, h)
                    for _ in range(2))
    for out in (ours, theirs):
        motion.warp(first, a, out)
    # When the second is blended in, natively and by OpenCV
    motion.warp(second, b, ours, weight=weight)
    motion.warp(second, b, theirs, weight=weight, use_native=False)
    # Then both show first * (1 - weight) + second * weight
    drawn = motion.split_planes(np.empty(motion.frame_bytes(w, h), np.uint8), w, h)
    motion.warp(second, b, drawn)
    expected = motion.split_planes(np.empty(motion.frame_bytes(w, h), np.uint8), w, h)
    motion.warp(first, a, expected)
    for mine, cv, top, under in zip(ours, theirs, drawn, expected, strict=True):
        mix = under * (1 - weight) + top.astype(float) * weight
        assert np.abs(mine - mix).max() <= 1.01  # 1/256 weight steps, one rounding
        assert np.abs(cv.astype(int) - mine.astype(int))[:-1, :-1].max() <= 3


def _lane(tmp_path: Path, w: int, h: int, frames: int) -> MotionLane:
    """Two stills in the work folder, panning, with a cross-fade between them."""
    stills = []
    for n, seed in enumerate((2, 6)):
        planes = _planes(w + 40, h + 24, seed=seed)
        np.concatenate([p.ravel() for p in planes]).tofile(tmp_path / f"still{n}.yuv")
        move = Move(frames, 1.0, 1.1, ((w + 40) / 2, (h + 24) / 2), ((w + 40) / 2 + 9, h / 2),
                    density=1.1)
        stills.append(MotionStill(f"still{n}.yuv", w + 40, h + 24, move,
                                  overlap=frames // 3 if n else 0))
    return MotionLane("lane.yuv", w, h, tuple(stills))


@pytest.mark.parametrize("size", [(64, 36), (1280, 720)])
def test_frames_through_the_pipe_arrive_as_drawn_however_slow_the_reader(
        tmp_path: Path, size: tuple[int, int]) -> None:
    # Given a lane written into its named pipe (spliced by reference where it can be)
    w, h = size
    lane = _lane(tmp_path, w, h, frames=40)
    expected = [frame.copy() for frame in motion.lane_frames(lane, tmp_path)]
    writer = motion.LaneWriter(lane, tmp_path)
    writer.start()
    # When a slow reader takes the frames in uneven bites
    got = bytearray()
    with open(tmp_path / lane.file, "rb") as pipe:
        while chunk := pipe.read(motion.frame_bytes(w, h) // 3 + 1):
            got += chunk
            time.sleep(0.002)
    writer.close()
    # Then every frame arrives exactly as drawn: none was drawn over before it was read
    assert writer.error is None
    frame = motion.frame_bytes(w, h)
    assert len(got) == frame * len(expected)
    for n, want in enumerate(expected):
        assert bytes(got[n * frame:(n + 1) * frame]) == want.tobytes(), f"frame {n}"


def test_a_sandbox_that_refuses_vmsplice_gets_written_frames(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need(motion.native(), "the native module (and its splice) is not built")
    import errno

    def refuse(fd: int, data: memoryview) -> None:
        raise OSError(errno.ENOSYS, "vmsplice refused")

    monkeypatch.setattr(motion._warp, "splice", refuse)
    lane = _lane(tmp_path, 64, 36, frames=12)
    expected = b"".join(frame.tobytes() for frame in motion.lane_frames(lane, tmp_path))
    writer = motion.LaneWriter(lane, tmp_path)
    writer.start()
    with open(tmp_path / lane.file, "rb") as pipe:
        got = pipe.read()
    writer.close()
    assert writer.error is None and got == expected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness")
def test_the_lane_writer_is_as_nice_as_the_ffmpeg_it_feeds(tmp_path: Path) -> None:
    import os

    lane = _lane(tmp_path, 1280, 720, frames=6)  # more than a pipe-full: the writer waits
    writer = motion.LaneWriter(lane, tmp_path, nice=4)
    writer.start()
    with open(tmp_path / lane.file, "rb") as pipe:
        first = pipe.read(motion.frame_bytes(1280, 720))
        assert writer.thread.native_id is not None
        nice = os.getpriority(os.PRIO_PROCESS, writer.thread.native_id)
        pipe.read()
    writer.close()
    assert first and writer.error is None
    assert nice == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 4)
    assert os.getpriority(os.PRIO_PROCESS, 0) != nice  # the process itself is left as it was
