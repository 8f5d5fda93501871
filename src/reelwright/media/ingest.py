"""Turn an uploaded file into ``MediaInfo``: recognise, verify, normalise, analyse.

``ingest(path, media_id=..., name=..., out_dir=...)`` is what the upload route calls once the
bytes are on disk. It never trusts the file name: the content is sniffed and decoded
(``reelwright.media.probe``). Files ffmpeg reads as they are (JPEG, PNG, MP4, MP3, ...) are
kept where they lie and ``MediaInfo.path`` points at them; two kinds are rewritten into
``out_dir`` so the renderer never has to care:

- HEIC photos become JPEG (``<media_id>.jpg``),
- photos whose EXIF orientation says "rotate me" are written upright (JPEG, or PNG when they
  have transparency), so width and height mean what a viewer sees.

Clips keep their rotation metadata (ffmpeg applies it when decoding); ``w`` and ``h`` are the
displayed size and ``extra["rotation"]`` says how much was turned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from reelwright.draft.media import FocusBox, MediaInfo
from reelwright.errors import CorruptMedia
from reelwright.media.focus import FaceDetector, find_focus
from reelwright.media.imaging import open_image, upright
from reelwright.media.probe import probe

_JPEG_QUALITY = 92
_PIL_SAFE_MODES = {"RGB", "RGBA", "L", "LA", "P"}


def ingest(
    path: Path,
    *,
    media_id: str,
    name: str,
    out_dir: Path,
    analyse: bool = True,
    face_detector: FaceDetector | None = None,
) -> MediaInfo:
    """Recognise, verify and describe the file at ``path``.

    Raises ``UnsupportedMedia`` (not a format we accept; lists them) or ``CorruptMedia``
    (a known format, but broken). Nothing is written to ``out_dir`` unless the file is good.
    ``analyse`` finds focus boxes (faces, then the most salient region) for still photos;
    ``face_detector`` replaces the default Haar cascades (see ``reelwright.media.focus``).
    """
    path = Path(path)
    facts = probe(path)
    extra: dict[str, Any] = {}
    if facts["rotation"]:
        extra["rotation"] = facts["rotation"]
    if facts["vfr"]:
        extra["vfr"] = True
    if facts["kind"] == "text":
        extra.update(chars=facts["chars"], lines=facts["lines"])
    if facts["has_audio"]:
        extra.update(sample_rate=facts["sample_rate"], channels=facts["channels"])

    stored = path
    focus: tuple[FocusBox, ...] = ()
    if facts["kind"] == "image":
        stored, focus = _prepare_photo(path, facts, media_id, Path(out_dir), analyse,
                                       face_detector)
        if stored != path:
            extra["original_format"] = facts["format"]
            if facts["orientation"] != 1:
                extra["orientation"] = facts["orientation"]

    return MediaInfo(
        id=media_id,
        kind=facts["kind"],
        path=str(stored),
        name=name,
        format=facts["format"],
        size_bytes=facts["size_bytes"],
        w=facts["w"],
        h=facts["h"],
        duration_ms=facts["duration_ms"],
        fps=facts["fps"],
        has_video=facts["has_video"],
        has_audio=facts["has_audio"],
        vcodec=facts["vcodec"],
        acodec=facts["acodec"],
        animated=facts["animated"],
        taken_at=facts["taken_at"],
        focus=focus,
        extra=extra,
    )


def _prepare_photo(
    path: Path,
    facts: dict[str, Any],
    media_id: str,
    out_dir: Path,
    analyse: bool,
    face_detector: FaceDetector | None,
) -> tuple[Path, tuple[FocusBox, ...]]:
    try:
        with open_image(path) as image:
            needs_rewrite = (
                facts["format"] == "heic"
                or facts["orientation"] != 1
                or image.mode not in _PIL_SAFE_MODES
            )
            shown = upright(image)
            stored = _write_upright(shown, out_dir, media_id) if needs_rewrite else path
            focus = find_focus(shown, detector=face_detector) if analyse else ()
    except OSError as exc:
        # probe decoded it a moment ago; failing now means it changed under us
        raise CorruptMedia(f"{path.name} could not be read again: {exc}") from exc
    return stored, focus


def _write_upright(image: Image.Image, out_dir: Path, media_id: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    if image.mode == "RGBA":
        dest = out_dir / f"{media_id}.png"
        tmp = dest.with_suffix(".png.part")
        image.save(tmp, format="PNG")
    else:
        dest = out_dir / f"{media_id}.jpg"
        tmp = dest.with_suffix(".jpg.part")
        image.convert("RGB").save(tmp, format="JPEG", quality=_JPEG_QUALITY)
    tmp.replace(dest)  # never leave a half-written file under the final name
    return dest
