"""Session-wide Redis and PostgreSQL for the scale tests (started once, stopped at the end)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.scale.services import Postgres, postgres_server, redis_server


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server
