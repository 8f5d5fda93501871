"""The credit ledger: append-only rows, balances are sums, holds freeze credits for a job.

``total == available + frozen`` holds after every transaction because each row moves credits
between the two columns (or in from a grant / out by a charge or settle). Spends lock the
user's row first (``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on PostgreSQL),
so parallel spends can never overdraw.

Every hold has a ``credit_holds`` row naming its owner (``turn:<lease token>``,
``job:<job id>``) and, for turns, an expiry the owner keeps pushing forward while it lives;
``store.reaper`` releases the holds whose owner is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelwright.errors import NoCredits, NotFound
from reelwright.settings import Settings
from reelwright.store.db import Database, new_id, utcnow
from reelwright.store.models import Client, CreditHold, LedgerEntry, User


@dataclass(frozen=True)
class Balance:
    available: int
    frozen: int

    @property
    def total(self) -> int:
        return self.available + self.frozen

    def to_json(self) -> dict[str, int]:
        return {"available": self.available, "frozen": self.frozen, "total": self.total}


@dataclass(frozen=True)
class Hold:
    id: str
    user_id: str
    amount: int


def parse_prices(text: str) -> dict[str, int]:
    """``"chat_turn=1,generate_tts=2"`` -> ``{"chat_turn": 1, "generate_tts": 2}``."""
    prices: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        prices[name.strip()] = int(value)
    return prices


def balance_in(session: Session, user_id: str) -> Balance:
    row = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.available_delta), 0),
               func.coalesce(func.sum(LedgerEntry.frozen_delta), 0))
        .where(LedgerEntry.user_id == user_id)
    ).one()
    return Balance(int(row[0]), int(row[1]))


class Ledger:
    """Credits API used by the routes and the agent: grant, charge, freeze, settle, release."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.prices = parse_prices(settings.prices)

    def price(self, action: str) -> int:
        return self.prices.get(action, 0)

    def balance(self, user_id: str) -> Balance:
        with self.db.read() as session:
            return balance_in(session, user_id)

    def _lock_user(self, session: Session, user_id: str) -> None:
        user = session.execute(
            select(User).where(User.id == user_id).with_for_update()).scalar_one_or_none()
        if user is None:
            raise NotFound(f"no such user {user_id!r}")

    def _no_credits(self, session: Session, user_id: str, needed: int, have: int) -> NoCredits:
        client = session.execute(
            select(Client.id).where(Client.user_id == user_id)).scalars().first()
        hint = f"{self.settings.register_url}?bind={client}" if client else \
            self.settings.register_url
        return NoCredits(f"Not enough credits ({needed} needed, {have} available). "
                         f"Register or top up at {hint}",
                         data={"needed": needed, "available": have, "register_url": hint})

    def grant(self, user_id: str, amount: int, *, ref: str = "", session: Session | None = None,
              ) -> Balance:
        """Add credits (sign-up bonus, admin top-up)."""
        if amount <= 0:
            raise ValueError("a grant must be positive")
        if session is not None:
            session.add(LedgerEntry(user_id=user_id, kind="grant", available_delta=amount,
                                    frozen_delta=0, action="grant", ref=ref,
                                    created_at=utcnow()))
            return balance_in(session, user_id)
        with self.db.write() as s:
            self._lock_user(s, user_id)
            return self.grant(user_id, amount, ref=ref, session=s)

    def charge(self, user_id: str, action: str, ref: str = "") -> int:
        """Take the price of ``action`` now; raises NoCredits when short. Returns the price."""
        amount = self.price(action)
        if amount == 0:
            return 0
        with self.db.write() as s:
            self._lock_user(s, user_id)
            have = balance_in(s, user_id).available
            if have < amount:
                raise self._no_credits(s, user_id, amount, have)
            s.add(LedgerEntry(user_id=user_id, kind="charge", available_delta=-amount,
                              frozen_delta=0, action=action, ref=ref, created_at=utcnow()))
        return amount

    def freeze(self, user_id: str, action: str, ref: str = "", *, owner: str = "",
               expires_in: float | None = None, session: Session | None = None) -> Hold:
        """Move the price of ``action`` from available to frozen until settle or release.

        ``owner`` names who settles or releases it; with ``expires_in`` (seconds) the reaper
        releases it once that passed without a ``renew``. ``session``: inside that
        transaction (the caller locked nothing yet)."""
        amount = self.price(action)
        hold = Hold(new_id("hold"), user_id, amount)
        if session is None:
            with self.db.write() as s:
                return self.freeze(user_id, action, ref, owner=owner, expires_in=expires_in,
                                   session=s)
        s = session
        self._lock_user(s, user_id)
        have = balance_in(s, user_id).available
        if have < amount:
            raise self._no_credits(s, user_id, amount, have)
        now = utcnow()
        s.add(LedgerEntry(user_id=user_id, kind="freeze", available_delta=-amount,
                          frozen_delta=amount, action=action, ref=ref, hold_id=hold.id,
                          created_at=now))
        s.add(CreditHold(id=hold.id, owner=owner or f"{action}:{ref}", closed=False,
                         expires_at=None if expires_in is None
                         else now + timedelta(seconds=expires_in), created_at=now))
        return hold

    def renew(self, owner: str, expires_in: float) -> int:
        """Push the expiry of ``owner``'s open holds ``expires_in`` seconds from now."""
        with self.db.write() as s:
            result = s.execute(update(CreditHold).where(
                CreditHold.owner == owner, CreditHold.closed.is_(False),
                CreditHold.expires_at.is_not(None))
                .values(expires_at=utcnow() + timedelta(seconds=expires_in)))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def settle(self, hold: Hold | str) -> bool:
        """Spend the frozen credits. Returns False when the hold was already closed."""
        return self._close(hold, "settle")

    def release(self, hold: Hold | str) -> bool:
        """Give the frozen credits back. Returns False when the hold was already closed."""
        return self._close(hold, "release")

    def _close(self, hold: Hold | str, kind: str) -> bool:
        hold_id = hold if isinstance(hold, str) else hold.id
        try:
            with self.db.write() as s:
                return self.close_in(s, hold_id, kind)
        except IntegrityError:
            return False  # `closes` is unique: settled or released before

    def close_in(self, s: Session, hold_id: str, kind: str) -> bool:
        """Settle or release (``kind``) a hold inside the caller's transaction; False when
        it was closed before. The user's row is locked first, so two closes queue."""
        if kind not in ("settle", "release"):
            raise ValueError(kind)
        opened = s.execute(select(LedgerEntry).where(
            LedgerEntry.hold_id == hold_id, LedgerEntry.kind == "freeze")
        ).scalar_one_or_none()
        if opened is None:
            raise NotFound(f"no such hold {hold_id!r}")
        self._lock_user(s, opened.user_id)
        if not self.is_open_in(s, hold_id):
            return False
        amount = opened.frozen_delta
        s.add(LedgerEntry(
            user_id=opened.user_id, kind=kind,
            available_delta=amount if kind == "release" else 0,
            frozen_delta=-amount, action=opened.action, ref=opened.ref,
            hold_id=hold_id, closes=hold_id, created_at=utcnow()))
        s.execute(update(CreditHold).where(CreditHold.id == hold_id).values(closed=True))
        return True

    @staticmethod
    def is_open_in(s: Session, hold_id: str) -> bool:
        closed = s.execute(select(LedgerEntry.id).where(LedgerEntry.closes == hold_id)).first()
        return closed is None

    def open_holds(self, user_id: str | None = None) -> list[str]:
        with self.db.read() as s:
            closed = select(LedgerEntry.closes).where(LedgerEntry.closes.is_not(None))
            query = select(LedgerEntry.hold_id).where(
                LedgerEntry.kind == "freeze", LedgerEntry.hold_id.not_in(closed))
            if user_id is not None:
                query = query.where(LedgerEntry.user_id == user_id)
            return [h for h in s.execute(query).scalars() if h]

    def move_all(self, session: Session, from_user: str, to_user: str) -> int:
        """Move every available credit from one user to another (admin ``bind``)."""
        amount = balance_in(session, from_user).available
        if amount > 0:
            now = utcnow()
            session.add(LedgerEntry(user_id=from_user, kind="move", available_delta=-amount,
                                    frozen_delta=0, action="bind", ref=to_user, created_at=now))
            session.add(LedgerEntry(user_id=to_user, kind="move", available_delta=amount,
                                    frozen_delta=0, action="bind", ref=from_user,
                                    created_at=now))
        return amount
