"""The durable local queue: cancel, shutdown re-queue, crash recovery, failures, holds.

The renderer is replaced by a controllable stand-in here so each state change is
deterministic; tests/api covers real renders.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import reelwright.render
from reelwright.errors import RenderCancelled, RenderFailed
from reelwright.jobs import LocalQueue
from reelwright.render.types import RenderResult
from reelwright.settings import Settings
from reelwright.store import Accounts, Database, Ledger, Projects, new_id, utcnow
from reelwright.store.models import RenderJob

DRAFT = '{"v":1,"w":320,"h":180,"fps":15,"d":1000,"m":{},"t":[]}'


class StandIn:
    """Blocks until released or cancelled; then writes a file or raises."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail_with: Exception | None = None

    def __call__(self, draft: Any, media: Any, output: Any, *, cancel: threading.Event,
                 on_progress: Any, **_: Any) -> RenderResult:
        self.started.set()
        on_progress(0.5)
        while not self.release.wait(0.01):
            if cancel.is_set():
                raise RenderCancelled("cancelled")
        if self.fail_with is not None:
            raise self.fail_with
        Path(output.path).write_bytes(b"video")
        return RenderResult(output.path, output.format, 1000, 5, 320, 180)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    fake = StandIn()
    monkeypatch.setattr(reelwright.render, "render", fake)
    return fake


@pytest.fixture
def env(tmp_path: Path) -> Iterator[tuple[Settings, Database, Ledger, str, str]]:
    settings = Settings({"data_dir": str(tmp_path), "prices": "export=5"})
    db = Database.from_settings(settings)
    db.migrate()
    (settings.data_path / "blobs" / "outputs").mkdir(parents=True)
    ledger = Ledger(db, settings)
    _, caller = Accounts(db, ledger).issue_anonymous("c1", "1.1.1.1")
    session = Projects(db).create(caller.user_id, "nemo_agent", "t", "en")
    yield settings, db, ledger, caller.user_id, session.id
    db.dispose()


def add_job(db: Database, ledger: Ledger, user: str, sid: str, status: str = "queued") -> str:
    job_id = new_id("job")
    hold = ledger.freeze(user, "export", job_id)
    with db.write() as s:
        s.add(RenderJob(id=job_id, client_job_id=job_id, user_id=user, session_id=sid,
                        draft=DRAFT, format="mp4", quality="draft", status=status,
                        hold_id=hold.id, created_at=utcnow()))
    return job_id


def test_job_completes_and_settles(env: Any, stand_in: StandIn) -> None:
    settings, db, ledger, user, sid = env
    queue = LocalQueue(db, settings)
    queue.start()
    try:
        job_id = add_job(db, ledger, user, sid)
        queue.submit(job_id)
        assert stand_in.started.wait(10)
        assert ledger.balance(user).frozen == 5
        stand_in.release.set()
        assert queue.join(10)
    finally:
        queue.stop()
    job = queue.get(job_id)
    assert job is not None and job.status == "completed" and job.progress == 100
    assert Path(job.output_path or "").read_bytes() == b"video"
    assert ledger.balance(user).to_json() == {"available": 95, "frozen": 0, "total": 95}


def test_cancel_running_job_releases_credits(env: Any, stand_in: StandIn) -> None:
    settings, db, ledger, user, sid = env
    queue = LocalQueue(db, settings)
    queue.start()
    try:
        job_id = add_job(db, ledger, user, sid)
        queue.submit(job_id)
        assert stand_in.started.wait(10)
        assert queue.cancel(job_id) is True
        assert queue.join(10)
        assert queue.cancel(job_id) is False
    finally:
        queue.stop()
    job = queue.get(job_id)
    assert job is not None and (job.status, job.error) == ("failed", "Cancelled")
    assert ledger.balance(user).to_json() == {"available": 100, "frozen": 0, "total": 100}


def test_cancel_queued_job(env: Any) -> None:
    settings, db, ledger, user, sid = env
    job_id = add_job(db, ledger, user, sid)  # no workers started
    queue = LocalQueue(db, settings)
    assert queue.cancel(job_id) is True
    job = queue.get(job_id)
    assert job is not None and job.status == "failed"
    assert ledger.balance(user).frozen == 0


def test_shutdown_requeues_and_restart_finishes(env: Any, stand_in: StandIn) -> None:
    settings, db, ledger, user, sid = env
    queue = LocalQueue(db, settings)
    queue.start()
    job_id = add_job(db, ledger, user, sid)
    queue.submit(job_id)
    assert stand_in.started.wait(10)
    queue.stop()
    job = queue.get(job_id)
    assert job is not None and job.status == "queued"
    assert ledger.balance(user).frozen == 5  # still held: the job is not over

    stand_in.release.set()
    again = LocalQueue(db, settings)
    again.start()
    try:
        assert again.join(10)
    finally:
        again.stop()
    job = again.get(job_id)
    assert job is not None and job.status == "completed" and job.attempts == 2
    assert ledger.balance(user).to_json() == {"available": 95, "frozen": 0, "total": 95}


def test_start_requeues_jobs_left_rendering_by_a_crash(env: Any, stand_in: StandIn) -> None:
    settings, db, ledger, user, sid = env
    job_id = add_job(db, ledger, user, sid, status="rendering")
    stand_in.release.set()
    queue = LocalQueue(db, settings)
    queue.start()
    try:
        assert queue.join(10)
    finally:
        queue.stop()
    job = queue.get(job_id)
    assert job is not None and job.status == "completed"


def test_render_failure_is_reported_and_released(env: Any, stand_in: StandIn) -> None:
    settings, db, ledger, user, sid = env
    stand_in.fail_with = RenderFailed("ffmpeg exited with 1: bad filter")
    stand_in.release.set()
    queue = LocalQueue(db, settings)
    queue.start()
    try:
        job_id = add_job(db, ledger, user, sid)
        queue.submit(job_id)
        assert queue.join(10)
    finally:
        queue.stop()
    job = queue.get(job_id)
    assert job is not None and job.status == "failed" and "bad filter" in (job.error or "")
    assert ledger.balance(user).to_json() == {"available": 100, "frozen": 0, "total": 100}
    assert list((settings.data_path / "blobs" / "outputs").iterdir()) == []
