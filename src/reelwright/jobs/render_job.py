"""The body of one render job: a plain function any backend (threads, Celery) can call."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from reelwright.draft import Draft, MediaInfo, TrackType, loads
from reelwright.errors import ReelwrightError, RenderCancelled
from reelwright.render.types import OutputSpec, RenderResult
from reelwright.settings import Settings
from reelwright.store.blobs import BlobStore
from reelwright.store.credits import Ledger
from reelwright.store.db import Database, utcnow
from reelwright.store.models import RenderJob
from reelwright.store.projects import Projects

log = logging.getLogger(__name__)
EXTENSIONS = {"html": "zip", "h5p": "h5p"}
INTERACTIVE_FORMATS = ("html", "h5p")
PROGRESS_EVERY_S = 0.5
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "NUMEXPR_NUM_THREADS", "OPENCV_FOR_THREADS_NUM")


def pin_threads(count: int = 1) -> None:
    """Keep numeric libraries from each grabbing every core inside a worker."""
    for name in THREAD_ENV:
        os.environ.setdefault(name, str(count))


class Requeue(Exception):
    """The worker is shutting down: the job goes back to ``queued``."""


def run_render_job(job_id: str, settings: Settings, *, db: Database | None = None,
                   cancel: threading.Event | None = None,
                   shutting_down: threading.Event | None = None,
                   renderer: Callable[..., RenderResult] | None = None) -> str:
    """Render a claimed job (status ``rendering``) and store the outcome; returns the status.

    Progress and the cancel flag go through the database, so a job can be watched and
    cancelled from any process. ``renderer`` replaces ``render.render`` for plain formats
    (the Celery backend passes chunked rendering).
    """
    own_db = db is None
    db = db or Database.from_settings(settings)
    cancel = cancel or threading.Event()
    try:
        return _run(job_id, settings, db, cancel, shutting_down, renderer)
    finally:
        if own_db:
            db.dispose()


def _run(job_id: str, settings: Settings, db: Database, cancel: threading.Event,
         shutting_down: threading.Event | None,
         renderer: Callable[..., RenderResult] | None = None) -> str:
    blobs = BlobStore(settings.data_path / "blobs")
    projects = Projects(db)
    with db.read() as s:
        job = s.get(RenderJob, job_id)
    if job is None:
        raise LookupError(job_id)
    if job.cancel_requested:
        return _finish(db, settings, job, "failed", error="Cancelled before it started")
    output = blobs.output_path(job.id, EXTENSIONS.get(job.format, job.format),
                               max(1, job.attempts))
    workdir = blobs.work_dir(job.id)
    workdir.mkdir(parents=True, exist_ok=True)
    last = [0.0]

    def on_progress(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S:
            return
        last[0] = now
        with db.write() as s:
            row = s.get(RenderJob, job_id)
            if row is None:
                cancel.set()
                return
            row.progress = round(max(0.0, min(99.0, fraction * 100)), 1)
            if row.cancel_requested:
                cancel.set()

    try:
        _render_output(job.format, job.quality, loads(job.draft),
                       projects.media_infos(job.session_id), output, settings, workdir,
                       on_progress, cancel, renderer)
    except RenderCancelled:
        output.unlink(missing_ok=True)
        if shutting_down is not None and shutting_down.is_set():
            _requeue(db, job_id)
            return "queued"
        return _finish(db, settings, job, "failed", error="Cancelled")
    except ReelwrightError as exc:
        output.unlink(missing_ok=True)
        return _finish(db, settings, job, "failed", error=exc.message)
    except Exception as exc:
        log.exception("render job %s crashed", job_id)
        output.unlink(missing_ok=True)
        return _finish(db, settings, job, "failed", error=f"Internal error: {type(exc).__name__}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for stale in output.parent.glob(f"{job.id}*"):
        if stale != output:  # a file left by an attempt a crash cut short
            stale.unlink(missing_ok=True)
    return _finish(db, settings, job, "completed", output=output)


def _render_output(fmt: str, quality: str, draft: Draft, media: dict[str, MediaInfo],
                   output: Path, settings: Settings, workdir: Path,
                   on_progress: Callable[[float], None], cancel: threading.Event,
                   renderer: Callable[..., RenderResult] | None = None) -> RenderResult:
    """Plain formats go to the renderer; html/h5p, and mp4 of an interactive draft (overlays
    burned in), go to the interactive exporter."""
    from reelwright.render import render  # the renderer is heavy; import when a job runs

    preview = quality == "preview"
    quality = "draft" if preview else quality
    interactive = any(t.tt == TrackType.INTERACTIVE and t.sg for t in draft.t)
    if fmt in INTERACTIVE_FORMATS or (fmt == "mp4" and interactive):
        from reelwright.render.interactive import RenderOptions, export

        options = RenderOptions(quality=quality, ffmpeg=settings.ffmpeg or None,
                                font=settings.font or None, on_progress=on_progress,
                                cancel=cancel, timeout=float(settings.render_timeout),
                                workdir=workdir)
        return export(draft, media, fmt, output, options=options)
    spec = OutputSpec(path=str(output), format=fmt,  # type: ignore[arg-type]
                      quality=quality, preview=preview, threads=settings.ffmpeg_threads)
    return (renderer or render)(draft, media, spec, ffmpeg=settings.ffmpeg or None,
                  font=settings.font or None, on_progress=on_progress, cancel=cancel,
                  timeout=float(settings.render_timeout), workdir=workdir)


def _requeue(db: Database, job_id: str) -> None:
    with db.write() as s:
        row = s.get(RenderJob, job_id)
        if row is not None and row.status == "rendering":
            row.status, row.progress, row.started_at = "queued", 0.0, None


def _finish(db: Database, settings: Settings, job: RenderJob, status: str, *,
            error: str | None = None, output: Path | None = None) -> str:
    with db.write() as s:
        row = s.get(RenderJob, job.id)
        if row is None:
            return status
        row.status = status
        row.finished_at = utcnow()
        row.error = error
        if output is not None:
            row.output_path = str(output)
            row.progress = 100.0
    if job.hold_id:
        ledger = Ledger(db, settings)
        if status == "completed":
            ledger.settle(job.hold_id)
        else:
            ledger.release(job.hold_id)
    return status
