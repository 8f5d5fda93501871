"""One chat turn: a message in, ADK events and (maybe) a new draft out.

``run_turn`` is independent of the web layer: the caller passes the current draft, the session's
media, the undo history and the message, plus optional ``Services`` (music library, beats,
export), and persists what comes back. Nothing is changed unless every call of the plan applies;
questions, refusals, information and failures change nothing and are not charged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reelwright.agent import events as ev
from reelwright.agent.explainer_reply import EXPLAINER_TOOLS, explainer_reply
from reelwright.agent.llm import planner_for
from reelwright.agent.plan import Call, Ctx, Plan, language_of
from reelwright.agent.planner import Planner
from reelwright.agent.replies import music_reply, recipe_reply
from reelwright.agent.replies_zh import (
    change_in_chinese,
    error_in_chinese,
    note_in_chinese,
    summary_in_chinese,
)
from reelwright.agent.tools import Executor, Outcome, Services
from reelwright.draft.codec import to_json
from reelwright.draft.history import History
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.summary import describe_change, summarize
from reelwright.errors import OperationInvalid

CHARGED_ACTION = "chat_turn"


@dataclass
class TurnResult:
    """What a turn produced. ``draft``/``history`` are the state to keep (the input when nothing
    changed); ``charged_action`` is the price-table action to charge, or None."""

    events: list[ev.Event]
    draft: Draft | None
    history: History | None
    changed: bool
    charged_action: str | None
    reply: str
    plan: Plan
    generated: list[MediaInfo] = field(default_factory=list)
    error: str | None = None

    def event_dicts(self) -> list[dict[str, Any]]:
        return [event.to_json() for event in self.events]

    def set_version(self, version: int) -> None:
        """Record the stored draft version in the closing event's ``stateDelta``."""
        self.events[-1].state_delta["draft_version"] = version


NOT_LANDED = ("Nothing was changed: the video was changed elsewhere while I worked on this "
              "(another message or an export). Send your message again to apply it to the "
              "current version.")
NOT_LANDED_ZH = ("没有修改：处理这条消息时视频已在别处被修改（另一条消息或导出）。"
                 "请再发一次，以便应用到当前版本。")


def not_landed(result: TurnResult, reply: str, draft: Draft | None, version: int
               ) -> TurnResult:
    """``result`` answered as a turn whose draft could not be stored (its base moved): the
    closing event says so, carries the stored draft, and nothing is charged."""
    closing = result.events[-1]
    delta: dict[str, Any] = {"draft_changed": False, "draft_version": version,
                             "turn": {**closing.state_delta.get("turn", {}), "charged": None,
                                      "landed": False}}
    if draft is not None:
        delta["draft"] = to_json(draft)
    events = [*result.events[:-1], ev.final_text(closing.invocation_id, reply, delta)]
    return TurnResult(events, draft, None, False, None, reply, result.plan, [], reply)


def _synced_history(draft: Draft | None, history: History | None) -> History | None:
    """The history, with ``draft`` pushed when it was edited outside chat (e.g. a client
    saved a draft): undo must step back from what the person sees now."""
    if draft is None:
        return history
    if history is None:
        return History(draft, label="start")
    if to_json(history.current) != to_json(draft):
        synced = history.copy()
        synced.push(draft, "edit outside chat")
        return synced
    return history


def _already(lang: str) -> str:
    return "已经是这样了，没有需要修改的地方。" if lang == "zh" else \
        "That is already how the video is; nothing needed to change."


