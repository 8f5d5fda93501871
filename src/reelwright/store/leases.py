"""One chat turn per session at a time, across processes: the session lease.

A lease is a ``session_leases`` row (token, owner, expiry) that its holder renews while the turn
runs. How a dead holder is noticed depends on the database:

- **PostgreSQL**: the holder also keeps a session-level advisory lock on the session id, on a
  connection of its own with ``idle_session_timeout`` set to the lease time and pinged at a
  third of it. A holder that is killed drops its connection and the lock goes with it at once;
  one that hangs or is cut off loses it when the timeout ends the connection. Whoever gets the
  advisory lock owns the lease, whatever the row says. The turn's commit runs on that same
  connection, so a turn whose lease went can never commit.
- **SQLite** (one server): the row alone. A row whose owner process (same host: SQLite is a
  local file) no longer exists is free at once; otherwise it is free when it expires.

``committing(lease)`` is the write transaction a turn stores its result in: it proves the lease
is still held at that moment (PostgreSQL: the lock connection is alive; SQLite: the row still
carries the token), else raises ``LeaseLost``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from reelwright.errors import Busy
from reelwright.store.db import Database, as_utc, new_id, utcnow
from reelwright.store.models import SessionLease

BUSY_MESSAGE = "this session is already working on a message; wait for it to finish"


class LeaseLost(Exception):
    """The lease expired or went to someone else while its turn was running."""


def process_owner() -> str:
    """This process as a lease owner: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_is_gone(owner: str) -> bool:
    """True when ``owner`` names a process on this host that no longer exists."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class Lease:
    session_id: str
    token: str
    owner: str
    conn: Connection | None = None  # PostgreSQL: holds the advisory lock
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: bool = False


class SessionLeases:
    def __init__(self, db: Database, ttl: float) -> None:
        self.db = db
        self.ttl = max(1.0, float(ttl))
        self.owner = process_owner()
        self._lock_engine: Engine | None = None

    # --- taking and giving back
    def acquire(self, session_id: str) -> Lease:
        """Take the session's lease or raise ``Busy`` (409) when a live turn holds it."""
        lease = Lease(session_id, new_id("lse", 10), self.owner)
        if self.db.is_sqlite:
            self._acquire_row(lease)
        else:
            self._acquire_lock(lease)
        return lease

    def _acquire_row(self, lease: Lease) -> None:
        now = utcnow()
        with self.db.write() as s:
            row = s.get(SessionLease, lease.session_id)
            if row is not None and as_utc(row.expires_at) > now and \
                    not owner_is_gone(row.owner):
                raise Busy(BUSY_MESSAGE)
            self._write_row(s, lease, row)

    def _write_row(self, s: Session, lease: Lease, row: SessionLease | None) -> None:
        expires = utcnow() + timedelta(seconds=self.ttl)
        if row is None:
            s.add(SessionLease(session_id=lease.session_id, token=lease.token,
                               owner=lease.owner, expires_at=expires))
        else:
            row.token, row.owner, row.expires_at = lease.token, lease.owner, expires

    def _engine(self) -> Engine:
        if self._lock_engine is None:  # a connection of its own per lease, closed with it
            self._lock_engine = create_engine(self.db.url, poolclass=NullPool)
        return self._lock_engine

    def _acquire_lock(self, lease: Lease) -> None:
        conn = self._engine().connect()
        try:
            with conn.begin():
                conn.execute(text(f"SET idle_session_timeout = {int(self.ttl * 1000)}"))
                got = conn.execute(text("SELECT pg_try_advisory_lock(hashtextextended(:k, 0))"),
                                   {"k": lease.session_id}).scalar()
            if not got:
                raise Busy(BUSY_MESSAGE)
            lease.conn = conn
            with self._session(lease) as s, s.begin():
                self._write_row(s, lease, s.get(SessionLease, lease.session_id,
                                                with_for_update=True))
        except BaseException:
            conn.close()
            lease.conn = None
            raise

    @staticmethod
    @contextmanager
    def _session(lease: Lease) -> Iterator[Session]:
        assert lease.conn is not None
        with Session(bind=lease.conn, expire_on_commit=False) as s:
            yield s

    def renew(self, lease: Lease) -> bool:
        """Push the lease's expiry on; False when it was lost."""
        with lease.lock:
            if lease.released:
                return False
            try:
                if lease.conn is not None:
                    with self._session(lease) as s, s.begin():
                        row = s.get(SessionLease, lease.session_id, with_for_update=True)
                        self._write_row(s, lease, row)
                    return True
                with self.db.write() as s:
                    row = s.get(SessionLease, lease.session_id)
                    if row is None or row.token != lease.token:
                        return False
                    self._write_row(s, lease, row)
                    return True
            except DBAPIError:
                return False

    def release(self, lease: Lease) -> None:
        """Give the lease back (idempotent; never raises)."""
        with lease.lock:
            if lease.released:
                return
            lease.released = True
            conn, lease.conn = lease.conn, None
        try:
            with self.db.write() as s:
                s.execute(delete(SessionLease).where(SessionLease.session_id == lease.session_id,
                                                     SessionLease.token == lease.token))
        except Exception:  # the row expires anyway; the advisory lock goes with the conn
            pass
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()  # closing the connection drops the advisory lock

    # --- the commit transaction
    @contextmanager
    def committing(self, lease: Lease) -> Iterator[Session]:
        """A write transaction that only commits while ``lease`` is held."""
        with lease.lock:
            if lease.released:
                raise LeaseLost(lease.session_id)
            if lease.conn is not None:
                try:
                    with self._session(lease) as s, s.begin():
                        # Touching the connection proves it (and so the lock) is alive.
                        row = s.get(SessionLease, lease.session_id, with_for_update=True)
                        if row is None or row.token != lease.token:
                            raise LeaseLost(lease.session_id)
                        yield s
                except (OperationalError, InterfaceError) as exc:
                    # the lock's connection is gone (killed, timed out): so is the lease
                    raise LeaseLost(lease.session_id) from exc
                return
            with self.db.write() as s:
                row = s.get(SessionLease, lease.session_id)
                if row is None or row.token != lease.token:
                    raise LeaseLost(lease.session_id)
                yield s

    def holder(self, session_id: str) -> dict[str, Any] | None:
        """Who holds the session's lease row now (diagnostics and tests)."""
        with self.db.read() as s:
            row = s.get(SessionLease, session_id)
        if row is None or as_utc(row.expires_at) <= utcnow():
            return None
        return {"owner": row.owner, "token": row.token, "expires_at": as_utc(row.expires_at)}

    def dispose(self) -> None:
        if self._lock_engine is not None:
            self._lock_engine.dispose()
