"""An in-memory stand-in for the protocol behind ``httpx.MockTransport``: it answers the routes
of docs/protocol.md with envelopes, records every request, and fails on cue (``fail_next``)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from reelwright.client import Client


def envelope(code: int, message: str = "success", data: Any = None, *, status: int = 200,
             headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": message, "data": data},
                          headers=headers)


@dataclass
class FakeServer:
    tokens: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)
    requests: list[httpx.Request] = field(default_factory=list)
    failures: list[tuple[str, Callable[[httpx.Request], httpx.Response]]] = field(
        default_factory=list)
    render_steps: list[dict[str, Any]] = field(default_factory=list)
    sse_lines: list[str] = field(default_factory=list)
    sse_pause: float = 0.0
    drafts: list[dict[str, Any] | None] = field(default_factory=lambda: [
        {"v": 1, "d": 3000, "t": []}])
    video: bytes = b"\x00\x00\x00\x18ftypmp42" + b"x" * 5000
    issued: int = 0
    created: int = 0

    def fail_next(self, path_part: str, response: Callable[[httpx.Request], httpx.Response]
                  ) -> None:
        """The next request whose path contains ``path_part`` gets ``response`` instead."""
        self.failures.append((path_part, response))

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]

    def client(self, **kwargs: Any) -> Client:
        kwargs.setdefault("sleep", lambda _s: None)
        return Client("http://rw.test", transport=httpx.MockTransport(self.handle), **kwargs)

    # --- the routes
    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        for i, (part, respond) in enumerate(self.failures):
            if part in path:
                del self.failures[i]
                return respond(request)
        if path == "/api/auth/anonymous-token":
            if not request.headers.get("x-client-id"):
                return envelope(400, "X-Client-Id header is required", status=400)
            self.issued += 1
            token = f"tok{self.issued}"
            self.tokens.add(token)
            return envelope(0, data={"token": token})
        auth = request.headers.get("authorization", "")
        if auth.removeprefix("Bearer ") not in self.tokens:
            return envelope(1001, "Invalid token", status=401)
        if path.startswith("/api/tasks/me/with-session/"):
            self.created += 1
            sid = f"ses{self.created}"
            self.sessions.add(sid)
            return envelope(0, data={"task_id": "task" + sid, "session_id": sid})
        if path == "/api/credits/balance/simple":
            return envelope(0, data={"available": 97, "frozen": 3, "total": 100})
        if path.startswith("/api/upload-video/"):
            sid = path.rsplit("/", 1)[-1]
            if sid not in self.sessions:
                return envelope(1002, "Session not found", status=404)
            body = request.read().decode("latin-1")
            names = [part.split('filename="', 1)[1].split('"', 1)[0]
                     for part in body.split("\r\n--") if 'name="files"' in part]
            return envelope(0, data={"media": [{"id": f"med_{i}", "name": n, "kind": "image"}
                                               for i, n in enumerate(names)], "errors": []})
        if path.startswith("/api/state/"):
            sid = path.split("/")[-2]
            if sid not in self.sessions:
                return envelope(1002, "Session not found", status=404)
            draft = self.drafts.pop(0) if len(self.drafts) > 1 else self.drafts[0]
            return envelope(0, data={"state": {"draft": draft, "video_infos": [],
                                               "generated_media": []}})
        if path == "/api/render/proxy/lambda":
            body = json.loads(request.read())
            return envelope(0, data={"id": body["id"], "status": "queued", "progress": 0})
        if path.startswith("/api/render/proxy/lambda/"):
            step = self.render_steps.pop(0) if len(self.render_steps) > 1 else \
                self.render_steps[0]
            return envelope(0, data={"id": path.rsplit("/", 1)[-1], **step})
        if path.startswith("/api/files/"):
            return httpx.Response(200, content=self.video, headers={
                "content-type": "video/mp4",
                "content-disposition": 'inline; filename="render_1.mp4"'})
        if path == "/run_sse":
            return httpx.Response(200, headers={"content-type": "text/event-stream"},
                                  content=self._sse())
        return envelope(404, "Not found", status=404)

    def _sse(self) -> Iterator[bytes]:
        for line in self.sse_lines:
            if line == "<pause>":
                time.sleep(self.sse_pause)
                continue
            yield (line + "\n").encode()
