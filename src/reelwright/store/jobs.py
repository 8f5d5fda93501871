"""Render jobs: their states and the only code that changes them.

```
queued --claim--> rendering --finish--> completed   (hold settled)
   |                  |  \\---finish/fail--> failed  (hold released)
   |                  \\--requeue (shutdown, crash recovery)--> queued
   \\--cancel / fail--> failed                        (hold released)
```
A job's credit hold (when export has a price) is frozen in the transaction that stores the job
and closed in the transaction that ends it, so no crash can leave one open behind a finished
job; the reaper (``store.reaper``) closes any that an older version left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelwright.store.credits import Ledger
from reelwright.store.db import Database, new_id, utcnow
from reelwright.store.models import RenderJob


class JobStatus(StrEnum):
    QUEUED = "queued"
    RENDERING = "rendering"
    COMPLETED = "completed"
    FAILED = "failed"


ACTIVE = (JobStatus.QUEUED.value, JobStatus.RENDERING.value)
ENDED = (JobStatus.COMPLETED.value, JobStatus.FAILED.value)
EXPORT_ACTION = "export"


def job_owner(job_id: str) -> str:
    """The owner name a job's credit hold carries."""
    return f"job:{job_id}"


@dataclass(frozen=True)
class NewJob:
    client_job_id: str
    user_id: str
    session_id: str
    draft: str
    format: str
    quality: str


