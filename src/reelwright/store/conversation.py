"""A session's chat as stored data: what the person said and what the agent answered.

The web page reloads it (``GET .../latest`` ``data.state.conversation``) and the LLM planner
reads the last few exchanges from it, so both see the same talk on every replica.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelwright.store.db import Database, as_utc, utcnow
from reelwright.store.models import ChatMessage

ROLES = ("user", "assistant")
PLANNER_MESSAGES = 12
SHOWN_MESSAGES = 100


class Conversation:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def add_in(s: Session, session_id: str, role: str, text: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        s.add(ChatMessage(session_id=session_id, role=role, text=text, created_at=utcnow()))

    def add_exchange(self, session_id: str, message: str, reply: str) -> None:
        with self.db.write() as s:
            self.add_exchange_in(s, session_id, message, reply)

    @classmethod
    def add_exchange_in(cls, s: Session, session_id: str, message: str, reply: str) -> None:
        cls.add_in(s, session_id, "user", message)
        s.flush()  # keeps the two in order (ids) even when created in the same instant
        cls.add_in(s, session_id, "assistant", reply)

    def last(self, session_id: str, count: int = SHOWN_MESSAGES) -> list[dict[str, Any]]:
        """The last ``count`` messages, oldest first: ``{"role", "text", "at"}`` (ISO 8601)."""
        with self.db.read() as s:
            rows = list(s.execute(select(ChatMessage).where(ChatMessage.session_id == session_id)
                                  .order_by(ChatMessage.id.desc()).limit(count)).scalars())
        return [{"role": row.role, "text": row.text,
                 "at": as_utc(row.created_at).isoformat().replace("+00:00", "Z")}
                for row in reversed(rows)]

    def for_planner(self, session_id: str, count: int = PLANNER_MESSAGES
                    ) -> list[dict[str, str]]:
        """The last exchanges in the chat-completions shape the LLM planner sends."""
        return [{"role": m["role"], "content": m["text"]} for m in self.last(session_id, count)]
