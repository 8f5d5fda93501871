"""Numbers and words as people type them, in English and Chinese."""

from __future__ import annotations

import pytest

from reelwright.agent import lexicon, numbers


@pytest.mark.parametrize(("text", "ms"), [
    ("3 seconds", 3000), ("2.5s", 2500), ("make it two minutes long", 120_000),
    ("1 min 30 s", 90_000), ("a minute and a half", 90_000), ("half a minute", 30_000),
    ("two and a half seconds", 2500), ("a 30-second video", 30_000), ("for 800ms", 800),
    ("3秒", 3000), ("两分钟", 120_000), ("1分30秒", 90_000), ("半分钟", 30_000),
    ("一分半", 90_000), ("十五秒", 15_000), ("二十五秒", 25_000), ("1点5秒", 1500),
    ("第二张照片显示五秒", 5000), ("make it a second longer", 1000),
])
def test_durations(text: str, ms: int) -> None:
    assert numbers.find_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["make photo 3 longer", "第三张长一点", "use calmer music",
                                  "a second photo"])
def test_no_duration_where_there_is_none(text: str) -> None:
    assert numbers.find_duration_ms(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("20%", 0.2), ("twenty percent", 0.2), ("35 per cent", 0.35), ("百分之二十", 0.2),
    ("音量调到百分之三十五", 0.35), ("50％", 0.5), ("八成", 0.8),
])
def test_percentages(text: str, value: float) -> None:
    assert numbers.find_percent(text) == pytest.approx(value)


@pytest.mark.parametrize(("text", "found"), [
    ("the second photo", [2]), ("photo 3", [3]), ("the 3rd picture", [3]),
    ("swap the first and third", [1, 3]), ("the last one", [-1]), ("第二张", [2]),
    ("第3张", [3]), ("最后一张", [-1]), ("第十二张", [12]), ("照片4", [4]),
    ("make it a second longer", []), ("photo 3 for 5 seconds", [3]),
    ("make the video 20 seconds", []), ("短一点", []), ("统一时长", []),
])
def test_ordinals(text: str, found: list[int]) -> None:
    assert numbers.find_ordinals(text) == found


@pytest.mark.parametrize(("run", "value"), [("十", 10), ("十二", 12), ("二十", 20),
                                            ("一百零三", 103), ("两", 2), ("两千", 2000),
                                            ("一万二千", 12000), ("二〇二五", 2025)])
def test_chinese_numerals(run: str, value: int) -> None:
    assert numbers.zh_to_int(run) == value


def test_words_that_are_not_numbers_stay_words() -> None:
    assert numbers.normalize("短一点") == "短一点"
    assert numbers.normalize("换一首歌") == "换一首歌"
    assert numbers.normalize("第一张") == "第1张"


@pytest.mark.parametrize(("text", "resolution"), [("1080p", 1080), ("export in 720p", 720),
                                                  ("改成4K", 2160), ("全高清", 1080),
                                                  ("no resolution here", None)])
def test_resolutions(text: str, resolution: int | None) -> None:
    assert numbers.find_resolution(text) == resolution


@pytest.mark.parametrize(("text", "aspect"), [
    ("vertical for tiktok", "9:16"), ("instagram reel", "9:16"), ("竖屏", "9:16"),
    ("抖音", "9:16"), ("改成1:1", "1:1"), ("square", "1:1"), ("4:5 please", "4:5"),
    ("横屏", "16:9"), ("for youtube", "16:9"), ("make photo 2 longer", None),
])
def test_aspect_words(text: str, aspect: str | None) -> None:
    assert lexicon.find_aspect(numbers.normalize(text)) == aspect


@pytest.mark.parametrize(("text", "name"), [
    ("use dissolve transitions", "dissolve"), ("转场换成淡入淡出", "fade"),
    ("crossfade", "dissolve"), ("fade to black", "fadeblack"), ("滑动", "slideleft"),
    ("no transitions", "none"), ("不要转场", "none"), ("varied transitions", "varied"),
    ("转场多样一点", "varied"),
])
def test_transition_words(text: str, name: str) -> None:
    assert lexicon.find_transition(numbers.normalize(text)) == name


@pytest.mark.parametrize(("text", "mood"), [
    ("use a calmer song", "calm"), ("舒缓的音乐", "calm"), ("something upbeat", "upbeat"),
    ("欢快", "upbeat"), ("chill lofi beats", "lofi"), ("电影感的配乐", "cinematic"),
    ("make it louder", None),
])
def test_moods(text: str, mood: str | None) -> None:
    assert lexicon.find_mood(numbers.normalize(text)) == mood


def test_colours_positions_and_quotes() -> None:
    assert lexicon.find_colour("make the title red") == "#E53935"
    assert lexicon.find_colour("标题改成白色") == "#FFFFFF"
    assert lexicon.find_colour("use #ff8800") == "#FF8800"
    assert lexicon.find_position("put it in the top left") == "top-left"
    assert lexicon.find_position("标题放在底部") == "bottom"
    assert lexicon.find_quoted("titled 'Summer'") == "Summer"
    assert lexicon.find_quoted("标题是“夏天”") == "夏天"
    assert lexicon.find_quoted("don't crop it") is None
