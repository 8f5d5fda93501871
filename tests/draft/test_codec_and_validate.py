import copy
import json
from typing import Any

import pytest

from reelwright.draft import (
    Draft,
    MediaInfo,
    TrackType,
    dumps,
    from_json,
    problems,
    to_json,
    validate,
)
from reelwright.errors import DraftInvalid

SAMPLE = {
    "v": 1, "w": 1920, "h": 1080, "fps": 30, "d": 5200, "m": {"bg": "#101010"},
    "t": [
        {"id": "v1", "tt": 0, "sg": [
            {"id": "s1", "src": "med_a", "st": 0, "d": 3000, "m": {"fit": "cover"}},
            {"id": "s2", "src": "med_b", "st": 2200, "d": 3000, "in": 500,
             "m": {"tr": {"n": "fade", "d": 800}}},
        ]},
        {"id": "a1", "tt": 1, "m": {"role": "music"}, "sg": [
            {"id": "m1", "src": "med_c", "st": 0, "d": 5200, "m": {"vol": 0.35}}]},
        {"id": "x1", "tt": 7, "sg": [
            {"id": "t1", "st": 0, "d": 3000, "m": {"text": "城市之夜", "role": "title"}}]},
    ],
}


def test_round_trip_keeps_every_field() -> None:
    draft = from_json(SAMPLE)
    assert to_json(draft) == SAMPLE
    assert from_json(dumps(draft)) == draft
    assert draft.t[0].tt is TrackType.VISUAL
    assert draft.t[0].sg[1].in_ == 500


def test_dumps_is_compact_and_keeps_unicode() -> None:
    text = dumps(from_json(SAMPLE))
    assert "城市之夜" in text and ", " not in text
    assert json.loads(text)["t"][2]["sg"][0]["m"]["text"] == "城市之夜"


@pytest.mark.parametrize(("bad", "message"), [
    ("not json", "draft: not valid JSON"),
    ([], "draft: must be a JSON object"),
    ({"t": {}}, "t: must be a list of tracks"),
    ({"t": [{"tt": 5, "sg": []}]}, "t[0].tt: must be one of"),
    ({"t": [{"tt": 0, "sg": [{"st": 0}]}]}, "t[0].sg[0].d: required"),
    ({"t": [{"tt": 0, "sg": [{"st": "0", "d": 10}]}]}, "t[0].sg[0].st: must be an integer"),
    ({"t": [{"tt": 0, "sg": [{"st": 0, "d": 10, "src": 5}]}]}, "t[0].sg[0].src: must be a media"),
    ({"t": [{"tt": 0, "sg": [{"st": 0, "d": 10, "m": []}]}]}, "t[0].sg[0].m: must be an object"),
])
def test_shape_errors_name_the_field(bad: object, message: str) -> None:
    with pytest.raises(DraftInvalid) as info:
        from_json(bad)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_new_id_is_unused() -> None:
    draft = from_json(SAMPLE)
    assert draft.new_id("s") == "s3"
    assert Draft().new_id("t") == "t1"
MEDIA = {
    "med_a": MediaInfo(id="med_a", kind="image", path="/x/a.jpg", w=4000, h=3000),
    "med_b": MediaInfo(id="med_b", kind="video", path="/x/b.mp4", w=1280, h=720,
                       duration_ms=4000, has_video=True, has_audio=True),
    "med_c": MediaInfo(id="med_c", kind="audio", path="/x/c.mp3", duration_ms=60000,
                       has_audio=True),
}


def mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE)
    change(data)
    return data


