"""A small render cluster for tests: shared data dir, `reelwright worker` subprocesses, jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reelwright.draft import MediaInfo, dumps, from_json
from reelwright.settings import Settings
from reelwright.store import Accounts, Database, Ledger, Projects, new_id, utcnow
from reelwright.store.models import RenderJob

WORKER = [sys.executable, "-c", "from reelwright.cli.main import app; app()", "worker"]


def photo(path: Path, seed: int, size: tuple[int, int] = (480, 360)) -> Path:
    """A smooth random picture (cheap to make, not flat, not black)."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(0, 255, (6, 8, 3)).astype(np.uint8)
    Image.fromarray(small).resize(size, Image.BILINEAR).save(path, quality=90)
    return path


def slideshow(media_ids: list[str], seconds_each: float, w: int = 320, h: int = 240,
              fps: int = 25, transition_every: int = 0) -> dict[str, Any]:
    """Photos with Ken Burns, hard cuts (a crossfade into every ``transition_every``-th)."""
    kb = {"z0": 1.0, "z1": 1.2, "x0": 0.4, "y0": 0.5, "x1": 0.6, "y1": 0.5}
    segs, st = [], 0
    each = int(seconds_each * 1000)
    for n, mid in enumerate(media_ids):
        m: dict[str, Any] = {"kb": kb}
        if transition_every and n and n % transition_every == 0:
            m["tr"] = {"n": "fade", "d": 400}
            st -= 400
        segs.append({"id": f"s{n}", "src": mid, "st": st, "d": each, "m": m})
        st += each
    return {"v": 1, "w": w, "h": h, "fps": fps, "d": st, "m": {},
            "t": [{"id": "v", "tt": 0, "sg": segs},
                  {"id": "x", "tt": 7, "sg": [{"id": "t", "st": 200, "d": st - 400,
                                                "m": {"text": "Scale test", "role": "caption"}}]}]}


@dataclass
class Cluster:
    """Settings every process shares, plus one user with a session full of photos."""

    settings: Settings
    root: Path
    user_id: str = ""
    session_id: str = ""
    media: dict[str, MediaInfo] = field(default_factory=dict)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @classmethod
    def create(cls, root: Path, **values: Any) -> Cluster:
        base = {"data_dir": str(root / "data"), "queue_backend": "celery",
                "prices": "export=5", "visibility_timeout": 4, "render_timeout": 120}
        settings = Settings({**base, **values})
        cluster = cls(settings, root)
        db = cluster.db()
        try:
            db.migrate()
            ledger = Ledger(db, settings)
            _, caller = Accounts(db, ledger).issue_anonymous("scale", "10.0.0.1")
            cluster.user_id = caller.user_id
            projects = Projects(db)
            cluster.session_id = projects.create(caller.user_id, "nemo_agent", "t", "en").id
            folder = settings.data_path / "uploads"
            folder.mkdir(parents=True, exist_ok=True)
            for n in range(8):
                path = photo(folder / f"p{n}.jpg", n)
                info = MediaInfo(new_id("med"), "image", str(path), name=path.name,
                                 format="jpg", w=480, h=360, has_video=True)
                projects.add_media(cluster.session_id, info, None)
                cluster.media[info.id] = info
        finally:
            db.dispose()
        return cluster

    def db(self) -> Database:
        return Database.from_settings(self.settings)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("data_dir", "database_url", "redis_url", "visibility_timeout",
                    "render_timeout", "chunk_parts", "chunk_min_s", "prices", "log_format",
                    "reaper_interval_s", "hold_expiry_s"):
            env["REELWRIGHT_" + key.upper()] = str(getattr(self.settings, key))
        env["REELWRIGHT_DATA_DIR"] = str(self.settings.data_path)
        return env

    def start_worker(self, name: str, concurrency: int = 1) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([*WORKER, "--concurrency", str(concurrency), "--name", name],
                                env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        self.workers.append(proc)
        return proc

    def wait_ready(self, name: str, timeout: float = 60) -> None:
        """Until the worker says it is consuming (Celery logs ``<name>@<host> ready.``)."""
        deadline = time.monotonic() + timeout
        while f"{name}@" not in self.log(name) or " ready." not in self.log(name):
            if time.monotonic() > deadline:
                raise AssertionError(f"worker {name} not ready:\n{self.log(name)[-3000:]}")
            time.sleep(0.1)

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker's whole process group (as if its machine died)."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def add_job(self, draft: dict[str, Any], quality: str = "draft") -> str:
        db = self.db()
        try:
            job_id = new_id("job")
            hold = Ledger(db, self.settings).freeze(self.user_id, "export", job_id)
            with db.write() as s:
                s.add(RenderJob(id=job_id, client_job_id=job_id, user_id=self.user_id,
                                session_id=self.session_id, draft=dumps(from_json(draft)),
                                format="mp4", quality=quality, status="queued", progress=0.0,
                                hold_id=hold.id, created_at=utcnow()))
            return job_id
        finally:
            db.dispose()

    def job(self, job_id: str) -> RenderJob:
        db = self.db()
        try:
            with db.read() as s:
                row = s.get(RenderJob, job_id)
            assert row is not None
            return row
        finally:
            db.dispose()

    def wait(self, job_id: str, statuses: tuple[str, ...], timeout: float = 90,
             min_progress: float = -1) -> RenderJob:
        deadline = time.monotonic() + timeout
        while True:
            row = self.job(job_id)
            if row.status in statuses and row.progress >= min_progress:
                return row
            if time.monotonic() > deadline:
                logs = "\n".join(self.log(p.args[-1]) for p in self.workers)  # type: ignore
                raise AssertionError(f"job {job_id} stuck at {row.status} "
                                     f"{row.progress}%: {row.error}\n{logs[-4000:]}")
            time.sleep(0.1)
