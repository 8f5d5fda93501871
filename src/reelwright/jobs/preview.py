"""Live previews: a fast low-resolution render of a session's latest draft after each edit.

One preview per session is kept: a request for a newer draft version cancels the one still
rendering (its ffmpeg is stopped by the runner) and replaces it. Previews render through the
same ``render.render`` as exports (360p, at most 15 fps, x264 ultrafast: ``OutputSpec.live``)
on a thread of their own, so they never wait behind a full-quality export in the job queue,
and they cost no credits. The file lands in the session's media folder
(``media/<session>/preview/v<version>.mp4``), so retention removes it with the session; the
last finished one is found again after a restart.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from reelwright.draft import Draft, MediaInfo
from reelwright.errors import ReelwrightError, RenderCancelled
from reelwright.render.types import OutputSpec, RenderResult
from reelwright.settings import Settings
from reelwright.store.blobs import BlobStore

log = logging.getLogger(__name__)
PREVIEW_DIR = "preview"
Renderer = Callable[..., RenderResult]


class PreviewState(StrEnum):
    """Where one live preview is. Held in memory only: a preview is not a render job (no row,
    no credits), so ``store.jobs`` does not own it."""

    QUEUED = "queued"
    RENDERING = "rendering"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"  # a newer edit replaced it


@dataclass
class Preview:
    """The state of one session's live preview."""

    session_id: str
    version: int
    state: PreviewState = PreviewState.QUEUED
    progress: float = 0.0
    path: Path | None = None
    error: str | None = None
    requested_at: float = field(default_factory=time.monotonic)
    seconds: float | None = None  # from the request to the playable file
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def status(self) -> str:
        return self.state.value

    @property
    def active(self) -> bool:
        return self.state in (PreviewState.QUEUED, PreviewState.RENDERING)


class PreviewRunner:
    """Renders live previews on one background thread, newest edit first per session."""

    def __init__(self, settings: Settings, blobs: BlobStore, *,
                 renderer: Renderer | None = None) -> None:
        self.settings = settings
        self.blobs = blobs
        self._renderer = renderer
        self._latest: dict[str, Preview] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-preview")
        self._stopped = False

    def folder(self, session_id: str) -> Path:
        return self.blobs.media_dir(session_id) / PREVIEW_DIR

    def path_for(self, session_id: str, version: int) -> Path:
        return self.folder(session_id) / f"v{int(version)}.mp4"

    def request(self, session_id: str, version: int, draft: Draft,
                media: Mapping[str, MediaInfo]) -> Preview:
        """The preview of ``version``: the one already made or on its way, else a new render
        that cancels the session's older one."""
        with self._lock:
            current = self._latest.get(session_id)
            if current is not None and current.version == version and \
                    current.state in (PreviewState.QUEUED, PreviewState.RENDERING,
                                      PreviewState.COMPLETED):
                return current
            if current is not None and current.active:
                current.cancel.set()
            preview = Preview(session_id, version)
            done = self.path_for(session_id, version)
            if done.is_file():
                preview.state, preview.path, preview.progress = PreviewState.COMPLETED, done, 100.0
                preview.seconds = 0.0
            self._latest[session_id] = preview
            if preview.state is PreviewState.COMPLETED or self._stopped:
                return preview
        self._pool.submit(self._run, preview, draft, dict(media))
        return preview

    def get(self, session_id: str) -> Preview | None:
        """The session's latest preview; after a restart, its newest finished file."""
        with self._lock:
            current = self._latest.get(session_id)
        if current is not None:
            return current
        folder = self.folder(session_id)
        files = sorted(folder.glob("v*.mp4"), key=_version_of) if folder.is_dir() else []
        if not files:
            return None
        newest = files[-1]
        return Preview(session_id, _version_of(newest), state=PreviewState.COMPLETED,
                       progress=100.0, path=newest, seconds=0.0)

    def stop(self) -> None:
        """Cancel what renders and wait for the thread (every ffmpeg is reaped by the runner)."""
        with self._lock:
            self._stopped = True
            for preview in self._latest.values():
                preview.cancel.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _superseded(self, preview: Preview) -> bool:
        with self._lock:
            return self._latest.get(preview.session_id) is not preview or \
                preview.cancel.is_set()

    def _run(self, preview: Preview, draft: Draft, media: dict[str, MediaInfo]) -> None:
        if self._superseded(preview):
            preview.state = PreviewState.CANCELLED
            return
        preview.state = PreviewState.RENDERING
        final = self.path_for(preview.session_id, preview.version)
        workdir = self.blobs.root / "work" / f"preview-{preview.session_id}-v{preview.version}"
        workdir.mkdir(parents=True, exist_ok=True)

        def on_progress(fraction: float) -> None:
            preview.progress = round(max(0.0, min(99.0, fraction * 100)), 1)

        spec = OutputSpec(path=str(final), format="mp4", quality="draft", preview=True,
                          live=True, threads=int(self.settings.ffmpeg_threads))
        try:
            from reelwright.render import render  # heavy: imported when a preview runs

            (self._renderer or render)(draft, media, spec, ffmpeg=self.settings.ffmpeg or None,
                                       font=self.settings.font or None,
                                       on_progress=on_progress, cancel=preview.cancel,
                                       timeout=float(self.settings.render_timeout),
                                       workdir=workdir)
        except RenderCancelled:
            preview.state = PreviewState.CANCELLED
            return
        except ReelwrightError as exc:
            preview.state, preview.error = PreviewState.FAILED, exc.message
            return
        except Exception as exc:  # a preview must never take the server down
            log.exception("live preview of %s v%s crashed", preview.session_id, preview.version)
            preview.state = PreviewState.FAILED
            preview.error = f"Internal error: {type(exc).__name__}"
            return
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        preview.path, preview.progress = final, 100.0
        preview.seconds = time.monotonic() - preview.requested_at
        preview.state = PreviewState.COMPLETED
        for old in final.parent.glob("v*.mp4"):
            if old != final and _version_of(old) < preview.version:
                old.unlink(missing_ok=True)


def _version_of(path: Path) -> int:
    try:
        return int(path.stem.lstrip("v"))
    except ValueError:
        return -1
