"""ingest() turns any accepted upload into MediaInfo, and refuses the rest clearly."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tests.media import media_samples as samples

from reelwright.draft.media import MediaInfo
from reelwright.errors import CorruptMedia, MediaError, MediaTooLarge, UnsupportedMedia
from reelwright.media.ingest import ingest
from reelwright.media.sniff import SUPPORTED_FORMATS


def run(path: Path, out: Path, **kw: object) -> MediaInfo:
    return ingest(path, media_id="med_t1", name=path.name, out_dir=out, **kw)  # type: ignore[arg-type]


def red_corner(image: Image.Image) -> str:
    """Which corner holds the red marker of samples.marked_photo."""
    rgb = np.asarray(image.convert("RGB")).astype(int)
    h, w = rgb.shape[:2]
    corners = {"top-left": rgb[: h // 10, : w // 10], "top-right": rgb[: h // 10, -w // 10:],
               "bottom-left": rgb[-h // 10:, : w // 10], "bottom-right": rgb[-h // 10:, -w // 10:]}
    redness = {k: float((v[..., 0] - v[..., 1]).mean()) for k, v in corners.items()}
    return max(redness, key=lambda k: redness[k])


def test_plain_photo_is_kept_in_place_with_focus(tmp_path: Path,
                                                 make_photo: Callable[..., Path]) -> None:
    photo = make_photo("ingest_plain.jpg", (640, 480))
    info = run(photo, tmp_path / "out")
    assert info.kind == "image" and info.format == "jpg"
    assert info.path == str(photo) and not (tmp_path / "out").exists()
    assert (info.w, info.h) == (640, 480)
    assert info.size_bytes == photo.stat().st_size and info.name == "ingest_plain.jpg"
    assert info.focus and info.focus[-1].kind == "saliency"
    assert MediaInfo.from_json(info.to_json()) == info


def test_exif_rotated_photo_is_written_upright(tmp_path: Path) -> None:
    # Given a 320x240 JPEG whose EXIF says "rotate 90 degrees clockwise to view"
    source = samples.exif_rotated_jpeg(tmp_path / "phone.jpg", orientation=6)
    assert red_corner(Image.open(source)) == "top-left"
    # When it is ingested
    info = run(source, tmp_path / "out")
    # Then a portrait copy exists with the marker where a viewer sees it
    assert (info.w, info.h) == (240, 320)
    assert info.path == str(tmp_path / "out" / "med_t1.jpg")
    with Image.open(info.path) as upright:
        assert upright.size == (240, 320)
        assert upright.getexif().get(0x0112, 1) == 1
        assert red_corner(upright) == "top-right"
    assert info.extra["orientation"] == 6 and info.taken_at == "2023-07-14T18:30:05"


def test_heic_becomes_jpeg(tmp_path: Path) -> None:
    source = samples.heic_photo(tmp_path / "IMG_0001.HEIC", (320, 240))
    info = run(source, tmp_path / "out")
    assert info.format == "heic" and info.kind == "image"
    assert info.path.endswith("med_t1.jpg")
    with Image.open(info.path) as jpeg:
        assert jpeg.format == "JPEG" and jpeg.size == (320, 240)
        assert red_corner(jpeg) == "top-left"
    assert info.extra["original_format"] == "heic"


@pytest.mark.parametrize("size", [(1, 1), (4001, 3), (3, 4001)])
def test_odd_sizes(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "odd.png"
    Image.new("RGB", size, (200, 100, 50)).save(path)
    info = run(path, tmp_path / "out")
    assert (info.w, info.h) == size and info.format == "png"


def test_animated_gif_is_an_animated_clip(tmp_path: Path) -> None:
    info = run(samples.animated(tmp_path / "a.gif", "GIF", frames=4, delay_ms=250),
               tmp_path / "out")
    assert info.kind == "video" and info.animated and info.duration_ms == 1000
    assert info.has_video and not info.has_audio and info.focus == ()


def test_animated_webp_is_an_animated_clip(tmp_path: Path) -> None:
    info = run(samples.animated(tmp_path / "a.webp", "WEBP", frames=3, delay_ms=200),
               tmp_path / "out")
    assert info.kind == "video" and info.animated and info.duration_ms == 600


def test_clip_facts_and_rotation(tmp_path: Path, make_clip: Callable[..., Path]) -> None:
    plain = make_clip("ingest_clip.mp4", seconds=1.0, audio=True)
    turned = tmp_path / "turned.mov"
    samples.run_ffmpeg("-display_rotation", "-90", "-i", str(plain), "-c", "copy", str(turned))
    info = run(turned, tmp_path / "out")
    assert info.kind == "video" and info.format == "mov" and info.path == str(turned)
    assert (info.w, info.h) == (240, 320) and info.extra["rotation"] == 270
    assert info.vcodec == "h264" and info.acodec == "aac" and info.has_audio
    assert info.duration_ms == pytest.approx(1000, abs=60)


def test_vfr_clip_is_flagged(tmp_path: Path) -> None:
    info = run(samples.vfr_clip(tmp_path / "vfr.mp4"), tmp_path / "out")
    assert info.extra["vfr"] is True and info.fps is not None


def test_mp4_with_only_sound_is_audio(tmp_path: Path) -> None:
    path = samples.audio(tmp_path / "voice.mp4", ["-c:a", "aac", "-f", "mp4"], 1.0)
    info = run(path, tmp_path / "out")
    assert info.kind == "audio" and info.has_audio and not info.has_video


def test_png_named_mp4_is_a_png(tmp_path: Path) -> None:
    path = tmp_path / "holiday.mp4"
    Image.new("RGB", (32, 16), (9, 9, 9)).save(path, format="PNG")
    info = run(path, tmp_path / "out")
    assert info.kind == "image" and info.format == "png" and (info.w, info.h) == (32, 16)


def test_text_named_jpg_is_text(tmp_path: Path) -> None:
    path = tmp_path / "script.jpg"
    path.write_text("Our product in three scenes.\n1. Problem\n2. Fix\n", encoding="utf-8")
    info = run(path, tmp_path / "out")
    assert info.kind == "text" and info.format == "txt"
    assert info.extra["chars"] == len(path.read_text(encoding="utf-8"))


def test_zip_named_jpg_is_unsupported_and_lists_formats(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff" + bytes(100))
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnsupportedMedia) as err:
        run(path, tmp_path / "out")
    assert all(fmt in err.value.message for fmt in SUPPORTED_FORMATS)
    assert (err.value.code, err.value.http_status) == (4001, 415)
    assert not (tmp_path / "out").exists()


def test_jpeg_with_garbage_after_the_header_is_corrupt(tmp_path: Path,
                                                      make_photo: Callable[..., Path]) -> None:
    good = make_photo("ingest_good.jpg", (320, 240)).read_bytes()
    sos = good.index(b"\xff\xda")  # start of scan: the header ends here
    path = tmp_path / "broken.jpg"
    path.write_bytes(good[: sos + 12] + bytes(range(256))[::7] * 3)
    with pytest.raises(CorruptMedia, match="broken.jpg"):
        run(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_truncated_mp4_is_corrupt(tmp_path: Path, make_clip: Callable[..., Path]) -> None:
    whole = make_clip("ingest_whole.mp4", seconds=2.0)
    path = tmp_path / "upload.mp4"
    path.write_bytes(whole.read_bytes()[:3000])
    with pytest.raises(CorruptMedia) as err:
        run(path, tmp_path / "out")
    assert "MP4" in err.value.message and isinstance(err.value, MediaError)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("w,h,says", [(12000, 9000, "12000x9000 is 108 MP.*at most 100 MP"),
                                      (20000, 20000, "too large.*at most 100 MP")])
def test_huge_image_is_refused_before_decoding(tmp_path: Path, w: int, h: int,
                                               says: str) -> None:
    path = samples.huge_png_header(tmp_path / "bomb.png", w, h)
    with pytest.raises(MediaTooLarge, match="^bomb.png .*" + says) as err:
        run(path, tmp_path / "out")
    assert (err.value.code, err.value.http_status) == (4002, 413)
    assert not (tmp_path / "out").exists()


def test_analyse_off_skips_focus(tmp_path: Path, make_photo: Callable[..., Path]) -> None:
    info = run(make_photo("ingest_nofocus.jpg", (320, 240)), tmp_path / "out", analyse=False)
    assert info.focus == ()


def test_cmyk_jpeg_is_rewritten_as_rgb(tmp_path: Path) -> None:
    path = tmp_path / "print.jpg"
    Image.new("CMYK", (64, 48), (0, 200, 200, 0)).save(path, format="JPEG")
    info = run(path, tmp_path / "out")
    with Image.open(info.path) as rgb:
        assert rgb.mode == "RGB" and info.path != str(path)
        r, g, b = rgb.getpixel((32, 24))
        assert r > 150 and g < 100 and b < 100  # still red after conversion


def test_transparent_png_turned_by_exif_stays_transparent(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    image = Image.new("RGBA", (40, 20), (255, 0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 8
    image.save(path, exif=exif)
    info = run(path, tmp_path / "out")
    assert info.path.endswith("med_t1.png") and (info.w, info.h) == (20, 40)
    with Image.open(info.path) as out:
        assert out.mode == "RGBA" and out.size == (20, 40)
