"""Chinese replies: summaries, change descriptions, errors and recipe notes put into Chinese."""

from __future__ import annotations

import asyncio
import re

from tests.agent.agent_fixtures import SERVICES, start_state, turn

from reelwright.agent.display_names import VOCABULARIES, display_name
from reelwright.agent.explainer_reply import explainer_reply
from reelwright.agent.interactive_extras import button_label, extras
from reelwright.agent.replies_zh import (
    change_in_chinese,
    error_in_chinese,
    mood_in_chinese,
    note_in_chinese,
    summary_in_chinese,
)
from reelwright.agent.turn import run_turn
from reelwright.draft.model import Draft
from reelwright.draft.vocab import FITS, POSITIONS, TRANSITIONS


def test_the_timeline_summary_reads_in_chinese() -> None:
    text = summary_in_chinese(
        'Timeline (3 tracks): 1. Photos: a.jpg, b.jpg +3 more (0-11.8s) '
        '2. BGM: Upbeat (0-11.8s, 35%) 3. Title: "Our Summer" (0-3s)')
    assert text == ("时间线（3 条轨道）：1. 照片：a.jpg、b.jpg 等5个（0-11.8 秒） "
                    "2. 背景音乐：欢快（0-11.8 秒，35%） 3. 标题：“Our Summer”（0-3 秒）")
    assert summary_in_chinese("Timeline (empty)") == "时间线是空的。"


def test_changes_errors_and_notes_read_in_chinese() -> None:
    assert change_in_chinese('overlay "谢谢" now starts at 9.6s; music now uses Calm') == \
        "文字“谢谢”改为从 9.6 秒开始；背景音乐换成舒缓"
    assert change_in_chinese('added overlay "谢谢" (8.8-11.8s, at the end)') == \
        "添加了文字“谢谢”（8.8-11.8 秒，在结尾）"
    assert error_in_chinese("the video is only 10s long; pick a time before that") == \
        "视频只有 10 秒长，请选一个更早的时间"
    assert error_in_chinese("1:30 is after the end of the video (1:00); something new") == \
        "1:30 已经超过视频的结尾（1:00）；something new"  # unknown parts stay as they are
    assert note_in_chinese('a clip is cut to 6s to keep the pace; say "make clip 1 longer" '
                           "to show more of it") == \
        "为了节奏，视频片段只用了 6 秒；说“第1个片段长一点”可以多放一些"


def test_a_chinese_slideshow_reply_has_no_english_summary() -> None:
    result = turn(start_state("photos_only"), "把我的照片做成配乐幻灯片")
    assert result.changed and "Timeline" not in result.reply and "时间线" not in result.reply
    assert result.reply.startswith("已用你的 5 张照片做好一段 11.8 秒的幻灯片，配乐是 My Song")
    described = asyncio.run(run_turn(result.draft, start_state("photos_only").media,
                                     result.history, "时间线", services=SERVICES))
    assert "时间线（" in described.reply and "Photos" not in described.reply


def test_named_buttons_and_an_end_choice_are_read_from_the_words() -> None:
    assert button_label("with a Learn more button and a choice") == "Learn more"
    assert button_label("add clickable buttons and branching choices") is None
    draft = Draft(d=40_000)
    more = extras("a Learn more button and a choice at the end between Watch again and Finish",
                  draft, 38_000)
    assert [name for name, _ in more.ops] == ["add_choice"]  # no link yet: asked, not added
    assert more.ops[0][1]["at_ms"] == 37_700
    assert [(c["label"], c["do"]) for c in more.ops[0][1]["choices"]] == \
        [("Watch again", "jump"), ("Finish", "end")]
    assert more.asked and "Which link" in more.asked[0]
    linked = extras("a Docs button linking to https://example.com/d", draft, 38_000)
    assert linked.ops[0][1]["label"] == "Docs" and \
        linked.ops[0][1]["action"] == {"do": "url", "url": "https://example.com/d"}


def test_text_style_changes_read_in_chinese() -> None:
    assert change_in_chinese('title "Our Trip" colour is now #FDD835') == \
        "标题“Our Trip”颜色改为 #FDD835"
    assert change_in_chinese('caption "Hi" size 48 -> 60, bold') == "字幕“Hi”字号 48 → 60，加粗"


def test_built_in_names_read_in_chinese_in_a_chinese_reply() -> None:
    latin = re.compile(r"[A-Za-z]")
    for message, words in (("第3张照片的转场改为溶解", "第3张照片的转场改为溶解（0.8 秒）"),
                           ("第4张照片的转场改为擦除", "第4张照片的转场改为向左擦除"),
                           ("照片用模糊背景填充", "画面适配改为完整显示加模糊背景"),
                           ("标题移到左上角", "的位置改为左上角"),
                           ("换成lo-fi音乐", "内置的低保真音乐")):
        reply = turn(start_state("show"), message).reply
        assert words in reply, (message, reply)
        assert not latin.search(reply.replace("Summer", "")), (message, reply)


def test_every_transition_fit_and_position_has_a_chinese_name() -> None:
    latin = re.compile(r"[A-Za-z]")
    for kind, codes in VOCABULARIES.items():
        for code in codes:
            assert not latin.search(display_name(kind, code, "zh")), (kind, code)
            assert display_name(kind, code, "en") == code
    for name in TRANSITIONS:
        zh = change_in_chinese(f"photo 4 now enters with {name} (0.8s)")
        assert zh.startswith("第4张照片的转场改为") and not latin.search(zh), zh
    for fit in FITS:
        assert not latin.search(change_in_chinese(f"photos 1-5 fit is now {fit}"))
    for place in POSITIONS:
        assert not latin.search(change_in_chinese(f'caption "说明" position is now {place}'))
    assert not latin.search(change_in_chinese("photos 2, 3 have new Ken Burns moves"))
    assert not latin.search(mood_in_chinese("Lo-fi"))


def test_an_explainer_remake_names_its_mood_and_caption_style_in_chinese() -> None:
    before = Draft(d=20_000, m={"explainer": {"mood": "upbeat", "captions": "classic"}})
    after = Draft(d=20_000, m={"explainer": {"mood": "calm", "captions": "highlight"}})
    reply = explainer_reply(after, [], "zh", {}, before=before,
                            changes={"mood": "calm", "caption_style": "highlight"})
    assert reply.startswith("已重新生成讲解视频：字幕样式改为逐词高亮，背景音乐改为舒缓。"), reply
