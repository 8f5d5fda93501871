"""The job queue interface: submit, get, cancel, join. Backends: local (default), Celery later."""

from __future__ import annotations

import time
from typing import Protocol

from reelwright.settings import Settings
from reelwright.store.credits import Ledger
from reelwright.store.db import Database
from reelwright.store.jobs import ACTIVE, Jobs
from reelwright.store.models import RenderJob

__all__ = ["ACTIVE", "JobQueue", "cancel_in_db", "jobs_of", "wait_until_idle"]


class JobQueue(Protocol):
    def start(self) -> None:
        """Start workers (and re-queue jobs a previous run left mid-render)."""

    def stop(self) -> None:
        """Stop workers; a render cut short goes back to the queue, not to failed."""

    def submit(self, job_id: str) -> None:
        """Announce a job already stored with status ``queued``."""

    def get(self, job_id: str) -> RenderJob | None:
        """The stored job."""

    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop; False when it already finished."""

    def join(self, timeout: float | None = None) -> bool:
        """Wait until no job is queued or running (tests); False on timeout."""


def wait_until_idle(db: Database, timeout: float | None, poll: float) -> bool:
    """``join`` for any backend whose jobs live in the database: wait until no job is queued
    or rendering; False on timeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    jobs = Jobs(db, Ledger(db, _NO_SETTINGS))
    while True:
        if not jobs.any_active():
            return True
        if deadline is not None and time.monotonic() > deadline:
            return False
        time.sleep(poll)


def jobs_of(db: Database, settings: Settings) -> Jobs:
    """The store's job owner for ``db``."""
    return Jobs(db, Ledger(db, settings))


def cancel_in_db(db: Database, settings: Settings, job_id: str) -> bool:
    """Flag a queued or running job as cancelled (``Jobs.cancel``)."""
    return jobs_of(db, settings).cancel(job_id)


_NO_SETTINGS = Settings()
