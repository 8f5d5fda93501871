"""Turn an uploaded file into ``MediaInfo``: recognise, verify, normalise, analyse.

``ingest(path, media_id=..., name=..., out_dir=...)`` is what the upload route calls once the
bytes are on disk. It never trusts the file name: the content is sniffed and decoded
(``reelwright.media.probe``). Files ffmpeg reads as they are (JPEG, PNG, MP4, MP3, ...) are
kept where they lie and ``MediaInfo.path`` points at them; two kinds are rewritten into
``out_dir`` so the renderer never has to care:

- HEIC photos become JPEG (``<media_id>.jpg``),
- photos whose EXIF orientation says "rotate me" are written upright (JPEG, or PNG when they
  have transparency), so width and height mean what a viewer sees.

Photos are decoded once, in bounded memory (``reelwright.media.stills``): a big one in a
short-lived worker process, which also leaves a small preview (``extra["preview"]``) that
thumbnails use instead of decoding the original again. Error messages call the file by
``name``, never by its stored path.

Clips keep their rotation metadata (ffmpeg applies it when decoding); ``w`` and ``h`` are the
displayed size and ``extra["rotation"]`` says how much was turned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelwright.draft.media import FocusBox, MediaInfo
from reelwright.media.focus import ANALYSIS_SIDE, FaceDetector, find_focus
from reelwright.media.probe import probe
from reelwright.media.stills import Still, StillOut


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

    Raises ``UnsupportedMedia`` (not a format we accept; lists them), ``CorruptMedia``
    (a known format, but broken) or ``MediaTooLarge`` (an image over the pixel limit), each
    naming the file as ``name``. Nothing is written to ``out_dir`` unless the file is good.
    ``analyse`` finds focus boxes (faces, then the most salient region) for still photos;
    ``face_detector`` replaces the default Haar cascades (see ``reelwright.media.focus``).
    """
    path = Path(path)
    out = StillOut(Path(out_dir), media_id, ANALYSIS_SIDE if analyse else 0)
    facts = probe(path, name=name, still=out)
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
    still: Still | None = facts.get("still")
    if still is not None and still.preview_path is not None:
        extra["preview"] = str(still.preview_path)
    if facts["kind"] == "image" and still is not None:
        stored = still.stored or path
        if analyse and still.preview is not None:
            focus = find_focus(still.preview, detector=face_detector)
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

