"""Undo / redo for a draft: labelled snapshots, bounded depth, JSON round trip.

Snapshots are stored in the compact JSON form, so nothing held here can be changed by editing a
draft handed out. A step may carry the stored draft ``version`` it is, and its snapshot may be
left out and fetched by that version only when an undo or redo reaches it (``History.of``):
the store builds a session's history from its stored versions without reading every draft.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reelwright.draft.codec import from_json, to_json
from reelwright.draft.model import Draft
from reelwright.errors import OperationInvalid

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Step:
    """One state of the draft and the label of the edit that produced it; ``version`` is the
    stored draft version it is (None until stored), ``draft`` None until fetched."""

    label: str
    draft: dict[str, Any] | None
    version: int | None = None


Fetch = Callable[[int], dict[str, Any]]


class History:
    """Linear undo history: ``push`` after each edit, ``undo``/``redo`` to walk it.

    A new ``push`` after an undo drops the redo branch. At most ``limit`` undo steps are kept;
    the oldest are forgotten first.
    """

    def __init__(self, initial: Draft, *, label: str = "start", limit: int = DEFAULT_LIMIT
                 ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._past: list[Step] = []
        self._now = Step(label, to_json(initial))
        self._future: list[Step] = []
        self._fetch: Fetch | None = None

    @classmethod
    def of(cls, past: Sequence[Step], now: Step, future: Sequence[Step], *,
           fetch: Fetch | None = None, limit: int = DEFAULT_LIMIT) -> History:
        """A history from its steps, oldest first (``future``: the next redo last); steps
        without a snapshot are read with ``fetch(version)`` when reached."""
        if now.draft is None and now.version is None:
            raise ValueError("the current step needs a draft or a version")
        history = cls.__new__(cls)
        history.limit = limit
        history._past = list(past)[-limit:]
        history._now = now
        history._future = list(future)
        history._fetch = fetch
        return history

    def copy(self) -> History:
        """An independent history (steps are immutable, so this is cheap)."""
        return History.of(self._past, self._now, self._future, fetch=self._fetch,
                          limit=self.limit)

    @property
    def now(self) -> Step:
        return self._now

    @property
    def past(self) -> list[Step]:
        """The steps an undo walks back to, oldest first."""
        return list(self._past)

    @property
    def future(self) -> list[Step]:
        """The steps a redo walks to, the next one last."""
        return list(self._future)

    def _loaded(self, step: Step) -> Step:
        if step.draft is not None:
            return step
        if self._fetch is None or step.version is None:
            raise OperationInvalid("that step of the history is no longer available")
        return replace(step, draft=self._fetch(step.version))

    @property
    def current(self) -> Draft:
        """A fresh copy of the current draft."""
        self._now = self._loaded(self._now)
        assert self._now.draft is not None
        return from_json(copy.deepcopy(self._now.draft))

    @property
    def label(self) -> str:
        return self._now.label

    @property
    def can_undo(self) -> bool:
        return bool(self._past)

    @property
    def can_redo(self) -> bool:
        return bool(self._future)

    @property
    def undo_label(self) -> str | None:
        """The edit an undo would take back."""
        return self._now.label if self._past else None

    @property
    def redo_label(self) -> str | None:
        return self._future[-1].label if self._future else None

    def labels(self) -> list[str]:
        """Every step's label, oldest first, the current one last (redo steps not included)."""
        return [step.label for step in self._past] + [self._now.label]

    def push(self, draft: Draft, label: str) -> None:
        """Record ``draft`` as the result of the edit ``label``; clears what could be redone."""
        self._past.append(self._now)
        del self._past[:-self.limit]
        self._now = Step(label, to_json(copy.deepcopy(draft)))
        self._future.clear()

    def undo(self) -> Draft:
        """Go back one edit and return that draft; ``OperationInvalid`` when there is none."""
        if not self._past:
            raise OperationInvalid("there is nothing to undo")
        self._future.append(self._now)
        self._now = self._loaded(self._past.pop())
        return self.current

    def redo(self) -> Draft:
        if not self._future:
            raise OperationInvalid("there is nothing to redo")
        self._past.append(self._now)
        self._now = self._loaded(self._future.pop())
        return self.current

    def to_json(self) -> dict[str, Any]:
        def dump(steps: list[Step]) -> list[dict[str, Any]]:
            return [{"label": s.label, "draft": self._loaded(s).draft} for s in steps]
        return copy.deepcopy({"limit": self.limit, "past": dump(self._past),
                              "now": {"label": self._now.label,
                                      "draft": self._loaded(self._now).draft},
                              "future": dump(self._future)})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> History:
        """Rebuild a history saved with ``to_json``; every snapshot is checked by the codec."""
        def load(raw: dict[str, Any]) -> Step:
            return Step(str(raw["label"]), to_json(from_json(copy.deepcopy(raw["draft"]))))
        history = cls(from_json(copy.deepcopy(data["now"]["draft"])),
                      label=str(data["now"]["label"]), limit=int(data.get("limit", DEFAULT_LIMIT)))
        history._past = [load(raw) for raw in data.get("past", [])][-history.limit:]
        history._future = [load(raw) for raw in data.get("future", [])]
        return history
