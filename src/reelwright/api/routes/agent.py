"""POST /run_sse and POST /run: one chat turn on a session, as Google ADK's API server does it.

/run_sse streams ADK Event JSON objects as SSE ``data:`` lines (comment heartbeats every 15 s
while the turn works) and closes when the turn ends; /run answers the same events as a list.
The session must belong to the bearer token (else 1002). One turn per session at a time: a
second one answers 409 (Busy). The chat_turn price is frozen before the turn and settled only
when the draft changed; questions, refusals and failures release it. A client that disconnects
cancels its turn: nothing is stored and the hold is released.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import shutil
from collections.abc import AsyncGenerator, AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from reelwright.agent.intents import intent_index
from reelwright.agent.lexicon import MOOD_LABELS
from reelwright.agent.tools import Services
from reelwright.agent.turn import CHARGED_ACTION, TurnResult, run_turn
from reelwright.api.auth import context, current_caller
from reelwright.api.context import AppContext
from reelwright.draft.codec import dumps, loads
from reelwright.draft.history import History
from reelwright.draft.media import MediaInfo
from reelwright.errors import BadRequest, Busy
from reelwright.store.accounts import Caller
from reelwright.store.db import new_id
from reelwright.store.models import DraftVersion

log = logging.getLogger(__name__)
router = APIRouter(tags=["agent"])
HEARTBEAT_S = 15.0
MAX_MESSAGE_CHARS = 4000
MAX_REMEMBERED = 12
MAX_SESSIONS_IN_MEMORY = 500


class Part(BaseModel):
    text: str | None = None


class NewMessage(BaseModel):
    role: str = "user"
    parts: list[Part] = Field(default_factory=list)


class RunBody(BaseModel):
    app_name: str = ""
    user_id: str = ""
    session_id: str
    new_message: NewMessage
    streaming: bool = False


class AgentState:
    """Per-app agent state: one lock per session (Busy), and undo histories by session.

    Histories live in memory; after a restart a session's undo history starts again from its
    latest stored draft (the draft itself is never lost: every change is a stored version).
    """

    def __init__(self) -> None:
        self.busy: set[str] = set()
        self.histories: dict[str, History] = {}
        self.conversations: dict[str, list[dict[str, str]]] = {}

    def keep_history(self, session_id: str, history: History) -> None:
        """Remember a session's undo history; the least recently used go first."""
        self.histories.pop(session_id, None)
        self.histories[session_id] = history
        while len(self.histories) > MAX_SESSIONS_IN_MEMORY:
            oldest = next(iter(self.histories))
            del self.histories[oldest]
            self.conversations.pop(oldest, None)

    def remember(self, session_id: str, message: str, reply: str) -> None:
        """Keep the last few exchanges for the LLM planner's context."""
        talk = self.conversations.setdefault(session_id, [])
        talk += [{"role": "user", "content": message}, {"role": "assistant", "content": reply}]
        del talk[:-MAX_REMEMBERED]


def _state_of(app: Any) -> AgentState:
    state = getattr(app.state, "agent", None)
    if state is None:
        state = AgentState()
        app.state.agent = state
    return state


def _state(request: Request) -> AgentState:
    return _state_of(request.app)


def _message_text(body: RunBody) -> str:
    text = "".join(part.text or "" for part in body.new_message.parts).strip()
    if not text:
        raise BadRequest("new_message.parts: needs a text part")
    if len(text) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"new_message: at most {MAX_MESSAGE_CHARS} characters")
    return text


def _services(ctx: AppContext, session_id: str) -> Services:
    def library_music(mood: str) -> MediaInfo:
        for row in ctx.projects.generated(session_id):
            extra = (row.info or {}).get("extra") or {}
            if extra.get("mood") == mood and Path(row.info.get("path", "")).exists():
                return MediaInfo.from_json(row.info)
        from reelwright.media.ingest import ingest
        from reelwright.media.music import library_track

        track = library_track(mood, ctx.settings.data_path / "cache" / "music")
        media_id = new_id("gen", 8)
        folder = ctx.blobs.media_dir(media_id)
        folder.mkdir(parents=True, exist_ok=True)
        # The session owns its copy: retention may delete it without touching the cache.
        copy = folder / f"music-{mood}.wav"
        shutil.copyfile(track, copy)
        info = ingest(copy, media_id=media_id, name=MOOD_LABELS.get(mood, mood),
                      out_dir=folder, analyse=False)
        return dataclasses.replace(info, extra={**info.extra, "mood": mood,
                                                "generated": "music"})

    def beats(info: MediaInfo) -> list[int]:
        from reelwright.media.beats import detect_beats

        return detect_beats(Path(info.path)).beats_ms

    return Services(library_music=library_music, beats=beats)


