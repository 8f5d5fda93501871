"""Thumbnails: small upright JPEGs a person can recognise the media by."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tests.media import media_samples as samples

from reelwright.draft.media import MediaInfo
from reelwright.media.ingest import ingest
from reelwright.media.thumbnails import make_thumbnail


def ingested(path: Path, out: Path) -> MediaInfo:
    return ingest(path, media_id="med_th", name=path.name, out_dir=out, analyse=False)


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        assert image.format == "JPEG"
        return np.asarray(image.convert("RGB")).astype(int)


def test_photo_thumbnail_is_small_and_upright(tmp_path: Path) -> None:
    info = ingested(samples.exif_rotated_jpeg(tmp_path / "p.jpg", orientation=6), tmp_path)
    thumb = make_thumbnail(info, tmp_path / "thumbs" / "p.jpg", max_side=160)
    rgb = pixels(thumb)
    assert rgb.shape[:2] == (160, 120)  # portrait, as displayed
    top_right = rgb[:10, -10:]
    assert (top_right[..., 0] - top_right[..., 1]).mean() > 100  # the red marker


def test_clip_thumbnail_is_the_middle_frame(tmp_path: Path) -> None:
    # a clip that is dark for its first second and bright for its second
    path = tmp_path / "dark_then_bright.mp4"
    samples.run_ffmpeg("-f", "lavfi", "-i", "color=c=black:size=320x240:rate=25:duration=1",
                       "-f", "lavfi", "-i", "color=c=white:size=320x240:rate=25:duration=1.2",
                       "-filter_complex", "[0][1]concat=n=2:v=1", "-c:v", "libx264",
                       "-pix_fmt", "yuv420p", "-preset", "ultrafast", str(path))
    info = ingested(path, tmp_path)
    rgb = pixels(make_thumbnail(info, tmp_path / "clip.jpg"))
    assert rgb.shape[:2] == (240, 320)
    assert rgb.mean() > 200  # the middle (1.1 s) is in the bright part, not frame 0


def test_rotated_clip_thumbnail_is_portrait(tmp_path: Path,
                                            make_clip: Callable[..., Path]) -> None:
    turned = tmp_path / "turned.mp4"
    samples.run_ffmpeg("-display_rotation", "90", "-i",
                       str(make_clip("thumb_src.mp4", seconds=1.0, audio=False)),
                       "-c", "copy", str(turned))
    rgb = pixels(make_thumbnail(ingested(turned, tmp_path), tmp_path / "t.jpg"))
    assert rgb.shape[:2] == (320, 240)
    assert rgb.std() > 20  # testsrc2 pattern, not a blank frame
    # ffmpeg's own autorotation of the same moment is the reference for "upright"
    reference = tmp_path / "ref.png"
    samples.run_ffmpeg("-ss", "0.5", "-i", str(turned), "-frames:v", "1", str(reference))
    ref = pixels_any(reference)
    assert ref.shape == rgb.shape
    assert np.abs(ref - rgb).mean() < 12
    assert np.abs(ref[::-1, ::-1] - rgb).mean() > 2 * np.abs(ref - rgb).mean()


def pixels_any(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_animated_gif_thumbnail(tmp_path: Path) -> None:
    info = ingested(samples.animated(tmp_path / "a.gif", "GIF", frames=5), tmp_path)
    rgb = pixels(make_thumbnail(info, tmp_path / "a.jpg"))
    assert rgb.shape[:2] == (64, 96)  # never enlarged past the source
    assert abs(rgb[..., 0].mean() - 80) < 15  # frame 2 of 5: red = 40 * 2


@pytest.mark.parametrize("name,args", [("song.mp3", ["-c:a", "libmp3lame"]),
                                       ("song.wav", [])])
def test_audio_card_draws_the_waveform(tmp_path: Path, name: str, args: list[str]) -> None:
    info = ingested(samples.audio(tmp_path / name, args, seconds=1.0), tmp_path)
    rgb = pixels(make_thumbnail(info, tmp_path / "a.jpg", max_side=200))
    assert rgb.shape[:2] == (112, 200)
    lit = (rgb[..., 2] > 150).mean(axis=0)  # share of each column the blue wave covers
    assert (lit > 0.5).mean() > 0.8  # a steady tone fills the card across


def test_text_card(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("Scene one\nScene two\n", encoding="utf-8")
    rgb = pixels(make_thumbnail(ingested(script, tmp_path), tmp_path / "s.jpg"))
    assert rgb.shape[:2] == (180, 320) and (rgb > 180).any()


def test_a_chinese_script_card_shows_its_characters_not_boxes(tmp_path: Path) -> None:
    def card(name: str, text: str) -> np.ndarray:
        script = tmp_path / f"{name}.txt"
        script.write_text(text, encoding="utf-8")
        return pixels(make_thumbnail(ingested(script, tmp_path), tmp_path / f"{name}.jpg"))

    sunrise, night = card("a", "第一幕：海边日出\n"), card("b", "第二幕：城市夜景\n")
    # a line of characters no font has: what a box-drawing card looks like for 8 characters
    boxes = card("boxes", "\U0010fffd" * 8 + "\n")
    assert (sunrise > 180).any() and (night > 180).any()

    def unlike(one: np.ndarray, other: np.ndarray) -> float:
        return float(np.abs(one - other)[:30].mean())  # the band of the first line

    # with boxes for every Chinese character, two lines of the same length draw alike (0.0);
    # drawn with the CJK font they differ by about 8 and from the boxes by about 15
    assert unlike(sunrise, night) > 3 and unlike(sunrise, boxes) > 3 and unlike(night, boxes) > 3
