"""API replicas for the session tests: `reelwright serve` subprocesses sharing one store.

Each replica runs the real CLI; the only addition is a test hook: a message that starts with
``[slow]`` waits ``RW_TEST_SLOW_TURN_S`` seconds before the turn runs (the prefix is dropped),
so a test can kill a server while its turn is surely in the middle.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from tests.api.api_helpers import Api, jpeg_bytes
from tests.scale.services import free_port

SERVE = """
import asyncio, os
from reelwright.api.routes import agent

real = agent.run_turn
SLOW = "[slow] "

async def run_turn(draft, media, history, message, **kwargs):
    if message.startswith(SLOW):
        await asyncio.sleep(float(os.environ.get("RW_TEST_SLOW_TURN_S", "60")))
        message = message[len(SLOW):]
    return await real(draft, media, history, message, **kwargs)

agent.run_turn = run_turn
from reelwright.cli.main import app
app()
"""
ATTRIBUTION = {"X-Skill-Source": "t", "X-Skill-Version": "1", "X-Skill-Platform": "t"}


@dataclass
class Replica:
    name: str
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> None:
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, "serve", "--port", str(self.port)],
            env={**os.environ, **self.env}, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120)


def body(sid: str, text: str) -> dict[str, Any]:
    return {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"role": "user", "parts": [{"text": text}]}}


@dataclass
class Said:
    """What became of one message: ``landed`` (its draft was stored), or refused."""

    text: str
    status: int
    landed: bool
    closing: dict[str, Any] | None


def say(replica: Replica, auth: dict[str, str], sid: str, text: str) -> Said:
    with replica.client() as c:
        r = c.post("/run", json=body(sid, text), headers=auth)
    if r.status_code != 200:
        return Said(text, r.status_code, False, None)
    closing = r.json()[-1]
    delta = closing["actions"]["stateDelta"]
    return Said(text, 200, bool(delta.get("draft_changed")) and "draft_version" in delta,
                closing)


def say_together(pairs: list[tuple[Replica, str]], auth: dict[str, str], sid: str
                 ) -> list[Said]:
    """Send each (replica, text) at the same moment; their answers in the same order."""
    barrier = threading.Barrier(len(pairs))
    out: list[Said | None] = [None] * len(pairs)

    def one(i: int, replica: Replica, text: str) -> None:
        barrier.wait()
        out[i] = say(replica, auth, sid, text)

    threads = [threading.Thread(target=one, args=(i, r, t)) for i, (r, t) in enumerate(pairs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert all(o is not None for o in out)
    return [o for o in out if o is not None]


def new_session(replica: Replica, photos: int = 5) -> tuple[dict[str, str], str]:
    with replica.client() as c:
        api = Api(c)  # type: ignore[arg-type]  # httpx.Client speaks the same calls
        auth = api.token(f"scale-{os.urandom(4).hex()}")
        sid = api.session(auth)
        files = [(f"p{i}.jpg", jpeg_bytes((160, 120), seed=i)) for i in range(1, photos + 1)]
        r = api.upload(auth, sid, files)
        assert r.status_code == 200, r.text
    return auth, sid


def state(replica: Replica, auth: dict[str, str], sid: str) -> dict[str, Any]:
    with replica.client() as c:
        r = c.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=auth)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"]["state"])


def texts(draft: dict[str, Any]) -> list[str]:
    return [str(s["m"].get("text")) for t in draft["t"] if t["tt"] == 7 for s in t["sg"]]


def balance(replica: Replica, auth: dict[str, str]) -> dict[str, int]:
    with replica.client() as c:
        data = c.get("/api/credits/balance/simple", headers=auth).json()["data"]
    assert data["total"] == data["available"] + data["frozen"], data
    return dict(data)


def stream_in_background(replica: Replica, auth: dict[str, str], sid: str, text: str
                         ) -> threading.Thread:
    """Start a /run_sse turn and read it until the server goes away."""
    def run() -> None:
        with contextlib.suppress(httpx.HTTPError), replica.client() as c, \
                c.stream("POST", "/run_sse", json=body(sid, text),
                         headers={**auth, "Accept": "text/event-stream"}) as resp:
            for _ in resp.iter_lines():
                pass
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
