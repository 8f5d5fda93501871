"""Editing interactive items that exist: remove, rename, move, reword (chat and the op)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tests.agent.agent_fixtures import SERVICES, start_state, turn

from reelwright.agent.turn import TurnResult, run_turn
from reelwright.draft.model import Draft
from reelwright.draft.ops import apply_op
from reelwright.errors import OperationInvalid


def _items(draft: Draft | None, kind: str) -> list[dict[str, Any]]:
    assert draft is not None
    return [{"st": s.st, **s.m} for t in draft.t if t.tt == 8 for s in t.sg
            if s.m.get("kind") == kind]


@pytest.fixture
def made() -> TurnResult:
    start = start_state("clips_only")
    result = turn(start, "Add clickable buttons and branching choices to my tutorial video")
    assert result.changed
    return result


def _next(result: TurnResult, message: str) -> TurnResult:
    return asyncio.run(run_turn(result.draft, start_state("clips_only").media, result.history,
                                message, services=SERVICES))


def test_remove_rename_move_and_reword_by_chat(made: TurnResult) -> None:
    removed = _next(made, "remove the skip button")
    assert removed.changed and _items(removed.draft, "button") == []
    assert "Skip to the advanced part" in removed.reply
    renamed = _next(removed, "rename chapter 2 to Deep dive")
    assert [c["label"] for c in _items(renamed.draft, "chapter")][1] == "Deep dive"
    moved = _next(renamed, "move the question to 0:15")
    assert [c["st"] for c in _items(moved.draft, "choice")] == [15_000]
    asked = _next(moved, "make the question say 'Ready for more?'")
    assert _items(asked.draft, "choice")[0]["q"] == "Ready for more?"
    assert "Ready for more?" in asked.reply
    chinese = _next(asked, "把第1章改名为入门")
    assert _items(chinese.draft, "chapter")[0]["label"] == "入门" and "入门" in chinese.reply
    missing = _next(chinese, "delete the hotspot")
    assert not missing.changed and "no hotspot" in missing.reply


def test_a_chapter_called_by_name_and_a_pause_button(made: TurnResult) -> None:
    named = _next(made, "add a chapter called Summary at 0:30")
    assert "Summary" in [c["label"] for c in _items(named.draft, "chapter")], named.reply
    paused = _next(named, "add a pause button at 0:12")
    buttons = [b for b in _items(paused.draft, "button") if b["action"] == {"do": "pause"}]
    assert buttons and buttons[0]["st"] == 12_000 and buttons[0]["label"] == "Pause"


def test_an_answer_that_changes_nothing_says_so(made: TurnResult) -> None:
    again = _next(made, "Add clickable buttons and branching choices to my tutorial video")
    assert not again.changed and "already" in again.reply


def test_set_interactive_checks_what_it_changes(made: TurnResult) -> None:
    draft = made.draft
    assert draft is not None
    choice = next(s for t in draft.t if t.tt == 8 for s in t.sg if s.m["kind"] == "choice")
    chapter = next(s for t in draft.t if t.tt == 8 for s in t.sg if s.m["kind"] == "chapter")
    with pytest.raises(OperationInvalid, match="only a choice has a question"):
        apply_op(draft, "set_interactive", {"target": {"id": chapter.id}, "question": "Q?"})
    with pytest.raises(OperationInvalid, match="the video is only .* pick a time before that"):
        apply_op(draft, "set_interactive", {"target": {"id": choice.id},
                                            "start_ms": draft.d + 1000})
    with pytest.raises(OperationInvalid, match="say what to change"):
        apply_op(draft, "set_interactive", {"target": {"id": choice.id}})
    out = apply_op(draft, "set_interactive", {"target": {"id": choice.id}, "question": "Go?"})
    assert next(s for t in out.t if t.tt == 8 for s in t.sg if s.id == choice.id).m["q"] == "Go?"
