"""The store's credit and account tests, run again against a real PostgreSQL.

The test functions are the very ones in tests/store; only the fixtures change, so both
databases are held to the same rules (total = available + frozen, no overdraw under
concurrency, rate limits, binding).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from tests.scale.services import Postgres
from tests.store import test_accounts, test_credits

from reelwright.settings import Settings
from reelwright.store import Accounts, Database, Ledger

for _module in (test_credits, test_accounts):
    for _name in dir(_module):
        if _name.startswith("test_"):
            globals()[_name.replace("test_", "test_postgres_", 1)] = getattr(_module, _name)


def _database(postgres: Postgres, tmp_path: Path, **values: object) -> tuple[Settings, Database]:
    settings = Settings({"data_dir": str(tmp_path), "database_url": postgres.new_database(),
                         **values})
    db = Database.from_settings(settings)
    db.migrate()
    return settings, db


@pytest.fixture
def ledger(postgres: Postgres, tmp_path: Path) -> Iterator[Ledger]:
    settings, db = _database(postgres, tmp_path, prices="chat_turn=3,export=0",
                             register_url="https://rw.example/register")
    yield Ledger(db, settings)
    db.dispose()


@pytest.fixture
def accounts(postgres: Postgres, tmp_path: Path) -> Iterator[Accounts]:
    settings, db = _database(postgres, tmp_path, anon_tokens_per_ip=3)
    yield Accounts(db, Ledger(db, settings))
    db.dispose()


def test_migrations_build_the_same_tables_on_postgres_and_sqlite(postgres: Postgres,
                                                                 tmp_path: Path) -> None:
    _, pg = _database(postgres, tmp_path / "pg")
    lite = Database.from_settings(Settings({"data_dir": str(tmp_path / "lite")}))
    lite.migrate()
    try:
        assert pg.engine.dialect.name == "postgresql"
        for_pg, for_lite = inspect(pg.engine), inspect(lite.engine)
        assert set(for_pg.get_table_names()) == set(for_lite.get_table_names())
        for table in for_lite.get_table_names():
            assert ({c["name"] for c in for_pg.get_columns(table)}
                    == {c["name"] for c in for_lite.get_columns(table)}), table
    finally:
        pg.dispose()
        lite.dispose()
