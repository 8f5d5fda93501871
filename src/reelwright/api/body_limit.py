"""A cap on request bodies that are read whole (JSON): an export draft, a chat turn, a URL list.

Multipart uploads stream to disk under their own per-file limits (``api/intake.py``) and pass
through untouched. Any other body larger than ``max_json_mb`` answers a 400 envelope before the
app parses a byte of it: at once from ``Content-Length``, or as soon as a chunked body grows
past the limit.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _too_large(limit: int) -> tuple[bytes, int]:
    mb = f"{limit / (1024 * 1024):.3g}"
    body = json.dumps({"code": 400, "data": {"limit_bytes": limit},
                       "message": f"Malformed request: the body is larger than {mb} MB"
                                  " (send media as uploads, not inside JSON)"}).encode()
    return body, 400


class BodyLimit:
    """ASGI middleware: bodies other than multipart/form-data may be at most ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("content-type", "").lower().startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(send)
            return
        messages: list[Message] = []
        size = 0
        while True:  # a JSON body is read whole by the app anyway: read it here, counted
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body, status = _too_large(self.limit)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
