"""Draft versions stored before the history links existed still undo after the upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from reelwright.draft.codec import dumps
from reelwright.draft.model import Draft
from reelwright.store.db import MIGRATIONS_DIR, Database
from reelwright.store.history import DraftHistory


def test_old_versions_get_parents_and_undo_links(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:  # Given a database at the first schema, with 3 versions
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    now = "2026-11-30 10:00:00"
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO users VALUES ('u', 'anonymous', 'free', :t)"), {"t": now})
        conn.execute(text("INSERT INTO sessions VALUES ('s', 't', 'u', 'nemo_agent', '', 'en', "
                          ":t, :t)"), {"t": now})
        for version, (w, source) in enumerate([(1920, "agent"), (1080, "agent"),
                                               (640, "export")], start=1):
            conn.execute(text("INSERT INTO draft_versions (session_id, version, draft, source, "
                              "created_at) VALUES ('s', :v, :d, :src, :t)"),
                         {"v": version, "d": dumps(Draft(w=w, h=480)), "src": source, "t": now})
    # When it is upgraded,
    db.migrate()
    history = DraftHistory(db)
    rows = history.rows("s")
    assert [(r.parent, r.undo_to, r.redo_to, r.kind) for r in rows] == [
        (None, None, None, "turn"), (1, 1, None, "turn"), (2, 2, None, "export")]
    # Then undo walks back through the old versions, one at a time.
    head = history.head("s")
    assert head is not None
    steps = history.history("s", head)
    assert [steps.undo().w, steps.undo().w] == [1080, 1920]
    assert not steps.can_undo
    db.dispose()
