"""Sessions on the real topology: two `reelwright serve` replicas on PostgreSQL + Redis, and
one server on SQLite. No lost edit under concurrent turns, undo/redo across replicas and
restarts, a server killed mid-turn frees the session at once and its hold within its expiry,
and the credit ledger balances at the end.

The lease is set long (30 s) and the hold expiry short (3 s), so a session that is usable
right after a kill proves the dead holder was noticed, not that its lease ran out.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.scale.replicas import (
    Replica,
    balance,
    new_session,
    say,
    say_together,
    state,
    stream_in_background,
    texts,
)
from tests.scale.services import Postgres

ROUNDS = 4
HOLD_EXPIRY_S = 3
REAPER_INTERVAL_S = 1
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def base_env(root: Path) -> dict[str, str]:
    return {"REELWRIGHT_DATA_DIR": str(root / "data"), "REELWRIGHT_SECRET_KEY": "s" * 40,
            "REELWRIGHT_REQUIRE_ATTRIBUTION": "false", "REELWRIGHT_ANON_TOKENS_PER_IP": "0",
            "REELWRIGHT_SESSION_LEASE_S": "30",
            "REELWRIGHT_HOLD_EXPIRY_S": str(HOLD_EXPIRY_S),
            "REELWRIGHT_REAPER_INTERVAL_S": str(REAPER_INTERVAL_S),
            "RW_TEST_SLOW_TURN_S": "120"}


@pytest.fixture
def pg_replicas(tmp_path: Path, postgres: Postgres, redis_url: str
                ) -> Iterator[tuple[Replica, Replica]]:
    env = {**base_env(tmp_path), "REELWRIGHT_DATABASE_URL": postgres.new_database(),
           "REELWRIGHT_QUEUE_BACKEND": "celery", "REELWRIGHT_REDIS_URL": redis_url}
    a = Replica("A", env, tmp_path / "a.log")
    b = Replica("B", env, tmp_path / "b.log")
    try:
        a.start()  # migrates first, alone
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Replica]:
    server = Replica("S", base_env(tmp_path), tmp_path / "s.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


def concurrent_rounds(first: Replica, second: Replica, auth: dict[str, str], sid: str
                      ) -> list[str]:
    """ROUNDS rounds of two edits sent at the same moment; returns the accepted texts."""
    accepted: list[str] = []
    for n in range(ROUNDS):
        words = (f"round {n} a", f"round {n} b")
        said = say_together([(first, f'add the text "{words[0]}"'),
                             (second, f'add the text "{words[1]}"')], auth, sid)
        for word, one in zip(words, said, strict=True):
            assert one.status in (200, 409), one  # 409: Busy, the other turn had the session
            if one.landed:
                accepted.append(word)
    final = texts(state(first, auth, sid)["draft"])
    # no lost edit: every accepted edit is in the final draft, and no refused one
    assert sorted(final) == sorted(accepted)
    assert accepted
    return accepted


def undo_redo_across(a: Replica, b: Replica, auth: dict[str, str], sid: str,
                     restart: list[Replica]) -> None:
    full = state(a, auth, sid)["draft"]
    assert say(a, auth, sid, "undo").landed
    one_back = state(b, auth, sid)["draft"]
    assert len(texts(one_back)) == len(texts(full)) - 1
    assert say(b, auth, sid, "redo").landed
    assert state(a, auth, sid)["draft"] == full
    assert say(b, auth, sid, "undo").landed
    assert state(a, auth, sid)["draft"] == one_back
    # Given every server restarts (nothing kept in memory),
    for replica in restart:
        replica.stop()
    for replica in restart:
        replica.start()
    # Then redo and undo still walk the same stored history, from either replica.
    assert say(a, auth, sid, "redo").landed
    assert state(b, auth, sid)["draft"] == full
    assert say(b, auth, sid, "undo").landed
    assert state(a, auth, sid)["draft"] == one_back
    assert say(a, auth, sid, "undo").landed
    assert len(texts(state(b, auth, sid)["draft"])) == len(texts(full)) - 2
    assert say(b, auth, sid, "redo").landed
    assert state(a, auth, sid)["draft"] == one_back


def start_turn_then_kill(victim: Replica, auth: dict[str, str], sid: str) -> float:
    """A turn that is surely mid-way on ``victim`` when it is SIGKILLed; returns the time."""
    stream_in_background(victim, auth, sid, '[slow] add the text "lost"')
    deadline = time.monotonic() + 60
    while balance(victim, auth)["frozen"] == 0:  # the turn began: its hold is frozen
        assert time.monotonic() < deadline, "the slow turn never started"
        time.sleep(0.1)
    victim.kill()
    return time.monotonic()


def wait_hold_released(replica: Replica, auth: dict[str, str], killed_at: float) -> float:
    limit = HOLD_EXPIRY_S + REAPER_INTERVAL_S + 3  # expiry, one reaper round, slack
    while balance(replica, auth)["frozen"] != 0:
        assert time.monotonic() - killed_at < limit, "the dead turn's hold was not released"
        time.sleep(0.1)
    return time.monotonic() - killed_at


def test_two_replicas_on_postgres(pg_replicas: tuple[Replica, Replica]) -> None:
    a, b = pg_replicas
    auth, sid = new_session(b)
    start = balance(a, auth)
    assert say(a, auth, sid, "make a slideshow of my photos").landed
    accepted = concurrent_rounds(a, b, auth, sid)
    undo_redo_across(a, b, auth, sid, restart=[a, b])
    charged = 1 + len(accepted) + 7  # slideshow, accepted edits, 4 undos + 3 redos
    assert balance(b, auth) == {"available": start["available"] - charged, "frozen": 0,
                                "total": start["available"] - charged}
    # Given a turn mid-way on A, When A is killed,
    before = state(b, auth, sid)["draft"]
    killed_at = start_turn_then_kill(a, auth, sid)
    # Then B takes the session at once (no 409, the lease is 30 s long),
    after = say(b, auth, sid, 'add the text "after the kill"')
    assert after.status == 200 and after.landed, after
    # and the dead turn's hold goes back within its expiry; nothing of it was stored.
    wait_hold_released(b, auth, killed_at)
    final = state(b, auth, sid)["draft"]
    assert texts(final) == [*texts(before), "after the kill"]
    end = balance(b, auth)
    assert end == {"available": start["available"] - charged - 1, "frozen": 0,
                   "total": start["available"] - charged - 1}


def test_one_server_on_sqlite(sqlite_server: Replica) -> None:
    server = sqlite_server
    auth, sid = new_session(server)
    start = balance(server, auth)
    assert say(server, auth, sid, "make a slideshow of my photos").landed
    accepted = concurrent_rounds(server, server, auth, sid)
    undo_redo_across(server, server, auth, sid, restart=[server])
    charged = 1 + len(accepted) + 7
    before = state(server, auth, sid)["draft"]
    killed_at = start_turn_then_kill(server, auth, sid)
    server.start()
    # The restarted server sees the dead holder is gone: the 30 s lease does not block it.
    after = say(server, auth, sid, 'add the text "after the kill"')
    assert after.status == 200 and after.landed, after
    wait_hold_released(server, auth, killed_at)
    assert texts(state(server, auth, sid)["draft"]) == [*texts(before), "after the kill"]
    assert balance(server, auth) == {"available": start["available"] - charged - 1,
                                     "frozen": 0, "total": start["available"] - charged - 1}
