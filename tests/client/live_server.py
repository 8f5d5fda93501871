"""A real Reelwright server for end-to-end tests: uvicorn on a free 127.0.0.1 port, in a
thread, with its own temporary data dir. Import ``live_server`` into a test module or conftest
to use it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from reelwright.settings import Settings


@dataclass(frozen=True)
class LiveServer:
    url: str
    data_dir: Path

    @property
    def has_agent(self) -> bool:
        """Whether the service routes /run_sse yet (a missing route answers 404 / 405)."""
        response = httpx.post(self.url + "/run_sse", json={})
        return response.status_code not in (404, 405) or response.json().get("code") == 1002


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    try:
        import uvicorn

        from reelwright.api import create_app
    except ImportError as exc:  # the service is being written in parallel
        pytest.skip(f"the HTTP service is not importable yet: {exc}")
    data_dir = tmp_path_factory.mktemp("server-data")
    port = _free_port()
    app = create_app(Settings({"data_dir": str(data_dir), "workers": 1, "port": port}))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    assert httpx.get(url + "/api/health").json()["code"] == 0
    try:
        yield LiveServer(url=url, data_dir=data_dir)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
