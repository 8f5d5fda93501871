"""The reaper: closes credit holds whose owner is gone, on any replica or worker.

- a hold past its expiry (a turn renews its holds while it runs: one that stopped renewing
  died) is released;
- a job's hold (no expiry) whose job ended is settled (completed) or released (failed), and
  released when the job row is gone;
- lease rows long past their expiry are deleted (housekeeping only: an expired lease is
  free whether or not its row is still there).

Every step is its own short transaction and closing is idempotent (``Ledger.close_in``), so
any number of reapers may run at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from reelwright.store.credits import Ledger
from reelwright.store.db import Database, as_utc, utcnow
from reelwright.store.jobs import ENDED, JobStatus
from reelwright.store.models import CreditHold, RenderJob, SessionLease
from reelwright.store.periodic import Periodic

log = logging.getLogger(__name__)
LEASE_ROWS_KEPT = timedelta(hours=1)


def reap(db: Database, ledger: Ledger) -> int:
    """Close every hold whose owner is gone; returns how many were closed."""
    now = utcnow()
    closed = 0
    with db.read() as s:
        expired = list(s.execute(select(CreditHold.id).where(
            CreditHold.closed.is_(False), CreditHold.expires_at.is_not(None),
            CreditHold.expires_at < now)).scalars())
        job_holds = list(s.execute(
            select(CreditHold.id, RenderJob.status)
            .join(RenderJob, RenderJob.hold_id == CreditHold.id, isouter=True)
            .where(CreditHold.closed.is_(False), CreditHold.expires_at.is_(None),
                   CreditHold.owner.like("job:%"))).all())
    for hold_id in expired:
        closed += _close(db, ledger, hold_id, "release", expired_before=now)
    for hold_id, status in job_holds:
        if status is None:
            closed += _close(db, ledger, hold_id, "release")
        elif status in ENDED:
            kind = "settle" if status == JobStatus.COMPLETED.value else "release"
            closed += _close(db, ledger, hold_id, kind)
    with db.write() as s:
        s.execute(delete(SessionLease).where(SessionLease.expires_at < now - LEASE_ROWS_KEPT))
    if closed:
        log.info("reaper: closed %d credit holds whose owner is gone", closed)
    return closed


def _close(db: Database, ledger: Ledger, hold_id: str, kind: str, *,
           expired_before: datetime | None = None) -> int:
    with db.write() as s:
        hold = s.get(CreditHold, hold_id, with_for_update=True)
        if hold is None or hold.closed:
            return 0
        if expired_before is not None and (hold.expires_at is None or
                                           as_utc(hold.expires_at) >= expired_before):
            return 0  # renewed since we looked
        return int(ledger.close_in(s, hold_id, kind))


class Reaper(Periodic):
    """Runs ``reap`` now and then every ``interval`` seconds until stopped."""

    def __init__(self, db: Database, ledger: Ledger, interval: float) -> None:
        self.db, self.ledger = db, ledger
        super().__init__("reaper", lambda: reap(db, ledger), max(0.2, float(interval)),
                         at_start=True)
