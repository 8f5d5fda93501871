"""POST /api/tasks/me/with-session/{app}: a new task and its session."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field

from reelwright.api.auth import context, current_caller, known_app
from reelwright.api.envelope import ok
from reelwright.store.accounts import Caller

router = APIRouter(tags=["sessions"])


class TaskBody(BaseModel):
    task_name: str = Field(default="", max_length=300)
    language: str = Field(default="en", max_length=20)


@router.post("/api/tasks/me/with-session/{app}")
def create_task(request: Request, app: str = Depends(known_app),
                caller: Caller = Depends(current_caller),
                body: TaskBody | None = Body(default=None)) -> dict[str, Any]:
    body = body or TaskBody()
    row = context(request).projects.create(caller.user_id, app, body.task_name, body.language)
    return ok({"task_id": row.task_id, "session_id": row.id, "app": app,
               "task_name": row.task_name, "language": row.language})
