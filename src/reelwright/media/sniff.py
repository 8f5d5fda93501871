"""Recognise a file by its first bytes (magic numbers), never by its name.

``sniff(head)`` looks at up to the first 4096 bytes and answers a :class:`Sniffed` with the
media kind and one of :data:`SUPPORTED_FORMATS`, or ``None`` when the bytes are nothing we
accept. It only reads the header: a file that sniffs fine can still be broken, which
``reelwright.media.probe`` finds out by decoding it.

A text script is plain text: bytes that decode as text but are markup (an HTML page, an SVG
or XML document, PHP, or text carrying ``<script>``, ``<iframe>`` and the like) are not
accepted whatever the file is called; :func:`markup_found` names what gave them away and
:func:`refusal_message` says so.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from reelwright.draft.media import MediaKind

HEAD_BYTES = 4096

SUPPORTED_FORMATS: tuple[str, ...] = (
    "mp4", "mov", "avi", "webm", "mkv",
    "jpg", "png", "gif", "webp", "heic",
    "mp3", "wav", "m4a", "aac",
    "txt",
)

_KIND_OF: dict[str, MediaKind] = {
    **{f: "video" for f in ("mp4", "mov", "avi", "webm", "mkv")},
    **{f: "image" for f in ("jpg", "png", "gif", "webp", "heic")},
    **{f: "audio" for f in ("mp3", "wav", "m4a", "aac")},
    "txt": "text",
}

# ISO-BMFF brands (ftyp box). HEIF stills carry mif1/msf1 plus a HEVC brand.
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_HEIF_GENERIC = {b"mif1", b"msf1"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso8", b"iso9",
    b"mp41", b"mp42", b"mp71", b"avc1", b"M4V ", b"M4VH", b"M4VP", b"dash", b"mmp4",
    b"MSNV", b"NDAS", b"f4v ", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"XAVC", b"hvc1",
}
# QuickTime files written before ftyp existed start straight with one of these atoms.
_QT_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes say a file is: ``kind`` and a format from SUPPORTED_FORMATS."""

    kind: MediaKind
    format: str


def supported_formats_message() -> str:
    """The sentence an unsupported upload answers with (the 4001 envelope's message)."""
    return "Supported formats: " + ", ".join(SUPPORTED_FORMATS) + "."


def sniff(head: bytes) -> Sniffed | None:
    """Name the format of a file from its first bytes, or ``None`` if it is not one we accept."""
    fmt = _binary_format(head[:HEAD_BYTES])
    if fmt is None and _looks_like_text(head[:HEAD_BYTES]) and markup_in_head(head) is None:
        fmt = "txt"
    return None if fmt is None else Sniffed(_KIND_OF[fmt], fmt)


def refusal_message(name: str, head: bytes) -> str:
    """The 4001 message for a file ``sniff`` refused: what markup it found, else the formats."""
    found = markup_in_head(head) if _looks_like_text(head[:HEAD_BYTES]) else None
    if found is not None:
        return markup_message(name, found)
    return f"{name}: not a supported file. " + supported_formats_message()


def markup_message(name: str, found: str) -> str:
    return (f"{name}: this is {found}, not a plain-text script (nor a picture or a clip); "
            f"a script must be plain text. " + supported_formats_message())


# A document that opens with a tag, a declaration or a comment (after blank space)...
_MARKUP_OPENING = re.compile(r"\A\s*(?:<!--.*?-->\s*)*(<(?:!doctype\b|\?xml\b|\?php\b|"
                             r"[a-z][a-z0-9-]*(?=[\s>/])))", re.IGNORECASE | re.DOTALL)
# ... or text anywhere that a browser would run or embed.
_ACTIVE_MARKUP = re.compile(r"<\s*(?:script|iframe|object|embed|svg|html|frameset|applet)\b"
                            r"|<\?php\b|<!doctype\b|<\?xml\b", re.IGNORECASE)
_KINDS = (("<svg", "an SVG image"), ("<html", "an HTML page"), ("<!doctype", "an HTML page"),
          ("<body", "an HTML page"), ("<?php", "PHP source"), ("<?xml", "an XML document"))


def markup_found(text: str, *, at_start: bool = True) -> str | None:
    """``None`` for plain text, else what it is and the tag that says so
    (``"an SVG image with a <script> (found '<svg')"``). ``at_start=False`` for a piece from
    the middle of a file: only tags that run or embed something count there."""
    text = text.lstrip("\ufeff")
    match = _MARKUP_OPENING.match(text) if at_start else None
    tag = match.group(1) if match else None
    if tag is None:
        active = _ACTIVE_MARKUP.search(text)
        if active is None:
            return None
        tag = active.group(0)
    lowered = text.lower()
    kind = next((k for t, k in _KINDS if t in lowered), "markup")
    if "<script" in lowered:
        kind += " with a <script>"
    shown = " ".join(tag.split())[:40]
    return f"{kind} (found {shown!r})"


