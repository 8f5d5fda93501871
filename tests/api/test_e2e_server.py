"""A real server (``reelwright serve`` in a subprocess) walked through with a plain HTTP client,
and killed with SIGKILL mid-render to check that the job survives the restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.api.api_helpers import ATTRIBUTION, jpeg_bytes, slideshow
from tests.probe import frame_at, probe

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, data_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = {**os.environ, "REELWRIGHT_PUBLIC_URL": "", **env}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"server-{self.port}.log"

    def start(self) -> None:
        code = ("import sys; from pathlib import Path; from reelwright.cli.serve import serve; "
                "serve(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code, "127.0.0.1", str(self.port), str(self.data_dir)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(self.base + "/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("server did not start: " + self.log.read_text()[-3000:])

    def kill(self) -> None:
        """SIGKILL the server and its children (ffmpeg), like a crashed machine."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "data", REELWRIGHT_PRICES="export=5")
    srv.start()
    yield srv
    srv.stop()


def start_session(http: httpx.Client, client_id: str) -> tuple[dict[str, str], str, list[str]]:
    token = http.post("/api/auth/anonymous-token", headers={"X-Client-Id": client_id}).json()
    auth = {"Authorization": f"Bearer {token['data']['token']}", **ATTRIBUTION}
    r = http.post("/api/tasks/me/with-session/nemo_agent", headers=auth,
                  json={"task_name": "holiday", "language": "en"}).json()
    sid = r["data"]["session_id"]
    up = http.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=auth,
                   files=[("files", ("one.jpg", jpeg_bytes(seed=1), "image/jpeg")),
                          ("files", ("two.jpg", jpeg_bytes(seed=2), "image/jpeg"))]).json()
    assert up["code"] == 0, up
    return auth, sid, [m["id"] for m in up["data"]["media"]]


def poll(http: httpx.Client, auth: dict[str, str], job: str, timeout: float = 120,
         until: tuple[str, ...] = ("completed", "failed")) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data: dict[str, Any] = http.get(f"/api/render/proxy/lambda/{job}",
                                        headers=auth).json()["data"]
        if data["status"] in until:
            return data
        time.sleep(0.2)
    raise AssertionError(f"{job} never reached {until}")


def test_whole_protocol_against_a_real_server(server: Server, tmp_path: Path) -> None:
    with httpx.Client(base_url=server.base, timeout=30) as http:
        auth, sid, media = start_session(http, "e2e-client")
        state = http.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=auth).json()
        infos = state["data"]["state"]["video_infos"]
        assert [(i["name"], i["width"], i["height"]) for i in infos] == [
            ("one.jpg", 320, 240), ("two.jpg", 320, 240)]
        assert state["data"]["state"]["draft"] is None

        job = f"render_{int(time.time() * 1000)}"
        r = http.post("/api/render/proxy/lambda", headers=auth,
                      json={"id": job, "sessionId": sid, "draft": slideshow(media, 1.5),
                            "output": {"format": "mp4", "quality": "draft"}}).json()
        assert r["code"] == 0 and r["data"]["status"] in ("queued", "rendering")
        done = poll(http, auth, job)
        assert done["status"] == "completed", done
        assert done["output"]["url"].startswith(server.base + "/api/files/")

        video = httpx.get(done["output"]["url"], timeout=30)
        assert video.status_code == 200
        out = tmp_path / "e2e.mp4"
        out.write_bytes(video.content)
        facts = probe(out)
        assert (facts.vcodec, facts.width, facts.height) == ("h264", 320, 180)
        assert abs(facts.duration - 3.0) < 0.15
        assert frame_at(out, 2.2).mean() > 20
        credits = http.get("/api/credits/balance/simple", headers=auth).json()["data"]
        assert credits == {"available": 95, "frozen": 0, "total": 95}


def test_render_survives_sigkill_and_restart(tmp_path: Path) -> None:
    srv = Server(tmp_path / "data", REELWRIGHT_PRICES="export=5")
    srv.start()
    try:
        with httpx.Client(base_url=srv.base, timeout=30) as http:
            auth, sid, media = start_session(http, "restart-client")
            draft = slideshow(media, 6.0)
            draft.update(w=640, h=360, fps=30)
            for seg in draft["t"][0]["sg"]:
                seg["m"]["kb"] = {"z0": 1, "z1": 1.3, "x0": 0.4, "y0": 0.5, "x1": 0.6, "y1": 0.5}
            r = http.post("/api/render/proxy/lambda", headers=auth,
                          json={"id": "render_long", "sessionId": sid, "draft": draft,
                                "output": {"format": "mp4", "quality": "high"}}).json()
            assert r["code"] == 0, r
            poll(http, auth, "render_long", until=("rendering",))
            time.sleep(1.0)
            assert http.get("/api/credits/balance/simple",
                            headers=auth).json()["data"]["frozen"] == 5
        srv.kill()

        srv.start()  # same data dir, new process
        with httpx.Client(base_url=srv.base, timeout=30) as http:
            done = poll(http, auth, "render_long")
            assert done["status"] == "completed", done
            out = tmp_path / "long.mp4"
            out.write_bytes(httpx.get(done["output"]["url"], timeout=30).content)
            assert abs(probe(out).duration - 12.0) < 0.2
            credits = http.get("/api/credits/balance/simple", headers=auth).json()["data"]
            assert credits == {"available": 95, "frozen": 0, "total": 95}
    finally:
        srv.stop()
