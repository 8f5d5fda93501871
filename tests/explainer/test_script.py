"""Script -> title, language and scenes of readable length."""

from __future__ import annotations

import pytest

from reelwright.agent.script import (
    count_words,
    detect_language,
    keywords,
    parse_script,
    split_sentences,
)
from reelwright.errors import OperationInvalid

PRODUCT = """Aurora Smart Lamp

Meet Aurora, the lamp that wakes you gently. It fills your room with a soft sunrise glow,
thirty minutes before your alarm. Dr. Lee and her team designed it in 2024 after years of
sleep research. It costs $5.99 a month! Aurora also plays calm music and tracks your sleep
quality. Set it up in two minutes with the free app. Order yours today and wake up happier.
"""


def test_headline_becomes_the_title_and_sentences_group_into_scenes() -> None:
    script = parse_script(PRODUCT)
    assert script.title == "Aurora Smart Lamp"
    assert script.language == "en"
    assert len(script.sentences) == 7
    assert script.sentences[2].startswith("Dr. Lee")  # "Dr." does not end a sentence
    assert 2 <= len(script.scenes) <= 5
    for scene in script.scenes:
        assert sum(count_words(s) for s in scene.sentences) <= 28 or len(scene.sentences) == 1
    assert [s.index for s in script.scenes] == list(range(1, len(script.scenes) + 1))


def test_no_title_when_first_line_is_a_sentence() -> None:
    script = parse_script("This is a sentence.\nAnd another one follows.")
    assert script.title is None
    assert len(script.sentences) == 2


def test_markdown_heading_is_a_title() -> None:
    assert parse_script("# Big news\nWe launched.").title == "Big news"


def test_chinese_script() -> None:
    script = parse_script("极光智能台灯\n\n这款台灯会在日出时慢慢亮起。售价¥30！它还能播放音乐。")
    assert script.language == "zh"
    assert script.title == "极光智能台灯"
    assert script.sentences == ["这款台灯会在日出时慢慢亮起。", "售价¥30！", "它还能播放音乐。"]


def test_language_detection() -> None:
    assert detect_language("Hello there, friend.") == "en"
    assert detect_language("你好，朋友。欢迎使用 Reelwright。") == "zh"
    assert detect_language("12345") == "en"


def test_sentence_split_keeps_decimals_and_abbreviations() -> None:
    assert split_sentences("It costs $5.99 now. See e.g. the docs. Done!", "en") == [
        "It costs $5.99 now.", "See e.g. the docs.", "Done!"]


def test_bad_scripts_are_refused_with_a_reason() -> None:
    with pytest.raises(OperationInvalid, match="empty"):
        parse_script("   \n ... \n")
    with pytest.raises(OperationInvalid, match="limit"):
        parse_script("word " * 5000)
    with pytest.raises(OperationInvalid, match="language"):
        parse_script("Hello.", language="fr")


def test_keywords_skip_stopwords() -> None:
    assert "the" not in keywords("Meet the lamp that wakes you")
    assert "lamp" in keywords("Meet the lamp that wakes you")
