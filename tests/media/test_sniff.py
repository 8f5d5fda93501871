"""Sniffing names a file's format from its first bytes, whatever the file is called."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from tests.media import media_samples as samples

from reelwright.media.sniff import (
    HEAD_BYTES,
    SUPPORTED_FORMATS,
    Sniffed,
    markup_found,
    sniff,
    supported_formats_message,
)


def head(path: Path) -> bytes:
    return path.read_bytes()[:HEAD_BYTES]


@pytest.fixture(scope="module")
def real_files(tmp_path_factory: pytest.TempPathFactory,
               make_photo: Callable[..., Path]) -> dict[str, Path]:
    """One real file per supported format, each saved under a misleading name."""
    d = tmp_path_factory.mktemp("sniff")
    files: dict[str, Path] = {"jpg": make_photo("sniff.jpg", (64, 48))}
    for fmt, pil in (("png", "PNG"), ("gif", "GIF"), ("webp", "WEBP")):
        Image.new("RGB", (8, 8), (1, 2, 3)).save(d / f"{fmt}.bin", format=pil)
        files[fmt] = d / f"{fmt}.bin"
    files["heic"] = samples.heic_photo(d / "heic.bin", (64, 48))
    clip = ["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=0.5"]
    samples.run_ffmpeg(*clip, "-c:v", "libx264", "-f", "mp4", str(d / "mp4.bin"))
    samples.run_ffmpeg(*clip, "-c:v", "libx264", "-f", "mov", str(d / "mov.bin"))
    samples.run_ffmpeg(*clip, "-c:v", "mpeg4", "-f", "avi", str(d / "avi.bin"))
    samples.run_ffmpeg(*clip, "-c:v", "libvpx", "-f", "webm", str(d / "webm.bin"))
    samples.run_ffmpeg(*clip, "-c:v", "libx264", "-f", "matroska", str(d / "mkv.bin"))
    samples.audio(d / "mp3.bin", ["-c:a", "libmp3lame", "-f", "mp3"], 0.5)
    samples.audio(d / "wav.bin", ["-f", "wav"], 0.5)
    samples.audio(d / "m4a.bin", ["-c:a", "aac", "-f", "ipod"], 0.5)
    samples.audio(d / "aac.bin", ["-c:a", "aac", "-f", "adts"], 0.5)
    for fmt in ("mp4", "mov", "avi", "webm", "mkv", "mp3", "wav", "m4a", "aac"):
        files[fmt] = d / f"{fmt}.bin"
    files["txt"] = d / "txt.bin"
    files["txt"].write_text("Scene 1: a sunrise over the harbour.\n", encoding="utf-8")
    return files


@pytest.mark.parametrize("fmt", SUPPORTED_FORMATS)
def test_every_supported_format_is_recognised_from_real_bytes(
        fmt: str, real_files: dict[str, Path]) -> None:
    # Given a real file of that format saved as "<fmt>.bin" (the name says nothing)
    # When its first bytes are sniffed
    found = sniff(head(real_files[fmt]))
    # Then the format is named and the kind follows from it
    assert found is not None and found.format == fmt
    expected_kind = {"jpg": "image", "png": "image", "gif": "image", "webp": "image",
                     "heic": "image", "txt": "text", "mp3": "audio", "wav": "audio",
                     "m4a": "audio", "aac": "audio"}.get(fmt, "video")
    assert found.kind == expected_kind


def test_mp3_with_id3_tag_is_mp3(tmp_path: Path) -> None:
    path = samples.audio(tmp_path / "x", ["-c:a", "libmp3lame", "-metadata", "title=Song",
                                          "-id3v2_version", "3", "-f", "mp3"], 0.5)
    assert path.read_bytes().startswith(b"ID3")
    assert sniff(head(path)) == Sniffed("audio", "mp3")


@pytest.mark.parametrize("text", [
    "plain ascii\n",
    "\ufeffwith a byte order mark\n",
    "中文脚本：城市的早晨。\nÉmojis 🎬 too\n",
])
def test_utf8_text_is_text(text: str) -> None:
    assert sniff(text.encode("utf-8")) == Sniffed("text", "txt")


def test_text_cut_mid_character_at_the_head_boundary_is_still_text() -> None:
    data = ("日本語" * 2000).encode("utf-8")  # 3 bytes a character
    assert len(data) > HEAD_BYTES and HEAD_BYTES % 3 != 0
    assert sniff(data[:HEAD_BYTES]) == Sniffed("text", "txt")


@pytest.mark.parametrize("data", [
    b"",
    os.urandom(4096),
    b"\x00\x01\x02\x03binary",
    b"Latin-1 caf\xe9 is not UTF-8",
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",  # AVIF: ISO-BMFF, not accepted
])
def test_unaccepted_bytes_sniff_as_nothing(data: bytes) -> None:
    assert sniff(data) is None


def test_zip_is_not_recognised() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert sniff(buffer.getvalue()) is None


def test_brands_separate_heic_mp4_mov_m4a() -> None:
    def ftyp(major: bytes, *compatible: bytes) -> bytes:
        body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
        return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body

    assert sniff(ftyp(b"heic", b"mif1", b"heic")) == Sniffed("image", "heic")
    assert sniff(ftyp(b"mif1", b"mif1", b"heic")) == Sniffed("image", "heic")
    assert sniff(ftyp(b"isom", b"isom", b"avc1")) == Sniffed("video", "mp4")
    assert sniff(ftyp(b"qt  ", b"qt  ")) == Sniffed("video", "mov")
    assert sniff(ftyp(b"M4A ", b"M4A ", b"mp42")) == Sniffed("audio", "m4a")


def test_message_lists_every_format() -> None:
    message = supported_formats_message()
    assert all(fmt in message for fmt in SUPPORTED_FORMATS)


@pytest.mark.parametrize(("text", "found"), [
    ("<!doctype html><p>hi", "an HTML page (found '<!doctype')"),
    ("\n  <html lang='en'>", "an HTML page (found '<html')"),
    ("<!-- note --><body onload=x()>", "an HTML page (found '<body')"),
    ("<svg><script>alert(1)</script></svg>", "an SVG image with a <script> (found '<svg')"),
    ("<?php echo 1; ?>", "PHP source (found '<?php')"),
    ("Text first, then <  iframe src=x>", "markup (found '< iframe')"),
])
def test_markup_is_named_and_not_text(text: str, found: str) -> None:
    assert markup_found(text) == found
    assert sniff(text.encode()) is None


@pytest.mark.parametrize("text", ["3 < 4 and 5 > 2\n", "I <3 this\n", "a <- b\n",
                                  "Intro\n<p>not at the start</p>\n", "x<y\n"])
def test_angle_brackets_in_prose_are_text(text: str) -> None:
    assert markup_found(text) is None
    assert sniff(text.encode()) == Sniffed("text", "txt")
