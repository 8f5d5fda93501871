"""The one response shape, ``{"code", "message", "data"}``, and the handlers that make every
error (ours, routing 404/405, validation 422, crashes) come back in it without a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reelwright.errors import RateLimited, ReelwrightError

log = logging.getLogger(__name__)
_FASTAPI_BODY_ERROR = "There was an error parsing the body"


def ok(data: Any = None, message: str = "success") -> dict[str, Any]:
    return {"code": 0, "message": message, "data": data}


def envelope(code: int, message: str, data: Any = None, *, status: int,
             headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "data": data}, status_code=status,
                        headers=headers)


def error_response(exc: ReelwrightError) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return envelope(exc.code, exc.message, exc.data, status=exc.http_status, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ReelwrightError)
    async def _ours(_request: Request, exc: ReelwrightError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{_field(e.get('loc', ()))}: {e.get('msg', 'invalid')}"
                    for e in exc.errors()]
        return envelope(400, "Malformed request: " + "; ".join(problems[:5]),
                        {"problems": problems}, status=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Not found", 405: "Method not allowed"}
        message = exc.detail if isinstance(exc.detail, str) else messages.get(
            exc.status_code, "HTTP error")
        if message == _FASTAPI_BODY_ERROR:  # FastAPI's words for any unreadable JSON body
            message = "Malformed request: the body is not valid JSON (or is nested too deeply)"
        return envelope(exc.status_code, message, None, status=exc.status_code,
                        headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return envelope(500, "Internal server error", None, status=500)
