"""POST /run_sse and POST /run: one chat turn on a session, as Google ADK's API server does it.

/run_sse streams ADK Event JSON objects as SSE ``data:`` lines (comment heartbeats every 15 s
while the turn works) and closes when the turn ends; /run answers the same events as a list.
The session must belong to the bearer token (else 1002). One turn per session at a time, across
replicas: a second one answers 409 (Busy). Leases, credits, the draft history and the chat
live in the store's ``TurnService`` (``store/turns.py``); this route only translates a turn
to HTTP and SSE. The chat_turn price is frozen before the turn and settled only when the new
draft lands; questions, refusals, failures and a turn whose draft moved under it release it.
A client that disconnects cancels its turn: nothing is stored and every hold is released.
Events stream as the turn makes them (tool calls at once, progress while long tools work);
the closing event goes out after the new draft is stored.
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
from starlette.concurrency import run_in_threadpool

from reelwright.agent.events import Event
from reelwright.agent.events import new_id as new_event_id
from reelwright.agent.intents import intent_index
from reelwright.agent.lexicon import MOOD_LABELS
from reelwright.agent.plan import language_of
from reelwright.agent.tools import Charges, Services, Workspace
from reelwright.agent.turn import NOT_LANDED, NOT_LANDED_ZH, TurnResult, not_landed, run_turn
from reelwright.api.auth import context, current_caller
from reelwright.api.context import AppContext
from reelwright.draft.media import MediaInfo
from reelwright.errors import BadRequest
from reelwright.store.accounts import Caller
from reelwright.store.db import new_id
from reelwright.store.turns import Turn, TurnOutcome

log = logging.getLogger(__name__)
router = APIRouter(tags=["agent"])
HEARTBEAT_S = 15.0
MAX_MESSAGE_CHARS = 4000


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


def _message_text(body: RunBody) -> str:
    text = "".join(part.text or "" for part in body.new_message.parts).strip()
    if not text:
        raise BadRequest("new_message.parts: needs a text part")
    if len(text) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"new_message: at most {MAX_MESSAGE_CHARS} characters")
    return text


def _services(ctx: AppContext, session_id: str, charges: Charges | None = None) -> Services:
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

    # Explainer media (voice WAVs, cards) live with the session; music loops are shared.
    workspace = Workspace(workdir=ctx.blobs.media_dir(session_id) / "generated",
                          cache_dir=ctx.settings.data_path / "cache" / "music",
                          scope=session_id)
    return Services(library_music=library_music, beats=beats, workspace=workspace,
                    charges=charges)


def _discard(ctx: AppContext, result: TurnResult | None) -> None:
    for info in result.generated if result is not None else []:
        ctx.blobs.remove_media(info.id)


def _outcome(text: str, result: TurnResult) -> TurnOutcome:
    return TurnOutcome(message=text, reply=result.reply, changed=result.changed,
                       draft=result.draft, history=result.history,
                       calls=[{"name": c.name, "args": c.args} for c in result.plan.calls],
                       generated=list(result.generated))


def _land(ctx: AppContext, turn: Turn, text: str, result: TurnResult) -> TurnResult:
    """Store the turn's result; a result that could not land is answered as not applied."""
    landing = turn.land(_outcome(text, result))
    if landing.version is not None:
        result.set_version(landing.version)
        return result
    _discard(ctx, result)  # nothing it generated was stored
    if not result.changed:
        return result
    head = ctx.turns.history.head(turn.session_id)
    reply = NOT_LANDED_ZH if language_of(text) == "zh" else NOT_LANDED
    turn.record_refusal(text, reply)
    return not_landed(result, reply, head.draft if head is not None else None,
                      head.version if head is not None else 0)


async def _turn(request: Request, body: RunBody, caller: Caller) -> AsyncGenerator[
        TurnResult | dict[str, Any] | None, None]:
    """Runs the turn; yields None as a heartbeat while it works, each event (as JSON) as soon
    as the turn makes it, then the stored result (whose closing event was not yet sent).

    Storage and credits are touched only by short synchronous calls of the store's ``Turn``
    (no await between the decision and the write), so a cancelled turn can never leave a hold
    open or half a commit; ``turn.close()`` runs on every exit.
    """
    ctx = context(request)
    text = _message_text(body)
    session = await run_in_threadpool(ctx.projects.owned, caller.user_id, body.session_id)
    turn = ctx.turns.begin(caller.user_id, session.id)
    result: TurnResult | None = None
    landed = False
    try:
        draft, media, history, conversation = await run_in_threadpool(turn.load)
        await run_in_threadpool(intent_index)  # the first turn loads the model off the loop
        loop = asyncio.get_running_loop()
        early: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        def publish(event: Event) -> None:
            loop.call_soon_threadsafe(early.put_nowait, event.to_json())

        task = asyncio.ensure_future(run_turn(
            draft, media, history, text, settings=ctx.settings,
            services=_services(ctx, session.id, turn), conversation=conversation,
            invocation_id=new_event_id("e-"), on_event=publish))
        if turn.short is not None:
            # Out of credits: nothing is streamed until the turn shows it is free; an edit
            # answers 2001 as an envelope, with nothing stored and nothing charged.
            result = await task
            stored = _land(ctx, turn, text, result)
            landed = True
            yield stored
            return
        try:
            while True:
                getter = asyncio.ensure_future(early.get())
                try:
                    await asyncio.wait({task, getter}, timeout=HEARTBEAT_S,
                                       return_when=asyncio.FIRST_COMPLETED)
                finally:
                    if not getter.done():
                        getter.cancel()
                if getter.done() and not getter.cancelled():
                    yield getter.result()
                    continue
                if task.done():
                    break
                yield None
            result = task.result()
        finally:
            if not task.done():
                task.cancel()
        stored = _land(ctx, turn, text, result)
        landed = True
        yield stored
    finally:
        if not landed:
            _discard(ctx, result)
        turn.close()


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
        sent: set[str] = set()
        try:
            while True:
                if item is None:
                    yield b": heartbeat\n\n"
                elif isinstance(item, dict):
                    sent.add(item["id"])
                    yield _sse(item)
                else:
                    for event in item.event_dicts():
                        if event["id"] not in sent:
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
            if isinstance(item, TurnResult):
                return item.event_dicts()
    finally:
        await turn.aclose()
    raise RuntimeError("the turn ended without a result")


def warm_up() -> None:
    """Load the embedding model and index now, so the first chat turn is fast."""
    intent_index()
