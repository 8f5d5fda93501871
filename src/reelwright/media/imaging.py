"""Opening still and animated images with Pillow (HEIC through pillow-heif), upright.

The pixel limit: images of up to ``MAX_PIXELS`` (100 MP, e.g. 10000x10000) are accepted,
above Pillow's own 89 MP warning; larger ones are refused with ``MediaTooLarge`` (4002)
before a single pixel is decoded. How big images are decoded without the server holding
them is ``reelwright.media.stills``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image, ImageOps

from reelwright.errors import MediaTooLarge

MAX_PIXELS = 100_000_000
MAX_ANIMATION_PIXELS = 600_000_000
"""All frames of an animated GIF/WebP together (frames x width x height): 2400 frames of
480x270, or 300 of 1000x2000. Every frame is decoded at upload (about 12 s a gigapixel on one
core), so a tiny file of hundreds of huge frames would otherwise hold the server for a minute.
Longer animations belong in a video file."""
_ORIENTATION = 0x0112


@functools.cache
def register_heif() -> None:
    """Teach Pillow to open HEIC (once, on first use: nothing happens at import)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    # We refuse above MAX_PIXELS ourselves, with a plain sentence; Pillow then only warns
    # above it and raises above twice it (a header we never get to read).
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def open_image(path: Path, name: str | None = None) -> Image.Image:
    """Open (lazily, header only) an image Pillow or pillow-heif can read, size-guarded.

    ``name`` is what error messages call the file (the user's name); the path's by default.
    """
    register_heif()
    label = name or Path(path).name
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise MediaTooLarge(
            f"{label} is too large: images may be at most {MAX_PIXELS / 1e6:.0f} MP",
            data={"limit_mp": MAX_PIXELS // 1_000_000},
        ) from exc
    try:
        check_pixels(image.size, label)
    except MediaTooLarge:
        image.close()
        raise
    return image


def check_pixels(size: tuple[int, int], name: str = "the image") -> None:
    w, h = size
    if w * h > MAX_PIXELS:
        raise MediaTooLarge(
            f"{name} is too large: {w}x{h} is {w * h / 1e6:.0f} MP; images may be at most "
            f"{MAX_PIXELS / 1e6:.0f} MP", data={"limit_mp": MAX_PIXELS // 1_000_000},
        )


def check_animation(size: tuple[int, int], frames: int, name: str = "the image") -> None:
    """Refuse an animation whose frames add up to more than ``MAX_ANIMATION_PIXELS``."""
    w, h = size
    total = w * h * frames
    if frames > 1 and total > MAX_ANIMATION_PIXELS:
        raise MediaTooLarge(
            f"{name} is too large: {frames} frames of {w}x{h} are {total / 1e6:.0f} MP to "
            f"decode; an animation may be at most {MAX_ANIMATION_PIXELS / 1e6:.0f} MP in all "
            "(frames x width x height). Upload it as a video (MP4) instead",
            data={"limit_mp": MAX_ANIMATION_PIXELS // 1_000_000})


def upright(image: Image.Image) -> Image.Image:
    """The image as it is meant to be seen: EXIF orientation applied, RGB(A) pixels.

    Copies only what it must: an upright RGB(A) image comes back as it is.
    """
    shown = image
    if image.getexif().get(_ORIENTATION, 1) in range(2, 9):
        shown = ImageOps.exif_transpose(image) or image
    if shown.mode not in ("RGB", "RGBA"):
        has_alpha = "A" in shown.mode or "transparency" in shown.info
        shown = shown.convert("RGBA" if has_alpha else "RGB")
    return shown
