"""The durable local backend: jobs live in the database, N worker threads render them."""

from __future__ import annotations

import logging
import threading

from reelwright.jobs.queue import jobs_of, wait_until_idle
from reelwright.jobs.render_job import pin_threads, run_render_job
from reelwright.settings import Settings
from reelwright.store.db import Database
from reelwright.store.models import RenderJob

log = logging.getLogger(__name__)
POLL_S = 1.0


class LocalQueue:
    """Worker threads that claim ``queued`` jobs from the database (survives restarts)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.jobs = jobs_of(db, settings)
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        pin_threads()
        # One local queue owns the database's jobs: anything left 'rendering' was cut off by
        # a crash or a kill, so it runs again from the start.
        self.jobs.requeue_rendering()
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
        return self.jobs.get(job_id)

    def cancel(self, job_id: str) -> bool:
        if not self.jobs.cancel(job_id):
            return False
        with self._lock:
            event = self._running.get(job_id)
        if event is not None:
            event.set()
        return True

    def join(self, timeout: float | None = None) -> bool:
        return wait_until_idle(self.db, timeout, poll=0.05)

    def _claim(self) -> str | None:
        return self.jobs.claim_next()

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
