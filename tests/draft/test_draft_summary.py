"""Human summaries of a draft and of what an edit changed."""

from __future__ import annotations

from reelwright.draft import (
    Draft,
    MediaInfo,
    Segment,
    Track,
    TrackType,
    apply_op,
    apply_ops,
    describe_change,
    summarize,
)
from reelwright.draft.summary import secs


def test_summary_matches_the_design_shape() -> None:
    draft = Draft(d=10000, t=[
        Track("v", TrackType.VISUAL, [Segment("s1", 0, 10000, "med_a",
                                              m={"name": "city timelapse"})]),
        Track("a", TrackType.AUDIO, [Segment("m1", 0, 10000, "med_b",
                                             m={"name": "Lo-fi", "vol": 0.35})],
              m={"role": "music"}),
        Track("x", TrackType.TEXT, [Segment("t1", 0, 3000, m={"text": "Urban Dreams",
                                                               "role": "title"})]),
    ])
    assert summarize(draft) == ('Timeline (3 tracks): 1. Video: city timelapse (0-10s) '
                                '2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)')


def test_summary_of_a_slideshow_with_media(slideshow: Draft,
                                           media: dict[str, MediaInfo]) -> None:
    out = apply_ops(slideshow, [
        ("add_audio", {"media": "med_v1", "role": "voice", "start_ms": 2500}),
        ("add_text", {"text": "one", "role": "caption", "start_ms": 1000}),
        ("add_text", {"text": "two", "role": "caption", "start_ms": 5000}),
    ], media)
    assert summarize(out, media) == (
        "Timeline (5 tracks): 1. Photos: photo1.jpg, photo2.jpg +3 more (0-11.8s) "
        "2. BGM: Lo-fi (0-11.8s, 35%) 3. Title: \"Urban Dreams\" (0-3s) "
        "4. Voice: voice.wav (2.5-6.5s, 100%) 5. Captions: \"one\", \"two\" (1-8s)")
    assert summarize(Draft()) == "Timeline (empty)"


def test_compact_seconds() -> None:
    assert [secs(ms) for ms in (0, 10000, 2500, 11800, 1250)] == ["0", "10", "2.5", "11.8",
                                                                  "1.2"]


def test_describe_change(slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_ops(slideshow, [
        ("set_segment_duration", {"target": {"track": "visual", "index": 3},
                                  "duration_ms": 5000}),
        ("set_volume", {"role": "music", "volume": 0.2}),
    ], media)
    assert describe_change(slideshow, out, media) == (
        "photo 3 is now 5s; music volume 35% -> 20%; the video is now 13.8s (was 11.8s)")
    assert describe_change(slideshow, slideshow.copy(), media) == "no changes"


def test_describe_change_names_additions_removals_and_canvas(
        slideshow: Draft, media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "remove_segment", {"target": {"track": "visual", "index": 2}},
                   media)
    assert describe_change(slideshow, out, media).startswith("removed photo 2")
    out = apply_op(slideshow, "add_text", {"text": "Bye", "role": "caption", "start_ms": 9000},
                   media)
    assert describe_change(slideshow, out, media) == 'added caption "Bye" (9-11.8s)'
    out = apply_op(slideshow, "add_text", {"text": "Bye", "at_end": True}, media)
    assert describe_change(slideshow, out, media) == 'added overlay "Bye" (8.8-11.8s, at the end)'
    out = apply_op(slideshow, "set_canvas", {"aspect": "9:16"}, media)
    assert describe_change(slideshow, out, media) == "the frame is now 1080x1920"
    out = apply_op(slideshow, "set_transition", {"target": {"track": "visual", "index": 2},
                                                 "name": "none"}, media)
    assert describe_change(slideshow, out, media).startswith("photo 2 now enters with a cut")


def test_describe_change_groups_and_reorders(slideshow: Draft,
                                             media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "move_segment", {"from": 2, "to": 4}, media)
    assert describe_change(slideshow, out, media) == "moved photo 2 to position 4"
    out = apply_op(slideshow, "set_ken_burns", {"target": "all", "on": False}, media)
    assert describe_change(slideshow, out, media) == "photos 1-5 are now still"
    out = apply_op(slideshow, "set_segment_duration", {"target": "all", "factor": 0.8}, media)
    assert describe_change(slideshow, out, media) == (
        "photos 1-5 are now 2.4s; the video is now 8.8s (was 11.8s)")


def test_a_text_style_change_says_what_changed(slideshow: Draft,
                                               media: dict[str, MediaInfo]) -> None:
    out = apply_op(slideshow, "set_text", {"target": {"track": "title", "index": 1},
                                            "style": {"color": "#E53935", "size": 120}}, media)
    change = describe_change(slideshow, out, media)
    assert "colour is now #E53935" in change and "size 96 -> 120" in change, change


def test_a_reworded_text_is_named_by_its_old_words(slideshow: Draft,
                                                   media: dict[str, MediaInfo]) -> None:
    title = next(s for t in slideshow.t if t.tt == 7 for s in t.sg)
    out = apply_op(slideshow, "set_text", {"target": {"id": title.id}, "text": "Leaves"}, media)
    assert describe_change(slideshow, out, media) == \
        f'title "{title.m["text"]}" now reads "Leaves"'
