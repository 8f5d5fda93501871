"""The turn's store side (lease, compare-and-set landing, holds, reaper, job owner) on a real
PostgreSQL: the very tests of tests/store/test_turn_store.py with a PostgreSQL ``db``.

There the lease is an advisory lock on a connection of its own: a killed holder frees the
session at once, and one that stops pinging loses it when ``idle_session_timeout`` ends its
connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.scale.services import Postgres
from tests.store import test_turn_store

from reelwright.errors import Busy
from reelwright.settings import Settings
from reelwright.store import Database
from reelwright.store.leases import LeaseLost, SessionLeases

for _name in dir(test_turn_store):
    if _name.startswith("test_"):
        globals()[_name.replace("test_", "test_postgres_", 1)] = getattr(test_turn_store, _name)


@pytest.fixture
def settings(tmp_path: Path, postgres: Postgres) -> Settings:
    return Settings({"data_dir": str(tmp_path / "data"), "session_lease_s": 2,
                     "hold_expiry_s": 1, "prices": "chat_turn=1,export=3",
                     "database_url": postgres.new_database()})


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    db = Database.from_settings(settings)
    db.migrate()
    yield db
    db.dispose()


def test_a_holder_whose_connection_dies_loses_the_lease_at_once(db: Database) -> None:
    replica_a, replica_b = SessionLeases(db, ttl=600), SessionLeases(db, ttl=600)
    held = replica_a.acquire("ses_x")
    with pytest.raises(Busy):
        replica_b.acquire("ses_x")
    assert held.conn is not None
    pid = held.conn.execute(text("SELECT pg_backend_pid()")).scalar()
    held.conn.commit()
    # When the database drops A's lock connection (as when A's machine dies),
    with db.engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        admin.commit()
    # Then B gets the session right away, and A can no longer commit under it.
    taken = replica_b.acquire("ses_x")
    with pytest.raises(LeaseLost), replica_a.committing(held):
        pass
    with replica_b.committing(taken):
        pass
    replica_a.release(held)
    replica_b.release(taken)
    replica_a.dispose()
    replica_b.dispose()
