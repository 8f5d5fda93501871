"""Tiny media made on the spot for the media tests (Pillow, pillow-heif, ffmpeg, numpy)."""

from __future__ import annotations

import struct
import wave
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from tests.conftest import run_ffmpeg

RED = (230, 20, 20)


def marked_photo(size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A grey photo with a red square in its top-left corner, to see where "up" went."""
    image = Image.new("RGB", size, (120, 130, 140))
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 5, size[1] // 5], fill=RED)
    return image


def exif_rotated_jpeg(path: Path, orientation: int = 6,
                      taken: str = "2023:07:14 18:30:05") -> Path:
    image = marked_photo()
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = taken
    image.save(path, format="JPEG", quality=90, exif=exif)
    return path


def heic_photo(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    import pillow_heif

    pillow_heif.from_pillow(marked_photo(size)).save(str(path), quality=80)
    return path


def animated(path: Path, fmt: str, frames: int = 5, delay_ms: int = 100) -> Path:
    images = [Image.new("RGB", (96, 64), (40 * i, 200 - 30 * i, 90)) for i in range(frames)]
    images[0].save(path, format=fmt, save_all=True, append_images=images[1:],
                   duration=delay_ms, loop=0)
    return path


def huge_png_header(path: Path, w: int, h: int) -> Path:
    """A PNG whose header claims w x h pixels (a decompression bomb's calling card)."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    data = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))
    idat = b"IDAT" + zlib.compress(b"\x00" * 64)
    data += struct.pack(">I", len(idat) - 4) + idat + struct.pack(">I", zlib.crc32(idat))
    path.write_bytes(data)
    return path


def big_png(path: Path, w: int, h: int) -> Path:
    """A w x h RGBA PNG, flat blue with a red disc centred at 70 % across, 35 % down: huge in
    pixels, small on disk (9900x9900 is ~400 KB). Written row by row, never held whole."""
    pack = zlib.compressobj(9)
    blue, red = bytes((40, 90, 160, 255)), bytes((230, 40, 30, 255))
    cx, cy, r = w * 0.7, h * 0.35, min(w, h) * 0.12
    with path.open("wb") as fh:
        def chunk(tag: bytes, data: bytes) -> None:
            fh.write(struct.pack(">I", len(data)) + tag + data
                     + struct.pack(">I", zlib.crc32(tag + data)))

        fh.write(b"\x89PNG\r\n\x1a\n")
        chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
        for y in range(h):
            half = (r * r - (y - cy) ** 2) ** 0.5 if abs(y - cy) < r else 0.0
            x0, x1 = int(cx - half), int(cx + half)
            if data := pack.compress(b"\x00" + blue * x0 + red * (x1 - x0) + blue * (w - x1)):
                chunk(b"IDAT", data)
        chunk(b"IDAT", pack.flush())
        chunk(b"IEND", b"")
    return path


def audio(path: Path, codec_args: list[str], seconds: float = 1.5) -> Path:
    run_ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
               *codec_args, str(path))
    return path


def vfr_clip(path: Path) -> Path:
    """1 s at 10 fps then 1 s at 30 fps, written without a fixed rate."""
    run_ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2",
               "-vf", "select='gte(t,1)+not(mod(n,3))'",
               "-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "ultrafast",
               "-pix_fmt", "yuv420p", str(path))
    return path


def face_picture(size: tuple[int, int] = (640, 480), face_side: int = 160,
                 at: tuple[int, int] = (300, 120)) -> Image.Image:
    """A shaded drawing of a face: brows and eyes darker than forehead and cheeks, a lit
    nose bridge, a dark mouth. That light pattern is what the Haar features test for."""
    s = face_side / 100
    face = Image.new("L", (face_side, face_side), 90)
    draw = ImageDraw.Draw(face)
    draw.ellipse([20 * s, 10 * s, 80 * s, 95 * s], fill=200)
    draw.rectangle([28 * s, 33 * s, 46 * s, 36 * s], fill=60)
    draw.rectangle([54 * s, 33 * s, 72 * s, 36 * s], fill=60)
    draw.ellipse([31 * s, 40 * s, 44 * s, 47 * s], fill=40)
    draw.ellipse([56 * s, 40 * s, 69 * s, 47 * s], fill=40)
    draw.polygon([(50 * s, 45 * s), (45 * s, 63 * s), (55 * s, 63 * s)], fill=170)
    draw.ellipse([44 * s, 60 * s, 56 * s, 65 * s], fill=120)
    draw.ellipse([38 * s, 71 * s, 62 * s, 78 * s], fill=70)
    face = face.filter(ImageFilter.GaussianBlur(2 * s))
    canvas = Image.new("L", size, 110)
    canvas.paste(face, at)
    return canvas.convert("RGB")


def kick_track(path: Path, bpm: float, seconds: float = 8.0, first_s: float = 0.25,
               rate: int = 44100) -> list[float]:
    """A kick drum with a click on every beat from ``first_s``; returns the beat times (s)."""
    n = int(seconds * rate)
    signal = np.zeros(n)
    t = np.arange(int(0.15 * rate)) / rate
    kick = np.sin(2 * np.pi * (50 + 100 * np.exp(-t * 30)) * t) * np.exp(-t * 18)
    noise = np.random.default_rng(0).normal(0, 0.5, 200) * np.exp(-np.arange(200) / 40)
    kick[:200] += noise
    beats = list(np.arange(first_s, seconds, 60.0 / bpm))
    for beat in beats:
        i = int(beat * rate)
        part = kick[: n - i]
        signal[i: i + part.size] += part
    signal += np.random.default_rng(1).normal(0, 0.01, n)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(signal, -1, 1) * 32000).astype("<i2").tobytes())
    return [float(b) for b in beats]