def _done_text(plan: Plan, before: Draft | None, outcome: Outcome, lang: str,
               media: Mapping[str, MediaInfo], changed: bool) -> str:
    """The closing reply of an edit; ``changed`` says whether the draft differs from
    ``before`` (a first draft always does)."""
    after = outcome.draft
    assert after is not None
    names = [call.name for call in plan.calls]
    if any(name in EXPLAINER_TOOLS for name in names):
        remake = next((call.args for call in plan.calls if call.name == "remake_explainer"),
                      None)
        if remake is not None and not changed:
            return _already(lang)
        return plan.reply or explainer_reply(after, outcome.notes, lang, media,
                                             before=before if remake is not None else None,
                                             changes=remake)
    if any(name in ("make_slideshow", "make_product_demo") for name in names):
        what = "slideshow" if "make_slideshow" in names else "product demo"
        text = recipe_reply(what, after, media, lang)
    elif names == ["use_music"] and changed:
        text = music_reply(after, media, lang)
    elif names and names[0] in ("undo", "redo"):
        change = describe_change(before, after, media) if before is not None else "restored"
        word = {"undo": ("Undone", "已撤销"), "redo": ("Redone", "已重做")}[names[0]]
        text = f"{word[1]}：{change_in_chinese(change)}。" if lang == "zh" else \
            f"{word[0]}: {change}."
    else:
        change = describe_change(before, after, media) if before is not None else \
            summarize(after, media)
        if change == "no changes":
            text = _already(lang)
        else:
            text = f"好的，已修改：{change_in_chinese(change)}。" if lang == "zh" else \
                f"Done: {change}."
    if plan.reply and changed:  # the planner explained the edit (LLM, interactive rules)
        text = plan.reply
    for note in outcome.notes:
        text += f"（{note_in_chinese(note)}）" if lang == "zh" else f" ({note})"
    if plan.skipped:
        text += ("未完成：" + "；".join(plan.skipped) + "。") if lang == "zh" else \
            " Not done: " + "; ".join(plan.skipped) + "."
    return text


def _info_text(plan: Plan, outcome: Outcome, lang: str) -> str:
    parts = [plan.reply] if plan.reply else []
    for call, response in zip(plan.calls, outcome.responses, strict=False):
        if call.name == "describe":
            summary = str(response.get("summary", ""))
            parts.append(summary_in_chinese(summary) if lang == "zh" else summary)
        elif call.name == "export":
            if response.get("status") == "started":
                parts.append(("已开始导出：" if lang == "zh" else "Export started: ")
                             + str(response.get("detail", "")))
            else:
                parts.append(
                    "导出方法：在网页上点“导出视频”，或用 POST /api/render/proxy/lambda "
                    f"提交当前草稿（格式 {call.args.get('format', 'mp4')}，导出不消耗积分），"
                    "再用 GET /api/render/proxy/lambda/{id} 查看进度和下载地址。" if lang == "zh"
                    else "To export, press \"Export video\" on the web page, or send the "
                    "current draft to POST /api/render/proxy/lambda (format "
                    f"{call.args.get('format', 'mp4')}, exports cost no credits), then poll GET "
                    "/api/render/proxy/lambda/{id} for progress and the download URL.")
    return " ".join(p for p in parts if p) or ("好的。" if lang == "zh" else "OK.")


