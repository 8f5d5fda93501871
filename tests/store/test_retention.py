from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from reelwright.draft.media import MediaInfo
from reelwright.settings import Settings
from reelwright.store import Accounts, BlobStore, Database, Ledger, Projects, cleanup, utcnow
from reelwright.store.models import WorkSession


def test_cleanup_removes_expired_sessions_with_their_files(tmp_path: Path) -> None:
    settings = Settings({"data_dir": str(tmp_path)})
    db = Database.from_settings(settings)
    db.migrate()
    blobs = BlobStore(tmp_path / "blobs")
    blobs.ensure()
    _, caller = Accounts(db, Ledger(db, settings)).issue_anonymous("c1", "1.1.1.1")
    projects = Projects(db)
    old, fresh = (projects.create(caller.user_id, "nemo_agent", n, "en") for n in "ab")
    for session, media_id in ((old, "med_00000000aaaaaaaa"), (fresh, "med_00000000bbbbbbbb")):
        folder = blobs.media_dir(media_id)
        folder.mkdir(parents=True)
        (folder / "original.jpg").write_bytes(b"x")
        projects.add_media(session.id, MediaInfo(id=media_id, kind="image",
                                                 path=str(folder / "original.jpg")), None)
    for session in (old, fresh):  # generated voice-overs/cards live under the session's id
        generated = blobs.media_dir(session.id) / "generated"
        generated.mkdir(parents=True)
        (generated / "voice.wav").write_bytes(b"x")
    with db.write() as s:
        s.get(WorkSession, old.id).updated_at = utcnow() - timedelta(days=31)

    assert cleanup(db, blobs, 30) == 1
    assert not blobs.media_dir("med_00000000aaaaaaaa").exists()
    assert blobs.media_dir("med_00000000bbbbbbbb").exists()
    assert not blobs.media_dir(old.id).exists()
    assert (blobs.media_dir(fresh.id) / "generated" / "voice.wav").exists()
    assert [m.id for m in projects.media(fresh.id)] == ["med_00000000bbbbbbbb"]
    assert projects.media(old.id) == []
    assert cleanup(db, blobs, 0) == 0  # 0 keeps forever
