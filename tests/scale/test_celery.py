"""Renders through Celery: real redis-server, `reelwright worker` subprocesses, shared data dir.

Given a job stored ``queued`` and announced through ``CeleryQueue.submit``,
when workers run, then the job completes with a real video, credits settle exactly once,
and a worker killed with SIGKILL mid-render hands the job to another worker.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from tests.scale.cluster import Cluster, slideshow
from tests.scale.services import Postgres

from reelwright.jobs.celery_backend import CeleryQueue
from reelwright.store import Ledger

pytestmark = pytest.mark.slow


@pytest.fixture
def make_cluster(tmp_path: Path, redis_url: str) -> Iterator[object]:
    made: list[Cluster] = []

    def make(**values: object) -> Cluster:
        import redis

        redis.Redis.from_url(redis_url).flushdb()  # each test its own queue
        cluster = Cluster.create(tmp_path, redis_url=redis_url, **values)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.stop_all()


def video_facts(path: str) -> tuple[int, float, str]:
    with av.open(path) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video=0))
        assert container.streams.audio, "no audio stream"
        return frames, float(container.duration or 0) / 1e6, str(stream.codec_context.name)


def processes_mentioning(text: str) -> list[int]:
    """Live (not zombie) processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def balance(cluster: Cluster) -> tuple[int, int]:
    db = cluster.db()
    try:
        b = Ledger(db, cluster.settings).balance(cluster.user_id)
        return b.available, b.frozen
    finally:
        db.dispose()


def submit(cluster: Cluster, job_id: str) -> None:
    db = cluster.db()
    queue = CeleryQueue(db, cluster.settings)
    try:
        queue.submit(job_id)
    finally:
        queue.stop()
        db.dispose()


def test_render_through_celery_on_postgres(make_cluster, postgres: Postgres) -> None:
    cluster = make_cluster(database_url=postgres.new_database())
    cluster.start_worker("w1")
    job_id = cluster.add_job(slideshow(list(cluster.media)[:2], 1.0))
    assert balance(cluster) == (95, 5)
    submit(cluster, job_id)
    job = cluster.wait(job_id, ("completed", "failed"))
    assert job.status == "completed", job.error
    assert job.progress == 100 and job.attempts == 1
    frames, seconds, codec = video_facts(str(job.output_path))
    assert (frames, codec) == (50, "h264")
    assert abs(seconds - 2.0) < 0.05
    assert balance(cluster) == (95, 0)  # settled once, nothing left frozen


def test_cancel_through_celery_releases_credits(make_cluster) -> None:
    cluster = make_cluster()
    job_id = cluster.add_job(slideshow(list(cluster.media)[:2], 1.0))
    db = cluster.db()
    queue = CeleryQueue(db, cluster.settings)
    try:
        queue.submit(job_id)
        assert queue.cancel(job_id) is True  # no worker yet: still queued
        assert queue.cancel(job_id) is False
        assert queue.depth() == 1
    finally:
        queue.stop()
        db.dispose()
    cluster.start_worker("w1")
    assert balance(cluster) == (100, 0)
    job = cluster.wait(job_id, ("failed",))
    assert job.error == "Cancelled" and job.attempts == 0
    assert job.output_path is None


def test_worker_killed_mid_render_job_completes_on_another(make_cluster) -> None:
    cluster = make_cluster()
    first = cluster.start_worker("doomed")
    draft = slideshow(list(cluster.media), 1.5, w=640, h=360)  # 12 s: long enough to kill
    job_id = cluster.add_job(draft, quality="medium")
    submit(cluster, job_id)
    cluster.wait(job_id, ("rendering",), min_progress=1)
    cluster.kill(first)
    assert cluster.job(job_id).status == "rendering"  # cut off: nobody finished it
    deadline = time.monotonic() + 10
    while processes_mentioning(job_id) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(job_id) == []  # its ffmpeg died with it
    cluster.start_worker("rescuer")
    job = cluster.wait(job_id, ("completed", "failed"), timeout=150)
    assert job.status == "completed", job.error
    assert job.attempts == 2
    frames, seconds, _ = video_facts(str(job.output_path))
    assert frames == 300 and abs(seconds - 12.0) < 0.05
    assert balance(cluster) == (95, 0)
    leftovers = [p for p in Path(job.output_path).parent.iterdir() if p.name.startswith(job_id)]
    assert leftovers == [Path(job.output_path)]  # the killed attempt's file was cleaned up


def test_chunked_job_is_shared_between_two_workers(make_cluster) -> None:
    cluster = make_cluster(chunk_parts=2, chunk_min_s=0)
    cluster.start_worker("a")
    cluster.start_worker("b")
    cluster.wait_ready("a")
    cluster.wait_ready("b")
    draft = slideshow(list(cluster.media)[:6], 1.0, transition_every=4)
    job_id = cluster.add_job(draft)
    submit(cluster, job_id)
    job = cluster.wait(job_id, ("completed", "failed"), timeout=120)
    assert job.status == "completed", job.error
    frames, seconds, _ = video_facts(str(job.output_path))
    assert frames == round(draft["d"] * 25 / 1000)
    assert abs(seconds - draft["d"] / 1000) < 0.05
    logs = cluster.log("a") + cluster.log("b")
    # the second chunk went through the chunk queue and was rendered by the other worker
    assert "reelwright.render_chunk" in logs and "'done'" in logs, logs[-3000:]
    assert not any(Path(cluster.settings.data_path, "blobs", "work").glob("*/chunk-*.mp4"))


def test_a_worker_alone_releases_holds_whose_owner_is_gone(make_cluster) -> None:
    cluster = make_cluster(reaper_interval_s=1)
    db = cluster.db()
    try:
        # Given a chat turn's hold whose API server died (it stopped renewing: expired),
        Ledger(db, cluster.settings).freeze(cluster.user_id, "export", "ses", owner="turn:gone",
                                            expires_in=0.2)
    finally:
        db.dispose()
    time.sleep(0.3)
    assert balance(cluster) == (95, 5)
    # When only a render worker runs, Then its reaper gives the credits back.
    cluster.start_worker("reaper")
    deadline = time.monotonic() + 60
    while balance(cluster) != (100, 0):
        assert time.monotonic() < deadline, cluster.log("reaper")[-3000:]
        time.sleep(0.2)
