"""Sessions and what hangs off them: media, draft versions, generated media."""

from __future__ import annotations

from sqlalchemy import select

from reelwright.draft.media import MediaInfo
from reelwright.errors import SessionNotFound, echo
from reelwright.store.db import Database, new_id, utcnow
from reelwright.store.models import DraftVersion, GeneratedMedia, Media, WorkSession


class Projects:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, user_id: str, app: str, task_name: str, language: str) -> WorkSession:
        now = utcnow()
        row = WorkSession(id=new_id("ses"), task_id=new_id("tsk"), user_id=user_id, app=app,
                          task_name=task_name, language=language, created_at=now,
                          updated_at=now)
        with self.db.write() as s:
            s.add(row)
        return row

    def owned(self, user_id: str, session_id: str) -> WorkSession:
        """The session if ``user_id`` owns it; otherwise 1002, exactly as if it did not exist."""
        with self.db.read() as s:
            row = s.get(WorkSession, session_id) if len(session_id) <= 40 else None
        if row is None or row.user_id != user_id:
            raise SessionNotFound(f"Session {echo(session_id)} not found")
        return row

    def touch(self, session_id: str) -> None:
        with self.db.write() as s:
            row = s.get(WorkSession, session_id)
            if row is not None:
                row.updated_at = utcnow()

    def add_media(self, session_id: str, info: MediaInfo, thumbnail: str | None) -> Media:
        row = Media(id=info.id, session_id=session_id, kind=info.kind, format=info.format,
                    name=info.name, size_bytes=info.size_bytes, info=info.to_json(),
                    thumbnail=thumbnail, created_at=utcnow())
        with self.db.write() as s:
            s.add(row)
            session = s.get(WorkSession, session_id)
            if session is not None:
                session.updated_at = row.created_at
        return row

    def media(self, session_id: str) -> list[Media]:
        with self.db.read() as s:
            return list(s.execute(select(Media).where(Media.session_id == session_id)
                                  .order_by(Media.created_at, Media.id)).scalars())

    def media_infos(self, session_id: str) -> dict[str, MediaInfo]:
        """Every MediaInfo a draft of this session may name (uploads and generated media)."""
        infos = {row.id: MediaInfo.from_json(row.info) for row in self.media(session_id)}
        for gen in self.generated(session_id):
            try:
                infos[gen.id] = MediaInfo.from_json(gen.info)
            except TypeError:
                continue
        return infos

    def generated(self, session_id: str) -> list[GeneratedMedia]:
        with self.db.read() as s:
            return list(s.execute(select(GeneratedMedia)
                                  .where(GeneratedMedia.session_id == session_id)
                                  .order_by(GeneratedMedia.created_at)).scalars())

    def add_generated(self, session_id: str, info: MediaInfo) -> GeneratedMedia:
        row = GeneratedMedia(id=info.id, session_id=session_id, kind=info.kind,
                             info=info.to_json(), created_at=utcnow())
        with self.db.write() as s:
            s.add(row)
        return row

    def append_draft(self, session_id: str, draft_json: str, source: str) -> int:
        """Store a draft a client sent as a new version on top of the latest (an edit outside
        chat: undo goes back to the version before it); returns its version number. Chat
        turns store theirs through ``store.turns``."""
        from reelwright.store.history import DraftHistory

        return DraftHistory(self.db).snapshot(session_id, draft_json, source)

    def latest_draft(self, session_id: str) -> DraftVersion | None:
        with self.db.read() as s:
            return s.execute(select(DraftVersion).where(DraftVersion.session_id == session_id)
                             .order_by(DraftVersion.version.desc()).limit(1)).scalar_one_or_none()
