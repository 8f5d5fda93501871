"""A slow upstream cannot freeze the API: ``url_timeout`` bounds a whole URL import by the
clock, slow imports hold no request worker, and one token cannot start more than its share.

The upstream is a loopback server that sends a JPEG header and then one byte every 0.2 s,
which never fills a read buffer; the service is a real uvicorn server on loopback.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from reelwright.api import create_app
from reelwright.settings import Settings

APP = "nemo_agent"
TIMEOUT_S = 2.5
TRICKLE_FOR_S = 12.0


class Trickle(BaseHTTPRequestHandler):
    """``/slow.jpg``: a JPEG header, then a byte every 0.2 s for TRICKLE_FOR_S seconds."""

    held: list[float] = []  # how long each download stayed connected, seconds

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        started = time.monotonic()
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(10_000_000))
        self.end_headers()
        try:
            self.wfile.write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
            self.wfile.flush()
            while time.monotonic() - started < TRICKLE_FOR_S:
                time.sleep(0.2)
                self.wfile.write(b"\x00")
                self.wfile.flush()
        except OSError:  # the importer hung up
            pass
        finally:
            Trickle.held.append(time.monotonic() - started)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Service:
    url: str
    upstream: str
    data_dir: Path
    # one client for all threads: building an httpx client per call costs the test process
    # (which also runs the server) tens of milliseconds of CPU each
    http: httpx.Client

    def token(self, client_id: str) -> dict[str, str]:
        r = self.http.post(self.url + "/api/auth/anonymous-token",
                           headers={"X-Client-Id": client_id})
        return {"Authorization": f"Bearer {r.json()['data']['token']}"}

    def session(self, auth: dict[str, str]) -> str:
        r = self.http.post(f"{self.url}/api/tasks/me/with-session/{APP}", headers=auth,
                       json={"task_name": "t", "language": "en"})
        return str(r.json()["data"]["session_id"])

    def import_urls(self, auth: dict[str, str], sid: str, urls: list[str]) -> httpx.Response:
        return self.http.post(f"{self.url}/api/upload-video/{APP}/me/{sid}", headers=auth,
                          json={"urls": urls, "source_type": "url"}, timeout=60)

    def media_count(self, auth: dict[str, str], sid: str) -> int:
        r = self.http.get(f"{self.url}/api/state/{APP}/me/{sid}/latest", headers=auth)
        return len(r.json()["data"]["state"]["video_infos"])

    def leftovers(self) -> list[Path]:
        return list((self.data_dir / "blobs").rglob("*.part"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    upstream.daemon_threads = True
    up_thread = threading.Thread(target=upstream.serve_forever, args=(0.05,), daemon=True)
    up_thread.start()
    up_port = int(upstream.server_address[1])
    data_dir = tmp_path_factory.mktemp("slow-url")
    port = _free_port()
    app = create_app(Settings({
        "data_dir": str(data_dir), "workers": 1, "port": port,
        "url_allow_hosts": f"127.0.0.1:{up_port}", "url_timeout": TIMEOUT_S,
        "url_imports_per_token": 10, "url_imports_max": 100}))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        with httpx.Client(limits=limits, timeout=60) as http:
            yield Service(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{up_port}", data_dir,
                          http)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        upstream.shutdown()
        upstream.server_close()


def test_a_trickling_upstream_is_cut_off_at_url_timeout(service: Service) -> None:
    # Given an upstream that would keep sending one byte every 0.2 s for 12 s
    auth = service.token("slow-one")
    sid = service.session(auth)
    Trickle.held.clear()
    # When a URL import asks for it with url_timeout = 2.5 s
    started = time.monotonic()
    r = service.import_urls(auth, sid, [service.upstream + "/slow.jpg"])
    took = time.monotonic() - started
    # Then the answer comes at the limit, names it, and nothing is kept
    body = r.json()
    assert (r.status_code, body["code"]) == (400, 400), body
    assert "url_timeout" in body["message"] and "2.5 s" in body["message"], body
    assert TIMEOUT_S - 0.2 < took < TIMEOUT_S + 2.5, took
    assert service.media_count(auth, sid) == 0
    assert service.leftovers() == []
    # and the upstream saw the importer hang up, not finish its 12 s
    deadline = time.monotonic() + 5
    while not Trickle.held and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Trickle.held and max(Trickle.held) < TIMEOUT_S + 2.5, Trickle.held


def test_many_slow_imports_at_once_leave_the_service_responsive(service: Service) -> None:
    # Given 48 slow imports running at once, from six tokens (more than the 40 threads that
    # serve blocking work, which a thread per import would all hold)
    sessions = []
    for n in range(6):
        auth = service.token(f"slow-many-{n}")
        sessions.append((auth, service.session(auth)))
    url = service.upstream + "/slow.jpg"

    def one(i: int) -> tuple[httpx.Response, float]:
        auth, sid = sessions[i % 6]
        started = time.monotonic()
        r = service.import_urls(auth, sid, [url])
        return r, time.monotonic() - started

    with ThreadPoolExecutor(48) as pool:
        futures = [pool.submit(one, i) for i in range(48)]
        time.sleep(0.8)  # they are all connected upstream by now
        # When the page and the health route are asked for meanwhile
        waits: list[float] = []
        while not all(f.done() for f in futures) and len(waits) < 20:
            started = time.monotonic()
            page = service.http.get(service.url + "/")
            waits.append(time.monotonic() - started)
            assert page.status_code == 200
            assert service.http.get(service.url + "/api/health").json()["code"] == 0
            time.sleep(0.1)
        results = [f.result() for f in futures]
    # Then they answer at once, and every slow import ends at its limit with a clear error
    assert max(waits) < 1.0, waits
    for response, took in results:
        body: dict[str, Any] = response.json()
        assert body["code"] == 400 and "url_timeout" in body["message"], body
        assert took < TIMEOUT_S + 4, took
    assert service.leftovers() == []


def test_one_token_cannot_start_more_imports_than_its_share(service: Service) -> None:
    # Given one token with eight slow downloads running (its cap is ten)
    auth = service.token("greedy")
    sid = service.session(auth)
    url = service.upstream + "/slow.jpg"
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(service.import_urls, auth, sid, [url] * 8)
        time.sleep(0.4)
        # When it asks for three more
        r = service.import_urls(auth, sid, [url] * 3)
        # Then that request is refused whole, saying the limit, and comes back quickly
        body = r.json()
        assert (r.status_code, body["code"]) == (429, 429), body
        assert "url_imports_per_token" in body["message"] and "10" in body["message"]
        assert int(r.headers["Retry-After"]) >= 1
        # while another token is not affected
        other = service.token("bystander")
        r_other = service.import_urls(other, service.session(other), [url])
        assert r_other.json()["code"] == 400  # its own slow import timed out, not refused
        assert "url_timeout" in r_other.json()["message"]
        assert running.result().json()["code"] == 400
    # and once its imports ended, the token may import again
    again = service.import_urls(auth, sid, [url] * 3)
    assert again.json()["code"] == 400 and "url_timeout" in again.json()["message"]
