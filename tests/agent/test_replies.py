"""Replies in plain sentences, and which music a recipe or a music request picks: the
person's uploaded song whenever they ask for music and have one; built-in music when they
have none, name a mood or ask for built-in music."""

from __future__ import annotations

import asyncio

import pytest
from tests.agent.agent_fixtures import PHOTOS, SERVICES, SONG, Start, start_state, turn
from tests.agent.test_turn import ScriptedPlanner

from reelwright.agent.plan import Call, Plan
from reelwright.agent.replies import music_segment
from reelwright.agent.turn import run_turn


def _photos_without_song() -> Start:
    return Start(None, {p.id: p for p in PHOTOS}, None)


@pytest.mark.parametrize("message", [
    "Turn my photos into a slideshow with music",
    "make a video from my photos",
    "帮我把这些照片剪成一个视频，要有背景音乐",
    "把我的照片做成配乐幻灯片",
])
def test_an_uploaded_song_is_the_music_when_music_is_asked_for(message: str) -> None:
    result = turn(start_state("photos_only"), message)
    assert result.changed and result.draft is not None
    seg = music_segment(result.draft)
    assert seg is not None and seg.src == SONG.id, result.reply
    assert SONG.name in result.reply  # the reply names the song it used
    assert not result.generated  # no built-in music made on the side


@pytest.mark.parametrize(("message", "label"), [
    ("make a slideshow with calm music", "Calm"),
    ("make a slideshow with built-in music", "Upbeat"),
    ("用这些照片做一个幻灯片视频，配上欢快的音乐", "欢快"),
])
def test_built_in_music_when_asked_for(message: str, label: str) -> None:
    result = turn(start_state("photos_only"), message)
    assert result.draft is not None
    seg = music_segment(result.draft)
    assert seg is not None and seg.src is not None and seg.src.startswith("gen_")
    assert label in result.reply and SONG.name not in result.reply


def test_built_in_music_when_nothing_was_uploaded() -> None:
    result = turn(_photos_without_song(), "Turn my photos into a slideshow with music")
    assert result.draft is not None
    seg = music_segment(result.draft)
    assert seg is not None and seg.src == "gen_upbeat"
    assert result.reply.startswith("Made an 11.8-second slideshow of your 5 photos with "
                                   "built-in Upbeat music.")


def test_slideshow_reply_is_a_plain_sentence_not_a_timeline() -> None:
    result = turn(start_state("photos_only"), "Turn my photos into a slideshow with music")
    assert result.reply.startswith(
        "Made an 11.8-second slideshow of your 5 photos with My Song.")
    assert "Timeline" not in result.reply and "BGM" not in result.reply
    assert "make_slideshow" not in result.reply
    # the summary is still there for clients that draw a timeline
    delta = result.events[-1].state_delta
    assert str(delta["summary"]).startswith("Timeline (2 tracks)")


def test_vertical_and_titled_slideshow_reply() -> None:
    result = turn(start_state("photos_only"),
                  "make a vertical slideshow without music titled \"Our Summer\"")
    assert result.reply.startswith('Made an 11.8-second vertical slideshow of your 5 photos '
                                   'without music, titled "Our Summer".'), result.reply


def test_adding_music_to_a_slideshow_prefers_the_unused_upload() -> None:
    result = turn(start_state("show_nomusic"), "add music")
    assert result.draft is not None
    seg = music_segment(result.draft)
    assert seg is not None and seg.src == SONG.id
    assert result.reply == f"The music is now your song {SONG.name}."
    chinese = turn(start_state("show_nomusic"), "加点背景音乐")
    assert chinese.reply == f"背景音乐换成了你上传的 {SONG.name}。"


def test_a_mood_still_picks_built_in_music_over_the_upload() -> None:
    result = turn(start_state("show_nomusic"), "add some calm music")
    assert result.draft is not None
    seg = music_segment(result.draft)
    assert seg is not None and seg.src == "gen_calm"
    assert result.reply == "The music is now built-in Calm music."


@pytest.mark.parametrize(("message", "reply"), [
    ("undo", "Nothing was changed: there is nothing to undo."),
    ("redo", "Nothing was changed: there is nothing to redo."),
])
def test_a_reason_after_the_colon_reads_as_one_sentence(message: str, reply: str) -> None:
    result = turn(start_state("show"), message)
    assert not result.changed and result.reply == reply


def test_an_operation_error_after_the_colon_keeps_its_lower_case() -> None:
    start = start_state("show")
    plan = Plan.edit("test", Call("remove_segment", {"target": {"track": "visual", "index": 9}}))
    result = asyncio.run(run_turn(start.draft, start.media, start.history, "remove it",
                                  services=SERVICES, planner=ScriptedPlanner(plan)))
    assert result.reply.startswith("Nothing was changed: there is no ") and \
        result.reply.endswith(".") and not result.reply.endswith("..")
