"""From bytes arriving to a stored, ingested medium: sniff, size limits, disk, ingest.

``MediaSink`` takes a file's bytes in chunks, names its format from the first 4 KiB (never the
file name), enforces the per-kind size limit while streaming, and writes to a temporary file.
A sink that fails keeps its error and swallows the rest of its bytes, so one bad file in a
multi-file upload does not stop the others; nothing of it is kept.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from reelwright.errors import MediaError, MediaTooLarge, UnsupportedMedia
from reelwright.media.sniff import (
    HEAD_BYTES,
    Sniffed,
    refusal_message,
    sniff,
    supported_formats_message,
)
from reelwright.settings import Settings
from reelwright.store.blobs import BlobStore, display_name
from reelwright.store.db import new_id
from reelwright.store.models import Media
from reelwright.store.projects import Projects

log = logging.getLogger(__name__)
MB = 1024 * 1024
KIND_WORDS = {"video": "videos", "image": "images", "audio": "audio files", "text": "text scripts"}


def size_limits(settings: Settings) -> dict[str, int]:
    return {"video": int(settings.max_video_mb) * MB, "image": int(settings.max_image_mb) * MB,
            "audio": int(settings.max_audio_mb) * MB, "text": int(settings.max_text_mb) * MB}


class MediaSink:
    """One incoming file. ``error`` is set (and the temp file gone) once it is refused."""

    def __init__(self, tmp_dir: Path, limits: dict[str, int], name: str | None) -> None:
        self.name = display_name(name)
        self.limits = limits
        self._tmp_dir = tmp_dir
        self._head = bytearray()
        self._file: IO[bytes] | None = None
        self.path: Path | None = None
        self.size = 0
        self.sniffed: Sniffed | None = None
        self.error: MediaError | None = None
        self.done = False

    def write(self, data: bytes) -> None:
        if self.error is not None or not data:
            return
        self.size += len(data)
        if self.sniffed is None:
            self._head += data
            if len(self._head) >= HEAD_BYTES:
                self._decide()
            return
        if self._within_limit():
            assert self._file is not None
            self._file.write(data)

    def finish(self) -> None:
        """The file's last byte arrived."""
        self.done = True
        if self.error is None and self.sniffed is None:
            if not self._head:
                self._fail(UnsupportedMedia(f"{self.name}: the file is empty. "
                                            + supported_formats_message()))
                return
            self._decide()
        if self._file is not None:
            self._file.close()
            self._file = None

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None

    def _decide(self) -> None:
        self.sniffed = sniff(bytes(self._head))
        if self.sniffed is None:
            self._fail(UnsupportedMedia(refusal_message(self.name, bytes(self._head))))
            return
        if not self._within_limit():
            return
        fd, tmp = tempfile.mkstemp(dir=self._tmp_dir, suffix=".part")
        self.path = Path(tmp)
        self._file = open(fd, "wb")  # noqa: SIM115 - closed in finish()/abort()
        self._file.write(self._head)
        self._head = bytearray()

    def _within_limit(self) -> bool:
        assert self.sniffed is not None
        limit = self.limits[self.sniffed.kind]
        if self.size <= limit:
            return True
        words = KIND_WORDS.get(self.sniffed.kind, "files")
        self._fail(MediaTooLarge(f"{self.name}: too large; {words} may be at most "
                                 f"{limit // MB} MB", data={"limit_mb": limit // MB}))
        return False

    def _fail(self, error: MediaError) -> None:
        self.error = error
        self._head = bytearray()
        self.abort()


def media_json(row: Media, thumb_url: str | None) -> dict[str, Any]:
    """One entry of ``video_infos`` / an upload answer."""
    info = row.info
    duration_ms = info.get("duration_ms")
    return {
        "id": row.id, "name": row.name, "kind": row.kind, "format": row.format,
        "size": row.size_bytes,
        "duration": duration_ms / 1000 if duration_ms else None, "duration_ms": duration_ms,
        "width": info.get("w") or None, "height": info.get("h") or None,
        "has_audio": bool(info.get("has_audio")), "fps": info.get("fps"),
        "thumbnail": thumb_url, "thumbnail_url": thumb_url,
    }


def store_media(sink: MediaSink, session_id: str, projects: Projects,
                blobs: BlobStore) -> Media:
    """Move a finished sink into blob storage, ingest it and record it (blocking).

    Ingest errors (UnsupportedMedia / CorruptMedia) leave nothing behind.
    """
    from reelwright.media.ingest import ingest
    from reelwright.media.thumbnails import make_thumbnail

    assert sink.path is not None and sink.sniffed is not None
    media_id = new_id("med", 8)
    folder = blobs.media_dir(media_id)
    folder.mkdir(parents=True, exist_ok=True)
    original = folder / f"original.{sink.sniffed.format}"
    try:
        shutil.move(str(sink.path), original)
        sink.path = None
        info = ingest(original, media_id=media_id, name=sink.name, out_dir=folder)
        thumb: str | None = None
        try:
            made = make_thumbnail(info, folder / "thumb.jpg", max_side=320)
            thumb = blobs.relative(made) if made.exists() else None
        except Exception:  # a missing thumbnail must not lose the upload
            log.warning("thumbnail failed for %s", media_id, exc_info=True)
        return projects.add_media(session_id, info, thumb)
    except BaseException:
        blobs.remove_media(media_id)
        raise
