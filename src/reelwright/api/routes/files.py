"""GET /api/files/{path}?exp=&sig=: signed, expiring downloads with HTTP Range support."""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from reelwright.api.auth import context
from reelwright.api.envelope import envelope
from reelwright.errors import Forbidden, NotFound

router = APIRouter(tags=["files"])
CHUNK = 256 * 1024


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``bytes=a-b`` / ``a-`` / ``-n`` -> inclusive (start, end); None when unsatisfiable.

    Only the first range of a multi-range request is served.
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec:
        return None
    first = spec.split(",")[0].strip()
    start_s, dash, end_s = first.partition("-")
    if not dash:
        return None
    try:
        if start_s == "":
            length = int(end_s)
            if length <= 0:
                return None
            return max(0, size - length), size - 1
        start = int(start_s)
        end = int(end_s) if end_s else size - 1
    except ValueError:
        return None
    if start < 0 or start >= size or end < start:
        return None
    return start, min(end, size - 1)


def _stream(path: Path, start: int, length: int) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        fh.seek(start)
        left = length
        while left > 0:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def download(rel: str, request: Request, exp: str = "", sig: str = "") -> Response:
    """A stored output or thumbnail, if the signature is valid and unexpired."""
    ctx = context(request)
    if not ctx.signer.verify(rel, exp, sig):
        raise Forbidden("This download link is invalid or has expired")
    path = ctx.blobs.resolve_public(rel)
    if path is None:
        raise NotFound("This file no longer exists")
    size = os.path.getsize(path)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    # A link names one file that never changes and is reused all window long (signing.py):
    # the browser may keep the answer privately for as long as the link itself is valid.
    max_age = max(0, int(int(exp) - time.time()))
    headers = {"Accept-Ranges": "bytes", "Cache-Control": f"private, max-age={max_age}",
               "Content-Disposition": f'inline; filename="{path.name}"'}
    range_header = request.headers.get("range")
    if range_header:
        wanted = parse_range(range_header, size)
        if wanted is None:
            return envelope(416, "Requested range not satisfiable", {"size": size}, status=416,
                            headers={"Content-Range": f"bytes */{size}"})
        start, end = wanted
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(end - start + 1)
        body = _stream(path, start, end - start + 1) if request.method == "GET" else iter(())
        return StreamingResponse(body, status_code=206, media_type=media_type, headers=headers)
    headers["Content-Length"] = str(size)
    body = _stream(path, 0, size) if request.method == "GET" else iter(())
    return StreamingResponse(body, media_type=media_type, headers=headers)


router.add_api_route("/api/files/{rel:path}", download, methods=["GET"])
router.add_api_route("/api/files/{rel:path}", download, methods=["HEAD"],
                     include_in_schema=False)
