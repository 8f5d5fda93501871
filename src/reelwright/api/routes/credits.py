"""GET /api/credits/balance/simple: available, frozen and total credits of ``me``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from reelwright.api.auth import context, current_caller
from reelwright.api.envelope import ok
from reelwright.store.accounts import Caller

router = APIRouter(tags=["credits"])


@router.get("/api/credits/balance/simple")
def balance(request: Request, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    return ok(context(request).ledger.balance(caller.user_id).to_json())
