"""The store side of a turn on SQLite: the session lease, compare-and-set drafts, holds with
an owner and an expiry, and the reaper. (PostgreSQL: tests/scale/test_sessions.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelwright.draft.codec import dumps
from reelwright.draft.model import Draft
from reelwright.errors import Busy
from reelwright.settings import Settings
from reelwright.store import Accounts, Database, Ledger, Projects
from reelwright.store.jobs import Jobs, JobStatus, NewJob
from reelwright.store.leases import LeaseLost, SessionLeases
from reelwright.store.reaper import reap
from reelwright.store.turns import TurnOutcome, TurnService


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings({"data_dir": str(tmp_path / "data"), "session_lease_s": 2,
                     "hold_expiry_s": 1, "prices": "chat_turn=1,export=3"})


@pytest.fixture
def db(settings: Settings) -> Database:
    db = Database.from_settings(settings)
    db.migrate()
    return db


def user_and_session(db: Database, settings: Settings) -> tuple[str, str]:
    ledger = Ledger(db, settings)
    _, caller = Accounts(db, ledger).issue_anonymous("c-" + os.urandom(4).hex(), "10.0.0.9")
    return caller.user_id, Projects(db).create(caller.user_id, "nemo_agent", "t", "en").id


def test_one_lease_per_session_until_released_or_expired(db: Database) -> None:
    leases = SessionLeases(db, ttl=1)
    first = leases.acquire("ses_a")
    with pytest.raises(Busy):
        leases.acquire("ses_a")
    assert leases.acquire("ses_b") is not None  # other sessions are free
    leases.release(first)
    second = leases.acquire("ses_a")
    taken_at = time.monotonic()
    while True:  # a holder that stops renewing loses it once its 1 s is over
        try:
            third = leases.acquire("ses_a")
            break
        except Busy:
            assert time.monotonic() - taken_at < 5, "the lease never expired"
            time.sleep(0.1)
    assert time.monotonic() - taken_at >= 0.9
    with pytest.raises(LeaseLost), leases.committing(second):
        pass
    with leases.committing(third):
        pass


def test_a_lease_whose_process_died_is_free_at_once(db: Database, settings: Settings) -> None:
    # Given another process takes a long lease and is killed,
    code = ("import sys, time\n"
            "from reelwright.store import Database\n"
            "from reelwright.store.leases import SessionLeases\n"
            f"db = Database({db.url!r})\n"
            "leases = SessionLeases(db, ttl=600)\n"
            "held = leases.acquire('ses_dead')\n"
            "print('held', flush=True)\n"
            "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    leases = SessionLeases(db, ttl=600)
    with pytest.raises(Busy):
        leases.acquire("ses_dead")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Then the session is free now, not in ten minutes.
    assert leases.acquire("ses_dead").token


def _outcome(draft: Draft) -> TurnOutcome:
    return TurnOutcome(message="make it square", reply="Done.", changed=True, draft=draft,
                       history=None, calls=[{"name": "set_aspect", "args": {}}])


def test_a_landed_turn_is_charged_once_and_a_moved_base_costs_nothing(
        db: Database, settings: Settings) -> None:
    user, sid = user_and_session(db, settings)
    service = TurnService(db, Ledger(db, settings), Projects(db), settings)
    start = service.ledger.balance(user)
    turn = service.begin(user, sid)
    turn.load()
    assert service.ledger.balance(user).frozen == 1
    landing = turn.land(_outcome(Draft(w=1080, h=1080)))
    turn.close()
    assert landing.version == 1
    assert service.ledger.balance(user).available == start.available - 1
    # Given a turn that started from version 1, When version 2 is stored meanwhile,
    turn = service.begin(user, sid)
    turn.load()
    Projects(db).append_draft(sid, dumps(Draft(w=640, h=480)), "export")
    landing = turn.land(_outcome(Draft(w=1080, h=1920)))
    turn.close()
    # Then nothing lands and nothing is charged.
    assert landing.conflict and landing.version is None
    assert service.history.head(sid).draft.w == 640  # type: ignore[union-attr]
    after = service.ledger.balance(user)
    assert (after.available, after.frozen) == (start.available - 1, 0)


def test_the_reaper_releases_holds_whose_owner_stopped_renewing(
        db: Database, settings: Settings) -> None:
    user, _ = user_and_session(db, settings)
    ledger = Ledger(db, settings)
    start = ledger.balance(user)
    # Given a turn's hold (1 s expiry) whose owner died, and a live one that renews,
    dead = ledger.freeze(user, "chat_turn", "s", owner="turn:dead", expires_in=1)
    alive = ledger.freeze(user, "chat_turn", "s", owner="turn:alive", expires_in=1)
    assert reap(db, ledger) == 0
    for _ in range(4):
        time.sleep(0.4)
        ledger.renew("turn:alive", 1)
    # When the reaper runs, Then only the dead owner's hold goes back; total stays the same.
    assert reap(db, ledger) == 1
    assert set(ledger.open_holds(user)) == {alive.id}
    now = ledger.balance(user)
    assert now.total == start.total and now.frozen == 1
    assert ledger.release(dead) is False  # already released, never twice
    ledger.release(alive)


def test_job_states_have_one_owner_and_close_their_hold(db: Database,
                                                        settings: Settings) -> None:
    user, sid = user_and_session(db, settings)
    ledger = Ledger(db, settings)
    jobs = Jobs(db, ledger)
    start = ledger.balance(user)
    job, created = jobs.create(NewJob("render_1", user, sid, dumps(Draft()), "mp4", "draft"))
    again, created_again = jobs.create(NewJob("render_1", user, sid, "{}", "mp4", "draft"))
    assert created and not created_again and again.id == job.id
    assert ledger.balance(user).frozen == 3
    assert jobs.claim(job.id) is not None
    assert jobs.get(job.id).status == JobStatus.RENDERING  # type: ignore[union-attr]
    assert jobs.progress(job.id, 0.5) is True
    jobs.finish(job.id, JobStatus.COMPLETED, output=Path("/tmp/out.mp4"))
    # a late failure report does not undo the ending, and the hold settled exactly once
    assert jobs.finish(job.id, JobStatus.FAILED, error="late") == JobStatus.COMPLETED
    end = ledger.balance(user)
    assert (end.available, end.frozen) == (start.available - 3, 0)
    # a queued job that is cancelled fails and gives its hold back
    other, _ = jobs.create(NewJob("render_2", user, sid, dumps(Draft()), "mp4", "draft"))
    assert jobs.cancel(other.id) is True
    assert jobs.get(other.id).status == JobStatus.FAILED  # type: ignore[union-attr]
    assert ledger.balance(user).available == start.available - 3
    assert reap(db, ledger) == 0 and ledger.open_holds(user) == []
