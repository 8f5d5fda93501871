"""Google ADK-compatible Event objects, as ADK's own API server sends them over /run_sse.

Field names are ADK's JSON aliases (camelCase): ``content`` with ``role`` and ``parts`` (each
part holds ``text``, ``functionCall`` {id, name, args} or ``functionResponse`` {id, name,
response}), ``author``, ``invocationId``, ``id``, ``timestamp``, ``partial``, ``turnComplete``
and ``actions`` (``stateDelta``, ``artifactDelta``). The new draft travels in
``actions.stateDelta``.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

AUTHOR = "reelwright"


def new_id(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:16]


@dataclass
class Event:
    invocation_id: str
    role: str
    parts: list[dict[str, Any]]
    author: str = AUTHOR
    partial: bool = False
    turn_complete: bool | None = None
    state_delta: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=new_id)
    timestamp: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "content": {"role": self.role, "parts": self.parts},
            "author": self.author,
            "invocationId": self.invocation_id,
            "id": self.id,
            "timestamp": self.timestamp,
            "partial": self.partial,
            "actions": {"stateDelta": self.state_delta, "artifactDelta": {}},
        }
        if self.turn_complete is not None:
            out["turnComplete"] = self.turn_complete
        return out

    @property
    def text(self) -> str:
        return "".join(str(part.get("text", "")) for part in self.parts)


def function_call(invocation_id: str, call_id: str, name: str, args: dict[str, Any]) -> Event:
    return Event(invocation_id, "model",
                 [{"functionCall": {"id": call_id, "name": name, "args": args}}])


def function_response(invocation_id: str, call_id: str, name: str,
                      response: dict[str, Any]) -> Event:
    # ADK puts tool results in a "user"-role content authored by the agent.
    return Event(invocation_id, "user",
                 [{"functionResponse": {"id": call_id, "name": name, "response": response}}])


def final_text(invocation_id: str, text: str, state_delta: dict[str, Any] | None = None
               ) -> Event:
    """The closing event of every turn: what changed (or a question / reason) in plain words."""
    return Event(invocation_id, "model", [{"text": text}], turn_complete=True,
                 state_delta=dict(state_delta or {}))
