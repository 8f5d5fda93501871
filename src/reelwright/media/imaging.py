"""Opening still and animated images with Pillow (HEIC through pillow-heif), upright."""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image, ImageOps

from reelwright.errors import UnsupportedMedia

# Pillow refuses images over about 179 MP on its own; we refuse earlier, with a plain sentence.
MAX_PIXELS = 100_000_000


@functools.cache
def register_heif() -> None:
    """Teach Pillow to open HEIC (once, on first use: nothing happens at import)."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def open_image(path: Path) -> Image.Image:
    """Open (lazily, header only) an image Pillow or pillow-heif can read, size-guarded."""
    register_heif()
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise UnsupportedMedia(
            f"image is larger than the {MAX_PIXELS / 1e6:.0f} MP we accept "
            "(it would need too much memory to open)"
        ) from exc
    check_pixels(image.size)
    return image


def check_pixels(size: tuple[int, int]) -> None:
    w, h = size
    if w * h > MAX_PIXELS:
        raise UnsupportedMedia(
            f"image is {w}x{h} ({w * h / 1e6:.0f} MP); the largest accepted is "
            f"{MAX_PIXELS / 1e6:.0f} MP"
        )


def upright(image: Image.Image) -> Image.Image:
    """The image as it is meant to be seen: EXIF orientation applied, RGB(A) pixels."""
    shown = ImageOps.exif_transpose(image) or image
    if shown.mode not in ("RGB", "RGBA"):
        has_alpha = "A" in shown.mode or "transparency" in shown.info
        shown = shown.convert("RGBA" if has_alpha else "RGB")
    return shown
