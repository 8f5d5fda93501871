"""Designed scene cards: what a scene shows when the person gave no picture for it.

A card is a PNG at the canvas size: a two-colour diagonal gradient from one of a few palettes,
soft translucent shapes, a numbered chip, the scene's headline in the CJK-capable default font
and, when one matches the scene, an illustration (``media.illustrations``) on a soft disc.
Everything stays inside ``safe_box`` (for 9:16 the platforms' safe zone, see
``draft.layout.SAFE_ZONE_9_16``) and above the captions. The renderer adds gentle Ken Burns
motion. A card that shows an illustration carries its credit in the PNG's text chunks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from PIL.PngImagePlugin import PngInfo


@dataclass(frozen=True)
class Palette:
    name: str
    top: str
    bottom: str
    accent: str
    ink: str


PALETTES: tuple[Palette, ...] = (
    Palette("midnight", "#1B2A4A", "#3B1F5C", "#F4B942", "#FFFFFF"),
    Palette("teal", "#0F4C5C", "#1F7A70", "#FFD166", "#FFFFFF"),
    Palette("sunset", "#7B2D5B", "#E0674A", "#FFE3A3", "#FFFFFF"),
    Palette("forest", "#1E3D2F", "#3F6B3A", "#E9C46A", "#FFFFFF"),
    Palette("ocean", "#14213D", "#1D5C8C", "#7FDBFF", "#FFFFFF"),
    Palette("plum", "#2D1E3E", "#6A2C70", "#F08A5D", "#FFFFFF"),
)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _gradient(w: int, h: int, top: str, bottom: str) -> Image.Image:
    """A diagonal blend from ``top`` (top-left) to ``bottom`` (bottom-right)."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs / max(1, w - 1) * 0.35 + ys / max(1, h - 1) * 0.65)[..., None]
    a = np.array(_rgb(top), dtype=np.float32)
    b = np.array(_rgb(bottom), dtype=np.float32)
    pixels = a * (1 - t) + b * t
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _shapes(image: Image.Image, palette: Palette, variant: int) -> Image.Image:
    w, h = image.size
    unit = min(w, h)
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    accent = _rgb(palette.accent)
    corners = [(w * 0.92, h * 0.12), (w * 0.08, h * 0.9), (w * 0.85, h * 0.85),
               (w * 0.12, h * 0.15)]
    cx, cy = corners[variant % 4]
    r = unit * 0.45
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*accent, 46))
    ox, oy = corners[(variant + 2) % 4]
    r2 = unit * 0.28
    draw.ellipse((ox - r2, oy - r2, ox + r2, oy + r2), fill=(255, 255, 255, 22))
    ring = unit * 0.16
    rx, ry = corners[(variant + 1) % 4]
    draw.ellipse((rx - ring, ry - ring, rx + ring, ry + ring), outline=(*accent, 90),
                 width=max(2, unit // 120))
    layer = layer.filter(ImageFilter.GaussianBlur(unit / 200))
    return Image.alpha_composite(image.convert("RGBA"), layer)


def _text_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56 for ch in text)


def _wrap(text: str, max_em: float) -> list[str]:
    """Break at spaces, or anywhere between Chinese characters."""
    cjk = any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)
    tokens = list(text) if cjk else text.split()
    lines: list[str] = []
    line = ""
    for token in tokens:
        candidate = token if not line else (line + token if cjk else f"{line} {token}")
        if line and _text_em(candidate) > max_em:
            lines.append(line)
            line = token.strip()
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _fit_text(draw: ImageDraw.ImageDraw, text: str, font_path: str, box_w: float, box_h: float,
              start_size: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    size = start_size
    while True:
        font = ImageFont.truetype(font_path, size)
        lines = _wrap(text, box_w / size)
        widest = max((draw.textlength(line, font=font) for line in lines), default=0)
        if (len(lines) * size * 1.25 <= box_h and widest <= box_w) or size <= 18:
            return font, lines
        size = int(size * 0.9)


def illustration_box(w: int, h: int) -> tuple[int, int, int]:
    """Where a card's illustration goes: centre x, centre y and side, in pixels.

    16:9 (and wider): the right part of the frame, beside the headline. 9:16: under the
    headline, centred in the safe zone's width (clear of the platforms' right-hand buttons) and
    above the caption band. Square-ish: under the headline, left of centre."""
    from reelwright.draft.layout import SAFE_ZONE_9_16

    if w >= h * 1.2:
        side = round(h * 0.46)
        return round(w * 0.75), round(h * 0.42), side
    if h >= w * 1.5:
        left, top, right, bottom = SAFE_ZONE_9_16
        side = round(w * 0.42)
        return round(w * (left + right) / 2), round(h * 0.47), side
    side = round(h * 0.3)
    return round(w * 0.5), round(h * 0.56), side


def sticker(picture: Image.Image, side: int) -> Image.Image:
    """The illustration on its soft white disc, as one transparent square image."""
    disc = round(side * 1.18)
    out = Image.new("RGBA", (disc, disc), (0, 0, 0, 0))
    ImageDraw.Draw(out).ellipse((0, 0, disc - 1, disc - 1), fill=(255, 255, 255, 230))
    fitted = picture.resize((side, side), Image.Resampling.LANCZOS)
    out.alpha_composite(fitted, ((disc - side) // 2, (disc - side) // 2))
    return out


def sticker_box(w: int, h: int) -> tuple[float, float, float, float]:
    """Where ``sticker`` goes on a ``w`` x ``h`` frame: x, y, width, height as fractions."""
    cx, cy, side = illustration_box(w, h)
    disc = round(side * 1.18)
    return ((cx - disc / 2) / w, (cy - disc / 2) / h, disc / w, disc / h)


@dataclass(frozen=True)
class HeadlineLayout:
    """Where a card's headline goes: top-left corner (px), font size (px) and its lines."""

    x: float
    y: float
    size: int
    lines: tuple[str, ...]


def make_card(path: Path, *, w: int, h: int, headline: str, font_path: str | Path,
              number: int | None = None, variant: int = 0, kicker: str = "",
              illustration: Image.Image | None = None, credit: str = "",
              layers: bool = False) -> tuple[Path, HeadlineLayout | None]:
    """Draw a scene card of ``w`` x ``h`` to ``path`` (PNG); return the path and where the
    headline goes.

    ``headline`` is the big text (may be empty for a plain background, e.g. under a title the
    renderer draws); ``number`` shows as a chip ("02"); ``kicker`` is a small line above the
    headline; ``variant`` picks the palette and the arrangement of shapes; ``illustration``
    (RGBA) is drawn beside or under the headline and ``credit`` is written into the PNG.
    With ``layers`` the headline and the illustration are left out of the picture (the
    renderer animates them on top, see ``sticker``) but the layout still makes room for them.
    """
    from reelwright.draft.layout import SAFE_ZONE_9_16

    palette = PALETTES[variant % len(PALETTES)]
    image = _shapes(_gradient(w, h, palette.top, palette.bottom), palette, variant)
    unit = min(w, h)
    vertical = h >= w * 1.5
    wide = w >= h * 1.2
    margin = round(w * (SAFE_ZONE_9_16[0] + 0.02 if vertical else 0.09))
    font = str(font_path)
    accent = _rgb(palette.accent)
    # The upper part holds the text: the bottom fifth is for captions and platform UI.
    top = round(h * (SAFE_ZONE_9_16[1] + 0.03 if vertical else 0.16))
    if illustration is not None and not layers:
        image.alpha_composite(sticker(illustration, illustration_box(w, h)[2]),
                              (round(sticker_box(w, h)[0] * w), round(sticker_box(w, h)[1] * h)))
    draw = ImageDraw.Draw(image)
    if number is not None:
        chip = ImageFont.truetype(font, max(12, round(unit * 0.05)))
        label = f"{number:02d}"
        pad = round(unit * 0.02)
        tw = draw.textlength(label, font=chip)
        box = (margin, top, margin + tw + 2 * pad, top + round(unit * 0.05) + 2 * pad)
        draw.rounded_rectangle(box, radius=pad * 2, fill=(*accent, 255))
        draw.text((margin + pad, top + pad * 0.6), label, font=chip, fill=_rgb(palette.top))
        top = box[3] + round(unit * 0.04)
    if kicker:
        small = ImageFont.truetype(font, max(12, round(unit * 0.04)))
        draw.text((margin, top), kicker.upper(), font=small, fill=(*accent, 255))
        top += round(unit * 0.07)
    layout = None
    if headline:
        if vertical:
            box_w = w * (SAFE_ZONE_9_16[2] - 0.02) - margin
            _, cy, side = illustration_box(w, h)
            limit = cy - side * 0.62 if illustration is not None else h * 0.62
        elif wide and illustration is not None:
            box_w = w * 0.5
            limit = h * 0.7
        else:
            box_w = w * 0.78
            limit = h * (0.4 if illustration is not None else 0.7)
        size, lines = _fit_text(draw, headline, font, box_w, limit - top, round(unit * 0.1))
        # drawn here: 1.25 em a line; drawn by libass: the font's own line height
        ascent, descent = size.getmetrics()
        line_h = (ascent + descent) if layers else size.size * 1.25
        layout = HeadlineLayout(margin, top, int(size.size), tuple(lines))
        if not layers:
            for i, line in enumerate(lines):
                draw.text((margin, top + i * line_h), line, font=size, fill=_rgb(palette.ink))
        bar_y = top + len(lines) * line_h + unit * 0.03
        draw.rounded_rectangle((margin, bar_y, margin + unit * 0.16, bar_y + unit * 0.014),
                               radius=unit * 0.007, fill=(*accent, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    info = PngInfo()
    if credit:
        info.add_text("Copyright", credit)
        info.add_text("Credits", credit)
    image.convert("RGB").save(partial, format="PNG", optimize=False, pnginfo=info)
    partial.replace(path)
    return path, layout
