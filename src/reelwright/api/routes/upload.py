"""POST /api/upload-video/{app}/me/{sid}: multipart ``files`` or JSON ``{"urls": [...]}``.

Several files in one request: each good file is kept and listed in ``data.media``; each bad
one is reported in ``data.errors`` (name, code, message) and leaves nothing behind. When no
file succeeds the answer is the first file's error envelope (4001 / 4002 / 400).
"""

from __future__ import annotations

import json
import math
from typing import Any

import anyio
from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from reelwright.api.auth import context, current_caller, known_app
from reelwright.api.context import AppContext
from reelwright.api.envelope import ok
from reelwright.api.intake import MediaSink, media_json, size_limits, store_media
from reelwright.api.multipart_stream import receive_files
from reelwright.api.urlfetch import fetch_to_sink, parse_allow_list
from reelwright.errors import BadRequest, MediaError, MediaTooLarge, ReelwrightError
from reelwright.store.accounts import Caller

router = APIRouter(tags=["uploads"])
MAX_URLS = 20
MAX_JSON_BODY = 64 * 1024


def _error_json(name: str, exc: ReelwrightError) -> dict[str, Any]:
    return {"name": name, "code": exc.code, "message": exc.message}


def _sink_factory(ctx: AppContext) -> Any:
    limits = size_limits(ctx.settings)
    return lambda name: MediaSink(ctx.blobs.tmp_dir(), limits, name)


def _store_all(ctx: AppContext, request: Request, sid: str,
               outcomes: list[tuple[str, MediaSink | None, ReelwrightError | None]],
               ) -> dict[str, Any]:
    media: list[dict[str, Any]] = []
    errors: list[tuple[str, ReelwrightError]] = []
    for name, sink, error in outcomes:
        if error is None and sink is not None and sink.error is not None:
            error = sink.error
        if error is not None or sink is None:
            errors.append((name, error or BadRequest("nothing received")))
            continue
        try:
            row = store_media(sink, sid, ctx.projects, ctx.blobs)
        except MediaError as exc:
            errors.append((sink.name, exc))
            continue
        finally:
            sink.abort()
        thumb = ctx.signed_url(request, row.thumbnail) if row.thumbnail else None
        media.append(media_json(row, thumb))
    if not media:
        if not errors:
            raise BadRequest("No files received: send them in the multipart field 'files'")
        first = errors[0][1]
        if len(errors) > 1:
            first.data = {**(first.data or {}),
                          "errors": [_error_json(n, e) for n, e in errors]}
        raise first
    return {"media": media, "video_infos": media,
            "errors": [_error_json(n, e) for n, e in errors]}


def _too_big(request: Request, ctx: AppContext) -> None:
    declared = request.headers.get("content-length")
    biggest = max(size_limits(ctx.settings).values())
    # A single request may carry several files, each under its own limit; refuse early only
    # what cannot possibly fit (every file at the largest limit).
    if declared and declared.isdigit() and int(declared) > biggest * 50 + 1024 * 1024:
        raise MediaTooLarge(f"Upload too large; one file may be at most {biggest // 2**20} MB")


@router.post("/api/upload-video/{app}/me/{sid}")
async def upload(sid: str, request: Request, app: str = Depends(known_app),
                 caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    """Stream files to disk (sniffed, size-checked), ingest them, list them in the session."""
    ctx = context(request)
    session = await run_in_threadpool(ctx.projects.owned, caller.user_id, sid)
    content_type = request.headers.get("content-type", "").lower()
    make_sink = _sink_factory(ctx)
    outcomes: list[tuple[str, MediaSink | None, ReelwrightError | None]] = []
    if content_type.startswith("multipart/form-data"):
        _too_big(request, ctx)
        sinks = await receive_files(request, make_sink)
        outcomes = [(s.name, s, None) for s in sinks]
    elif content_type.startswith("application/json"):
        urls = await _read_urls(request)
        outcomes = await _fetch_all(ctx, caller.user_id, urls, make_sink)
    else:
        raise BadRequest("Send multipart/form-data with field 'files', or JSON "
                         '{"urls": [...], "source_type": "url"}')
    try:
        data = await run_in_threadpool(_store_all, ctx, request, session.id, outcomes)
    finally:
        for _, leftover, _ in outcomes:
            if leftover is not None:
                leftover.abort()
    return ok(data)


async def _fetch_all(ctx: AppContext, user_id: str, urls: list[str], make_sink: Any,
                     ) -> list[tuple[str, MediaSink | None, ReelwrightError | None]]:
    """Download every URL side by side, each within ``url_timeout`` (so the whole request is
    too); the answer keeps the request's order."""
    allow = parse_allow_list(str(ctx.settings.url_allow_hosts))
    timeout = float(ctx.settings.url_timeout)
    outcomes: list[tuple[str, MediaSink | None, ReelwrightError | None]] = [
        (url[:200], None, None) for url in urls]

    async def one(index: int, url: str) -> None:
        try:
            sink = await fetch_to_sink(url, make_sink, allow=allow, timeout=timeout)
            outcomes[index] = (sink.name, sink, None)
        except ReelwrightError as exc:
            outcomes[index] = (url[:200], None, exc)

    with ctx.url_imports.claim(user_id, len(urls), retry_after=max(1, math.ceil(timeout))):
        try:
            async with anyio.create_task_group() as group:
                for index, url in enumerate(urls):
                    group.start_soon(one, index, url)
        except BaseException:  # the client went away: keep none of what did arrive
            for _, sink, _ in outcomes:
                if sink is not None:
                    sink.abort()
            raise
    return outcomes


async def _read_urls(request: Request) -> list[str]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON_BODY:
            raise BadRequest(f"JSON body too large: at most {MAX_JSON_BODY // 1024} KB")
    try:
        payload = json.loads(body or b"null")
    except (ValueError, RecursionError):
        raise BadRequest("Body is not valid JSON (or is nested too deeply)") from None
    if not isinstance(payload, dict):
        raise BadRequest('Body must be {"urls": [...], "source_type": "url"}')
    urls = payload.get("urls")
    if payload.get("source_type", "url") != "url":
        raise BadRequest("source_type: only 'url' is supported")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise BadRequest("urls: must be a non-empty list of strings")
    if len(urls) > MAX_URLS:
        raise BadRequest(f"urls: at most {MAX_URLS} per request")
    return urls
