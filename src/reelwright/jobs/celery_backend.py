"""The Celery + Redis job queue: the API submits, ``reelwright worker`` processes render.

State lives where every node can see it: the job row (status, progress, cancel flag, credits
hold) in the database, files in the shared data folder, and short-lived coordination in Redis:
a *lease* per running job (``rw:lease:<job>``), refreshed by a heartbeat thread. A redelivered
message for a job whose lease is alive is put back for later; one whose lease expired (its
worker died) runs again from the start on whoever got it. Chunked renders are shared between
workers by ``celery_chunks``.

Retries with backoff cover infrastructure errors (database or Redis unreachable); a job that
runs out of retries is marked failed and its credits hold released.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import redis
from celery import Celery, Task
from sqlalchemy.exc import OperationalError

from reelwright.jobs.celery_app import CHUNK_QUEUE, RENDER_QUEUE, TASK_CHUNK, TASK_RENDER
from reelwright.jobs.celery_chunks import chunked_renderer, process_chunk
from reelwright.jobs.leases import Heartbeat, Lease, lease_ttl, redis_client
from reelwright.jobs.queue import jobs_of, wait_until_idle
from reelwright.jobs.render_job import pin_threads, run_render_job
from reelwright.settings import Settings
from reelwright.store.db import Database
from reelwright.store.jobs import JobStatus
from reelwright.store.models import RenderJob

log = logging.getLogger(__name__)
INFRASTRUCTURE_ERRORS = (OperationalError, redis.exceptions.ConnectionError,
                         redis.exceptions.TimeoutError)
RETRY_LATER_S = 5


def job_lease(client: redis.Redis, job_id: str, settings: Settings) -> Lease:
    return Lease(client, f"rw:lease:{job_id}", lease_ttl(settings))


# --- the API side ---------------------------------------------------------------------------


class CeleryQueue:
    """``JobQueue`` over Celery: submit sends a task; state is read from the database."""

    def __init__(self, db: Database, settings: Settings, app: Celery | None = None) -> None:
        from reelwright.jobs.celery_app import make_celery

        self.db = db
        self.settings = settings
        self.jobs = jobs_of(db, settings)
        self.app = app or make_celery(settings)
        self._redis: redis.Redis | None = None

    @property
    def redis(self) -> redis.Redis:
        if self._redis is None:
            self._redis = redis_client(self.settings)
        return self._redis

    def start(self) -> None:
        """Workers are separate processes (``reelwright worker``); nothing runs here."""

    def stop(self) -> None:
        self.app.close()
        if self._redis is not None:
            self._redis.close()

    def submit(self, job_id: str) -> None:
        self.app.send_task(TASK_RENDER, args=[job_id], queue=RENDER_QUEUE)

    def get(self, job_id: str) -> RenderJob | None:
        return self.jobs.get(job_id)

    def cancel(self, job_id: str) -> bool:
        """Flag the job; a queued one fails at once, a running one stops at its next beat."""
        return self.jobs.cancel(job_id)

    def join(self, timeout: float | None = None) -> bool:
        return wait_until_idle(self.db, timeout, poll=0.1)

    def depth(self) -> int:
        """Messages waiting in Redis for a worker (render and chunk queues)."""
        return int(self.redis.llen(RENDER_QUEUE)) + int(self.redis.llen(CHUNK_QUEUE))

    def ping(self) -> bool:
        return bool(self.redis.ping())


# --- the worker side ------------------------------------------------------------------------


def _cancel_watch(db: Database, settings: Settings, job_id: str, cancel: threading.Event
                  ) -> Callable[[], None]:
    jobs = jobs_of(db, settings)

    def check() -> None:
        flag = jobs.cancel_requested(job_id)
        if flag is None or flag:
            cancel.set()
    return check


def process_job(job_id: str, settings: Settings, app: Celery,
                retry_later: Callable[[], None]) -> str:
    """What a worker does with one render message; returns what became of the job."""
    client = redis_client(settings)
    db = Database.from_settings(settings)
    lease = job_lease(client, job_id, settings)
    try:
        if not lease.acquire():
            # Someone is rendering it now, or died so recently the lease has not run out:
            # look again later instead of dropping the only message for the job.
            retry_later()
            return "deferred"
        try:
            row = jobs_of(db, settings).claim(job_id)
            if row is None:
                return "skipped"
            cancel = threading.Event()
            beat = Heartbeat([lease], lease_ttl(settings) / 3,
                             _cancel_watch(db, settings, job_id, cancel))
            beat.start()
            try:
                renderer = chunked_renderer(settings, app, client, job_id, row.attempts)
                return run_render_job(job_id, settings, db=db, cancel=cancel,
                                      renderer=renderer)
            finally:
                beat.stop()
        finally:
            lease.release()
    finally:
        db.dispose()
        client.close()


def fail_job(settings: Settings, job_id: str, error: str) -> None:
    """Give up on a job: mark it failed and release its credits hold (retries exhausted)."""
    db = Database.from_settings(settings)
    try:
        jobs_of(db, settings).fail(job_id, error)
    finally:
        db.dispose()


def recover_orphans(settings: Settings, app: Celery) -> list[str]:
    """Re-send jobs left ``rendering`` by a worker that died without a trace (no lease)."""
    client = redis_client(settings)
    db = Database.from_settings(settings)
    try:
        rendering = jobs_of(db, settings).ids_in(JobStatus.RENDERING)
        orphans = [j for j in rendering if not job_lease(client, j, settings).held_by_anyone()]
        for job_id in orphans:
            app.send_task(TASK_RENDER, args=[job_id], queue=RENDER_QUEUE)
        return orphans
    finally:
        db.dispose()
        client.close()




def register_tasks(app: Celery, settings: Settings) -> None:
    """The render and chunk tasks, bound to ``settings``."""

    def on_render_failure(task: Task, exc: BaseException, task_id: str, args: Any,
                          kwargs: Any, einfo: Any) -> None:
        """Retries ran out (or a bug escaped): never leave the job running or credits frozen."""
        if args:
            try:
                fail_job(settings, str(args[0]), f"Internal error: {type(exc).__name__}")
            except Exception:
                log.exception("could not mark job %s failed", args[0])

    def render_job(self: Task, job_id: str) -> str:
        pin_threads()

        def later() -> None:
            self.app.send_task(TASK_RENDER, args=[job_id], queue=RENDER_QUEUE,
                               countdown=RETRY_LATER_S)

        outcome = process_job(job_id, settings, self.app, later)
        log.info("render job finished", extra={"job_id": job_id, "outcome": outcome})
        return outcome

    def render_chunk(job_id: str, attempt: int, index: int, draft_json: str,
                     media_json: dict[str, Any], spec_json: dict[str, Any], path: str,
                     workdir: str) -> str:
        pin_threads()
        return process_chunk(settings, job_id, attempt, index, draft_json, media_json,
                             spec_json, path, workdir)

    # shared=False: each app's tasks are bound to its own settings, never to another app's
    app.task(name=TASK_RENDER, shared=False, bind=True, acks_late=True,
             reject_on_worker_lost=True, autoretry_for=INFRASTRUCTURE_ERRORS,
             retry_backoff=2, retry_backoff_max=120, retry_jitter=True,
             max_retries=int(settings.job_retries), on_failure=on_render_failure)(render_job)
    # Chunks are acknowledged on receipt: the job's own worker re-renders a lost chunk.
    app.task(name=TASK_CHUNK, shared=False, acks_late=False)(render_chunk)
