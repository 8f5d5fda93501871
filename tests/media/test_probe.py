"""probe() decodes a file and reports what a person would check in a player."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from tests.media import media_samples as samples

from reelwright.errors import CorruptMedia, UnsupportedMedia
from reelwright.media.probe import probe


def test_clip_facts(make_clip: Callable[..., Path]) -> None:
    facts = probe(make_clip("probe_clip.mp4", seconds=2.0, size="320x240", fps=25))
    assert facts["kind"] == "video" and facts["format"] == "mp4"
    assert (facts["w"], facts["h"]) == (320, 240)
    assert facts["duration_ms"] == pytest.approx(2000, abs=60)
    assert facts["fps"] == pytest.approx(25)
    assert facts["vcodec"] == "h264" and facts["acodec"] == "aac"
    assert facts["has_video"] and facts["has_audio"]
    assert facts["vfr"] is False and facts["rotation"] == 0


def test_clip_without_audio(make_clip: Callable[..., Path]) -> None:
    facts = probe(make_clip("probe_silent.mp4", seconds=1.0, audio=False))
    assert facts["has_video"] and not facts["has_audio"] and facts["acodec"] is None


def test_rotated_clip_reports_displayed_size(tmp_path: Path,
                                             make_clip: Callable[..., Path]) -> None:
    plain = make_clip("probe_landscape.mp4", seconds=1.0, size="320x240", audio=False)
    turned = tmp_path / "turned.mp4"
    samples.run_ffmpeg("-display_rotation", "90", "-i", str(plain), "-c", "copy", str(turned))
    facts = probe(turned)
    assert facts["rotation"] == 90
    assert (facts["stored_w"], facts["stored_h"]) == (320, 240)
    assert (facts["w"], facts["h"]) == (240, 320)


def test_variable_frame_rate_is_flagged(tmp_path: Path) -> None:
    facts = probe(samples.vfr_clip(tmp_path / "vfr.mp4"))
    assert facts["vfr"] is True
    assert facts["duration_ms"] == pytest.approx(2000, abs=120)


def test_clip_creation_time_becomes_taken_at(tmp_path: Path) -> None:
    path = tmp_path / "dated.mov"
    samples.run_ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=0.5",
                       "-c:v", "libx264", "-metadata", "creation_time=2024-05-06T07:08:09Z",
                       str(path))
    facts = probe(path)
    assert facts["format"] == "mov"
    assert facts["taken_at"] == "2024-05-06T07:08:09+00:00"


@pytest.mark.parametrize("name,args,fmt,codec", [
    ("a.mp3", ["-c:a", "libmp3lame"], "mp3", "mp3"),
    ("a.wav", [], "wav", "pcm_s16le"),
    ("a.m4a", ["-c:a", "aac"], "m4a", "aac"),
    ("a.aac", ["-c:a", "aac", "-f", "adts"], "aac", "aac"),
])
def test_audio_only_files(tmp_path: Path, name: str, args: list[str], fmt: str,
                          codec: str) -> None:
    facts = probe(samples.audio(tmp_path / name, args, seconds=1.5))
    assert facts["kind"] == "audio" and facts["format"] == fmt
    assert facts["acodec"] == codec and facts["has_audio"] and not facts["has_video"]
    assert facts["duration_ms"] == pytest.approx(1500, abs=80)
    assert (facts["w"], facts["h"]) == (0, 0)


def test_photo_exif_orientation_and_taken_at(tmp_path: Path) -> None:
    facts = probe(samples.exif_rotated_jpeg(tmp_path / "turned.jpg", orientation=6))
    assert facts["orientation"] == 6
    assert (facts["stored_w"], facts["stored_h"]) == (320, 240)
    assert (facts["w"], facts["h"]) == (240, 320)
    assert facts["taken_at"] == "2023-07-14T18:30:05"


def test_animated_gif_is_a_short_clip(tmp_path: Path) -> None:
    facts = probe(samples.animated(tmp_path / "anim.gif", "GIF", frames=5, delay_ms=100))
    assert facts["kind"] == "video" and facts["animated"] is True
    assert facts["frames"] == 5 and facts["duration_ms"] == 500
    assert facts["fps"] == pytest.approx(10)


def test_still_gif_stays_an_image(tmp_path: Path) -> None:
    path = tmp_path / "still.gif"
    Image.new("P", (10, 10)).save(path)
    facts = probe(path)
    assert facts["kind"] == "image" and facts["animated"] is False


def test_text_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "script.txt"
    path.write_text("\ufeff第一幕\nScene two\n", encoding="utf-8")
    facts = probe(path)
    assert facts["kind"] == "text" and facts["chars"] == 14 and facts["lines"] == 2


def test_text_with_bad_utf8_later_on_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "script.txt"
    path.write_bytes(b"fine start\n" * 1000 + b"\xff\xfe broken")
    with pytest.raises(CorruptMedia, match="not valid UTF-8"):
        probe(path)


def test_truncated_mp4_is_corrupt(tmp_path: Path, make_clip: Callable[..., Path]) -> None:
    whole = make_clip("probe_whole.mp4", seconds=2.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(CorruptMedia, match="cut.mp4"):
        probe(cut)


def test_truncated_faststart_mp4_is_corrupt(tmp_path: Path,
                                            make_clip: Callable[..., Path]) -> None:
    # the index sits up front, so the file opens; the missing tail must still be noticed
    whole = make_clip("probe_whole2.mp4", seconds=3.0)
    fast = tmp_path / "fast.mp4"
    samples.run_ffmpeg("-i", str(whole), "-c", "copy", "-movflags", "+faststart", str(fast))
    cut = tmp_path / "fastcut.mp4"
    cut.write_bytes(fast.read_bytes()[: fast.stat().st_size * 6 // 10])
    assert probe(fast)["duration_ms"] == pytest.approx(3000, abs=60)
    with pytest.raises(CorruptMedia, match="cut short"):
        probe(cut)


def test_random_bytes_are_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "noise.mp4"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnsupportedMedia) as err:
        probe(path)
    assert "mp4" in err.value.message and "heic" in err.value.message
    assert err.value.code == 4001


def test_empty_file_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(UnsupportedMedia, match="empty"):
        probe(path)


@pytest.mark.parametrize("fmt,muxer,codec,vcodec", [
    ("avi", "avi", "mpeg4", "mpeg4"),
    ("webm", "webm", "libvpx", "vp8"),
    ("mkv", "matroska", "libx264", "h264"),
])
def test_other_containers(tmp_path: Path, fmt: str, muxer: str, codec: str,
                          vcodec: str) -> None:
    path = tmp_path / "clip.bin"
    samples.run_ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=1.5",
                       "-c:v", codec, "-f", muxer, str(path))
    facts = probe(path)
    assert (facts["format"], facts["vcodec"]) == (fmt, vcodec)
    assert (facts["w"], facts["h"]) == (160, 120)
    assert facts["duration_ms"] == pytest.approx(1500, abs=110)
    assert not facts["has_audio"]


def test_text_with_markup_past_the_head_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "script.txt"
    filler = "A plain sentence about the city at dawn.\n" * 3000  # ~120 KB: two chunks
    path.write_text(filler + "<iframe src='https://example.com'></iframe>\n", encoding="utf-8")
    with pytest.raises(UnsupportedMedia, match=r"markup \(found '<iframe'\)"):
        probe(path, name="script.txt")
