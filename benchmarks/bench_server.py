"""A real Reelwright server on a free local port, for the benchmarks that measure one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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