def test_sample_is_valid_with_its_media() -> None:
    assert problems(from_json(SAMPLE), MEDIA) == []


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["t"][0]["sg"][0].update(d=0), "t[0].sg[0].d: must be > 0"),
    (lambda d: d.update(w=1921), "w: must be an even number"),
    (lambda d: d.update(fps=0), "fps: must be in 1..60"),
    (lambda d: d["m"].update(bg="red"), "m.bg: must be a colour"),
    (lambda d: d["t"][0]["sg"][0].update(src="/etc/passwd"), "t[0].sg[0].src: must be a media id"),
    (lambda d: d["t"][0]["sg"][0].update(src="https://x.test/a.jpg"),
     "t[0].sg[0].src: must be a media id"),
    (lambda d: d["t"][0]["sg"][0].update(src="med_zz"), "t[0].sg[0].src: unknown media id"),
    (lambda d: d["t"][0]["sg"][1].update(st=1000), "t[0].sg[1].st: with a 800 ms transition"),
    (lambda d: d["t"][0]["sg"][1]["m"].update(tr={"n": "spin", "d": 500}),
     "t[0].sg[1].m.tr.n: unknown transition"),
    (lambda d: d["t"][0]["sg"][1].update(**{"in": 3000}), "t[0].sg[1]: needs 6000 ms"),
    (lambda d: d["t"][0]["sg"][0]["m"].update(kb={"z0": 0.5}), "t[0].sg[0].m.kb.z0"),
    (lambda d: d["t"][1]["sg"][0].update(src="med_a"), "t[1].sg[0].src: med_a has no audio"),
    (lambda d: d["t"][2]["sg"][0]["m"].update(text="  "), "t[2].sg[0].m.text: required"),
    (lambda d: d["t"][2]["sg"][0]["m"].update(pos="middle"), "t[2].sg[0].m.pos"),
    (lambda d: d["t"][2]["sg"][0].update(src="med_a"), "t[2].sg[0].src: text segments"),
    (lambda d: d["t"][2]["sg"][0].update(d=9000), "t[2].sg[0]: ends at 9000 ms"),
    (lambda d: d["t"][1]["sg"][0]["m"].update(vol=3), "t[1].sg[0].m.vol"),
    (lambda d: d["t"][1]["sg"][0].update(id="s1"), "t[1].sg[0].id: duplicate id"),
    (lambda d: d["t"][0]["sg"][0]["m"].update(fi=2000, fo=2000),
     "t[0].sg[0].m: fade in + fade out"),
])
def test_each_rule_names_the_offending_field(change: Any, expected: str) -> None:
    found = problems(from_json(mutated(change)), MEDIA)
    assert any(p.startswith(expected) for p in found), found


def test_validate_raises_with_every_problem() -> None:
    draft = from_json(mutated(lambda d: (d.update(fps=0), d["t"][0]["sg"][0].update(d=0))))
    with pytest.raises(DraftInvalid) as info:
        validate(draft)
    assert len(info.value.problems) >= 2
    assert "fps" in info.value.message


def test_a_draft_without_d_lasts_until_its_last_segment_ends() -> None:
    raw = copy.deepcopy(SAMPLE)
    del raw["d"]
    raw["t"][2]["sg"][0]["st"] = 4000  # the title now ends last, at 7000
    assert from_json(raw).d == 7000
    raw["d"] = None
    assert from_json(raw).d == 7000
    assert from_json({"t": []}).d == 0  # nothing at all: validation then says d must be > 0
    assert from_json(SAMPLE).d == 5200  # a given d is kept as it is


def test_oversized_drafts_are_refused_before_they_are_built() -> None:
    seg = {"st": 0, "d": 10}
    with pytest.raises(DraftInvalid, match=r"t: 101 tracks; at most 100"):
        from_json({"t": [{"tt": 7, "sg": []} for _ in range(101)]})
    with pytest.raises(DraftInvalid, match=r"t: 20001 segments in all; at most 20000"):
        from_json({"t": [{"tt": 7, "sg": [seg] * 10_000}, {"tt": 7, "sg": [seg] * 10_001}]})
    with pytest.raises(DraftInvalid, match=r"draft.m: 300 KB of metadata; at most 256 KB"):
        from_json({"m": {"x": "a" * 300 * 1024}, "t": []})
    with pytest.raises(DraftInvalid, match=r"t\[0\].sg\[0\].m: \d+ KB of metadata"):
        from_json({"t": [{"tt": 7, "sg": [{**seg, "m": {"text": "字" * 100_000}}]}]})
    nested: dict[str, Any] = {}
    for _ in range(16):
        nested = {"a": nested}
    with pytest.raises(DraftInvalid, match=r"t\[0\].m: nested too deeply \(at most 16 levels\)"):
        from_json({"t": [{"tt": 7, "m": nested, "sg": []}]})
    assert from_json({"m": nested["a"], "t": []}).m == nested["a"]  # 16 levels are fine


def test_absurdly_nested_json_text_is_an_error_not_a_crash() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"m":' * 100_000 + "{}" + "}" * 100_000):
        with pytest.raises(DraftInvalid, match="draft: nested too deeply"):
            from_json(text)
