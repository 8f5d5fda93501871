"""Numbers, money and abbreviations are written out so captions say what the voice says."""

from __future__ import annotations

import pytest

from reelwright.media.tts.normalize import (
    normalize,
    number_words,
    ordinal_words,
    year_words,
    zh_number,
)


@pytest.mark.parametrize(("text", "spoken"), [
    ("$5.99", "five dollars and ninety-nine cents"),
    ("It costs $5.99 today.", "It costs five dollars and ninety-nine cents today."),
    ("$1", "one dollar"),
    ("€0.50", "fifty cents"),
    ("£20", "twenty pounds"),
    ("$2.5M raised", "two point five million dollars raised"),
    ("the 3rd time", "the third time"),
    ("the 21st floor", "the twenty-first floor"),
    ("Dr. Smith", "Doctor Smith"),
    ("Mrs. Jones vs. Mr. Lee", "Missus Jones versus Mister Lee"),
    ("in 2024", "in twenty twenty-four"),
    ("in 1999", "in nineteen ninety-nine"),
    ("in 2008", "in two thousand eight"),
    ("50% off", "fifty percent off"),
    ("12.5%", "twelve point five percent"),
    ("1,250,000 users", "one million two hundred fifty thousand users"),
    ("a 15 km ride", "a fifteen kilometres ride"),
    ("at 10:30", "at ten thirty"),
    ("Tom & Jerry", "Tom and Jerry"),
])
def test_english_is_written_out(text: str, spoken: str) -> None:
    assert normalize(text, "en") == spoken


@pytest.mark.parametrize(("text", "spoken"), [
    ("¥30", "三十元"),
    ("售价¥29.90", "售价二十九元九角"),
    ("￥5.25", "五元二角五分"),
    ("30元", "三十元"),
    ("增长50%", "增长百分之五十"),
    ("2024年", "二零二四年"),
    ("第3季度", "第三季度"),
    ("10086", "一万零八十六"),
    ("12个", "十二个"),
    ("3.5倍", "三点五倍"),
])
def test_chinese_is_written_out(text: str, spoken: str) -> None:
    assert normalize(text, "zh") == spoken


def test_number_helpers() -> None:
    assert number_words(0) == "zero"
    assert number_words(115) == "one hundred fifteen"
    assert number_words(7_000_001) == "seven million one"
    assert ordinal_words(12) == "twelfth"
    assert ordinal_words(40) == "fortieth"
    assert ordinal_words(100) == "one hundredth"
    assert year_words(1905) == "nineteen oh five"
    assert year_words(1900) == "nineteen hundred"
    assert zh_number(100000) == "十万"
    assert zh_number(1001) == "一千零一"
    assert zh_number(100010) == "十万零一十"


def test_text_without_numbers_is_unchanged() -> None:
    assert normalize("Plain words here.", "en") == "Plain words here."
    assert normalize("没有数字。", "zh") == "没有数字。"
