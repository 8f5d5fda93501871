from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reelwright.errors import NoCredits
from reelwright.settings import Settings
from reelwright.store import Accounts, Database, Ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    settings = Settings({"data_dir": str(tmp_path), "prices": "chat_turn=3,export=0",
                         "register_url": "https://rw.example/register"})
    db = Database.from_settings(settings)
    db.migrate()
    return Ledger(db, settings)


def anon(ledger: Ledger, client_id: str = "c1") -> str:
    _, caller = Accounts(ledger.db, ledger).issue_anonymous(client_id, "10.0.0.1")
    return caller.user_id


def test_migrations_run_twice_without_harm(ledger: Ledger) -> None:
    ledger.db.migrate()
    assert ledger.balance(anon(ledger)).available == 100


def test_freeze_settle_release_keep_total_equal_available_plus_frozen(ledger: Ledger) -> None:
    user = anon(ledger)
    hold = ledger.freeze(user, "chat_turn", "turn-1")
    b = ledger.balance(user)
    assert (b.available, b.frozen, b.total) == (97, 3, 100)
    assert ledger.settle(hold) is True
    assert ledger.settle(hold) is False  # never charged twice
    assert ledger.release(hold) is False
    b = ledger.balance(user)
    assert (b.available, b.frozen, b.total) == (97, 0, 97)
    hold2 = ledger.freeze(user, "chat_turn", "turn-2")
    assert ledger.release(hold2) is True
    assert ledger.balance(user).to_json() == {"available": 97, "frozen": 0, "total": 97}
    assert ledger.open_holds(user) == []


def test_no_credits_message_carries_bind_hint(ledger: Ledger) -> None:
    user = anon(ledger, "client-xyz")
    for _ in range(33):
        ledger.charge(user, "chat_turn")
    with pytest.raises(NoCredits) as err:
        ledger.charge(user, "chat_turn")
    assert "https://rw.example/register?bind=client-xyz" in err.value.message
    assert ledger.balance(user).available == 1


def test_free_actions_cost_nothing(ledger: Ledger) -> None:
    user = anon(ledger)
    assert ledger.charge(user, "export") == 0
    assert ledger.balance(user).available == 100


def test_parallel_spends_never_overdraw(ledger: Ledger) -> None:
    # Given 100 credits and 3 per turn, 33 turns fit; 60 threads race for them.
    user = anon(ledger)
    wins: list[int] = []
    losses: list[int] = []
    barrier = threading.Barrier(60)

    def spend() -> None:
        barrier.wait()
        try:
            ledger.charge(user, "chat_turn")
            wins.append(1)
        except NoCredits:
            losses.append(1)

    threads = [threading.Thread(target=spend) for _ in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    b = ledger.balance(user)
    assert len(wins) == 33 and len(losses) == 27
    assert b.available == 1 and b.frozen == 0 and b.total == 1
