"""SQLAlchemy 2 tables: users, clients, tokens, sessions, media, drafts, jobs and the ledger.

Portable SQL only (SQLite by default, PostgreSQL for scale). Times are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    """An account: one per anonymous client id, or one per registered key."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # anonymous | key
    plan: Mapped[str] = mapped_column(String(40), default="free")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Client(Base):
    """An X-Client-Id that asked for anonymous tokens, and the user it maps to."""

    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    last_token_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Token(Base):
    """A bearer token, stored only as its sha256."""

    __tablename__ = "tokens"
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # anonymous | key
    client_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WorkSession(Base):
    """A project session (the protocol's session_id) with its task."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    app: Mapped[str] = mapped_column(String(64))
    task_name: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Media(Base):
    """One ingested upload; ``info`` is ``MediaInfo.to_json()``."""

    __tablename__ = "media"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    info: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    thumbnail: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DraftVersion(Base):
    """An append-only history of a session's draft (compact JSON text).

    ``parent`` is the version it was made from (versions are written compare-and-set on it, so
    it is always the one before); ``kind`` says what made it: ``turn`` (``operations`` holds the
    plan's calls), ``undo`` / ``redo`` (``target``: the version whose change was taken back /
    made again), ``export`` (a snapshot of a draft a client sent). ``undo_to`` / ``redo_to``
    are the versions an undo / redo from here restores (None: nothing to undo / redo), so the
    editor's two stacks are a persistent linked list every replica reads the same way.
    """

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("session_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    draft: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # export | agent | user
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    parent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="turn")
    target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    undo_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    redo_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    operations: Mapped[str | None] = mapped_column(Text, nullable=True)


class ChatMessage(Base):
    """One line of a session's chat: what the person said (``user``) or the reply."""

    __tablename__ = "chat_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # user | assistant
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionLease(Base):
    """Who runs a turn on a session now (one at a time, across processes), until when."""

    __tablename__ = "session_leases"
    session_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CreditHold(Base):
    """The owner and expiry of a credit hold (the ledger's ``freeze`` row with this id).

    ``owner`` is ``turn:<lease token>`` or ``job:<job id>``. A turn renews its holds while it
    lives; the reaper releases open holds past ``expires_at``, and job holds (no expiry)
    whose job ended or vanished.
    """

    __tablename__ = "credit_holds"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True,
                                                        index=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GeneratedMedia(Base):
    """Media the agent made (voice-over, music, cards): ``gen_...`` ids."""

    __tablename__ = "generated_media"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    info: Mapped[dict] = mapped_column(JSON)  # type: ignore[type-arg]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RenderJob(Base):
    """One export. ``client_job_id`` is the caller's ``render_<ts>``, unique per owner."""

    __tablename__ = "render_jobs"
    __table_args__ = (UniqueConstraint("user_id", "client_job_id"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    client_job_id: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    draft: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16))
    quality: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    output_path: Mapped[str | None] = mapped_column(String(500), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    hold_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LedgerEntry(Base):
    """Append-only credit movements. ``closes`` is unique so a hold settles at most once."""

    __tablename__ = "credit_ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # grant|charge|freeze|settle|release|move
    available_delta: Mapped[int] = mapped_column(Integer)
    frozen_delta: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64), default="")
    ref: Mapped[str] = mapped_column(String(200), default="")
    hold_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    closes: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
