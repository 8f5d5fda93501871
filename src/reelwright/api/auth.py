"""Request dependencies: the app context, the caller behind the bearer token, ``{app}``."""

from __future__ import annotations

from fastapi import Header, Path, Request

from reelwright.api.context import AppContext
from reelwright.errors import NotFound
from reelwright.store.accounts import Caller


def context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def bearer(authorization: str | None) -> str:
    if not authorization:
        return ""
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def current_caller(request: Request,
                   authorization: str | None = Header(default=None)) -> Caller:
    """The token's user (``me``); AuthFailed (1001) when missing, unknown or expired."""
    return context(request).accounts.resolve(bearer(authorization))


def known_app(request: Request, app: str = Path(max_length=64)) -> str:
    if app not in context(request).app_names:
        raise NotFound(f"Unknown app {app!r}")
    return app


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
