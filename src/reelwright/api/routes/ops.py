"""GET /healthz (database, queue, ffmpeg) and GET /metrics (Prometheus text exposition).

Neither needs a token: they are for load balancers and scrapers, and reveal only counts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from reelwright.api.auth import context
from reelwright.api.context import AppContext
from reelwright.api.envelope import envelope
from reelwright.obs import metrics_text

router = APIRouter(tags=["ops"])


def _check(probe: Callable[[], Any]) -> dict[str, Any]:
    try:
        detail = probe()
    except Exception as exc:  # a health check reports failures, it does not raise them
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, **({"detail": detail} if detail else {})}


def _database(ctx: AppContext) -> str:
    with ctx.db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return ctx.db.engine.dialect.name


def _queue(ctx: AppContext) -> str:
    ping = getattr(ctx.queue, "ping", None)
    if ping is not None and not ping():
        raise RuntimeError("broker did not answer")
    return str(ctx.settings.queue_backend)


def _ffmpeg(ctx: AppContext) -> str:
    from reelwright.render.ffmpeg import ffmpeg_exe

    path = ffmpeg_exe(ctx.settings.ffmpeg or None)
    found = path if os.path.isabs(path) else shutil.which(path)
    if not found or not os.access(found, os.X_OK):
        raise FileNotFoundError(f"ffmpeg not executable: {path}")
    return found


def health_report(ctx: AppContext) -> dict[str, dict[str, Any]]:
    return {"db": _check(lambda: _database(ctx)), "queue": _check(lambda: _queue(ctx)),
            "ffmpeg": _check(lambda: _ffmpeg(ctx))}


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    """200 with every check ``ok``, or 503 naming the failing part."""
    report = await run_in_threadpool(health_report, context(request))
    healthy = all(part["ok"] for part in report.values())
    if healthy:
        return envelope(0, "success", report, status=200)
    failing = ", ".join(name for name, part in report.items() if not part["ok"])
    return envelope(503, f"Unhealthy: {failing}", report, status=503)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Queue depth, jobs by status, job duration histogram and failures."""
    ctx = context(request)
    depth = getattr(ctx.queue, "depth", None)
    body = await run_in_threadpool(metrics_text, ctx.db, depth)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
