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
from reelwright.store.db import Database
from reelwright.store.jobs import Jobs, JobStatus
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
    jobs = Jobs(db, Ledger(db, settings))
    job = jobs.get(job_id)
    if job is None:
        raise LookupError(job_id)
    if job.cancel_requested:
        return jobs.finish(job.id, JobStatus.FAILED, error="Cancelled before it started")
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
        if not jobs.progress(job_id, fraction):
            cancel.set()

    try:
        _render_output(job.format, job.quality, loads(job.draft),
                       projects.media_infos(job.session_id), output, settings, workdir,
                       on_progress, cancel, renderer)
    except RenderCancelled:
        output.unlink(missing_ok=True)
        if shutting_down is not None and shutting_down.is_set():
            jobs.requeue(job_id)
            return JobStatus.QUEUED
        return jobs.finish(job.id, JobStatus.FAILED, error="Cancelled")
    except ReelwrightError as exc:
        output.unlink(missing_ok=True)
        return jobs.finish(job.id, JobStatus.FAILED, error=exc.message)
    except Exception as exc:
        log.exception("render job %s crashed", job_id)
        output.unlink(missing_ok=True)
        return jobs.finish(job.id, JobStatus.FAILED,
                           error=f"Internal error: {type(exc).__name__}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for stale in output.parent.glob(f"{job.id}*"):
        if stale != output:  # a file left by an attempt a crash cut short
            stale.unlink(missing_ok=True)
    return jobs.finish(job.id, JobStatus.COMPLETED, output=output)


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
