"""The store side of a chat turn: lease, credits, draft history and chat, in one place.

```
begin --(lease taken, chat_turn frozen or short)--> working --land--> landed    (holds settled)
  |                                                    |  \\--unchanged--> kept (holds released)
  409 Busy                                             \\--close before landing--> abandoned
                                                           (holds released, nothing stored)
```
A turn holds the session's lease (``store.leases``) from ``begin`` to ``close`` and renews it
and its credit holds from a keep-alive thread; its holds are owned by ``turn:<lease token>``
and expire when the renewals stop (the reaper releases them). ``land`` stores the new draft
version compare-and-set on the version the turn started from, the generated media, the chat
exchange and settles every hold in one transaction that commits only while the lease is held:
a turn whose draft did not land costs nothing. The HTTP route only translates this to ADK
events.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from reelwright.draft.codec import dumps
from reelwright.draft.history import History
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.errors import NoCredits, OperationInvalid
from reelwright.settings import Settings
from reelwright.store.conversation import Conversation
from reelwright.store.credits import Ledger
from reelwright.store.db import Database, utcnow
from reelwright.store.history import DraftHistory, Head, HeadMoved, version_from
from reelwright.store.leases import Lease, LeaseLost, SessionLeases
from reelwright.store.models import GeneratedMedia
from reelwright.store.projects import Projects

log = logging.getLogger(__name__)
CHARGED_ACTION = "chat_turn"
HISTORY_CALLS = ("undo", "redo")


@dataclass
class Landing:
    """How a turn ended in the store: ``version`` stored (None: nothing stored), or
    ``conflict`` (the draft moved under it, or its lease went: nothing stored or charged)."""

    version: int | None = None
    conflict: bool = False


@dataclass
class TurnOutcome:
    """What the agent produced, as the store needs it."""

    message: str
    reply: str
    changed: bool
    draft: Draft | None
    history: History | None
    calls: list[dict[str, Any]] = field(default_factory=list)
    generated: list[MediaInfo] = field(default_factory=list)


class Turn:
    """One running turn; also the agent's ``Charges`` for media it generates."""

    def __init__(self, service: TurnService, user_id: str, session_id: str, lease: Lease
                 ) -> None:
        self.service, self.user_id, self.session_id, self.lease = \
            service, user_id, session_id, lease
        self.owner = f"turn:{lease.token}"
        self.head: Head | None = None
        self.short: NoCredits | None = None
        self._holds: list[str] = []
        self._done = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._keep_alive, daemon=True,
                                      name=f"turn-lease-{session_id}")

    # --- what the agent reads
    def load(self) -> tuple[Draft | None, dict[str, MediaInfo], History | None,
                            list[dict[str, str]]]:
        """The draft, media, undo history and recent chat the turn starts from."""
        svc = self.service
        self.head = svc.history.head(self.session_id)
        draft = self.head.draft if self.head is not None else None
        history = svc.history.history(self.session_id, self.head) if self.head else None
        return (draft, svc.projects.media_infos(self.session_id), history,
                svc.conversation.for_planner(self.session_id))

    # --- credits (agent.tools.Charges)
    def price(self, action: str) -> int:
        return self.service.ledger.price(action)

    def hold(self, action: str) -> str:
        with self._lock:
            if self._done:
                raise OperationInvalid("the turn was cancelled")
            try:
                hold = self._freeze(action)
            except NoCredits as exc:
                raise OperationInvalid(exc.message, data=exc.data) from exc
            self._holds.append(hold)
            return hold

    def drop(self, hold_id: str) -> None:
        with self._lock:
            if hold_id not in self._holds:
                return
            self._holds.remove(hold_id)
        self.service.ledger.release(hold_id)

    def _freeze(self, action: str) -> str:
        svc = self.service
        return svc.ledger.freeze(self.user_id, action, self.session_id, owner=self.owner,
                                 expires_in=svc.hold_s).id

    def _keep_alive(self) -> None:
        svc = self.service
        every = min(svc.leases.ttl, svc.hold_s) / 3
        while not self._stop.wait(every):
            try:
                if not svc.leases.renew(self.lease):
                    log.warning("turn lease on %s was lost", self.session_id)
                svc.ledger.renew(self.owner, svc.hold_s)
            except Exception:
                log.exception("renewing the turn lease on %s failed", self.session_id)

    # --- endings
    def land(self, outcome: TurnOutcome) -> Landing:
        """Store a finished turn: a changed draft lands (holds settled) or, when its base
        moved or its lease went, nothing lands (holds released); an unchanged turn keeps
        the chat exchange only. Raises the turn's ``NoCredits`` for an edit without credits
        (nothing stored)."""
        with self._lock:
            if self._done:
                return Landing(conflict=True)
            self._done = True
            holds = list(self._holds)
        svc = self.service
        if outcome.changed and self.short is not None:
            self._release(holds)
            raise self.short
        if not (outcome.changed and outcome.draft is not None):
            self._release(holds)
            svc.conversation.add_exchange(self.session_id, outcome.message, outcome.reply)
            return Landing()
        base = self.head.version if self.head is not None else 0
        names = [str(c.get("name")) for c in outcome.calls]
        kind = names[-1] if names and all(n in HISTORY_CALLS for n in names) else "turn"
        new = version_from(outcome.history, kind, label=outcome.message[:80], base=base,
                           operations=outcome.calls)
        try:
            with svc.leases.committing(self.lease) as s:
                if any(not svc.ledger.is_open_in(s, h) for h in holds):
                    raise LeaseLost("a hold of the turn expired")  # the reaper saw it dead
                version = svc.history.write_in(s, self.session_id, base,
                                               dumps(outcome.draft), new, "agent")
                for info in outcome.generated:
                    s.add(GeneratedMedia(id=info.id, session_id=self.session_id,
                                         kind=info.kind, info=info.to_json(),
                                         created_at=utcnow()))
                Conversation.add_exchange_in(s, self.session_id, outcome.message,
                                             outcome.reply)
                for hold in holds:
                    svc.ledger.close_in(s, hold, "settle")
        except (HeadMoved, LeaseLost, IntegrityError) as exc:
            log.warning("turn on %s did not land: %s", self.session_id, type(exc).__name__)
            self._release(holds)
            return Landing(conflict=True)
        return Landing(version=version)

    def record_refusal(self, message: str, reply: str) -> None:
        """Keep the chat exchange of a turn whose result did not land."""
        self.service.conversation.add_exchange(self.session_id, message, reply)

    def close(self) -> None:
        """End the turn on every path: holds not closed are released, the lease given back."""
        with self._lock:
            holds = [] if self._done else list(self._holds)
            self._done = True
        self._stop.set()
        try:
            self._release(holds)
        finally:
            self.service.leases.release(self.lease)
            self.service.active.discard(self.session_id)

    def _release(self, holds: list[str]) -> None:
        for hold in holds:
            try:
                self.service.ledger.release(hold)
            except Exception:  # the reaper releases it when it expires
                log.exception("releasing hold %s failed", hold)


class TurnService:
    """Starts turns: ``begin`` takes the lease and freezes the chat_turn price."""

    def __init__(self, db: Database, ledger: Ledger, projects: Projects, settings: Settings
                 ) -> None:
        self.db, self.ledger, self.projects = db, ledger, projects
        self.history = DraftHistory(db)
        self.conversation = Conversation(db)
        self.leases = SessionLeases(db, float(settings.session_lease_s))
        self.hold_s = max(1.0, float(settings.hold_expiry_s))
        self.active: set[str] = set()  # sessions this process runs a turn on (diagnostics)

    def begin(self, user_id: str, session_id: str) -> Turn:
        """Take the session's lease (``Busy`` when a live turn has it) and freeze the turn's
        price; when credits are short the turn still runs (questions stay free) and
        ``turn.short`` holds the 2001 error an edit will answer."""
        lease = self.leases.acquire(session_id)
        turn = Turn(self, user_id, session_id, lease)
        try:
            try:
                turn._holds.append(turn._freeze(CHARGED_ACTION))
            except NoCredits as exc:
                turn.short = exc
            turn._beat.start()
        except BaseException:
            turn.close()
            raise
        self.active.add(session_id)
        return turn

    def dispose(self) -> None:
        self.leases.dispose()
