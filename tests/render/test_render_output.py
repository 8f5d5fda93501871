"""Real renders of tiny media, checked the way a person would: facts, frames, sound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests import probe
from tests.render.render_helpers import (
    audio_info,
    changed_fraction,
    do_render,
    draft,
    image_info,
    region_diff,
    video_info,
    visual,
)

from reelwright.draft import MediaInfo
from reelwright.errors import DraftInvalid
from reelwright.render import render
from reelwright.render.types import OutputSpec

pytestmark = pytest.mark.slow
W, H, FPS = 480, 270, 30
KB = {"z0": 1.0, "z1": 1.2, "x0": 0.4, "y0": 0.5, "x1": 0.6, "y1": 0.45}


@pytest.fixture(scope="module")
def media(make_photo, make_clip, make_tone) -> dict[str, MediaInfo]:  # type: ignore[no-untyped-def]
    return {
        "p1": image_info("p1", make_photo("r_p1.jpg", (640, 480), seed=1)),
        "p2": image_info("p2", make_photo("r_p2.jpg", (360, 640), seed=2)),
        "p3": image_info("p3", make_photo("r_p3.jpg", (800, 450), seed=3)),
        "c1": video_info("c1", make_clip("r_c1.mp4", seconds=3.0, size="320x240", fps=25),
                         3000, 320, 240),
        "mu": audio_info("mu", make_tone("r_music.wav", seconds=2.0, freq=220), 2000),
    }


def _slideshow(text: bool = True, music: bool = True):  # type: ignore[no-untyped-def]
    tracks = [visual(
        {"id": "a", "src": "p1", "st": 0, "d": 1500, "m": {"kb": KB}},
        {"id": "b", "src": "p2", "st": 1000, "d": 1500,
         "m": {"tr": {"n": "fade", "d": 500}, "kb": {"z0": 1.2, "z1": 1.0}}},
        {"id": "c", "src": "p3", "st": 2100, "d": 1200,
         "m": {"tr": {"n": "slideleft", "d": 400}}})]
    if music:
        tracks.append({"id": "m", "tt": 1, "m": {"role": "music"},
                       "sg": [{"id": "m1", "src": "mu", "st": 0, "d": 3300,
                               "m": {"vol": 0.5, "fo": 500}}]})
    if text:
        tracks.append({"id": "t", "tt": 7, "sg": [{"id": "t1", "st": 0, "d": 3300, "m": {
            "text": "Hello 世界", "role": "title", "fi": 0, "fo": 0}}]})
    return draft(W, H, 3300, tracks, bg="#000000")


@pytest.fixture(scope="module")
def slideshow(media, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("render") / "slideshow.mp4"
    result = do_render(_slideshow(), media, out)
    assert result.path == str(out) and result.size_bytes == out.stat().st_size
    return out


@pytest.fixture(scope="module")
def slideshow_no_text(media, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("render") / "plain.mp4"
    do_render(_slideshow(text=False), media, out)
    return out


def test_mp4_has_the_promised_stream_facts(slideshow: Path) -> None:
    facts = probe.probe(slideshow)
    assert facts.vcodec == "h264" and facts.profile == "High"
    assert facts.pix_fmt == "yuv420p"
    assert (facts.color_range, facts.color_space, facts.color_primaries, facts.color_trc) == (
        "tv", "bt709", "bt709", "bt709")
    assert (facts.width, facts.height) == (W, H)
    assert facts.fps == pytest.approx(FPS)
    assert facts.frames == 3300 * FPS // 1000
    assert abs(facts.duration - 3.3) <= 1 / FPS
    assert facts.acodec == "aac" and facts.channels == 2 and facts.sample_rate == 48000


def test_mp4_is_faststart(slideshow: Path) -> None:
    head = slideshow.read_bytes()[:200_000]
    assert 0 <= head.find(b"moov") < head.find(b"mdat")


def test_frames_are_never_black(slideshow: Path) -> None:
    for t in (0.0, 0.5, 1.2, 1.9, 2.4, 3.2):
        frame = probe.frame_at(slideshow, t)
        assert frame.mean() > 30 and frame.std() > 10, f"frame at {t}s looks empty"


def test_title_is_drawn_where_the_text_goes(slideshow: Path, slideshow_no_text: Path) -> None:
    with_text = probe.frame_at(slideshow, 0.5)
    without = probe.frame_at(slideshow_no_text, 0.5)
    assert changed_fraction(with_text, without, (0.3, 0.42, 0.4, 0.16)) > 0.08
    # the corners, far from the centred title, are the same picture
    assert changed_fraction(with_text, without, (0.0, 0.0, 0.2, 0.2)) < 0.01


def test_ken_burns_moves_the_picture(slideshow_no_text: Path) -> None:
    first, later = probe.frame_at(slideshow_no_text, 0.0), probe.frame_at(slideshow_no_text, 0.8)
    assert region_diff(first, later, (0, 0, 1, 1)) > 5


def test_music_is_normalised_near_the_target(slideshow: Path, ffmpeg_exe: str) -> None:
    from tests.render.render_helpers import ebur128_integrated, true_peak

    assert ebur128_integrated(ffmpeg_exe, slideshow) == pytest.approx(-14, abs=2.5)
    assert true_peak(ffmpeg_exe, slideshow) <= -0.5


def test_gap_shows_background_and_fades_start_from_it(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = draft(320, 180, 2000, [visual(
        {"id": "a", "src": "p1", "st": 0, "d": 800, "m": {"fi": 400}},
        {"id": "b", "src": "p3", "st": 1300, "d": 700})], bg="#2050C0")
    out = do_render(d, media, tmp_path / "gap.mp4").path
    first = probe.frame_at(out, 0.0).reshape(-1, 3).mean(axis=0)
    gap = probe.frame_at(out, 1.0).reshape(-1, 3).mean(axis=0)
    for colour in (first, gap):
        assert np.allclose(colour, (0x20, 0x50, 0xC0), atol=8), colour
    assert probe.probe(out).frames == 60


def test_clip_speed_in_point_and_foreign_rate(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a 25 fps 320x240 clip, 2x speed from 0.5 s, on a 24 fps 9:16 canvas, contain on bg
    d = draft(270, 480, 1000, [visual(
        {"id": "a", "src": "c1", "st": 0, "d": 1000, "in": 500,
         "m": {"speed": 2, "fit": "contain"}})], fps=24, bg="#FF0000")
    out = do_render(d, media, tmp_path / "clip.mp4").path
    facts = probe.probe(out)
    assert (facts.width, facts.height, facts.frames) == (270, 480, 24)
    assert facts.fps == pytest.approx(24)
    top = probe.frame_at(out, 0.5)[:40].reshape(-1, 3).mean(axis=0)
    assert np.allclose(top, (255, 0, 0), atol=25), "letterbox shows the bg colour"
    assert facts.acodec == "aac"
    # clip audio plays (the test clip carries a 440 Hz tone)
    sound = probe.audio_samples(out)
    assert probe.rms_db(sound[: 48000 // 2]) > -40


def test_blur_fill_is_not_flat(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = draft(270, 480, 500, [visual(
        {"id": "a", "src": "p3", "st": 0, "d": 500, "m": {"fit": "blur"}})], bg="#000000")
    out = do_render(d, media, tmp_path / "blur.mp4").path
    top_band = probe.frame_at(out, 0.2)[:60].astype(np.float32)
    assert top_band.mean() > 20 and top_band.std() > 3


def test_no_audio_still_gets_a_silent_aac_track(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = draft(320, 180, 1000, [visual({"id": "a", "src": "p1", "st": 0, "d": 1000})])
    out = do_render(d, media, tmp_path / "silent.mp4").path
    facts = probe.probe(out)
    assert facts.acodec == "aac" and abs(facts.duration - 1.0) <= 1 / 30
    assert probe.rms_db(probe.audio_samples(out)) < -80


def test_webm_is_vp9_and_opus(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = do_render(_slideshow(text=False), media, tmp_path / "s.webm", format="webm").path
    facts = probe.probe(out)
    assert (facts.vcodec, facts.acodec) == ("vp9", "opus")
    assert facts.frames == 99 and (facts.width, facts.height) == (W, H)


def test_gif_is_smaller_and_animated(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = draft(1280, 720, 1000, [visual({"id": "a", "src": "p1", "st": 0, "d": 1000,
                                         "m": {"kb": KB}})])
    result = do_render(d, media, tmp_path / "s.gif", format="gif")
    facts = probe.probe(result.path)
    assert facts.vcodec == "gif" and max(facts.width, facts.height) <= 480
    assert facts.frames == 15 and (result.w, result.h) == (facts.width, facts.height)


def test_poster_png_is_the_chosen_frame(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = _slideshow(text=False, music=False)
    result = do_render(d, media, tmp_path / "poster.png", format="png", poster_ms=3000)
    from PIL import Image

    with Image.open(result.path) as img:
        assert img.format == "PNG" and img.size == (W, H)
        poster = np.asarray(img.convert("RGB"))
    video = do_render(d, media, tmp_path / "ref.mp4", quality="max").path
    assert region_diff(poster, probe.frame_at(video, 3.0), (0, 0, 1, 1)) < 6
    assert region_diff(poster, probe.frame_at(video, 0.2), (0, 0, 1, 1)) > 10


def test_preview_renders_small(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = draft(1920, 1080, 500, [visual({"id": "a", "src": "p1", "st": 0, "d": 500})])
    result = do_render(d, media, tmp_path / "preview.mp4", preview=True, quality="max")
    facts = probe.probe(result.path)
    assert (facts.width, facts.height) == (854, 480) == (result.w, result.h)


def test_invalid_draft_is_refused_before_anything_runs(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = draft(320, 180, 1000, [visual({"id": "a", "src": "nope", "st": 0, "d": 1000})])
    with pytest.raises(DraftInvalid):
        render(d, media, OutputSpec(str(tmp_path / "x.mp4")))
    assert list(tmp_path.iterdir()) == []


def test_broken_media_fails_cleanly_and_leaves_no_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 definitely not a whole jpeg")
    media = {"b": MediaInfo("b", "image", str(broken), w=640, h=480)}
    d = draft(320, 180, 1000, [visual({"id": "a", "src": "b", "st": 0, "d": 1000})])
    out = tmp_path / "out" / "x.mp4"
    from reelwright.errors import RenderFailed

    with pytest.raises(RenderFailed) as caught:
        render(d, media, OutputSpec(str(out)))
    assert caught.value.stderr_tail and caught.value.command
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("suffix", ["jpg", "png"])
def test_still_colours_survive_the_bt709_conversion(tmp_path: Path, suffix: str) -> None:
    from PIL import Image

    path = tmp_path / f"flat.{suffix}"
    Image.new("RGB", (640, 360), (200, 60, 30)).save(path)
    media = {"f": image_info("f", path)}
    d = draft(320, 180, 500, [visual({"id": "a", "src": "f", "st": 0, "d": 500})])
    out = do_render(d, media, tmp_path / "flat.mp4", quality="max").path
    colour = probe.frame_at(out, 0.2)[40:140, 60:260].reshape(-1, 3).mean(axis=0)
    assert np.allclose(colour, (200, 60, 30), atol=8), colour
