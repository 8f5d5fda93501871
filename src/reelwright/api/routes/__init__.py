"""One router per route family. A later ``agent`` router (POST /run_sse, /run) is added to
``ROUTERS`` the same way."""

from fastapi import APIRouter

from reelwright.api.routes import (
    agent,
    auth,
    credits,
    files,
    ops,
    preview,
    render,
    state,
    tasks,
    upload,
    web,
)

ROUTERS: list[APIRouter] = [
    auth.router, tasks.router, state.router, upload.router, credits.router, render.router,
    files.router, web.router, agent.router, preview.router,
    ops.router,
]

__all__ = ["ROUTERS"]
