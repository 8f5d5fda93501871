"""A small Server-Sent Events reader: ``data:`` lines joined per event, comments ignored.

Heartbeats arrive as comment lines (``: ping``) so proxies keep the stream open; they carry no
event and never reach the caller.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SseMessage:
    """One dispatched SSE event: its ``event:`` name (``message`` by default) and data text."""

    event: str
    data: str
    id: str | None = None

    def json(self) -> Any:
        return json.loads(self.data)


def iter_messages(lines: Iterable[str]) -> Iterator[SseMessage]:
    """Messages from the stream's lines (without their line endings), per the SSE spec."""
    event, last_id = "", None
    data: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if data:
                yield SseMessage(event or "message", "\n".join(data), last_id)
            event, data = "", []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id":
            last_id = value
    if data:
        # A server that closes without the final blank line still meant the last event.
        yield SseMessage(event or "message", "\n".join(data), last_id)
