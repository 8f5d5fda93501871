"""Worker-side bookkeeping against a real Redis, without worker processes: leases, redelivery,
orphan recovery and giving up on a job (credits released)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import redis
from sqlalchemy.exc import OperationalError
from tests.scale.cluster import Cluster, slideshow

from reelwright.jobs.celery_app import RENDER_QUEUE, TASK_RENDER, make_celery
from reelwright.jobs.celery_backend import (
    fail_job,
    job_lease,
    process_job,
    recover_orphans,
)
from reelwright.jobs.leases import Lease
from reelwright.store import Ledger
from reelwright.store.models import RenderJob


@pytest.fixture
def cluster(tmp_path: Path, redis_url: str) -> Cluster:
    redis.Redis.from_url(redis_url).flushdb()
    return Cluster.create(tmp_path, redis_url=redis_url)


def set_status(cluster: Cluster, job_id: str, status: str) -> None:
    db = cluster.db()
    try:
        with db.write() as s:
            row = s.get(RenderJob, job_id)
            assert row is not None
            row.status = status
    finally:
        db.dispose()


def frozen(cluster: Cluster) -> int:
    db = cluster.db()
    try:
        return Ledger(db, cluster.settings).balance(cluster.user_id).frozen
    finally:
        db.dispose()


def test_a_lease_belongs_to_one_holder_until_it_expires(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    first, second = Lease(client, "rw:test:lease", 1), Lease(client, "rw:test:lease", 1)
    assert first.acquire() and not second.acquire()
    assert first.refresh() and not second.refresh()
    second.release()  # not the holder: no effect
    assert first.held_by_anyone()
    time.sleep(1.2)  # the holder stopped beating
    assert not first.held_by_anyone()
    assert second.acquire() and not first.refresh()
    second.release()
    assert not second.held_by_anyone()


def test_redelivered_job_with_a_live_lease_is_deferred_not_dropped(cluster: Cluster) -> None:
    job_id = cluster.add_job(slideshow(list(cluster.media)[:1], 1.0))
    set_status(cluster, job_id, "rendering")
    client = redis.Redis.from_url(str(cluster.settings.redis_url))
    holder = job_lease(client, job_id, cluster.settings)
    assert holder.acquire()
    deferred: list[bool] = []
    app = make_celery(cluster.settings)
    try:
        outcome = process_job(job_id, cluster.settings, app, lambda: deferred.append(True))
    finally:
        app.close()
    assert (outcome, deferred) == ("deferred", [True])
    job = cluster.job(job_id)
    assert (job.status, job.attempts) == ("rendering", 0)  # the holder's work is untouched


def test_finished_jobs_are_skipped(cluster: Cluster) -> None:
    job_id = cluster.add_job(slideshow(list(cluster.media)[:1], 1.0))
    set_status(cluster, job_id, "completed")
    app = make_celery(cluster.settings)
    try:
        assert process_job(job_id, cluster.settings, app, lambda: None) == "skipped"
    finally:
        app.close()
    assert not job_lease(redis.Redis.from_url(str(cluster.settings.redis_url)), job_id,
                         cluster.settings).held_by_anyone()


def test_orphans_without_a_lease_are_sent_again(cluster: Cluster) -> None:
    client = redis.Redis.from_url(str(cluster.settings.redis_url))
    orphan = cluster.add_job(slideshow(list(cluster.media)[:1], 1.0))
    alive = cluster.add_job(slideshow(list(cluster.media)[:1], 1.0))
    waiting = cluster.add_job(slideshow(list(cluster.media)[:1], 1.0))
    for job_id in (orphan, alive):
        set_status(cluster, job_id, "rendering")
    assert job_lease(client, alive, cluster.settings).acquire()
    app = make_celery(cluster.settings)
    try:
        assert recover_orphans(cluster.settings, app) == [orphan]
    finally:
        app.close()
    assert client.llen(RENDER_QUEUE) == 1
    assert cluster.job(waiting).status == "queued"


def test_giving_up_fails_the_job_and_releases_its_credits(cluster: Cluster) -> None:
    job_id = cluster.add_job(slideshow(list(cluster.media)[:1], 1.0))
    set_status(cluster, job_id, "rendering")
    assert frozen(cluster) == 5
    app = make_celery(cluster.settings)
    try:  # what Celery calls when the retries ran out
        app.tasks[TASK_RENDER].on_failure(OperationalError("SELECT", {}, Exception("down")),
                                          "task-id", [job_id], {}, None)
    finally:
        app.close()
    job = cluster.job(job_id)
    assert (job.status, job.error) == ("failed", "Internal error: OperationalError")
    assert frozen(cluster) == 0
    fail_job(cluster.settings, job_id, "again")  # a second give-up changes nothing
    assert cluster.job(job_id).error == "Internal error: OperationalError"
    assert frozen(cluster) == 0
