"""Exports: POST /api/render/proxy/lambda, GET / DELETE .../{id}, POST .../{id}/cancel.

Job ids are the caller's (``render_<ts>``), scoped per owner: the same id again returns the
same job; another owner's same id is a different job.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from reelwright.api.auth import context, current_caller
from reelwright.api.context import AppContext
from reelwright.api.envelope import ok
from reelwright.draft import dumps, from_json, validate
from reelwright.errors import BadRequest, DraftInvalid, NotFound, PlanBlocked, echo
from reelwright.render.types import QUALITIES
from reelwright.store.accounts import Caller
from reelwright.store.jobs import JobStatus, NewJob
from reelwright.store.models import RenderJob

router = APIRouter(tags=["render"])
FORMATS = ("mp4", "webm", "gif", "html", "h5p")
PREVIEW_QUALITY = "preview"  # stored quality of a fast low-resolution preview export
ATTRIBUTION = ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")


class OutputBody(BaseModel):
    format: str = "mp4"
    quality: str = "high"
    preview: bool = False


class RenderBody(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    sessionId: str = Field(min_length=1, max_length=200)  # noqa: N815 - wire name
    draft: dict[str, Any] | str
    output: OutputBody = OutputBody()


def job_json(ctx: AppContext, request: Request, job: RenderJob) -> dict[str, Any]:
    output = None
    if job.status == JobStatus.COMPLETED and job.output_path:
        rel = ctx.blobs.relative(job.output_path)
        output = {"url": ctx.signed_url(request, rel), "format": job.format,
                  "expires_in": ctx.signer.ttl}
    return {"id": job.client_job_id, "sessionId": job.session_id, "status": job.status,
            "progress": int(job.progress), "output": output, "error": job.error,
            "format": job.format, "quality": job.quality}


def _find(ctx: AppContext, user_id: str, job_id: str) -> RenderJob:
    job = ctx.jobs.find(user_id, job_id)
    if job is None:
        raise NotFound(f"Render job {echo(job_id)} not found")
    return job


def _submit(ctx: AppContext, caller: Caller, body: RenderBody) -> RenderJob:
    existing = ctx.jobs.find(caller.user_id, body.id)
    if existing is not None:
        return existing
    session = ctx.projects.owned(caller.user_id, body.sessionId)
    if body.output.format not in FORMATS:
        raise BadRequest(f"output.format: must be one of {', '.join(FORMATS)}")
    if body.output.quality not in QUALITIES:
        raise BadRequest(f"output.quality: must be one of {', '.join(QUALITIES)}")
    try:
        draft = validate(from_json(body.draft), ctx.projects.media_infos(session.id))
    except DraftInvalid as exc:
        raise DraftInvalid([p if p.startswith("draft") else f"draft.{p}"
                            for p in exc.problems]) from None
    compact = dumps(draft)
    job, created = ctx.jobs.create(NewJob(
        client_job_id=body.id, user_id=caller.user_id, session_id=session.id, draft=compact,
        format=body.output.format,
        quality=PREVIEW_QUALITY if body.output.preview else body.output.quality))
    if not created:
        return job  # a parallel request with the same id won the race
    latest = ctx.projects.latest_draft(session.id)
    if latest is None or latest.draft != compact:
        ctx.projects.append_draft(session.id, compact, "export")
    ctx.queue.submit(job.id)
    return job


@router.post("/api/render/proxy/lambda")
async def submit_render(body: RenderBody, request: Request,
                        caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    """Queue an export of a draft of one of the caller's sessions (free of credits)."""
    ctx = context(request)
    if ctx.settings.require_attribution:
        missing = [h for h in ATTRIBUTION if not request.headers.get(h, "").strip()]
        if missing:
            raise PlanBlocked("Export needs the attribution headers "
                              f"{', '.join(ATTRIBUTION)}; missing: {', '.join(missing)}")
    job = await run_in_threadpool(_submit, ctx, caller, body)
    return ok(job_json(ctx, request, job))


@router.get("/api/render/proxy/lambda/{job_id}")
async def render_status(job_id: str, request: Request,
                        caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    ctx = context(request)
    job = await run_in_threadpool(_find, ctx, caller.user_id, job_id)
    return ok(job_json(ctx, request, job))


async def _cancel(job_id: str, request: Request, caller: Caller) -> dict[str, Any]:
    ctx = context(request)
    job = await run_in_threadpool(_find, ctx, caller.user_id, job_id)
    cancelled = await run_in_threadpool(ctx.queue.cancel, job.id)
    job = await run_in_threadpool(_find, ctx, caller.user_id, job_id)
    return ok({**job_json(ctx, request, job), "cancelled": cancelled})


@router.delete("/api/render/proxy/lambda/{job_id}")
async def cancel_render(job_id: str, request: Request,
                        caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    """Cancel a queued or running export (no-op, ``cancelled: false``, once it finished)."""
    return await _cancel(job_id, request, caller)


@router.post("/api/render/proxy/lambda/{job_id}/cancel")
async def cancel_render_post(job_id: str, request: Request,
                             caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    return await _cancel(job_id, request, caller)
