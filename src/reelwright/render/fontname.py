"""The PostScript name of a TTF/OTF file: the name libass reliably matches a loaded font by.

(libass did not match the family name of the bundled Noto Sans CJK through ``fontsdir``, and
fell back to a font without Chinese glyphs; the PostScript name works.)
"""

from __future__ import annotations

import struct
from pathlib import Path

POSTSCRIPT_NAME_ID = 6


def postscript_name(path: str | Path) -> str | None:
    """Name-table entry 6 of the font (first face of a collection), or None if unreadable."""
    try:
        data = Path(path).read_bytes()
        base = 0
        if data[:4] == b"ttcf":
            (base,) = struct.unpack_from(">I", data, 12)
        (count,) = struct.unpack_from(">H", data, base + 4)
        for i in range(count):
            tag, _, offset, _ = struct.unpack_from(">4sIII", data, base + 12 + 16 * i)
            if tag == b"name":
                return _from_name_table(data, offset)
    except (OSError, struct.error, UnicodeDecodeError):
        return None
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
