"""The operation registry: each edit is a name, a one-line description, an argument schema and
a pure edit function; ``Operation.apply`` runs it on a copy, re-lays out and validates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reelwright.draft.layout import relayout
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.ops import schema as jsonschema
from reelwright.draft.validate import problems
from reelwright.errors import OperationInvalid

Media = Mapping[str, MediaInfo] | None
Args = Mapping[str, Any]
EditFn = Callable[[Draft, Args, Media], None]

OPERATIONS: dict[str, Operation] = {}


@dataclass(frozen=True)
class Operation:
    """One registered edit. ``edit`` mutates the working copy it is handed; ``apply`` is safe."""

    name: str
    description: str
    parameters: Mapping[str, Any]
    edit: EditFn = field(repr=False)

    @property
    def schema(self) -> dict[str, Any]:
        """The tool schema an LLM sees: name, description and JSON Schema of the arguments."""
        return {"name": self.name, "description": self.description,
                "parameters": dict(self.parameters)}

    def check_args(self, args: Any) -> None:
        found = jsonschema.errors(self.parameters, args)
        if found:
            raise OperationInvalid(f"{self.name}: " + "; ".join(found),
                                   data={"operation": self.name, "problems": found})

    def apply(self, draft: Draft, args: Args, media: Media = None) -> Draft:
        """A new draft with this edit applied; raises ``OperationInvalid``, never mutates."""
        self.check_args(args)
        work = draft.copy()
        self.edit(work, args, media)
        relayout(work)
        broken = problems(work, media)
        if broken:
            if work.d <= 0:
                message = "that would leave the video empty"
            else:
                message = "that edit would break the video: " + "; ".join(broken[:3])
            raise OperationInvalid(f"{self.name}: {message}",
                                   data={"operation": self.name, "problems": broken})
        return work


def register(name: str, description: str, parameters: Mapping[str, Any]
             ) -> Callable[[EditFn], EditFn]:
    """Decorator adding an edit function to ``OPERATIONS`` under ``name``."""
    def wrap(fn: EditFn) -> EditFn:
        if name in OPERATIONS:
            raise ValueError(f"operation {name!r} registered twice")
        OPERATIONS[name] = Operation(name, description, parameters, fn)
        return fn
    return wrap


def obj(required: tuple[str, ...] = (), **props: Mapping[str, Any]) -> dict[str, Any]:
    """An object schema with no unknown fields."""
    out: dict[str, Any] = {"type": "object", "properties": dict(props),
                           "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def integer(description: str, minimum: int | None = None,
            maximum: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "integer", "description": description}
    if minimum is not None:
        out["minimum"] = minimum
    if maximum is not None:
        out["maximum"] = maximum
    return out


def number(description: str, minimum: float | None = None,
           maximum: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "number", "description": description}
    if minimum is not None:
        out["minimum"] = minimum
    if maximum is not None:
        out["maximum"] = maximum
    return out


def string(description: str, *, enum: tuple[str, ...] | None = None,
           max_length: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "description": description}
    if enum is not None:
        out["enum"] = list(enum)
    else:
        out["minLength"] = 1
    if max_length is not None:
        out["maxLength"] = max_length
    return out


def boolean(description: str) -> dict[str, Any]:
    return {"type": "boolean", "description": description}
