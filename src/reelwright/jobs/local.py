"""The durable local backend: jobs live in the database, N worker threads render them."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import select, update

from reelwright.jobs.queue import cancel_in_db, wait_until_idle
from reelwright.jobs.render_job import pin_threads, run_render_job
from reelwright.settings import Settings
from reelwright.store.db import Database, utcnow
from reelwright.store.models import RenderJob

log = logging.getLogger(__name__)
POLL_S = 1.0


class LocalQueue:
    """Worker threads that claim ``queued`` jobs from the database (survives restarts)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        pin_threads()
        # One local queue owns the database's jobs: anything left 'rendering' was cut off by
        # a crash or a kill, so it runs again from the start.
        with self.db.write() as s:
            s.execute(update(RenderJob).where(RenderJob.status == "rendering")
                      .values(status="queued", progress=0.0, started_at=None))
        for n in range(max(1, int(self.settings.workers))):
            thread = threading.Thread(target=self._work, name=f"render-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        with self._lock:
            for event in self._running.values():
                event.set()
        with self._wake:
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads.clear()

    def submit(self, job_id: str) -> None:
        with self._wake:
            self._wake.notify()

    def get(self, job_id: str) -> RenderJob | None:
        with self.db.read() as s:
            return s.get(RenderJob, job_id)

    def cancel(self, job_id: str) -> bool:
        if not cancel_in_db(self.db, self.settings, job_id):
            return False
        with self._lock:
            event = self._running.get(job_id)
        if event is not None:
            event.set()
        return True

    def join(self, timeout: float | None = None) -> bool:
        return wait_until_idle(self.db, timeout, poll=0.05)

    def _claim(self) -> str | None:
        with self.db.write() as s:
            row = s.execute(select(RenderJob).where(RenderJob.status == "queued")
                            .order_by(RenderJob.created_at).limit(1)
                            .with_for_update(skip_locked=True)).scalar_one_or_none()
            if row is None:
                return None
            row.status, row.started_at, row.progress = "rendering", utcnow(), 0.0
            row.attempts += 1
            return row.id

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                job_id = self._claim()
            except Exception:
                log.exception("claiming a job failed")
                job_id = None
            if job_id is None:
                with self._wake:
                    self._wake.wait(POLL_S)
                continue
            cancel = threading.Event()
            with self._lock:
                self._running[job_id] = cancel
            try:
                run_render_job(job_id, self.settings, db=self.db, cancel=cancel,
                               shutting_down=self._stopping)
            except Exception:
                log.exception("render job %s crashed", job_id)
            finally:
                with self._lock:
                    self._running.pop(job_id, None)
