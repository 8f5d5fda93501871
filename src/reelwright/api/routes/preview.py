"""Live previews: POST / GET /api/preview/{app}/me/{sid}.

POST asks for a fast low-resolution render of the session's latest stored draft (the page
sends it after every turn that changed the draft); it cancels the session's older preview,
costs no credits and stores nothing in the draft history. GET answers the latest preview's
state, with a signed ``url`` once it plays. See docs/web.md ("Live preview").
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from reelwright.api.auth import context, current_caller, known_app
from reelwright.api.context import AppContext
from reelwright.api.envelope import ok
from reelwright.draft import from_json
from reelwright.errors import BadRequest
from reelwright.jobs.preview import Preview
from reelwright.store.accounts import Caller

router = APIRouter(tags=["preview"])


def preview_json(ctx: AppContext, request: Request, session_id: str,
                 preview: Preview | None) -> dict[str, Any]:
    if preview is None:
        return {"session_id": session_id, "status": "none", "draft_version": 0,
                "progress": 0, "url": None}
    url = None
    if preview.status == "completed" and preview.path is not None:
        url = ctx.signed_url(request, ctx.blobs.relative(preview.path))
    return {"session_id": session_id, "status": preview.status,
            "draft_version": preview.version, "progress": int(preview.progress), "url": url,
            "seconds": None if preview.seconds is None else round(preview.seconds, 2),
            "error": preview.error}


@router.post("/api/preview/{app}/me/{sid}")
async def request_preview(sid: str, request: Request, app: str = Depends(known_app),
                          caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    """Start (or return) the live preview of the session's latest draft."""
    ctx = context(request)

    def start() -> Preview:
        session = ctx.projects.owned(caller.user_id, sid)
        latest = ctx.projects.latest_draft(session.id)
        if latest is None:
            raise BadRequest("There is no draft to preview yet: add media and ask for a video "
                             "first.")
        draft = from_json(latest.draft)
        if not any(track.sg for track in draft.t):
            raise BadRequest("The draft is empty: there is nothing to preview yet.")
        return ctx.previews.request(session.id, latest.version, draft,
                                    ctx.projects.media_infos(session.id))

    preview = await run_in_threadpool(start)
    return ok(preview_json(ctx, request, sid, preview))


@router.get("/api/preview/{app}/me/{sid}")
async def preview_state(sid: str, request: Request, app: str = Depends(known_app),
                        caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    """The session's latest live preview: status, draft_version, progress and its url."""
    ctx = context(request)

    def find() -> Preview | None:
        session = ctx.projects.owned(caller.user_id, sid)
        return ctx.previews.get(session.id)

    return ok(preview_json(ctx, request, sid, await run_in_threadpool(find)))