def _load(ctx: AppContext, state: AgentState, session_id: str
          ) -> tuple[Any, dict[str, MediaInfo], History | None]:
    latest = ctx.projects.latest_draft(session_id)
    draft = loads(latest.draft) if latest is not None else None
    history = state.histories.get(session_id)
    if draft is not None and history is None:
        history = _rebuild_history(ctx, session_id)
    return draft, ctx.projects.media_infos(session_id), history


def _rebuild_history(ctx: AppContext, session_id: str) -> History | None:
    """Undo steps from the stored versions (after a restart), at most the last 20."""
    with ctx.db.read() as s:
        rows = list(s.execute(select(DraftVersion).where(DraftVersion.session_id == session_id)
                              .order_by(DraftVersion.version.desc()).limit(20)).scalars())
    history: History | None = None
    for row in reversed(rows):
        try:
            draft = loads(row.draft)
        except Exception:  # an old version the codec no longer reads: start after it
            continue
        if history is None:
            history = History(draft, label=f"version {row.version}")
        else:
            history.push(draft, f"version {row.version}")
    return history


def _commit(ctx: AppContext, state: AgentState, session_id: str, result: TurnResult) -> None:
    for info in result.generated:
        ctx.projects.add_generated(session_id, info)
    if result.changed and result.draft is not None:
        version = ctx.projects.append_draft(session_id, dumps(result.draft), "agent")
        result.set_version(version)
    if result.history is not None:
        state.keep_history(session_id, result.history)


def _discard(ctx: AppContext, result: TurnResult | None) -> None:
    for info in result.generated if result is not None else []:
        ctx.blobs.remove_media(info.id)


async def _turn(request: Request, body: RunBody, caller: Caller) -> AsyncGenerator[
        TurnResult | None, None]:
    """Runs the turn; yields None as a heartbeat while it works, then the committed result.

    Credits and storage are touched only by short synchronous calls (no await between the
    decision and the write), so a cancelled turn can never leave a hold open or half a commit.
    """
    ctx = context(request)
    state = _state(request)
    text = _message_text(body)
    session = await run_in_threadpool(ctx.projects.owned, caller.user_id, body.session_id)
    if session.id in state.busy:
        raise Busy("this session is already working on a message; wait for it to finish")
    state.busy.add(session.id)
    hold = None
    result: TurnResult | None = None
    committed = False
    try:
        hold = ctx.ledger.freeze(caller.user_id, CHARGED_ACTION, session.id)
        draft, media, history = await run_in_threadpool(_load, ctx, state, session.id)
        await run_in_threadpool(intent_index)  # the first turn loads the model off the loop
        await run_in_threadpool(intent_index)  # the first turn loads the model off the loop
        task = asyncio.ensure_future(run_turn(
            draft, media, history, text, settings=ctx.settings,
            services=_services(ctx, session.id),
            conversation=list(state.conversations.get(session.id, ()))))
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=HEARTBEAT_S)
                if done:
                    break
                yield None
            result = task.result()
        finally:
            if not task.done():
                task.cancel()
        _finish(ctx, state, session.id, result, hold)
        committed = True
        state.remember(session.id, text, result.reply)
        yield result
    finally:
        if not committed:
            if hold is not None:
                ctx.ledger.release(hold)
            _discard(ctx, result)
        state.busy.discard(session.id)


def _finish(ctx: AppContext, state: AgentState, session_id: str, result: TurnResult,
            hold: Any) -> None:
    if result.changed:
        _commit(ctx, state, session_id, result)
        ctx.ledger.settle(hold)
    else:
        _discard(ctx, result)
        if result.history is not None:
            state.keep_history(session_id, result.history)
        ctx.ledger.release(hold)


def _sse(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


@router.post("/run_sse")
async def run_sse(body: RunBody, request: Request,
                  caller: Caller = Depends(current_caller)) -> StreamingResponse:
    turn = _turn(request, body, caller)
    # Start it now so auth, session, busy and credit errors answer as JSON envelopes.
    first = await turn.__anext__()

    async def stream() -> AsyncIterator[bytes]:
        item = first
        try:
            while True:
                if item is None:
                    yield b": heartbeat\n\n"
                else:
                    for event in item.event_dicts():
                        yield _sse(event)
                    return
                item = await turn.__anext__()
        finally:
            await turn.aclose()

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/run")
async def run(body: RunBody, request: Request,
              caller: Caller = Depends(current_caller)) -> list[dict[str, Any]]:
    turn = _turn(request, body, caller)
    try:
        async for item in turn:
            if item is not None:
                return item.event_dicts()
    finally:
        await turn.aclose()
    raise RuntimeError("the turn ended without a result")


def warm_up() -> None:
    """Load the embedding model and index now, so the first chat turn is fast."""
    intent_index()
