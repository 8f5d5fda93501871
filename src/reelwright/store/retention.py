"""Data retention: sessions idle longer than ``retention_days`` go, with uploads and outputs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from reelwright.store.blobs import BlobStore
from reelwright.store.db import Database, utcnow
from reelwright.store.jobs import ACTIVE
from reelwright.store.models import (
    ChatMessage,
    DraftVersion,
    GeneratedMedia,
    Media,
    RenderJob,
    SessionLease,
    WorkSession,
)
from reelwright.store.periodic import Periodic

log = logging.getLogger(__name__)


def cleanup(db: Database, blobs: BlobStore, retention_days: int,
            now: datetime | None = None) -> int:
    """Delete expired sessions and their files; returns how many sessions went.

    A session with a queued or running render is kept until the render ends.
    """
    if retention_days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    removed = 0
    with db.write() as s:
        old = list(s.execute(select(WorkSession.id).where(WorkSession.updated_at < cutoff))
                   .scalars())
        for sid in old:
            busy = s.execute(select(RenderJob.id).where(
                RenderJob.session_id == sid, RenderJob.status.in_(ACTIVE))).first()
            if busy:
                continue
            media_ids = list(s.execute(select(Media.id).where(Media.session_id == sid))
                             .scalars())
            outputs = list(s.execute(select(RenderJob.output_path)
                                     .where(RenderJob.session_id == sid)).scalars())
            for table in (Media, GeneratedMedia, DraftVersion, ChatMessage, RenderJob,
                          SessionLease):
                s.execute(delete(table).where(table.session_id == sid))
            s.execute(delete(WorkSession).where(WorkSession.id == sid))
            for media_id in media_ids:
                blobs.remove_media(media_id)
            blobs.remove_media(sid)  # the session's generated voice-overs and cards
            for path in outputs:
                blobs.remove_output(path)
            removed += 1
    if removed:
        log.info("retention: removed %d expired sessions", removed)
    return removed


class RetentionThread(Periodic):
    """Runs ``cleanup`` every ``interval`` seconds until stopped."""

    def __init__(self, db: Database, blobs: BlobStore, retention_days: int,
                 interval: float = 3600.0) -> None:
        super().__init__("retention", lambda: cleanup(db, blobs, retention_days), interval,
                         at_start=False)
