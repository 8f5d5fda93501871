"""Photos read in bounded memory: facts, a check that every byte decodes, an upright copy and
a small preview, all from one decode.

``read_still(path, name)`` opens the header first (``MAX_PIXELS`` is enforced before a pixel
is decoded), then decodes in one of three ways:

- a JPEG (one picture) in this process, reduced by the decoder itself (``Image.draft``: 1/2
  to 1/8 scale; every byte is still read, so a cut-off file still fails). A 100 MP JPEG
  costs ~5 MB. Only an upright rewrite (EXIF-rotated, CMYK) needs it at full size;
- anything of at most ``BIG_PIXELS`` in this process, at full size;
- anything bigger that must be decoded whole (PNG, WebP, GIF, HEIC, a rotated JPEG) in a
  short-lived worker process (``reelwright.media.still_worker``) that writes the upright
  copy and the preview as files; its memory goes back to the system when it exits, so a
  98 MP PNG (374 MB of RGBA pixels) never lands in the server. (Freed memory would
  otherwise stay in the allocator's arenas; after a big in-process decode they are trimmed.)
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import math
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image

from reelwright.errors import CorruptMedia, MediaError
from reelwright.media.imaging import check_animation, open_image, upright

BIG_PIXELS = 16_000_000  # 64 MB as RGBA: more than that is decoded in a worker

_PIL_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp",
                "HEIF": "heic"}
_SAFE_MODES = {"RGB", "RGBA", "L", "LA", "P"}  # what ffmpeg reads as the viewer sees it
_JPEG_QUALITY = 92
_EXIF_ORIENTATION = 0x0112
_EXIF_IFD = 0x8769
_EXIF_DATETIME_ORIGINAL = 0x9003
_EXIF_OFFSET_ORIGINAL = 0x9011
_EXIF_DATETIME = 0x0132
# Browsers and ffmpeg show a GIF frame that claims 0-10 ms for 100 ms; so do we.
_GIF_MIN_DELAY_MS = 20
_GIF_DEFAULT_DELAY_MS = 100
_TRIM_PIXELS = 2_000_000  # after decoding this much in-process, give the memory back
_STRIP_ROWS = 64  # output rows per strip when shrinking: bounds the premultiplied copy


@dataclass(frozen=True)
class StillOut:
    """What ingest wants made: an upright copy (``<media_id>.jpg|png`` in ``out_dir``) where
    the original will not do, and a preview of at most ``preview_side`` (0: none), kept as
    ``<media_id>.preview.jpg|png`` when a worker made it."""

    out_dir: Path
    media_id: str
    preview_side: int = 0


@dataclass
class Still:
    """What one decode found and made.

    ``facts``: w, h (displayed), stored_w, stored_h, orientation, frames, has_video,
    taken_at, and for several frames kind/animated/duration_ms/fps/vcodec (a clip).
    ``stored``: the upright copy written, or None when the original is fine as it is.
    ``preview``: upright RGB(A), long side at most the ``preview_side`` asked for (the
    middle frame of an animation). ``preview_path``: the preview as a file, when a worker
    made it for a ``StillOut``.
    """

    facts: dict[str, Any]
    stored: Path | None = None
    preview: Image.Image | None = None
    preview_path: Path | None = None


def read_still(path: Path, name: str | None = None, *, fmt: str | None = None,
               out: StillOut | None = None, preview_side: int = 0,
               every_frame: bool = True) -> Still:
    """Decode the image at ``path`` once, within bounded memory (see the module doc).

    ``fmt`` is the sniffed format the decoder must agree with; ``out`` asks for an upright
    copy when the original will not do (HEIC, EXIF-rotated, CMYK...); ``every_frame=False``
    decodes only up to the preview's frame. Raises ``CorruptMedia`` or ``MediaTooLarge``
    naming the file as ``name`` (the user's name for it).
    """
    path = Path(path)
    label = name or path.name
    with _decoding(path, label, fmt), open_image(path, label) as image:
        frames = _frames(image)
        w, h = image.size
        check_animation((w, h), frames, label)
        # (in this order: a PNG's EXIF may sit after its pixels, so asking loads them all)
        whole = not _draftable(image, frames) or _needs_rewrite(image, frames, out)
    if w * h > BIG_PIXELS and whole:
        from reelwright.media.still_worker import read_in_worker

        return read_in_worker(path, label, fmt, out, preview_side, every_frame)
    try:
        return read_here(path, label, fmt, out, preview_side, every_frame)
    finally:
        if whole and w * h >= _TRIM_PIXELS:
            _give_back_memory()


def _give_back_memory() -> None:
    """Return freed heap pages to the system (glibc keeps them in its arenas otherwise)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (musl, macOS): nothing to trim
        return None


def shrink(image: Image.Image, side: int) -> Image.Image:
    """A new copy with the long side at most ``side``, in strips: never a second full copy."""
    w, h = image.size
    factor = max(w, h) // (side * 2)  # box-reduce to ~2x the size, then resample well
    if factor >= 2:
        small = Image.new(image.mode, (math.ceil(w / factor), math.ceil(h / factor)))
        rows = _STRIP_ROWS * factor
        for top in range(0, h, rows):
            strip = image.crop((0, top, w, min(h, top + rows)))
            small.paste(strip.reduce(factor), (0, top // factor))
    else:
        small = image.copy()
    small.thumbnail((side, side), Image.Resampling.LANCZOS)
    return small


@contextmanager
def _decoding(path: Path, label: str, fmt: str | None) -> Iterator[None]:
    """Decoder failures as ``CorruptMedia`` naming the file as the user knows it."""
    what = (fmt or "image").upper()
    try:
        yield
    except MediaError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as exc:
        # Pillow quotes the path it opened: the user knows the file by its own name
        reason = str(exc).replace(str(path), label).replace(path.name, label)
        raise CorruptMedia(f"{label} is a broken {what} image: {reason}") from exc


def _frames(image: Image.Image) -> int:
    return int(getattr(image, "n_frames", 1) or 1)


def _orientation(image: Image.Image) -> int:
    value = int(image.getexif().get(_EXIF_ORIENTATION, 1) or 1)
    return value if value in range(1, 9) else 1


def _draftable(image: Image.Image, frames: int) -> bool:
    return image.format in ("JPEG", "MPO") and frames == 1


def _needs_rewrite(image: Image.Image, frames: int, out: StillOut | None) -> bool:
    return out is not None and frames == 1 and (
        image.format == "HEIF" or _orientation(image) != 1 or image.mode not in _SAFE_MODES)


def read_here(path: Path, label: str, fmt: str | None, out: StillOut | None,
               preview_side: int, every_frame: bool) -> Still:
    with _decoding(path, label, fmt), open_image(path, label) as image:
        if fmt is not None and _PIL_FORMATS.get(image.format or "") != fmt:
            raise CorruptMedia(f"{label} starts like a {fmt.upper()} but does not decode "
                               "as one")
        exif = image.getexif()
        orientation = _orientation(image)
        frames = _frames(image)
        stored_w, stored_h = image.size
        rewrite = _needs_rewrite(image, frames, out)
        if _draftable(image, frames) and not rewrite:
            image.draft(None, _draft_size(image.size, preview_side))
        middle = frames // 2
        delays = []
        shown = preview = None
        for index in range(frames if every_frame else middle + 1):
            image.seek(index)
            image.load()  # decode every byte: a broken body fails here, not at render
            delays.append(_frame_delay_ms(image.info.get("duration")))
            if index == middle and preview_side:
                shown = upright(image)
                preview = shrink(shown, preview_side)
        taken_at = _exif_taken_at(exif)
    stored = None
    if rewrite:
        assert out is not None
        stored = _write_upright(shown or upright(image), out)
    w, h = (stored_h, stored_w) if orientation in (5, 6, 7, 8) else (stored_w, stored_h)
    facts: dict[str, Any] = {
        "w": w, "h": h, "stored_w": stored_w, "stored_h": stored_h,
        "orientation": orientation, "frames": frames, "has_video": True, "taken_at": taken_at,
    }
    if frames > 1:
        total = sum(delays)
        facts.update(kind="video", animated=True, duration_ms=total,
                     fps=round(frames * 1000 / total, 3), vcodec=fmt)
    return Still(facts, stored, preview)


def _draft_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    """What to ask ``draft`` for: the preview's size, or the smallest scale to only check."""
    if side <= 0:
        return (1, 1)
    scale = side / max(size)
    return (max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale)))


def _write_upright(image: Image.Image, out: StillOut) -> Path:
    out.out_dir.mkdir(parents=True, exist_ok=True)
    dest = out.out_dir / f"{out.media_id}.{'png' if image.mode == 'RGBA' else 'jpg'}"
    save_image(image, dest)
    return dest


def save_image(image: Image.Image, dest: Path) -> None:
    tmp = dest.with_name(dest.name + ".part")
    if image.mode == "RGBA":
        image.save(tmp, format="PNG")
    else:
        image.convert("RGB").save(tmp, format="JPEG", quality=_JPEG_QUALITY)
    tmp.replace(dest)  # never leave a half-written file under the final name


def _frame_delay_ms(value: Any) -> int:
    try:
        delay = int(value)
    except (TypeError, ValueError):
        return _GIF_DEFAULT_DELAY_MS
    return _GIF_DEFAULT_DELAY_MS if delay < _GIF_MIN_DELAY_MS else delay


def _exif_taken_at(exif: Image.Exif) -> str | None:
    sub = exif.get_ifd(_EXIF_IFD)
    raw = sub.get(_EXIF_DATETIME_ORIGINAL) or exif.get(_EXIF_DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        stamp = datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    iso = stamp.isoformat()
    offset = sub.get(_EXIF_OFFSET_ORIGINAL)
    if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-" and offset[3] == ":":
        iso += offset
    return iso
