"""One turn as a unit: ADK events, all-or-nothing, charging, undo history, speed."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from tests.agent.agent_fixtures import SERVICES, start_state, turn

from reelwright.agent.intents import route
from reelwright.agent.plan import Call, Ctx, DryRun, Plan
from reelwright.agent.tools import check_call, tool_catalog
from reelwright.agent.turn import run_turn
from reelwright.draft.codec import to_json
from reelwright.draft.history import History
from reelwright.draft.ops import apply_op


class ScriptedPlanner:
    """A planner that returns a fixed plan (to test what the turn does with any plan)."""

    name = "scripted"

    def __init__(self, plan: Plan) -> None:
        self._plan = plan

    async def plan(self, ctx: Ctx, message: str, *, conversation: Sequence[Mapping[str, Any]],
                   dry_run: DryRun) -> Plan:
        return self._plan


def test_events_pair_calls_with_responses_and_end_in_text() -> None:
    result = turn(start_state("show"), "make it vertical and use calmer music")
    parts = [part for event in result.events for part in event.parts]
    calls = [p["functionCall"] for p in parts if "functionCall" in p]
    responses = [p["functionResponse"] for p in parts if "functionResponse" in p]
    assert [c["name"] for c in calls] == ["set_canvas", "use_music"]
    assert [r["id"] for r in responses] == [c["id"] for c in calls]
    assert all(r["response"]["status"] == "ok" for r in responses)
    last = result.events[-1].to_json()
    assert last["turnComplete"] is True and last["content"]["role"] == "model"
    assert last["actions"]["stateDelta"]["draft"] == to_json(result.draft)  # type: ignore
    assert len({e.invocation_id for e in result.events}) == 1
    assert "1080x1920" in result.reply and "Calm" in result.reply


def test_a_failing_step_rolls_back_the_whole_turn() -> None:
    start = start_state("show")
    before = to_json(start.draft)  # type: ignore[arg-type]
    plan = Plan.edit("test", Call("set_canvas", {"aspect": "9:16"}),
                     Call("remove_segment", {"target": {"track": "visual", "index": 9}}))
    result = asyncio.run(run_turn(start.draft, start.media, start.history, "do both",
                                  services=SERVICES, planner=ScriptedPlanner(plan)))
    assert not result.changed and result.charged_action is None
    assert result.draft is start.draft and to_json(start.draft) == before  # type: ignore
    assert "Nothing was changed" in result.reply and "photo 9" in result.reply
    assert "step" not in result.reply.lower() and "remove_segment" not in result.reply
    statuses = [p["functionResponse"]["response"]["status"] for e in result.events
                for p in e.parts if "functionResponse" in p]
    assert statuses == ["rolled back", "error"]


def test_a_failing_step_is_named_for_a_planner_that_repairs_its_plan() -> None:
    start = start_state("show")
    seen: list[str | None] = []

    class Probing(ScriptedPlanner):
        async def plan(self, ctx: Ctx, message: str, *, conversation: Sequence[Mapping[str, Any]],
                       dry_run: DryRun) -> Plan:
            seen.append(dry_run(self._plan.calls))
            return self._plan

    plan = Plan.edit("test", Call("set_canvas", {"aspect": "9:16"}),
                     Call("remove_segment", {"target": {"track": "visual", "index": 9}}))
    asyncio.run(run_turn(start.draft, start.media, start.history, "do both",
                         services=SERVICES, planner=Probing(plan)))
    assert seen and seen[0] is not None and seen[0].startswith("step 2 (remove_segment): ")


def test_one_request_read_as_two_clauses_is_not_built_twice() -> None:
    # "buttons and branching choices" is one request; each half alone asks for the whole
    # interactive structure, and applying both built the chapters twice ("a chapter already
    # starts at 0:00").
    start = start_state("clips_only")
    result = turn(start, "add clickable buttons and branching choices to my tutorial video")
    assert result.changed and result.draft is not None, result.reply
    kinds = [seg.m["kind"] for track in result.draft.t if track.tt == 8 for seg in track.sg]
    starts = [seg.st for track in result.draft.t if track.tt == 8 for seg in track.sg
              if seg.m["kind"] == "chapter"]
    assert kinds.count("choice") == 1 and kinds.count("end") == 1
    assert len(starts) == len(set(starts)) >= 2
    assert "chapters" in result.reply and "Nothing was changed" not in result.reply


def test_invalid_arguments_are_rejected_before_anything_runs() -> None:
    start = start_state("show")
    plan = Plan.edit("test", Call("set_volume", {"role": "music", "volume": 7}))
    result = asyncio.run(run_turn(start.draft, start.media, start.history, "louder!",
                                  services=SERVICES, planner=ScriptedPlanner(plan)))
    assert not result.changed and "at most 2" in result.reply


def test_every_tool_has_a_schema_and_the_checker_uses_it() -> None:
    catalog = tool_catalog()
    names = [tool["name"] for tool in catalog]
    assert len(names) == len(set(names))
    for tool in catalog:
        assert tool["description"] and tool["parameters"]["type"] == "object"
    check_call(Call("set_canvas", {"aspect": "9:16"}))
    for bad in (Call("set_canvas", {"aspect": "3:1"}), Call("nope", {}),
                Call("make_slideshow", {"mood": "sleepy"}), Call("undo", {"steps": 0})):
        try:
            check_call(bad)
        except Exception as exc:  # noqa: BLE001 - any typed error is fine, silence is not
            assert type(exc).__name__ == "OperationInvalid"
        else:
            raise AssertionError(f"{bad} was accepted")


def test_undo_and_redo_walk_the_history_and_are_charged() -> None:
    start = start_state("show")
    first = turn(start, "make it square")
    second = turn(start_state("show").__class__(first.draft, start.media, first.history),
                  "make the title red")
    undone = turn(start.__class__(second.draft, start.media, second.history), "undo")
    assert to_json(undone.draft) == to_json(first.draft)  # type: ignore[arg-type]
    assert undone.charged_action == "chat_turn"
    redone = turn(start.__class__(undone.draft, start.media, undone.history), "重做")
    assert to_json(redone.draft) == to_json(second.draft)  # type: ignore[arg-type]
    nothing = turn(start.__class__(redone.draft, start.media, redone.history), "redo")
    assert not nothing.changed and nothing.charged_action is None and nothing.reply


def test_an_edit_made_outside_chat_is_what_undo_steps_back_from() -> None:
    start = start_state("show_hist")  # history: slideshow -> vertical
    assert start.draft is not None and start.history is not None
    edited = apply_op(start.draft, "set_canvas", {"aspect": "1:1"}, start.media)
    result = asyncio.run(run_turn(edited, start.media, start.history, "undo",
                                  services=SERVICES))
    assert (result.draft.w, result.draft.h) == (1080, 1920)  # type: ignore[union-attr]


def test_nothing_uploaded_means_an_explanation_not_an_empty_video() -> None:
    empty = start_state("photos_only").__class__(None, {}, None)
    result = turn(empty, "turn my photos into a slideshow")
    assert result.plan.kind == "refuse" and result.draft is None
    assert "Upload" in result.reply and result.charged_action is None
    result = turn(empty, "把照片做成幻灯片")
    assert "上传" in result.reply


def test_chinese_in_chinese_out() -> None:
    result = turn(start_state("show"), "改一下")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.reply)
    result = turn(start_state("show"), "把背景音乐音量调到20%")
    assert result.reply == "好的，已修改：背景音乐音量 35% → 20%。"
    result = turn(start_state("show"), "第二张照片显示5秒")
    assert result.reply.startswith("好的，已修改：第2张照片改为 5 秒")


def test_refusals_in_chinese_are_all_chinese() -> None:
    # Given a fresh slideshow with nothing to undo, When asked in Chinese to undo / edit photo 9
    undo = turn(start_state("show"), "撤销")
    ninth = turn(start_state("show"), "第九张照片显示5秒")
    # Then the reason is in Chinese too, and nothing changed
    assert undo.reply == "没有修改：没有可以撤销的操作。" and not undo.changed
    assert "第9" in ninth.reply and not ninth.changed
    assert not any(ch.isascii() and ch.isalpha() for ch in undo.reply + ninth.reply)


def test_history_survives_a_json_round_trip_between_turns() -> None:
    start = start_state("show")
    first = turn(start, "make it square")
    stored = History.from_json(first.history.to_json())  # type: ignore[union-attr]
    undone = turn(start.__class__(first.draft, start.media, stored), "撤销")
    assert to_json(undone.draft) == to_json(start.draft)  # type: ignore[arg-type]


@pytest.mark.parametrize(("message", "words", "seconds"), [
    ('put the text "Thanks for watching" at the end', "Thanks for watching", 3),
    ('put "Thanks for watching" at the end', "Thanks for watching", 3),
    ('show "Subscribe!" in the last 2 seconds', "Subscribe!", 2),
    ('at the end, say "Bye"', "Bye", 3),
    ("在结尾加上文字“谢谢观看”", "谢谢观看", 3),
    ("最后显示“再见”", "再见", 3),
])
def test_text_at_the_end_is_in_the_last_part_and_nothing_else_changes(
        message: str, words: str, seconds: int) -> None:
    start = start_state("show")
    assert start.draft is not None
    result = turn(start, message)
    assert result.changed and result.draft is not None, result.reply
    texts = [s for t in result.draft.t if t.tt == 7 for s in t.sg if s.m.get("text") == words]
    assert len(texts) == 1 and texts[0].end == result.draft.d, result.reply
    assert texts[0].d == seconds * 1000
    main_before = [(s.st, s.d, s.m.get("kb")) for s in start.draft.t[0].sg]
    assert [(s.st, s.d, s.m.get("kb")) for s in result.draft.t[0].sg] == main_before


@pytest.mark.parametrize("words", ["after the kill", "no music please", "drop it like its hot",
                                   "delete nothing", "不要停"])
def test_words_in_quotes_are_the_text_never_a_request(words: str) -> None:
    # Given a slideshow with music, When the person adds a text whose words name an edit
    state = start_state("show")
    plan = route(Ctx(state.draft, state.media), f'add the text "{words}"')
    # Then the text is added as typed and nothing is removed
    assert [(c.name, c.args.get("text")) for c in plan.calls] == [("add_text", words)]


def test_a_quoted_phrase_is_never_cut_into_requests() -> None:
    # Given a slideshow, When one message asks for two things and the text holds an "and"
    state = start_state("show")
    plan = route(Ctx(state.draft, state.media), 'make it square and add the text "me and you"')
    # Then both are done, and the text is whole
    assert [(c.name, c.args.get("text")) for c in plan.calls] == [("set_canvas", None),
                                                                   ("add_text", "me and you")]
