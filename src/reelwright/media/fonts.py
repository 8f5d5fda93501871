"""Which font text is drawn with, and whether it has a glyph for every character.

The default is Noto Sans CJK Bold from the ``cvttf-notosanscjk-bold`` wheel (Latin, Chinese,
Japanese and Korean in one file), so titles and captions render the same on every machine.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

BUNDLED_PACKAGE = "cvttf_NotoSansCJK_Bold"
BUNDLED_FILE = "NotoSansCJKtc-Bold.otf"

# Tried in order when the bundled font is missing: CJK-capable first, then plain Latin.
SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyhbd.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)

# A code point no font maps: its rendering is the font's "missing glyph" (.notdef) box.
_NEVER_MAPPED = "\U0010ffff"
_PROBE_SIZE = 32


def bundled_font() -> Path | None:
    """The Noto Sans CJK Bold file inside the installed wheel, or None if it is not there."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / BUNDLED_FILE
        if candidate.is_file():
            return candidate
    return None


def default_font(settings_font: str = "") -> Path:
    """The font to draw text with.

    ``settings_font`` (the ``font`` setting) wins when set; it must be a readable TrueType or
    OpenType file, else FileNotFoundError / ValueError says what is wrong. Otherwise the
    bundled Noto Sans CJK Bold, else the first system font found from :data:`SYSTEM_FONTS`.
    """
    if settings_font:
        path = Path(settings_font).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"the configured font (REELWRIGHT_FONT) {settings_font!r} does not exist; "
                "point it at a .ttf/.otf/.ttc file or leave it empty for the bundled font")
        _load(str(path.resolve()))
        return path.resolve()
    bundled = bundled_font()
    if bundled is not None:
        return bundled
    for candidate in SYSTEM_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FileNotFoundError(
        "no font found: install the 'cvttf-notosanscjk-bold' package or set REELWRIGHT_FONT")


def missing_chars(font_path: Path | str, text: str) -> list[str]:
    """The distinct characters of ``text`` the font has no glyph for (spaces never count)."""
    font = _load(str(font_path))
    notdef = _glyph(font, _NEVER_MAPPED)
    missing: list[str] = []
    for char in dict.fromkeys(text):
        if char.isspace() or not char.isprintable():
            continue
        if _glyph(font, char) == notdef:
            missing.append(char)
    return missing


def covers(font_path: Path | str, text: str) -> bool:
    """True when the font has a glyph for every visible character of ``text``."""
    return not missing_chars(font_path, text)


@lru_cache(maxsize=16)
def _load(path: str) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, _PROBE_SIZE, layout_engine=ImageFont.Layout.BASIC)
    except OSError as exc:
        raise ValueError(f"{path!r} is not a TrueType/OpenType font Pillow can read") from exc


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return mask.size, bytes(mask)
