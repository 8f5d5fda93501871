"""Edit operations: the catalog every planner (offline rules, LLM tool calls) emits.

Each operation is registered by name with a one-line description and a JSON Schema of its
arguments. ``apply_op`` checks the arguments, edits a copy, re-lays out the timeline and
validates the result; any failure raises ``OperationInvalid`` and leaves the input untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.ops import audio, canvas, look, sequence, text  # noqa: F401  (registers)
from reelwright.draft.ops import interactive as _interactive  # noqa: F401  (registers)
from reelwright.draft.ops.registry import OPERATIONS, Operation
from reelwright.errors import OperationInvalid

__all__ = ["OPERATIONS", "Operation", "apply_op", "apply_ops", "catalog"]


def _operation(name: str) -> Operation:
    op = OPERATIONS.get(name)
    if op is None:
        raise OperationInvalid(f"there is no operation {name!r}; known: "
                               f"{', '.join(sorted(OPERATIONS))}")
    return op


def apply_op(draft: Draft, name: str, args: Mapping[str, Any] | None = None,
             media: Mapping[str, MediaInfo] | None = None) -> Draft:
    """A new draft with operation ``name`` applied; ``draft`` itself is never changed."""
    return _operation(name).apply(draft, dict(args or {}), media)


def apply_ops(draft: Draft, ops: Iterable[tuple[str, Mapping[str, Any]]],
              media: Mapping[str, MediaInfo] | None = None) -> Draft:
    """Apply operations in order, all or nothing: the first failure raises and nothing changes.

    The error says which step failed (``step 2 (set_volume): ...``).
    """
    current = draft
    for step, (name, args) in enumerate(ops, start=1):
        try:
            current = apply_op(current, name, args, media)
        except OperationInvalid as exc:
            raise OperationInvalid(f"step {step}: {exc.message}",
                                   data={"step": step, "operation": name,
                                         "detail": exc.data}) from exc
    return current


def catalog() -> list[dict[str, Any]]:
    """Every operation as ``{"name", "description", "parameters"}``: LLM tool schemas."""
    return [OPERATIONS[name].schema for name in sorted(OPERATIONS)]
