"""The PostScript name of a TTF/OTF file: the name libass reliably matches a loaded font by.

(libass did not match the family name of the bundled Noto Sans CJK through ``fontsdir``, and
fell back to a font without Chinese glyphs; the PostScript name works.)
"""

from __future__ import annotations

import functools
import struct
from pathlib import Path

POSTSCRIPT_NAME_ID = 6


def _tables(data: bytes) -> dict[bytes, int]:
    """Table tag -> offset, from the table directory (first face of a collection)."""
    base = 0
    if data[:4] == b"ttcf":
        (base,) = struct.unpack_from(">I", data, 12)
    (count,) = struct.unpack_from(">H", data, base + 4)
    tables = {}
    for i in range(count):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, base + 12 + 16 * i)
        tables[tag] = offset
    return tables


@functools.lru_cache(maxsize=16)  # every render asks, and the CJK font is 17 MB to read
def postscript_name(path: str | Path) -> str | None:
    """Name-table entry 6 of the font (first face of a collection), or None if unreadable."""
    try:
        data = Path(path).read_bytes()
        table = _tables(data).get(b"name")
        return None if table is None else _from_name_table(data, table)
    except (OSError, struct.error, UnicodeDecodeError):
        return None


def _from_name_table(data: bytes, table: int) -> str | None:
    _, count, strings = struct.unpack_from(">HHH", data, table)
    fallback: str | None = None
    for i in range(count):
        platform, _, _, name_id, length, offset = struct.unpack_from(
            ">HHHHHH", data, table + 6 + 12 * i)
        if name_id != POSTSCRIPT_NAME_ID:
            continue
        raw = data[table + strings + offset: table + strings + offset + length]
        if platform in (0, 3):
            return raw.decode("utf-16-be")
        fallback = raw.decode("latin-1")
    return fallback


@functools.lru_cache(maxsize=16)
def line_height(path: str | Path) -> float:
    """The font's Windows line height per em, (usWinAscent + usWinDescent) / unitsPerEm.

    libass sizes a font so that this line height equals the ASS ``Fontsize`` (as VSFilter
    does), so a font with tall metrics (Noto Sans CJK: 1.448) draws its glyphs visibly smaller
    than the size asked for. Multiplying the size by this ratio makes ``style.size`` the em
    size. 1.0 when the font cannot be read.
    """
    try:
        data = Path(path).read_bytes()
        tables = _tables(data)
        (units,) = struct.unpack_from(">H", data, tables[b"head"] + 18)
        ascent, descent = struct.unpack_from(">HH", data, tables[b"OS/2"] + 74)
    except (OSError, KeyError, struct.error):
        return 1.0
    ratio = (ascent + descent) / units if units else 1.0
    return ratio if 0.8 <= ratio <= 3.0 else 1.0
