"""The FastAPI app factory: ``create_app(settings)``; nothing is read at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool

import reelwright
from reelwright.api.body_limit import BodyLimit
from reelwright.api.context import AppContext
from reelwright.api.envelope import install_error_handlers
from reelwright.api.routes import ROUTERS
from reelwright.settings import Settings


def create_app(settings: Settings, *, extra_routers: list[APIRouter] | None = None) -> FastAPI:
    """Build the service. Start-up migrates the database, creates data dirs and starts the
    render workers and the retention thread; shutdown stops them (cutting renders short, and
    re-queueing them for the next start)."""
    ctx = AppContext.build(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(ctx.start)
        try:
            yield
        finally:
            await run_in_threadpool(ctx.stop)

    app = FastAPI(title="Reelwright", version=reelwright.__version__, lifespan=lifespan,
                  description="Self-hostable AI video maker. Every JSON answer is "
                              '{"code", "message", "data"}; code 0 is success.')
    app.state.ctx = ctx
    app.add_middleware(BodyLimit, limit=int(float(settings.max_json_mb) * 1024 * 1024))
    install_error_handlers(app)
    for router in [*ROUTERS, *(extra_routers or [])]:
        app.include_router(router)

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, object]:
        return {"code": 0, "message": "success", "data": {"version": reelwright.__version__}}

    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory reelwright.api.app:create_app_from_env`` (reads env)."""
    return create_app(Settings.from_env())
