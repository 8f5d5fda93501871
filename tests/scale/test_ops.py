"""Operations: /healthz, /metrics and JSON-lines logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from tests.scale.services import free_port

from reelwright.api import create_app
from reelwright.obs import configure_logging
from reelwright.settings import Settings
from reelwright.store import Accounts, Ledger, Projects, new_id, utcnow
from reelwright.store.models import RenderJob


def app_client(tmp_path: Path, **values: Any) -> TestClient:
    settings = Settings({"data_dir": str(tmp_path / "data"), "workers": 1, **values})
    return TestClient(create_app(settings))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with app_client(tmp_path) as test_client:
        yield test_client


def test_healthz_reports_each_part(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["code"] == 0
    assert {k: v["ok"] for k, v in body["data"].items()} == {
        "db": True, "queue": True, "ffmpeg": True}
    assert body["data"]["db"]["detail"] == "sqlite"


def test_healthz_names_what_is_broken(tmp_path: Path, ffmpeg_exe: str) -> None:
    # A service without ffmpeg does not start (tests/render/test_ffmpeg_lookup.py); one whose
    # ffmpeg goes away after start-up says so here.
    link = tmp_path / "ffmpeg"
    link.symlink_to(ffmpeg_exe)
    with app_client(tmp_path, ffmpeg=str(link)) as test_client:
        link.unlink()
        answer = test_client.get("/healthz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["code"] == 503 and "ffmpeg" in body["message"]
    assert body["data"]["db"]["ok"] and not body["data"]["ffmpeg"]["ok"]


def test_healthz_with_celery_checks_the_broker(tmp_path: Path, redis_url: str) -> None:
    with app_client(tmp_path / "up", queue_backend="celery", redis_url=redis_url) as up:
        assert up.get("/healthz").json()["data"]["queue"] == {"ok": True, "detail": "celery"}
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with app_client(tmp_path / "down", queue_backend="celery", redis_url=dead) as down:
        answer = down.get("/healthz")
    assert answer.status_code == 503 and "queue" in answer.json()["message"]


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_metrics_count_jobs_durations_and_failures(client: TestClient) -> None:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    ctx.queue.stop()  # keep the queued row queued: this test only reads the table
    _, caller = Accounts(ctx.db, Ledger(ctx.db, ctx.settings)).issue_anonymous("m", "1.1.1.1")
    session = Projects(ctx.db).create(caller.user_id, "nemo_agent", "t", "en")
    now = utcnow()
    rows = [("completed", 3), ("completed", 40), ("failed", 2), ("queued", None)]
    with ctx.db.write() as s:
        for status, seconds in rows:
            job_id = new_id("job")
            started = now - timedelta(seconds=seconds) if seconds is not None else None
            s.add(RenderJob(id=job_id, client_job_id=job_id, user_id=caller.user_id,
                            session_id=session.id, draft="{}", format="mp4", quality="draft",
                            status=status, created_at=now, started_at=started,
                            finished_at=now if seconds is not None else None))
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    got = _samples(answer.text)
    assert got[("reelwright_queue_depth", (("source", "database"),))] == 1
    assert got[("reelwright_jobs", (("status", "completed"),))] == 2
    assert got[("reelwright_job_failures_total", ())] == 1
    assert got[("reelwright_job_duration_seconds_count", ())] == 3
    assert got[("reelwright_job_duration_seconds_bucket", (("le", "5.0"),))] == 2
    assert got[("reelwright_job_duration_seconds_bucket", (("le", "60.0"),))] == 3
    assert got[("reelwright_job_duration_seconds_sum", ())] == pytest.approx(45, abs=0.5)


def test_json_log_lines_carry_extra_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json")
    try:
        logging.getLogger("reelwright.test").info("job %s done", "j1",
                                                  extra={"job_id": "j1", "seconds": 2.5})
        line = capsys.readouterr().err.strip().splitlines()[-1]
        record = json.loads(line)
        assert record["msg"] == "job j1 done" and record["level"] == "info"
        assert record["job_id"] == "j1" and record["seconds"] == 2.5
        assert record["logger"] == "reelwright.test" and "ts" in record
    finally:
        configure_logging("text")
    with pytest.raises(ValueError, match="log_format"):
        configure_logging("yaml")
