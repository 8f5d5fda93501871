"""A planner backed by any OpenAI-compatible chat-completions endpoint with tool calling
(OpenAI, vLLM, Ollama's /v1, llama.cpp server ...).

The model sees the tool catalog (draft operations + agent tools), a short description of the
draft and the session's media, and the message. Each tool call it makes is checked against its
schema and tried on a copy of the draft; the result (ok, or the error in plain words) is fed
back as a ``tool`` message so the model can correct itself. Calls that applied become the
plan; the model's last text becomes the reply. Any transport or protocol failure raises
``LLMUnavailable`` and ``FallbackPlanner`` answers with the offline planner instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from reelwright.agent.plan import Call, Ctx, DryRun, Plan
from reelwright.agent.planner import OfflinePlanner, Planner
from reelwright.agent.tools import READ_ONLY_TOOLS, check_call, openai_tools
from reelwright.draft.summary import summarize
from reelwright.errors import OperationInvalid

log = logging.getLogger(__name__)
MAX_ROUNDS = 4
SYSTEM = (
    "You are Reelwright's video editing agent. The user edits one video draft by chatting. "
    "Use the tools to make the edits they ask for; segments are addressed as "
    '{"track": "visual", "index": 2} (1-based) or by id. Times are milliseconds, volumes 0..2 '
    "(0.2 = 20%). If the request is ambiguous, ask one short question and call no tool. If it "
    "is not about the video, say what you can do. After editing, reply in the user's language "
    "with one or two plain sentences saying what changed.")


class LLMUnavailable(Exception):
    """The endpoint could not be used (network, HTTP status, malformed reply)."""


def _context_text(ctx: Ctx) -> str:
    lines = ["Current draft: " + (summarize(ctx.draft, ctx.media) if ctx.draft is not None
                                  else "empty (no draft yet)")]
    if ctx.draft is not None:
        lines.append(f"Canvas {ctx.draft.w}x{ctx.draft.h}, {ctx.draft.fps} fps, "
                     f"{ctx.draft.d} ms long.")
    if ctx.media:
        lines.append("Session media: " + "; ".join(
            f"{info.id} ({info.kind}, {info.name or 'unnamed'}"
            + (f", {info.duration_ms} ms" if info.duration_ms else "") + ")"
            for info in ctx.media.values()))
    return "\n".join(lines)


class LLMPlanner:
    name = "llm"

    def __init__(self, base_url: str, model: str, api_key: str = "", *,
                 timeout: float = 60.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout = timeout
        self.transport = transport

    async def _complete(self, client: httpx.AsyncClient, messages: list[dict[str, Any]]
                        ) -> dict[str, Any]:
        body = {"model": self.model, "messages": messages, "tools": openai_tools(),
                "tool_choice": "auto", "temperature": 0}
        try:
            response = await client.post(self.url, json=body, headers=self.headers)
        except httpx.HTTPError as exc:
            raise LLMUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise LLMUnavailable(f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            message = response.json()["choices"][0]["message"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMUnavailable(f"malformed reply: {response.text[:200]}") from exc
        if not isinstance(message, dict):
            raise LLMUnavailable("malformed reply: message is not an object")
        return message

    async def plan(self, ctx: Ctx, message: str, *, conversation: Sequence[Mapping[str, Any]] = (),
                   dry_run: DryRun | None = None) -> Plan:
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": SYSTEM + "\n\n" + _context_text(ctx)},
            *[dict(m) for m in conversation if m.get("role") in ("user", "assistant")],
            {"role": "user", "content": message}]
        accepted: list[Call] = []
        async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
            for _ in range(MAX_ROUNDS):
                reply = await self._complete(client, messages)
                tool_calls = reply.get("tool_calls") or []
                if not tool_calls:
                    return self._finish(ctx, accepted, str(reply.get("content") or ""))
                messages.append({"role": "assistant", "content": reply.get("content"),
                                 "tool_calls": tool_calls})
                for raw in tool_calls:
                    result = self._try(raw, accepted, dry_run)
                    messages.append({"role": "tool", "tool_call_id": raw.get("id", ""),
                                     "content": json.dumps(result, ensure_ascii=False)})
        return self._finish(ctx, accepted, "")

    @staticmethod
    def _try(raw: Mapping[str, Any], accepted: list[Call], dry_run: DryRun | None
             ) -> dict[str, Any]:
        try:
            fn = raw["function"]
            args = fn.get("arguments") or "{}"
            call = Call(str(fn["name"]), json.loads(args) if isinstance(args, str) else args)
        except (KeyError, TypeError, ValueError, RecursionError) as exc:
            return {"error": f"could not read the tool call: {exc}"}
        if not isinstance(call.args, dict):
            return {"error": "arguments must be a JSON object"}
        try:
            check_call(call)
        except OperationInvalid as exc:
            return {"error": exc.message}
        problem = dry_run([*accepted, call]) if dry_run is not None else None
        if problem is not None:
            return {"error": problem}
        accepted.append(call)
        return {"status": "ok"}

    @staticmethod
    def _finish(ctx: Ctx, accepted: list[Call], text: str) -> Plan:
        text = text.strip()
        if accepted:
            if all(c.name in READ_ONLY_TOOLS for c in accepted):
                return Plan("info", accepted, reply=text, intent="llm")
            return Plan("edit", accepted, reply=text, intent="llm")
        if not text:
            raise LLMUnavailable("the model returned neither tool calls nor text")
        if text.endswith(("?", "？")):
            return Plan.ask("llm", text)
        return Plan.info("llm", text)


class FallbackPlanner:
    """Tries ``primary``; on ``LLMUnavailable`` (or any unexpected error) uses ``fallback``."""

    def __init__(self, primary: Planner, fallback: Planner | None = None) -> None:
        self.primary = primary
        self.fallback = fallback or OfflinePlanner()
        self.name = primary.name
        self.last_error: str | None = None

    async def plan(self, ctx: Ctx, message: str, *, conversation: Sequence[Mapping[str, Any]] = (),
                   dry_run: DryRun | None = None) -> Plan:
        try:
            plan = await self.primary.plan(ctx, message, conversation=conversation,
                                           dry_run=dry_run)
            self.last_error = None
            return plan
        except Exception as exc:  # the offline planner must answer whatever the LLM did
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("LLM planner failed, using the offline planner: %s", self.last_error)
            return await self.fallback.plan(ctx, message, conversation=conversation,
                                            dry_run=dry_run)


def planner_for(settings: Any) -> Planner:
    """The planner the settings ask for: the LLM (with offline fallback) when
    ``llm_base_url`` and ``llm_model`` are set, else the offline planner."""
    if getattr(settings, "llm_base_url", "") and getattr(settings, "llm_model", ""):
        return FallbackPlanner(LLMPlanner(settings.llm_base_url, settings.llm_model,
                                          getattr(settings, "llm_api_key", "")))
    return OfflinePlanner()
