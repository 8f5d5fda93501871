"""Card headlines read like a designer wrote them: the scene's point, in its own words."""

from __future__ import annotations

import re

import pytest

from reelwright.agent.headline import MAX_CHARS_ZH, MAX_WORDS, headline
from reelwright.agent.script import parse_script

EN = """Trailblazer Lantern

The battery lasts up to 40 hours of light on a single charge. It survives 2 m drops onto
concrete. Daylight charges it through the built-in solar panel, so you never need a cable.
Fold it flat and it fits in any backpack. Early testers felt 40% more rested after three weeks.
It costs $5.99 a month, less than a single coffee. Setup takes about 2 minutes: plug it in,
open the app, and choose your wake-up time. Order yours today, and start every morning a
little brighter than the last one."""

ZH = """极光台灯

极光台灯每天早上用柔和的日出光唤醒你。它的电池可以连续使用四十小时，充一次电就够一周。
手机应用让你在几秒钟内选择颜色和声音。现在下单，每月只需三十元。"""


def _words(text: str) -> list[str]:
    return [w.strip(".,;:!?\"").lower() for w in text.split()]


def _numbers(text: str) -> list[str]:
    return re.findall(r"[$]?\d[\d.,]*%?", text)


@pytest.mark.parametrize("sentence,expected", [
    ("The battery lasts up to 40 hours of light on a single charge.",
     "Battery lasts up to 40 hours"),
    ("It survives 2 m drops onto concrete.", "Survives 2 m drops onto concrete"),
    ("Setup takes about 2 minutes: plug it in, open the app, and choose your wake-up time.",
     "Setup takes about 2 minutes"),
    ("Daylight charges it through the built-in solar panel, so you never need a cable.",
     "Built-in solar panel"),
])
def test_known_sentences_get_designer_headlines(sentence: str, expected: str) -> None:
    assert headline([sentence], "en") == expected


def test_every_english_headline_is_short_keeps_its_number_and_uses_its_words() -> None:
    script = parse_script(EN)
    assert len(script.scenes) >= 3
    for scene in script.scenes:
        for sentence in scene.sentences:
            line = headline([sentence], "en")
            assert 1 <= len(line.split()) <= MAX_WORDS, line
            said = _words(sentence)
            # every word of the headline is said in the sentence, in the same order
            at = 0
            for word in _words(line):
                assert word in said[at:], (line, sentence)
                at = said.index(word, at) + 1
            if _numbers(sentence):
                assert set(_numbers(line)) & set(_numbers(sentence)), (line, sentence)
            assert not line.endswith((" the", " a", " of", " to", " and", " your"))
            assert line[0].isupper()


def test_not_three_long_words_joined_by_dots() -> None:
    line = headline(["It also plays calm music, tracks how well you slept, and gives you one "
                     "simple tip each week."], "en")
    assert "·" not in line
    assert line == "One simple tip each week"


def test_chinese_headlines_are_at_most_twelve_characters_from_the_sentence() -> None:
    script = parse_script(ZH)
    assert script.language == "zh"
    for scene in script.scenes:
        line = headline(scene.sentences, "zh")
        assert 2 <= len(line) <= MAX_CHARS_ZH, line
        assert line in "".join(scene.sentences)
    battery = headline(["它的电池可以连续使用四十小时，充一次电就够一周。"], "zh")
    assert battery == "电池可以连续使用四十小时"
    assert headline(["现在下单，每月只需三十元。"], "zh") == "每月只需三十元"