def markup_in_head(head: bytes) -> str | None:
    """:func:`markup_found` on the first bytes of a file (a character cut at the end is
    dropped)."""
    return markup_found(head[:HEAD_BYTES].decode("utf-8", errors="ignore"))


def _binary_format(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": "webp", b"WAVE": "wav", b"AVI ": "avi"}.get(head[8:12])
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _matroska_format(head)
    if head[4:8] == b"ftyp":
        return _iso_bmff_format(head)
    if head[4:8] in _QT_ATOMS and int.from_bytes(head[:4], "big") >= 8:
        return "mov"
    if head.startswith(b"ID3"):
        return _after_id3(head)
    if _adts_frames(head, 0):
        return "aac"
    if _mpeg_audio_frames(head, 0):
        return "mp3"
    return None


def _iso_bmff_format(head: bytes) -> str | None:
    size = int.from_bytes(head[:4], "big")
    end = min(len(head), size if size >= 16 else 16)
    major = head[8:12]
    brands = {major} | {head[i:i + 4] for i in range(16, end - 3, 4)}
    if major in _HEIC_BRANDS or (major in _HEIF_GENERIC and brands & _HEIC_BRANDS):
        return "heic"
    if major == b"qt  ":
        return "mov"
    if major in _M4A_BRANDS:
        return "m4a"
    if major in _MP4_BRANDS or brands & _MP4_BRANDS:
        return "mp4"
    if b"qt  " in brands:
        return "mov"
    return None  # avif, jp2, crx, ... are ISO-BMFF too but not formats we accept


def _matroska_format(head: bytes) -> str | None:
    at = head.find(b"\x42\x82")  # EBML DocType element id
    if at < 0 or at + 3 > len(head):
        return "mkv"
    length, width = _ebml_vint(head, at + 2)
    doctype = head[at + 2 + width: at + 2 + width + length]
    if doctype == b"webm":
        return "webm"
    if doctype == b"matroska":
        return "mkv"
    return None


def _ebml_vint(data: bytes, at: int) -> tuple[int, int]:
    first = data[at]
    width = 1
    while width <= 8 and not first & (0x80 >> (width - 1)):
        width += 1
    if width > 8:
        return 0, 1
    value = first & (0xFF >> width)
    for byte in data[at + 1: at + width]:
        value = (value << 8) | byte
    return value, width


def _after_id3(head: bytes) -> str | None:
    if len(head) < 10:
        return None
    tag_size = 0
    for byte in head[6:10]:  # ID3v2 sizes are "syncsafe": 7 bits a byte
        if byte & 0x80:
            return None
        tag_size = (tag_size << 7) | byte
    audio_at = 10 + tag_size + (10 if head[5] & 0x10 else 0)
    if audio_at >= len(head):
        return "mp3"  # the tag outgrows the head; ID3 tags almost always front MP3
    if _adts_frames(head, audio_at):
        return "aac"
    return "mp3"


_MP3_BITRATES = {  # kbit/s by (MPEG-1?, bitrate index), layer III
    True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mpeg_audio_frames(head: bytes, at: int) -> bool:
    """Two back-to-back MPEG audio layer III frame headers (one alone matches random bytes)."""
    seen = 0
    while at + 4 <= len(head) and seen < 2:
        b1, b2 = head[at + 1], head[at + 2]
        if head[at] != 0xFF or b1 & 0xE0 != 0xE0:
            return False
        version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
        bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
        if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
            return False
        mpeg1 = version == 3
        bitrate = _MP3_BITRATES[mpeg1][bitrate_index] * 1000
        rate = _MP3_RATES[version][rate_index]
        length = (144 if mpeg1 else 72) * bitrate // rate + ((b2 >> 1) & 1)
        seen += 1
        at += length
    return seen >= 2 or (seen == 1 and at >= len(head))


def _adts_frames(head: bytes, at: int) -> bool:
    """Two back-to-back ADTS (raw AAC) frame headers, or one that runs past the head."""
    seen = 0
    while at + 7 <= len(head) and seen < 2:
        if head[at] != 0xFF or head[at + 1] & 0xF6 != 0xF0:
            return False
        if (head[at + 2] >> 2) & 0xF > 12:  # sampling frequency index
            return False
        length = ((head[at + 3] & 3) << 11) | (head[at + 4] << 3) | (head[at + 5] >> 5)
        if length < 7:
            return False
        seen += 1
        at += length
    return seen >= 2 or (seen == 1 and at >= len(head))


# Controls that never appear in a plain-text script (tab, LF, VT, FF, CR and ESC may).
_BINARY_CONTROLS = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    if any(byte in _BINARY_CONTROLS for byte in body):
        return False
    try:
        # not final: the head may cut a multi-byte character in two
        codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        return False
    return True
