"""POST /api/auth/anonymous-token: a 7-day token with free credits per X-Client-Id."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Request

from reelwright.api.auth import client_ip, context
from reelwright.api.envelope import ok
from reelwright.errors import BadRequest

router = APIRouter(tags=["auth"])


@router.post("/api/auth/anonymous-token")
def anonymous_token(request: Request,
                    x_client_id: str | None = Header(default=None)) -> dict[str, Any]:
    """Issue an anonymous token; one per client id per window, a daily cap per IP."""
    if not x_client_id or not x_client_id.strip():
        raise BadRequest("X-Client-Id header is required")
    ctx = context(request)
    token, caller = ctx.accounts.issue_anonymous(x_client_id, client_ip(request))
    days = int(ctx.settings.anon_token_days)
    return ok({"token": token, "token_type": "Bearer", "expires_in": days * 86400,
               "credits": ctx.ledger.balance(caller.user_id).available})
