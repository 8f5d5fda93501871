"""Local blob storage. Paths come from ids we generate, never from user-supplied names."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

SAFE_ID = re.compile(r"^[a-z]{2,5}_[0-9a-f]{8,64}$")
MAX_NAME = 120


def display_name(name: str | None, fallback: str = "file") -> str:
    """A harmless display name: no path parts, control/bidi characters or over-long text."""
    text = (name or "").replace("\\", "/").split("/")[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = unicodedata.normalize("NFC", text).strip().strip(".")
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        ext = ext[:10] if dot and stem else ""
        text = text[: MAX_NAME - len(ext) - 1].rstrip() + ("." + ext if ext else "")
    return text or fallback


class BlobStore:
    """``media/<media id>/...``, ``outputs/<job id>.<ext>``, ``tmp/`` under one root."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def ensure(self) -> None:
        for sub in ("media", "outputs", "tmp", "work"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _check(ident: str) -> str:
        if not SAFE_ID.match(ident):
            raise ValueError(f"not a storage id: {ident!r}")
        return ident

    def media_dir(self, media_id: str) -> Path:
        return self.root / "media" / self._check(media_id)

    def output_path(self, job_id: str, ext: str, attempt: int = 1) -> Path:
        """One file per attempt, so a render orphaned by a crash never shares a file."""
        suffix = f"-{attempt}" if attempt > 1 else ""
        return self.root / "outputs" / f"{self._check(job_id)}{suffix}.{ext}"

    def work_dir(self, job_id: str) -> Path:
        return self.root / "work" / self._check(job_id)

    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    def resolve_public(self, rel: str) -> Path | None:
        """A stored file from its relative path (``outputs/x.mp4``), refusing escapes."""
        path = (self.root / rel).resolve()
        if self.root.resolve() not in path.parents or not path.is_file():
            return None
        return path

    def relative(self, path: Path | str) -> str:
        return Path(path).resolve().relative_to(self.root.resolve()).as_posix()

    def remove_media(self, media_id: str) -> None:
        shutil.rmtree(self.media_dir(media_id), ignore_errors=True)

    def remove_output(self, path: str | None) -> None:
        if path:
            Path(path).unlink(missing_ok=True)
