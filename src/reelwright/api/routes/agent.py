"""POST /run_sse and POST /run: one chat turn on a session, as Google ADK's API server does it.

/run_sse streams ADK Event JSON objects as SSE ``data:`` lines (comment heartbeats every 15 s
while the turn works) and closes when the turn ends; /run answers the same events as a list.
The session must belong to the bearer token (else 1002). One turn per session at a time: a
second one answers 409 (Busy). The chat_turn price is frozen before the turn and settled only
when the draft changed; questions, refusals and failures release it. Generated voice-over and
music (explainer turns) are held the same way while they are made (``TurnCharges``). A client
that disconnects cancels its turn: nothing is stored and every hold is released. Events stream
as the turn makes them (tool calls at once, progress while long tools work); the closing event
goes out after the new draft is stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import shutil
import threading
from collections.abc import AsyncGenerator, AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from reelwright.agent.events import Event
from reelwright.agent.events import new_id as new_event_id
from reelwright.agent.intents import intent_index
from reelwright.agent.lexicon import MOOD_LABELS
from reelwright.agent.tools import Services, Workspace
from reelwright.agent.turn import CHARGED_ACTION, TurnResult, run_turn
from reelwright.api.auth import context, current_caller
from reelwright.api.context import AppContext
from reelwright.draft.codec import dumps, loads
from reelwright.draft.history import History
from reelwright.draft.media import MediaInfo
from reelwright.errors import BadRequest, Busy, NoCredits, OperationInvalid
from reelwright.store.accounts import Caller
from reelwright.store.credits import Ledger
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


class TurnCharges:
    """Credits for media a turn generates (``agent.tools.Charges``): each ``hold`` freezes a
    price-table action; the route settles what is still open when the draft changed and
    releases it otherwise. After ``close`` (turn over or cancelled) nothing new is held, so a
    worker thread that outlives a cancelled turn cannot leave a hold behind."""

    def __init__(self, ledger: Ledger, user_id: str, session_id: str) -> None:
        self.ledger, self.user_id, self.ref = ledger, user_id, session_id
        self._open: list[str] = []
        self._closed = False
        self._lock = threading.Lock()

    def price(self, action: str) -> int:
        return self.ledger.price(action)

    def hold(self, action: str) -> str:
        with self._lock:
            if self._closed:
                raise OperationInvalid("the turn was cancelled")
            try:
                hold = self.ledger.freeze(self.user_id, action, self.ref)
            except NoCredits as exc:
                raise OperationInvalid(exc.message, data=exc.data) from exc
            self._open.append(hold.id)
            return hold.id

    def drop(self, hold_id: str) -> None:
        with self._lock:
            if hold_id not in self._open:
                return
            self._open.remove(hold_id)
        self.ledger.release(hold_id)

    def close(self, *, settle: bool) -> None:
        with self._lock:
            held, self._open, self._closed = self._open, [], True
        for hold_id in held:
            if settle:
                self.ledger.settle(hold_id)
            else:
                self.ledger.release(hold_id)


def _services(ctx: AppContext, session_id: str, charges: TurnCharges | None = None
              ) -> Services:
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
        TurnResult | dict[str, Any] | None, None]:
    """Runs the turn; yields None as a heartbeat while it works, each event (as JSON) as soon
    as the turn makes it, then the committed result (whose closing event was not yet sent).

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
    charges = TurnCharges(ctx.ledger, caller.user_id, session.id)
    short: NoCredits | None = None
    try:
        try:
            hold = ctx.ledger.freeze(caller.user_id, CHARGED_ACTION, session.id)
        except NoCredits as exc:
            short = exc  # questions and refusals stay free: plan first, then decide
        draft, media, history = await run_in_threadpool(_load, ctx, state, session.id)
        await run_in_threadpool(intent_index)  # the first turn loads the model off the loop
        loop = asyncio.get_running_loop()
        early: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        def publish(event: Event) -> None:
            loop.call_soon_threadsafe(early.put_nowait, event.to_json())

        task = asyncio.ensure_future(run_turn(
            draft, media, history, text, settings=ctx.settings,
            services=_services(ctx, session.id, charges),
            conversation=list(state.conversations.get(session.id, ())),
            invocation_id=new_event_id("e-"), on_event=publish))
        if short is not None:
            # Out of credits: nothing is streamed until the turn shows it is free; an edit
            # answers 2001 as an envelope, with nothing stored and nothing charged.
            result = await task
            if result.changed:
                raise short
            _finish(ctx, state, session.id, result, hold, charges)
            committed = True
            state.remember(session.id, text, result.reply)
            yield result
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
        _finish(ctx, state, session.id, result, hold, charges)
        committed = True
        state.remember(session.id, text, result.reply)
        yield result
    finally:
        if not committed:
            if hold is not None:
                ctx.ledger.release(hold)
            charges.close(settle=False)
            _discard(ctx, result)
        state.busy.discard(session.id)


def _finish(ctx: AppContext, state: AgentState, session_id: str, result: TurnResult,
            hold: Any, charges: TurnCharges) -> None:
    if result.changed:
        _commit(ctx, state, session_id, result)
        ctx.ledger.settle(hold)
        charges.close(settle=True)
    else:
        _discard(ctx, result)
        if result.history is not None:
            state.keep_history(session_id, result.history)
        if hold is not None:
            ctx.ledger.release(hold)
        charges.close(settle=False)


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
