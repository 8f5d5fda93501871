"""The interactive layer: fields, targets, paths, warnings, and the operations that edit it."""

from __future__ import annotations

import pytest
from tests.interactive.interactive_helpers import base_draft, tutorial

from reelwright.draft import interactive, validate
from reelwright.draft.codec import dumps, loads
from reelwright.draft.model import Segment, Track, TrackType
from reelwright.draft.ops import apply_op, apply_ops
from reelwright.errors import DraftInvalid, OperationInvalid


def with_items(*segs: Segment, branches: dict | None = None):
    draft = base_draft()
    draft.t.append(Track(id="i1", tt=TrackType.INTERACTIVE, sg=list(segs),
                         m={"branches": branches} if branches else {}))
    return draft


def choice(st: int, *answers: dict, seg_id: str = "c1") -> Segment:
    return Segment(id=seg_id, st=st, d=500, m={"kind": "choice", "q": "Which way?",
                                               "choices": list(answers)})


def test_tutorial_draft_is_valid_and_survives_the_codec(clip_media):
    draft = tutorial(clip_media)
    assert interactive.problems(draft, clip_media) == []
    assert interactive.warnings(draft) == []
    again = loads(dumps(draft))
    assert [s.m for s in interactive.items(again)] == [s.m for s in interactive.items(draft)]
    kinds = [s.m["kind"] for s in interactive.items(draft)]
    assert sorted(kinds) == ["button", "chapter", "chapter", "choice", "end", "hotspot"]


def test_chapters_run_until_the_next_one(clip_media):
    draft = tutorial(clip_media)
    intro, advanced = interactive.chapters(draft)
    assert (intro.st, intro.end) == (0, 2000)
    assert (advanced.st, advanced.end) == (2000, 3000)


def test_every_target_must_exist():
    draft = with_items(
        Segment(id="b1", st=0, d=1000, m={"kind": "button", "label": "Go",
                                          "action": {"do": "jump", "t": 9000}}),
        Segment(id="b2", st=0, d=1000, m={"kind": "hotspot", "label": "X", "box": [0, 0, .2, .2],
                                          "action": {"do": "branch", "b": "nowhere"}}),
        Segment(id="b3", st=0, d=1000, m={"kind": "button", "label": "Bad",
                                          "action": {"do": "url", "url": "javascript:alert(1)"}}))
    found = interactive.problems(draft)
    assert any("sg[0].m.action.t" in p and "after the end" in p for p in found)
    assert any("sg[1].m.action.b" in p and "no branch 'nowhere'" in p for p in found)
    assert any("sg[2].m.action.url" in p and "http" in p for p in found)
    with pytest.raises(DraftInvalid):
        validate(draft)  # the draft's one validation runs the interactive rules too


def test_a_choice_whose_answers_all_loop_back_never_ends():
    draft = with_items(choice(1000, {"label": "Again", "do": "jump", "t": 0},
                              {"label": "Again!", "do": "jump", "t": 500}))
    found = interactive.problems(draft)
    assert len(found) == 1 and "only leads back into a loop" in found[0]
    # One way forward is enough: replay stays allowed.
    fine = with_items(choice(1000, {"label": "Replay", "do": "jump", "t": 0},
                             {"label": "Continue", "do": "play"}))
    assert interactive.problems(fine) == []


def test_a_range_branch_that_loops_into_itself_is_refused():
    draft = with_items(choice(500, {"label": "Loop", "do": "branch", "b": "spin"},
                              {"label": "Also loop", "do": "branch", "b": "spin"}),
                       branches={"spin": {"st": 1000, "d": 1000,
                                          "then": {"do": "branch", "b": "spin"}}})
    assert any("loop" in p for p in interactive.problems(draft))


def test_unreachable_branches_and_crowded_choices_are_warned_about():
    draft = with_items(
        choice(1000, *({"label": f"Option {i}", "do": "jump", "t": 2000} for i in range(4))),
        branches={"extra": {"st": 2000, "d": 500}})
    assert interactive.problems(draft) == []
    warned = interactive.warnings(draft)
    assert any("keep branch points under 3 choices" in w for w in warned)
    assert any("branch 'extra' is never reached" in w for w in warned)


def test_branch_clip_must_be_a_known_video(clip_media):
    draft = with_items(branches={"deep": {"src": "med_zz"}})
    assert any("unknown media id" in p for p in interactive.problems(draft, clip_media))
    draft = with_items(branches={"deep": {"src": "/etc/passwd"}})
    assert any("not a path or URL" in p for p in interactive.problems(draft))


def test_ops_build_a_branching_structure(clip_media):
    draft = apply_ops(base_draft(), [
        ("add_branch", {"name": "advanced", "start_ms": 2000, "duration_ms": 1000}),
        ("add_branch", {"name": "bonus", "media_id": "med_b"}),
        ("add_choice", {"question": "Which part?", "at_ms": 1000, "choices": [
            {"label": "Advanced", "do": "branch", "b": "advanced"},
            {"label": "Bonus", "do": "branch", "b": "bonus"}]}),
    ], clip_media)
    assert set(interactive.branches(draft)) == {"advanced", "bonus"}
    assert interactive.warnings(draft) == []


def test_bad_operations_are_refused_and_change_nothing(clip_media):
    draft = tutorial(clip_media)
    before = dumps(draft)
    with pytest.raises(OperationInvalid, match="only 3s long"):
        apply_op(draft, "add_button", {"label": "Late", "start_ms": 5000,
                                       "action": {"do": "play"}}, clip_media)
    with pytest.raises(OperationInvalid, match="no branch"):
        apply_op(draft, "add_choice", {"question": "?", "at_ms": 500, "choices": [
            {"label": "A", "do": "branch", "b": "ghost"}, {"label": "B", "do": "end"}]},
            clip_media)
    with pytest.raises(OperationInvalid, match="at least 2"):
        apply_op(draft, "add_choice", {"question": "?", "at_ms": 500,
                                       "choices": [{"label": "A", "do": "end"}]}, clip_media)
    with pytest.raises(OperationInvalid, match="already a branch"):
        apply_ops(draft, [("add_branch", {"name": "x", "start_ms": 0, "duration_ms": 500}),
                          ("add_branch", {"name": "x", "start_ms": 0, "duration_ms": 500})],
                  clip_media)
    assert dumps(draft) == before


def test_remove_interactive(clip_media):
    draft = tutorial(clip_media)
    one = apply_op(draft, "remove_interactive", {"target": {"track": "interactive", "index": 1}},
                   clip_media)
    assert len(interactive.items(one)) == len(interactive.items(draft)) - 1
    none = apply_op(draft, "remove_interactive", {"target": "all"}, clip_media)
    assert interactive.items(none) == [] and none.tracks_of(TrackType.INTERACTIVE) == []


def test_the_model_stays_pure():
    import ast
    import inspect

    for module in (interactive,):
        tree = ast.parse(inspect.getsource(module))
        names = {alias.name.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.Import | ast.ImportFrom)
                 for alias in (node.names if isinstance(node, ast.Import) else
                               [ast.alias(node.module or "")])}
        assert not names & {"os", "subprocess", "pathlib", "shutil", "socket", "httpx"}
