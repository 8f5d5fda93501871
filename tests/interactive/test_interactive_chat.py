"""Chat phrasings (English and Chinese) for interactive videos, and the recipe that builds a
structure from the video itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_ffmpeg
from tests.interactive.interactive_helpers import base_draft, clip_info

from reelwright.agent.interactive_rules import Question, plan_interactive, plan_interactive_turn
from reelwright.agent.recipes.interactive import chapter_starts
from reelwright.draft import interactive
from reelwright.draft.ops import apply_ops
from reelwright.media.scenes import scene_cuts, silences

LONG = base_draft(d=200_000)


def test_choice_with_quoted_question_and_answers():
    ops = plan_interactive("at 0:45 ask 'Want the advanced part?' Yes -> 1:30, No -> end",
                           LONG, {})
    assert ops == [("add_choice", {"question": "Want the advanced part?", "at_ms": 45000,
                                   "choices": [{"label": "Yes", "do": "jump", "t": 90000},
                                               {"label": "No", "do": "end"}]})]
    assert interactive.problems(apply_ops(LONG, ops)) == []


def test_choice_in_chinese():
    ops = plan_interactive("在0:45问“要看进阶部分吗？” 要->1:30，不要->结尾", LONG, {})
    assert ops == [("add_choice", {"question": "要看进阶部分吗？", "at_ms": 45000,
                                   "choices": [{"label": "要", "do": "jump", "t": 90000},
                                               {"label": "不要", "do": "end"}]})]


def test_hotspot_top_right_with_a_link():
    ops = plan_interactive("add a hotspot top-right from 12s to 18s linking to "
                           "https://example.com/Docs", LONG, {})
    assert ops == [("add_hotspot", {"label": "Learn more", "start_ms": 12000, "end_ms": 18000,
                                    "place": "top-right",
                                    "action": {"do": "url", "url": "https://example.com/Docs"}})]
    seg = interactive.items(apply_ops(LONG, ops))[0]
    assert (seg.st, seg.end) == (12000, 18000) and seg.m["box"][0] > 0.5  # right side


def test_chinese_button_jumps_to_chapter_two():
    draft = apply_ops(LONG, [("add_chapter", {"label": "基础", "start_ms": 0}),
                             ("add_chapter", {"label": "进阶", "start_ms": 70_000})])
    ops = plan_interactive("在1分钟处加一个按钮跳到第二章", draft, {})
    assert isinstance(ops, list) and ops[0][0] == "add_button"
    args = ops[0][1]
    assert args["start_ms"] == 60_000 and args["action"] == {"do": "jump", "t": 70_000}
    assert interactive.problems(apply_ops(draft, ops)) == []
    # Without a chapter 2 it asks instead of guessing.
    asked = plan_interactive("在1分钟处加一个按钮跳到第二章", LONG, {})
    assert isinstance(asked, Question) and "第2章" in asked.text


def test_incomplete_requests_ask_and_unrelated_ones_pass():
    assert isinstance(plan_interactive("at 0:45 ask 'Ready?'", LONG, {}), Question)
    assert isinstance(plan_interactive("add a button", LONG, {}), Question)
    assert plan_interactive("make the music louder", LONG, {}) is None
    assert plan_interactive("把音乐调大一点", LONG, {}) is None


def test_many_answers_are_allowed_with_a_tip():
    plan = plan_interactive_turn("at 0:10 ask 'Pick one' A -> 0:20, B -> 0:30, C -> 0:40, "
                                 "D -> end", LONG, {})
    assert plan is not None and plan.kind == "edit"
    assert len(plan.calls[0].args["choices"]) == 4
    assert "under 3 choices" in plan.reply


def _two_scene_clip(folder: Path) -> Path:
    """2 s of test pattern, then 2 s of a different picture with silence: one cut at 2 s."""
    path = folder / "two_scenes.mp4"
    run_ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
               "-f", "lavfi", "-i", "mandelbrot=size=320x240:rate=25",
               "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
               "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono",
               "-filter_complex",
               "[1:v]trim=duration=2,setpts=PTS-STARTPTS[b];[0:v][b]concat=n=2:v=1:a=0[v];"
               "[3:a]atrim=duration=2[q];[2:a][q]concat=n=2:v=0:a=1[a]",
               "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast",
               "-pix_fmt", "yuv420p", "-c:a", "aac", str(path))
    return path


def test_scene_cuts_and_silences_are_found(tmp_path: Path):
    clip = _two_scene_clip(tmp_path)
    cuts = scene_cuts(clip)
    assert len(cuts) == 1 and abs(cuts[0] - 2000) <= 80
    quiet = silences(clip)
    assert len(quiet) == 1 and abs(quiet[0][0] - 2000) <= 120 and quiet[0][1] >= 3800


def test_whole_structure_from_the_video(tmp_path: Path, make_clip: Callable[..., Path]):
    clip = _two_scene_clip(tmp_path)
    media = {"med_a": clip_info(clip, ms=4000)}
    draft = base_draft(d=4000)
    plan = plan_interactive_turn("add clickable buttons and branching choices to my tutorial "
                                 "video", draft, media)
    assert plan is not None and plan.kind == "edit"
    edited = apply_ops(draft, [(c.name, c.args) for c in plan.calls], media)
    chapters = interactive.chapters(edited)
    assert [c.st for c in chapters][0] == 0 and abs(chapters[1].st - 2000) <= 80
    (choice,) = [s for s in interactive.items(edited) if s.m["kind"] == "choice"]
    assert choice.st < chapters[1].st  # asked before the advanced part
    assert interactive.problems(edited, media) == [] and interactive.warnings(edited) == []
    assert "scene changes" in plan.reply and "Want the advanced part?" in plan.reply
    zh = plan_interactive_turn("给我的教程视频加上可点击的按钮和分支选择", draft, media)
    assert zh is not None and "进阶" in zh.reply


def test_chapter_starts_fall_back_to_silences_then_halves():
    assert chapter_starts(60_000, [], [(29_000, 31_000)]) == [0, 30_000]
    assert chapter_starts(60_000, [], []) == [0, 30_000]
    many = chapter_starts(600_000, list(range(10_000, 600_000, 10_000)), [])
    assert len(many) == 6 and many[0] == 0