async def run_turn(draft: Draft | None, media: Mapping[str, MediaInfo], history: History | None,
                   message: str, *, settings: Any = None, services: Services | None = None,
                   planner: Planner | None = None,
                   conversation: Sequence[Mapping[str, Any]] = (),
                   invocation_id: str | None = None,
                   on_event: Callable[[ev.Event], None] | None = None) -> TurnResult:
    """Plan and apply one message. Never raises for a bad request: the events explain it.

    The events are: one ``functionCall`` and one ``functionResponse`` per tool call, then a
    closing text event (``turnComplete``) whose ``actions.stateDelta`` carries the new
    ``draft`` (compact JSON), ``draft_changed`` and a one-line ``summary``. Long tools add
    progress between them (a text with the expected time and cost, finished sub-steps as
    call/response pairs). ``on_event`` receives every event except the closing one as soon
    as it exists (possibly from a worker thread), so a stream can show it while work goes on.
    """
    services = services or Services()
    planner = planner or planner_for(settings)
    invocation = invocation_id or ev.new_id("e-")
    lang = language_of(message)
    history = _synced_history(draft, history)
    ctx = Ctx(draft, media, lang)

    def dry_run(calls: Sequence[Call]) -> str | None:
        # The LLM planner tries calls here; the music library is left out so a dry run never
        # generates anything, and recipes that synthesise speech are not tried at all.
        if any(call.name in EXPLAINER_TOOLS for call in calls):
            return None
        try:
            Executor(draft, history, media, Services(beats=services.beats)).run(
                [c for c in calls if c.name != "use_music" or "media" in c.args], "dry run")
        except OperationInvalid as exc:
            step = exc.data.get("step") if isinstance(exc.data, dict) else None
            if step is not None and len(calls) > 1:  # a planner repairing its plan needs it
                return f"step {step} ({exc.data.get('operation')}): {exc.message}"
            return exc.message
        return None

    plan = await planner.plan(ctx, message, conversation=conversation, dry_run=dry_run)
    out: list[ev.Event] = []

    def emit(event: ev.Event) -> None:
        out.append(event)
        if on_event is not None:
            on_event(event)

    def progress(text: str, step: dict[str, Any] | None) -> None:
        if step is not None:
            step_id = ev.new_id("call_")
            emit(ev.function_call(invocation, step_id, step["name"], step.get("args", {})))
            emit(ev.function_response(invocation, step_id, step["name"], step["response"]))
        if text:
            emit(ev.Event(invocation, "model", [{"text": text}]))

    call_ids = [ev.new_id("call_") for _ in plan.calls]
    for call_id, call in zip(call_ids, plan.calls, strict=True):
        emit(ev.function_call(invocation, call_id, call.name, call.args))

    def finish(text: str, *, outcome: Outcome | None = None, changed: bool = False,
               error: str | None = None) -> TurnResult:
        new_draft = outcome.draft if outcome is not None and changed else draft
        new_history = outcome.history if outcome is not None and changed else history
        delta: dict[str, Any] = {"draft_changed": changed,
                                 "turn": {"kind": plan.kind, "intent": plan.intent,
                                          "charged": CHARGED_ACTION if changed else None}}
        if new_draft is not None:
            delta["draft"] = to_json(new_draft)
            delta["summary"] = summarize(new_draft, outcome.media if outcome else media)
        out.append(ev.final_text(invocation, text, delta))
        return TurnResult(out, new_draft, new_history, changed,
                          CHARGED_ACTION if changed else None, text, plan,
                          outcome.generated if outcome is not None and changed else [], error)

    if plan.kind in ("ask", "refuse") or (plan.kind == "info" and not plan.calls):
        return finish(plan.reply)
    try:
        # In a worker thread: recipes and library music may take a moment of CPU.
        executor = Executor(draft, history, media, services)
        executor.on_progress = progress
        outcome = await asyncio.to_thread(executor.run, plan.calls, message[:80])
    except OperationInvalid as exc:
        failed = exc.data.get("step", 1) if isinstance(exc.data, dict) else 1
        for i, (call_id, call) in enumerate(zip(call_ids, plan.calls, strict=True), start=1):
            status = {"status": "error", "error": exc.message} if i == failed else \
                {"status": "skipped" if i > failed else "rolled back"}
            emit(ev.function_response(invocation, call_id, call.name, status))
        # One sentence: the reason goes on in lower case after the colon, as the operations
        # write it ("there is nothing to undo"; names such as "Ken Burns" keep their capitals).
        reason = exc.message.strip().rstrip(".") or "it failed"
        text = (f"没有修改：{error_in_chinese(exc.message)}。" if lang == "zh"
                else f"Nothing was changed: {reason}.")
        return finish(text, error=exc.message)
    for call_id, call, response in zip(call_ids, plan.calls, outcome.responses, strict=True):
        emit(ev.function_response(invocation, call_id, call.name, response))
    if plan.kind == "info":
        return finish(_info_text(plan, outcome, lang))
    changed = outcome.draft is not None and (
        draft is None or to_json(outcome.draft) != to_json(draft))
    return finish(_done_text(plan, draft, outcome, lang, outcome.media, changed),
                  outcome=outcome, changed=changed)
