"""A real Reelwright server (uvicorn on a free 127.0.0.1 port, temp data dir) and headless
Chromium driven by Playwright. Skips on a laptop without chromium/playwright; fails under CI."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


@dataclass
class LiveServer:
    url: str
    app: Any

    @property
    def ctx(self) -> Any:
        return self.app.state.ctx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from reelwright.api.app import create_app
    from reelwright.settings import Settings

    data_dir = tmp_path_factory.mktemp("web-data")
    app = create_app(Settings({"data_dir": str(data_dir), "ffmpeg_threads": 2}))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="web-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def new_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """Open the page in a fresh browser context (own localStorage); every request it makes is
    recorded in ``page.requests_seen`` and browser console errors in ``page.console_errors``."""
    contexts: list[Any] = []

    def open_page(*, viewport: tuple[int, int] = (1280, 860), locale: str = "en-US",
                  wait_ready: bool = True, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                      locale=locale, accept_downloads=True, **options)
        contexts.append(context)
        page = context.new_page()
        page.requests_seen = []
        page.console_errors = []
        page.on("request", lambda request: page.requests_seen.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(
            msg.text))
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        page.goto(live_server.url + "/")
        if wait_ready:
            page.wait_for_selector("body[data-ready='true']", timeout=15000)
        return page

    yield open_page
    for context in contexts:
        context.close()
