"""The job queue interface: submit, get, cancel, join. Backends: local (default), Celery later."""

from __future__ import annotations

import time
from typing import Protocol

from sqlalchemy import select

from reelwright.settings import Settings
from reelwright.store.db import Database, utcnow
from reelwright.store.models import RenderJob

ACTIVE = ("queued", "rendering")


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
    while True:
        with db.read() as s:
            busy = s.execute(select(RenderJob.id).where(RenderJob.status.in_(ACTIVE))).first()
        if busy is None:
            return True
        if deadline is not None and time.monotonic() > deadline:
            return False
        time.sleep(poll)


def cancel_in_db(db: Database, settings: Settings, job_id: str) -> bool:
    """Flag a queued or running job as cancelled; a queued one fails at once and its credit
    hold is released (a running one stops at its worker's next check). False when the job
    is unknown or already finished."""
    with db.write() as s:
        row = s.get(RenderJob, job_id)
        if row is None or row.status not in ACTIVE:
            return False
        row.cancel_requested = True
        hold = None
        if row.status == "queued":
            row.status, row.error, row.finished_at = "failed", "Cancelled", utcnow()
            hold = row.hold_id
    if hold:
        from reelwright.store.credits import Ledger

        Ledger(db, settings).release(hold)
    return True
