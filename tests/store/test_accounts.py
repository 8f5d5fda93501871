from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from reelwright.errors import AuthFailed, BadRequest, RateLimited
from reelwright.settings import Settings
from reelwright.store import Accounts, Database, Ledger, Projects, hash_token, utcnow
from reelwright.store.models import Client, Token


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    settings = Settings({"data_dir": str(tmp_path), "anon_tokens_per_ip": 3})
    db = Database.from_settings(settings)
    db.migrate()
    return Accounts(db, Ledger(db, settings))


def test_tokens_are_stored_hashed(accounts: Accounts) -> None:
    token, caller = accounts.issue_anonymous("c1", "1.1.1.1")
    with accounts.db.read() as s:
        assert s.get(Token, token) is None
        assert s.get(Token, hash_token(token)).user_id == caller.user_id
    assert accounts.resolve(token) == caller


def test_same_client_inside_window_is_rate_limited(accounts: Accounts) -> None:
    accounts.issue_anonymous("c1", "1.1.1.1")
    with pytest.raises(RateLimited) as err:
        accounts.issue_anonymous("c1", "2.2.2.2")
    assert 7 * 86400 - 60 < err.value.retry_after <= 7 * 86400


def test_per_ip_cap_stops_client_id_rotation(accounts: Accounts) -> None:
    for n in range(3):
        accounts.issue_anonymous(f"rot-{n}", "9.9.9.9")
    with pytest.raises(RateLimited):
        accounts.issue_anonymous("rot-3", "9.9.9.9")
    accounts.issue_anonymous("rot-3", "8.8.8.8")  # another address is fine


def test_expired_and_unknown_tokens_fail(accounts: Accounts) -> None:
    token, _ = accounts.issue_anonymous("c1", "1.1.1.1")
    with accounts.db.write() as s:
        s.execute(update(Token).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(AuthFailed):
        accounts.resolve(token)
    with pytest.raises(AuthFailed):
        accounts.resolve("rwa_nope")


def test_window_over_gives_a_new_token_to_the_same_account(accounts: Accounts) -> None:
    _, first = accounts.issue_anonymous("c1", "1.1.1.1")
    with accounts.db.write() as s:
        s.execute(update(Client).values(last_token_at=utcnow() - timedelta(days=8)))
    _, second = accounts.issue_anonymous("c1", "1.1.1.1")
    assert second.user_id == first.user_id


def test_blank_client_id_is_refused(accounts: Accounts) -> None:
    with pytest.raises(BadRequest):
        accounts.issue_anonymous("  ", "1.1.1.1")


def test_bind_moves_sessions_and_credits_onto_a_key(accounts: Accounts) -> None:
    token, anon = accounts.issue_anonymous("c1", "1.1.1.1")
    projects = Projects(accounts.db)
    session = projects.create(anon.user_id, "nemo_agent", "trip", "en")
    key, key_user = accounts.create_key(50, "pro")
    moved = accounts.bind("c1", key)
    assert moved == {"sessions": 1, "credits": 100}
    assert accounts.ledger.balance(key_user).available == 150
    assert accounts.ledger.balance(anon.user_id).total == 0
    assert projects.owned(key_user, session.id).id == session.id
    assert accounts.resolve(token).user_id == key_user
    assert accounts.user_for("c1") == key_user
