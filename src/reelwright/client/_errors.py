"""The response envelope turned back into the typed errors of ``reelwright.errors``.

The server raises one of those classes and its handler writes ``{"code", "message", "data"}``;
this module is the inverse, so SDK callers catch the same classes the service raises.
"""

from __future__ import annotations

from typing import Any

import httpx

from reelwright.errors import (
    AuthFailed,
    BadRequest,
    Busy,
    DraftInvalid,
    Forbidden,
    MediaTooLarge,
    NoCredits,
    NotFound,
    PlanBlocked,
    RateLimited,
    ReelwrightError,
    RenderCancelled,
    RenderFailed,
    RenderTimeout,
    SessionNotFound,
    UnsupportedMedia,
)

_BY_CODE: dict[int, type[ReelwrightError]] = {
    400: BadRequest,
    1001: AuthFailed,
    1002: SessionNotFound,
    403: Forbidden,
    404: NotFound,
    2001: NoCredits,
    402: PlanBlocked,
    409: Busy,
    4001: UnsupportedMedia,
    4002: MediaTooLarge,
    5002: RenderCancelled,
    5003: RenderTimeout,
}

# When the code is unknown (a proxy's 502, a newer server), the HTTP status still says
# which family the failure belongs to.
_BY_STATUS: dict[int, type[ReelwrightError]] = {
    400: BadRequest, 401: AuthFailed, 402: PlanBlocked, 403: Forbidden, 404: NotFound, 409: Busy,
    413: MediaTooLarge, 415: UnsupportedMedia,
}

DEFAULT_RETRY_AFTER = 1


def _retry_after(headers: httpx.Headers, data: Any) -> int:
    raw = headers.get("retry-after")
    if raw is None and isinstance(data, dict):
        raw = data.get("retry_after")
    try:
        return max(0, int(float(raw))) if raw is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


def error_from_envelope(code: int, message: str, data: Any = None, *, http_status: int = 0,
                        headers: httpx.Headers | None = None) -> ReelwrightError:
    """The typed error for one envelope; the exact class the server raised where it can tell."""
    headers = headers if headers is not None else httpx.Headers()
    if code == 429 or http_status == 429:
        return RateLimited(message, retry_after=_retry_after(headers, data))
    if code == 5001:
        return RenderFailed(message)
    if (code == 400 and isinstance(data, dict) and isinstance(data.get("problems"), list)
            and message.startswith("invalid draft")):
        return DraftInvalid([str(p) for p in data["problems"]])
    cls = _BY_CODE.get(code) or _BY_STATUS.get(http_status)
    if cls is None:
        return ReelwrightError(f"{message} (code {code}, HTTP {http_status})", data=data)
    return cls(message, data=data)


def error_from_response(response: httpx.Response) -> ReelwrightError:
    """The typed error for a failed response, envelope or not (a proxy's HTML page)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("code"), int):
        return error_from_envelope(body["code"], str(body.get("message") or ""),
                                   body.get("data"), http_status=response.status_code,
                                   headers=response.headers)
    text = response.text[:200].strip() if response.content else ""
    return error_from_envelope(response.status_code,
                               f"HTTP {response.status_code} {response.reason_phrase}"
                               + (f": {text}" if text else ""),
                               http_status=response.status_code, headers=response.headers)
