"""Every edit operation: what it does, and that a failed one changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from reelwright.draft import (
    Draft,
    MediaInfo,
    TrackType,
    apply_op,
    apply_ops,
    catalog,
    dumps,
    from_json,
    problems,
    to_json,
    validate,
)
from reelwright.draft.layout import main_track
from reelwright.draft.ops import OPERATIONS
from reelwright.errors import DraftInvalid, OperationInvalid

SUGGESTED = {"add_visual", "add_audio", "add_text", "remove_segment", "move_segment",
             "trim_segment", "split_segment", "set_segment_duration", "set_duration",
             "set_transition", "set_ken_burns", "set_fit", "set_speed", "set_volume", "set_fades",
             "set_text", "remove_text", "set_canvas", "replace_music"}
SCHEMA_KEYWORDS = {"type", "properties", "required", "additionalProperties", "enum", "minimum",
                   "maximum", "minLength", "maxLength", "items", "minItems", "maxItems",
                   "anyOf", "description"}


def main_ids(draft: Draft) -> list[str]:
    track = main_track(draft)
    assert track is not None
    return [seg.id for seg in track.sg]


def main_segs(draft: Draft) -> list[Any]:
    track = main_track(draft)
    assert track is not None
    return track.sg


def music(draft: Draft) -> Any:
    return next(s for t in draft.t if t.tt == TrackType.AUDIO for s in t.sg
                if t.m.get("role") == "music")


def texts(draft: Draft) -> list[Any]:
    return [s for t in draft.t if t.tt == TrackType.TEXT for s in t.sg]


def fails(draft: Draft, name: str, args: dict[str, Any], media: dict[str, MediaInfo],
          fragment: str) -> OperationInvalid:
    before = dumps(draft)
    with pytest.raises(OperationInvalid) as info:
        apply_op(draft, name, args, media)
    assert fragment in info.value.message
    assert dumps(draft) == before, "a failed operation changed its input"
    return info.value


# -- catalog ---------------------------------------------------------------------------------

def _keywords(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key, value in schema.items():
        if key == "properties":
            for sub in value.values():
                found |= _keywords(sub)
        elif key in ("items",):
            found |= _keywords(value)
        elif key == "anyOf":
            for sub in value:
                found |= _keywords(sub)
    return found


def test_catalog_lists_every_suggested_operation_as_a_tool_schema() -> None:
    tools = catalog()
    assert {tool["name"] for tool in tools} >= SUGGESTED
    for tool in tools:
        assert set(tool) == {"name", "description", "parameters"}
        assert tool["description"].strip() and "\n" not in tool["description"]
        assert tool["parameters"]["type"] == "object"
        assert _keywords(tool["parameters"]) <= SCHEMA_KEYWORDS, tool["name"]
        assert OPERATIONS[tool["name"]].schema == tool


def test_unknown_operation_is_refused(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    fails(slideshow, "explode", {}, media, "there is no operation 'explode'")


def test_arguments_are_checked_against_the_schema(slideshow: Draft,
                                                  media: dict[str, MediaInfo]) -> None:
    fails(slideshow, "set_volume", {"role": "music", "volume": 5}, media,
          "volume must be at most 2 (got 5)")
    fails(slideshow, "set_fit", {"target": "all", "fit": "stretch"}, media,
          "fit must be one of cover, contain, blur")
    fails(slideshow, "add_visual", {"media": "med_p1", "colour": "red"}, media,
          "unknown field 'colour'")
    fails(slideshow, "add_visual", {}, media, "needs 'media'")
    fails(slideshow, "set_transition", {"target": "most", "name": "fade"}, media,
          'target must be "all" or a segment')


# -- sequence --------------------------------------------------------------------------------

def test_slideshow_fixture_is_valid(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    assert problems(slideshow, media) == []
    assert slideshow.d == 5 * 3000 - 4 * 800
    assert music(slideshow).d == slideshow.d
    assert all(s.m["kb"] for s in main_segs(slideshow))


def test_add_visual_inserts_and_matches_neighbours(slideshow: Draft,
                                                   media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "add_visual", {"media": "med_p6", "index": 2}, media)
    segs = main_segs(out)
    assert [s.src for s in segs][:3] == ["med_p1", "med_p6", "med_p2"]
    assert segs[1].m["tr"] == {"n": "fade", "d": 800} and "kb" in segs[1].m
    assert out.d == slideshow.d + 3000 - 800
    assert music(out).d == out.d


def test_add_visual_clip_takes_its_whole_length(slideshow: Draft,
                                                media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "add_visual", {"media": "med_c1"}, media)
    clip = main_segs(out)[-1]
    assert clip.d == 8000 and "kb" not in clip.m and clip.m["name"] == "beach.mp4"


def test_add_visual_failures(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    fails(slideshow, "add_visual", {"media": "med_zz"}, media, "there is no media 'med_zz'")
    fails(slideshow, "add_visual", {"media": "med_m1"}, media, "not a photo or clip")
    fails(slideshow, "add_visual", {"media": "med_c1", "duration_ms": 20000}, media,
          "the clip is 8000 ms long")


def test_add_visual_to_an_empty_draft(media: dict[str, MediaInfo]) -> None:
    out = apply_op(Draft(), "add_visual", {"media": "med_p1", "duration_ms": 2500}, media)
    assert out.d == 2500 and main_segs(out)[0].st == 0


def test_remove_segment(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "remove_segment", {"target": {"track": "visual", "index": 1}},
                   media)
    segs = main_segs(out)
    assert len(segs) == 4 and segs[0].src == "med_p2"
    assert "tr" not in segs[0].m and segs[0].st == 0  # nothing to transition from any more
    assert out.d == 4 * 3000 - 3 * 800
    last = apply_op(slideshow, "remove_segment", {"target": {"track": "visual", "index": -1}},
                    media)
    assert main_segs(last)[-1].src == "med_p4"


def test_remove_segment_failures(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    fails(slideshow, "remove_segment", {"target": {"track": "visual", "index": 7}}, media,
          "there is no photo 7; the video has 5 photos")
    fails(slideshow, "remove_segment", {"target": {"id": "nope"}}, media,
          "there is no segment 'nope'")
    one = apply_op(Draft(), "add_visual", {"media": "med_p1"}, media)
    fails(one, "remove_segment", {"target": {"track": "visual", "index": 1}}, media,
          "leave the video empty")


def test_move_segment(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "move_segment", {"from": 5, "to": 1}, media)
    assert [s.src for s in main_segs(out)] == ["med_p5", "med_p1", "med_p2", "med_p3", "med_p4"]
    assert "tr" not in main_segs(out)[0].m
    # The transition the moved photo had goes to the photo now second: no cut appears.
    assert main_segs(out)[1].m["tr"] == {"n": "fade", "d": 800} and out.d == slideshow.d
    fails(slideshow, "move_segment", {"from": 2, "to": 9}, media, "outside the sequence (1..5)")
    fails(slideshow, "move_segment", {"from": 6, "to": 1}, media, "there is no photo 6")


def test_trim_segment(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    with_clip = apply_op(slideshow, "add_visual", {"media": "med_c1"}, media)
    out = apply_op(with_clip, "trim_segment",
                   {"target": {"track": "visual", "index": 6}, "cut_start_ms": 2000}, media)
    clip = main_segs(out)[-1]
    assert (clip.in_, clip.d) == (2000, 6000)
    out = apply_op(with_clip, "trim_segment",
                   {"target": {"track": "visual", "index": -1}, "in_ms": 1000,
                    "duration_ms": 4000}, media)
    assert (main_segs(out)[-1].in_, main_segs(out)[-1].d) == (1000, 4000)
    fails(with_clip, "trim_segment",
          {"target": {"track": "visual", "index": 6}, "in_ms": 5000}, media,
          "clip is 8000 ms long")
    fails(with_clip, "trim_segment",
          {"target": {"track": "visual", "index": 6}, "cut_end_ms": 9000}, media,
          "cut away all of it")
    fails(with_clip, "trim_segment", {"target": {"track": "visual", "index": 6}}, media,
          "say how to trim")


def test_split_segment_keeps_length_and_motion(slideshow: Draft,
                                               media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "split_segment",
                   {"target": {"track": "visual", "index": 5}, "at_ms": 1600}, media)
    segs = main_segs(out)
    assert len(segs) == 6 and out.d == slideshow.d
    head, tail = segs[4], segs[5]
    assert (head.d, tail.d, tail.src) == (1600, 1400, "med_p5")
    assert "tr" not in tail.m and tail.st == head.end
    assert (head.m["kb"]["z1"], head.m["kb"]["x1"]) == (tail.m["kb"]["z0"], tail.m["kb"]["x0"])
    fails(slideshow, "split_segment",
          {"target": {"track": "visual", "index": 2}, "at_ms": 3000}, media,
          "split somewhere inside it")


def test_set_segment_duration_absolute_relative_and_all(slideshow: Draft,
                                                        media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "set_segment_duration",
                   {"target": {"track": "visual", "index": 3}, "duration_ms": 5000}, media)
    assert main_segs(out)[2].d == 5000 and out.d == slideshow.d + 2000
    out = apply_op(slideshow, "set_segment_duration", {"target": "all", "factor": 0.8}, media)
    assert [s.d for s in main_segs(out)] == [2400] * 5
    fails(slideshow, "set_segment_duration", {"target": "all"}, media,
          "give exactly one of duration_ms, factor")
    fails(slideshow, "set_segment_duration",
          {"target": {"track": "visual", "index": 1}, "factor": 0.01}, media,
          "factor must be at least 0.1")


def test_set_duration_scales_photos_to_an_exact_length(slideshow: Draft,
                                                       media: dict[str, MediaInfo]) -> None:
    with_clip = apply_op(slideshow, "add_visual", {"media": "med_c1", "duration_ms": 4000},
                         media)
    out = apply_op(with_clip, "set_duration", {"duration_ms": 20000}, media)
    assert out.d == 20000 and music(out).d == 20000
    assert main_segs(out)[-1].d == 4000  # the clip keeps its length
    for target in (4000, 6001, 11799, 30000):
        out = apply_op(slideshow, "set_duration", {"duration_ms": target}, media)
        assert out.d == target and problems(out, media) == []
    fails(with_clip, "set_duration", {"duration_ms": 2000}, media, "cannot be 2s")


def test_set_transition_one_all_varied_and_none(slideshow: Draft,
                                                media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "set_transition",
                   {"target": {"track": "visual", "index": 3}, "name": "wipeleft",
                    "duration_ms": 500}, media)
    assert main_segs(out)[2].m["tr"] == {"n": "wipeleft", "d": 500}
    assert out.d == slideshow.d + 300
    varied = apply_op(slideshow, "set_transition", {"target": "all", "name": "varied"}, media)
    names = [s.m["tr"]["n"] for s in main_segs(varied)[1:]]
    assert len(set(names)) >= 3 and all(a != b for a, b in zip(names, names[1:], strict=False))
    cuts = apply_op(slideshow, "set_transition", {"target": "all", "name": "none"}, media)
    assert all("tr" not in s.m for s in main_segs(cuts)) and cuts.d == 15000
    long = apply_op(slideshow, "set_transition", {"target": "all", "name": "fade",
                                                  "duration_ms": 5000}, media)
    assert all(s.m["tr"]["d"] == 1500 for s in main_segs(long)[1:])  # shortened to fit
    fails(slideshow, "set_transition", {"target": {"track": "visual", "index": 1},
                                        "name": "fade"}, media, "nothing to transition from")
    fails(slideshow, "set_transition", {"target": "all", "name": "explode"}, media,
          "name must be one of")


def test_set_ken_burns(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    with_clip = apply_op(slideshow, "add_visual", {"media": "med_c1", "duration_ms": 3000},
                         media)
    off = apply_op(with_clip, "set_ken_burns", {"target": "all", "on": False}, media)
    assert all("kb" not in s.m for s in main_segs(off))
    on = apply_op(off, "set_ken_burns", {"target": "all", "zoom": 1.2, "direction": "in"}, media)
    segs = main_segs(on)
    assert all(s.m["kb"]["z1"] == 1.2 and s.m["kb"]["z0"] == 1.0 for s in segs[:5])
    assert "kb" not in segs[5].m  # clips are left alone by "all"
    fails(slideshow, "set_ken_burns", {"target": {"track": "title", "index": 1}}, media,
          "photos and clips only")


def test_set_fit_and_speed(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "set_fit", {"target": "all", "fit": "blur"}, media)
    assert {s.m["fit"] for s in main_segs(out)} == {"blur"}
    with_clip = apply_op(slideshow, "add_visual", {"media": "med_c1", "duration_ms": 4000},
                         media)
    fast = apply_op(with_clip, "set_speed", {"target": {"track": "visual", "index": 6},
                                             "speed": 2}, media)
    assert (main_segs(fast)[-1].d, main_segs(fast)[-1].m["speed"]) == (2000, 2)
    slow = apply_op(with_clip, "set_speed", {"target": {"track": "visual", "index": 6},
                                             "speed": 0.5}, media)
    assert main_segs(slow)[-1].d == 8000
    fails(with_clip, "set_speed", {"target": {"track": "visual", "index": 6}, "speed": 8},
          media, "speed must be at most 4")
    fails(slideshow, "set_speed", {"target": {"track": "visual", "index": 1}, "speed": 2},
          media, "video clips only")


def test_set_fades(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "set_fades", {"target": {"track": "visual", "index": 1},
                                            "fade_in_ms": 500}, media)
    assert main_segs(out)[0].m["fi"] == 500
    out = apply_op(slideshow, "set_fades", {"target": {"track": "music", "index": 1},
                                            "fade_out_ms": 3000}, media)
    assert music(out).m["fo"] == 3000
    fails(slideshow, "set_fades", {"target": {"track": "visual", "index": 1},
                                   "fade_in_ms": 9000}, media, "longer than the segment")


# -- audio -----------------------------------------------------------------------------------

def test_add_audio_music_and_voice(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "add_audio", {"media": "med_v1", "role": "voice",
                                            "start_ms": 2000}, media)
    voice = next(s for t in out.t for s in t.sg if s.src == "med_v1")
    assert (voice.st, voice.d, voice.m["vol"]) == (2000, 4000, 1.0)
    bare = apply_op(Draft(), "add_visual", {"media": "med_p1"}, media)
    out = apply_op(bare, "add_audio", {"media": "med_m1", "volume": 0.5}, media)
    assert music(out).m == {"vol": 0.5, "name": "Lo-fi", "fi": 1000, "fo": 2000, "loop": True,
                            "fill": True}
    fails(slideshow, "add_audio", {"media": "med_s1"}, media, "has no sound")
    fails(Draft(), "add_audio", {"media": "med_m1"}, media, "add photos or clips first")


def test_set_volume_by_role_target_and_factor(slideshow: Draft,
                                              media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "set_volume", {"role": "music", "volume": 0.2}, media)
    assert music(out).m["vol"] == 0.2
    out = apply_op(slideshow, "set_volume", {"target": {"track": "music", "index": 1},
                                             "factor": 0.5}, media)
    assert music(out).m["vol"] == 0.175
    loud = apply_op(slideshow, "set_volume", {"role": "music", "factor": 4}, media)
    assert music(loud).m["vol"] == 1.4
    fails(slideshow, "set_volume", {"role": "voice", "volume": 1}, media,
          "there are no voice-overs yet")
    fails(slideshow, "set_volume", {"role": "music"}, media, "give exactly one of")
    fails(slideshow, "set_volume", {"target": {"track": "title", "index": 1}, "volume": 1},
          media, "only sounds and clips have a volume")


def test_replace_music_keeps_volume_and_fades(slideshow: Draft,
                                              media: dict[str, MediaInfo]) -> None:
    quiet = apply_op(slideshow, "set_volume", {"role": "music", "volume": 0.2}, media)
    out = apply_op(quiet, "replace_music", {"media": "med_m2"}, media)
    song = music(out)
    assert (song.src, song.m["name"], song.m["vol"], song.m["fi"], song.m["fo"]) == (
        "med_m2", "Upbeat", 0.2, 1000, 2000)
    fails(slideshow, "replace_music", {"media": "med_s1"}, media, "has no sound")
    bare = apply_op(Draft(), "add_visual", {"media": "med_p1"}, media)
    fails(bare, "replace_music", {"media": "med_m2"}, media, "no music segments yet")


# -- text ------------------------------------------------------------------------------------

def test_add_set_remove_text(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "add_text", {"text": "the end", "role": "caption",
                                           "start_ms": 10000, "duration_ms": 5000}, media)
    caption = next(s for s in texts(out) if s.m["role"] == "caption")
    assert caption.st == 10000 and caption.end == out.d  # clipped to the video
    assert caption.m["pos"] == "bottom"
    out = apply_op(out, "set_text", {"target": {"track": "caption", "index": 1},
                                     "text": "The End", "style": {"color": "#FFD400"},
                                     "pos": {"x": 0.5, "y": 0.8}}, media)
    caption = next(s for s in texts(out) if s.m["role"] == "caption")
    assert caption.m["text"] == "The End" and caption.m["style"]["color"] == "#FFD400"
    assert caption.m["style"]["size"] == 48  # merged, not replaced
    out = apply_op(out, "remove_text", {"target": "all", "role": "caption"}, media)
    assert [s.m["role"] for s in texts(out)] == ["title"]
    out = apply_op(out, "remove_text", {"target": "all"}, media)
    assert texts(out) == [] and not out.tracks_of(TrackType.TEXT)


def test_text_at_the_end_stays_at_the_end(slideshow: Draft, media: dict[str, MediaInfo]
                                          ) -> None:
    out = apply_op(slideshow, "add_text", {"text": "Thanks for watching", "at_end": True},
                   media)
    bye = next(s for s in texts(out) if s.m["text"] == "Thanks for watching")
    assert bye.end == out.d and bye.st == out.d - 3000 and bye.m["pin"] == "end"
    longer = apply_op(out, "set_segment_duration", {"target": {"track": "visual", "index": 2},
                                                    "duration_ms": 6000}, media)
    assert longer.d > out.d
    bye = next(s for s in texts(longer) if s.m["text"] == "Thanks for watching")
    assert (bye.st, bye.end) == (longer.d - 3000, longer.d)  # followed the new end
    short = apply_op(longer, "set_duration", {"duration_ms": 2000}, media)
    bye = next(s for s in texts(short) if s.m["text"] == "Thanks for watching")
    assert (bye.st, bye.end) == (0, short.d) and short.d < 3000  # shortened, never cut away
    moved = apply_op(longer, "set_text", {"target": {"id": bye.id}, "start_ms": 1000}, media)
    bye = next(s for s in texts(moved) if s.m["text"] == "Thanks for watching")
    assert bye.st == 1000 and "pin" not in bye.m  # placed at a time: no longer pinned
    raw = to_json(out)
    raw["t"][-1]["sg"][-1]["m"]["pin"] = "start"
    with pytest.raises(DraftInvalid, match='m.pin: must be "end"'):
        validate(from_json(raw))


def test_text_failures(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    fails(slideshow, "add_text", {"text": ""}, media, "text must not be empty")
    fails(slideshow, "add_text", {"text": "hi", "start_ms": 60000}, media,
          "the video is only 11.8s long")
    fails(slideshow, "add_text", {"text": "hi", "pos": "middle"}, media, "pos must be")
    fails(slideshow, "set_text", {"target": {"track": "caption", "index": 1}, "text": "x"},
          media, "there are no captions yet")
    fails(slideshow, "set_text", {"target": {"track": "title", "index": 1},
                                  "style": {"color": "red"}}, media, "style.color")
    fails(slideshow, "remove_text", {"target": {"track": "visual", "index": 1}}, media,
          "not a text")


# -- canvas ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("aspect", "resolution", "size"), [
    ("16:9", 1080, (1920, 1080)), ("9:16", 1080, (1080, 1920)), ("1:1", 1080, (1080, 1080)),
    ("4:5", 1080, (1080, 1350)), ("16:9", 720, (1280, 720)), ("9:16", 480, (480, 854)),
    ("16:9", 2160, (3840, 2160)), ("4:5", 480, (480, 600)),
])
def test_set_canvas_sizes(slideshow: Draft, media: dict[str, MediaInfo], aspect: str,
                          resolution: int, size: tuple[int, int]) -> None:
    out = apply_op(slideshow, "set_canvas", {"aspect": aspect, "resolution": resolution}, media)
    assert (out.w, out.h) == size and out.w % 2 == 0 and out.h % 2 == 0
    assert out.d == slideshow.d and len(main_segs(out)) == 5


def test_set_canvas_keeps_everything_else(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "set_canvas", {"aspect": "9:16", "fps": 25, "bg": "#112233"},
                   media)
    assert (out.w, out.h, out.fps, out.m["bg"]) == (1080, 1920, 25, "#112233")
    assert [s.d for s in main_segs(out)] == [s.d for s in main_segs(slideshow)]
    small = apply_op(out, "set_canvas", {"resolution": 720}, media)
    assert (small.w, small.h) == (720, 1280)
    fails(slideshow, "set_canvas", {"aspect": "21:9"}, media, "aspect must be one of")
    fails(slideshow, "set_canvas", {"resolution": 1000}, media, "resolution must be one of")
    fails(slideshow, "set_canvas", {}, media, "say what to change")


# -- batches ---------------------------------------------------------------------------------

def test_apply_ops_is_all_or_nothing(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    before = dumps(slideshow)
    with pytest.raises(OperationInvalid) as info:
        apply_ops(slideshow, [("set_volume", {"role": "music", "volume": 0.1}),
                              ("remove_segment", {"target": {"track": "visual", "index": 9}})],
                  media)
    assert info.value.message.startswith("step 2: there is no photo 9")
    assert dumps(slideshow) == before
    out = apply_ops(slideshow, [("set_volume", {"role": "music", "volume": 0.1}),
                                ("move_segment", {"from": 1, "to": -1})], media)
    assert music(out).m["vol"] == 0.1 and main_ids(out)[-1] == main_ids(slideshow)[0]


def test_operations_work_without_a_media_table(slideshow: Draft) -> None:
    out = apply_op(slideshow, "add_visual", {"media": "med_new"})
    assert main_segs(out)[-1].src == "med_new" and "kb" in main_segs(out)[-1].m
    with pytest.raises(OperationInvalid, match="there is no item 9; the video has 6 items"):
        apply_op(out, "remove_segment", {"target": {"track": "visual", "index": 9}})
