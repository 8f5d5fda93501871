"""A session's draft history as stored data: versions, what made them, undo and redo links.

Each ``DraftVersion`` row is one state of the draft. Its ``undo_to`` / ``redo_to`` name the
versions an undo / redo from it restores, so the editor's undo and redo stacks are read from
the rows alone: the same on every replica and after any restart. A new version is written
compare-and-set on its parent (the head the turn started from): ``version = parent + 1`` under
the ``(session_id, version)`` unique key, after checking the head did not move.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reelwright.draft.codec import from_json, loads, to_json
from reelwright.draft.history import DEFAULT_LIMIT, History, Step
from reelwright.draft.model import Draft
from reelwright.store.db import Database, utcnow
from reelwright.store.models import DraftVersion, WorkSession

KINDS = ("turn", "undo", "redo", "export")


class HeadMoved(Exception):
    """The session's latest version is no longer the one a write was based on."""


@dataclass(frozen=True)
class Head:
    """The latest stored version of a session's draft."""

    version: int
    draft_json: str

    @property
    def draft(self) -> Draft:
        return loads(self.draft_json)


@dataclass(frozen=True)
class NewVersion:
    """What a write stores next to the draft: ``kind`` (``KINDS``), ``target`` (the version an
    undo took back / a redo made again), ``label``, the plan's ``operations``, and the undo /
    redo links."""

    kind: str
    label: str = ""
    target: int | None = None
    operations: Sequence[dict[str, Any]] | None = None
    undo_to: int | None = None
    redo_to: int | None = None


def head_in(s: Session, session_id: str) -> int:
    latest = s.execute(select(func.max(DraftVersion.version))
                       .where(DraftVersion.session_id == session_id)).scalar()
    return int(latest or 0)


def version_from(history: History | None, kind: str, *, label: str, base: int,
                 operations: Sequence[dict[str, Any]] | None = None) -> NewVersion:
    """The links of a version whose draft is ``history.now`` (as a turn left it)."""
    if history is None:
        return NewVersion(kind, label=label[:200], operations=operations)
    past, future = history.past, history.future
    target = None
    if kind == "undo":
        target = base
    elif kind == "redo":
        target = history.now.version
    return NewVersion(kind, label=(history.now.label or label)[:200], target=target,
                      operations=operations,
                      undo_to=past[-1].version if past else None,
                      redo_to=future[-1].version if future else None)


class DraftHistory:
    def __init__(self, db: Database) -> None:
        self.db = db

    def head(self, session_id: str) -> Head | None:
        with self.db.read() as s:
            row = s.execute(select(DraftVersion).where(DraftVersion.session_id == session_id)
                            .order_by(DraftVersion.version.desc()).limit(1)
                            ).scalar_one_or_none()
        return Head(row.version, row.draft) if row is not None else None

    def rows(self, session_id: str) -> list[DraftVersion]:
        """Every version, oldest first (tests, diagnostics)."""
        with self.db.read() as s:
            return list(s.execute(select(DraftVersion)
                                  .where(DraftVersion.session_id == session_id)
                                  .order_by(DraftVersion.version)).scalars())

    def history(self, session_id: str, head: Head, limit: int = DEFAULT_LIMIT) -> History:
        """The undo/redo history at ``head``, read from the stored links; snapshots other
        than the head's are read only when an undo or redo reaches them."""
        with self.db.read() as s:
            links: dict[int, tuple[int | None, int | None, str]] = {
                v: (u, r, label) for v, u, r, label in s.execute(
                select(DraftVersion.version, DraftVersion.undo_to, DraftVersion.redo_to,
                       DraftVersion.label).where(DraftVersion.session_id == session_id))}

        def chain(start: int | None, pick: int) -> list[Step]:
            steps: list[Step] = []
            seen = {head.version}
            while start is not None and start in links and start not in seen \
                    and len(steps) < limit:
                seen.add(start)
                undo_to, redo_to, label = links[start]
                steps.append(Step(label, None, start))
                start = undo_to if pick == 0 else redo_to
            return steps

        undo_to, redo_to, label = links.get(head.version, (None, None, ""))
        past = list(reversed(chain(undo_to, 0)))
        future = list(reversed(chain(redo_to, 1)))
        now = Step(label, to_json(head.draft), head.version)
        return History.of(past, now, future, limit=limit,
                          fetch=lambda version: self._snapshot(session_id, version))

    def _snapshot(self, session_id: str, version: int) -> dict[str, Any]:
        with self.db.read() as s:
            text = s.execute(select(DraftVersion.draft).where(
                DraftVersion.session_id == session_id, DraftVersion.version == version)
            ).scalar_one()
        return to_json(from_json(json.loads(text)))

    def write_in(self, s: Session, session_id: str, base: int, draft_json: str,
                 new: NewVersion, source: str) -> int:
        """Store the next version on top of ``base`` (0: none yet) inside ``s``; raises
        ``HeadMoved`` when another version was stored since ``base`` was read."""
        if new.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        if head_in(s, session_id) != base:
            raise HeadMoved(session_id)
        version = base + 1
        s.add(DraftVersion(
            session_id=session_id, version=version, draft=draft_json, source=source,
            created_at=utcnow(), parent=base or None, kind=new.kind, target=new.target,
            undo_to=new.undo_to, redo_to=new.redo_to, label=new.label[:200],
            operations=json.dumps(list(new.operations), ensure_ascii=False, default=str)
            if new.operations is not None else None))
        s.flush()  # the unique (session_id, version) key refuses a racing twin here
        session = s.get(WorkSession, session_id)
        if session is not None:
            session.updated_at = utcnow()
        return version

    def snapshot(self, session_id: str, draft_json: str, source: str = "export") -> int:
        """Store a draft a client sent (an export of an edited draft) as a new edit on top of
        whatever the head is now: undo goes back to that head, the redo branch is dropped."""
        for _ in range(5):
            with self.db.write() as s:
                base = head_in(s, session_id)
                try:
                    return self.write_in(s, session_id, base, draft_json,
                                         NewVersion("export", label=source,
                                                    undo_to=base or None), source)
                except HeadMoved:
                    continue
        raise HeadMoved(session_id)
