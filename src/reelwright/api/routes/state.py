"""GET /api/state/{app}/me/{sid}/latest: the latest draft, uploads, generated media and chat.

``data.state.conversation`` is the session's chat as stored, oldest first: ``{"role": "user" |
"assistant", "text", "at"}`` (``at``: ISO 8601 UTC), the last ``SHOWN_MESSAGES`` messages.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from reelwright.api.auth import context, current_caller, known_app
from reelwright.api.context import AppContext
from reelwright.api.envelope import ok
from reelwright.api.intake import media_json
from reelwright.store.accounts import Caller

router = APIRouter(tags=["sessions"])


def session_state(ctx: AppContext, request: Request, session_id: str) -> dict[str, Any]:
    latest = ctx.projects.latest_draft(session_id)
    uploads = [media_json(row, ctx.signed_url(request, row.thumbnail) if row.thumbnail else None)
               for row in ctx.projects.media(session_id)]
    generated = [{"id": g.id, "kind": g.kind, **{k: v for k, v in g.info.items()
                                                  if k not in ("path", "id", "kind")}}
                 for g in ctx.projects.generated(session_id)]
    return {"draft": json.loads(latest.draft) if latest else None,
            "draft_version": latest.version if latest else 0,
            "video_infos": uploads, "generated_media": generated,
            "conversation": ctx.turns.conversation.last(session_id)}


@router.get("/api/state/{app}/me/{sid}/latest")
async def latest_state(sid: str, request: Request, app: str = Depends(known_app),
                       caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    ctx = context(request)

    def build() -> dict[str, Any]:
        row = ctx.projects.owned(caller.user_id, sid)
        return {"session_id": row.id, "task_id": row.task_id,
                "state": session_state(ctx, request, row.id)}

    return ok(await run_in_threadpool(build))