class Jobs:
    """Create, read and move render jobs through ``JobStatus``."""

    def __init__(self, db: Database, ledger: Ledger) -> None:
        self.db = db
        self.ledger = ledger

    # --- reading
    def get(self, job_id: str) -> RenderJob | None:
        with self.db.read() as s:
            return s.get(RenderJob, job_id)

    def find(self, user_id: str, client_job_id: str) -> RenderJob | None:
        with self.db.read() as s:
            return s.execute(select(RenderJob).where(
                RenderJob.user_id == user_id, RenderJob.client_job_id == client_job_id)
            ).scalar_one_or_none()

    def any_active(self) -> bool:
        with self.db.read() as s:
            return s.execute(select(RenderJob.id)
                             .where(RenderJob.status.in_(ACTIVE))).first() is not None

    def ids_in(self, status: JobStatus) -> list[str]:
        with self.db.read() as s:
            return list(s.execute(select(RenderJob.id)
                                  .where(RenderJob.status == status.value)).scalars())

    def cancel_requested(self, job_id: str) -> bool | None:
        """The job's cancel flag; None when the job is gone."""
        with self.db.read() as s:
            return s.execute(select(RenderJob.cancel_requested)
                             .where(RenderJob.id == job_id)).scalar_one_or_none()

    def counts(self) -> dict[str, int]:
        with self.db.read() as s:
            return {str(k): int(v) for k, v in s.execute(
                select(RenderJob.status, func.count()).group_by(RenderJob.status)).all()}

    def spans(self) -> list[tuple[datetime, datetime]]:
        """(started, finished) of every ended job that ran."""
        with self.db.read() as s:
            return [(a, b) for a, b in s.execute(
                select(RenderJob.started_at, RenderJob.finished_at).where(
                    RenderJob.status.in_(ENDED), RenderJob.started_at.is_not(None),
                    RenderJob.finished_at.is_not(None))).all() if a and b]

    # --- changing
    def create(self, job: NewJob) -> tuple[RenderJob, bool]:
        """Store a ``queued`` job (freezing the export price, if any, in the same
        transaction); returns it and True, or the job a parallel request with the same
        client id stored and False."""
        row = RenderJob(id=new_id("job"), client_job_id=job.client_job_id, user_id=job.user_id,
                        session_id=job.session_id, draft=job.draft, format=job.format,
                        quality=job.quality, status=JobStatus.QUEUED.value, progress=0.0,
                        cancel_requested=False, attempts=0, created_at=utcnow())
        try:
            with self.db.write() as s:
                if self.ledger.price(EXPORT_ACTION) > 0:  # export is free unless priced
                    hold = self.ledger.freeze(job.user_id, EXPORT_ACTION, ref=row.id,
                                              owner=job_owner(row.id), session=s)
                    row.hold_id = hold.id
                s.add(row)
        except IntegrityError:
            found = self.find(job.user_id, job.client_job_id)
            if found is None:
                raise
            return found, False
        return row, True

    def claim(self, job_id: str) -> RenderJob | None:
        """Mark the job ``rendering`` (a new attempt) unless it ended; a job whose cancel
        was asked for fails here instead. None when there is nothing to render."""
        with self.db.write() as s:
            row = s.get(RenderJob, job_id, with_for_update=True)
            if row is None or row.status not in ACTIVE:
                return None
            if row.cancel_requested:
                self._end(s, row, JobStatus.FAILED, error="Cancelled")
                return None
            self._start(row)
            return row

    def claim_next(self) -> str | None:
        """Take the oldest ``queued`` job (skipping ones another process is taking)."""
        with self.db.write() as s:
            row = s.execute(select(RenderJob).where(RenderJob.status == JobStatus.QUEUED.value)
                            .order_by(RenderJob.created_at).limit(1)
                            .with_for_update(skip_locked=True)).scalar_one_or_none()
            if row is None:
                return None
            self._start(row)
            return row.id

    @staticmethod
    def _start(row: RenderJob) -> None:
        row.status, row.started_at, row.progress = JobStatus.RENDERING.value, utcnow(), 0.0
        row.attempts += 1

    def progress(self, job_id: str, fraction: float) -> bool:
        """Record progress; False when the job should stop (cancelled or gone)."""
        with self.db.write() as s:
            row = s.get(RenderJob, job_id)
            if row is None:
                return False
            row.progress = round(max(0.0, min(99.0, fraction * 100)), 1)
            return not row.cancel_requested

    def requeue(self, job_id: str) -> None:
        """A render cut short by a shutdown goes back to ``queued``."""
        with self.db.write() as s:
            row = s.get(RenderJob, job_id)
            if row is not None and row.status == JobStatus.RENDERING.value:
                row.status, row.progress, row.started_at = JobStatus.QUEUED.value, 0.0, None

    def requeue_rendering(self) -> int:
        """Every ``rendering`` job back to ``queued`` (the local queue owns the database's
        jobs, so one left rendering was cut off by a crash)."""
        with self.db.write() as s:
            result = s.execute(update(RenderJob)
                               .where(RenderJob.status == JobStatus.RENDERING.value)
                               .values(status=JobStatus.QUEUED.value, progress=0.0,
                                       started_at=None))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def finish(self, job_id: str, status: JobStatus, *, error: str | None = None,
               output: Path | None = None) -> JobStatus:
        """End a job: ``completed`` (with its output; the hold settles) or ``failed`` (the
        hold is released). A job that already ended keeps its first ending."""
        with self.db.write() as s:
            row = s.get(RenderJob, job_id, with_for_update=True)
            if row is None:
                return status
            if row.status in ENDED:
                return JobStatus(row.status)
            self._end(s, row, status, error=error, output=output)
        return status

    def cancel(self, job_id: str) -> bool:
        """Flag a queued or running job; a queued one fails at once (hold released), a
        running one stops at its worker's next check. False when unknown or ended."""
        with self.db.write() as s:
            row = s.get(RenderJob, job_id, with_for_update=True)
            if row is None or row.status not in ACTIVE:
                return False
            row.cancel_requested = True
            if row.status == JobStatus.QUEUED.value:
                self._end(s, row, JobStatus.FAILED, error="Cancelled")
        return True

    def fail(self, job_id: str, error: str) -> None:
        """Give up on a job (retries exhausted); one that ended already keeps its ending."""
        self.finish(job_id, JobStatus.FAILED, error=error)

    def _end(self, s: Session, row: RenderJob, status: JobStatus, *,
             error: str | None = None, output: Path | None = None) -> None:
        if status not in (JobStatus.COMPLETED, JobStatus.FAILED):
            raise ValueError(f"a job ends completed or failed, not {status}")
        row.status, row.finished_at, row.error = status.value, utcnow(), error
        if output is not None:
            row.output_path, row.progress = str(output), 100.0
        if row.hold_id:
            self.ledger.close_in(s, row.hold_id,
                                 "settle" if status == JobStatus.COMPLETED else "release")
