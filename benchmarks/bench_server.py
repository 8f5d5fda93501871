"""A real Reelwright server on a free local port, for the benchmarks that measure one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import httpx


def start_server(data_dir: Path, env: dict[str, str],
                 log: IO[bytes] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``reelwright.cli.serve`` in a new session; returns it and its base URL once
    ``/api/health`` answers. Its output goes to ``log`` (discarded without one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import sys; from pathlib import Path; from reelwright.cli.serve import serve; "
            "serve('127.0.0.1', int(sys.argv[1]), Path(sys.argv[2]))")
    out = log if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-c", code, str(port), str(data_dir)],
                            env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


ATTRIBUTION = {"X-Skill-Source": "bench", "X-Skill-Version": "1", "X-Skill-Platform": "cli"}


def open_session(http: httpx.Client, client_id: str = "bench") -> tuple[dict[str, str], str]:
    """An anonymous token and a new session: the headers to send and the session id."""
    token = http.post("/api/auth/anonymous-token",
                      headers={"X-Client-Id": client_id}).json()["data"]["token"]
    auth = {"Authorization": f"Bearer {token}", **ATTRIBUTION}
    sid = http.post("/api/tasks/me/with-session/nemo_agent", headers=auth,
                    json={}).json()["data"]["session_id"]
    return auth, str(sid)


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (0 once it has exited)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    """Child processes of every thread of ``pid`` (a worker may be started from a pool
    thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class PeakRss:
    """While the ``with`` block runs, samples the peak RSS of ``pid`` (``peak``) and of its
    child processes (``child_peak``) every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every = pid, every
        self.peak = rss_mb(pid)
        self.child_peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            for child in children(self.pid):
                self.child_peak = max(self.child_peak, rss_mb(child))
            time.sleep(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()
