"""Layout invariants: chaining, duration, music fill, clipping; and a property test over edits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelwright.draft import Draft, MediaInfo, Segment, Track, TrackType, apply_op, problems
from reelwright.draft.layout import aspect_of, canvas_size, relayout
from reelwright.errors import OperationInvalid


def seg(sid: str, d: int, tr: int = 0, **m: Any) -> Segment:
    meta: dict[str, Any] = dict(m)
    if tr:
        meta["tr"] = {"n": "fade", "d": tr}
    return Segment(id=sid, src=f"med_{sid}", st=999, d=d, m=meta)


def test_main_track_is_chained_through_transitions() -> None:
    draft = Draft(t=[Track("v", TrackType.VISUAL, [seg("a", 3000, tr=500), seg("b", 3000, 800),
                                                   seg("c", 2000)])])
    relayout(draft)
    a, b, c = draft.t[0].sg
    assert "tr" not in a.m and a.st == 0  # the first has nothing to transition from
    assert (b.st, c.st) == (2200, 5200)
    assert draft.d == 7200 and problems(draft) == []


def test_transition_longer_than_a_neighbour_is_shortened() -> None:
    draft = Draft(t=[Track("v", TrackType.VISUAL, [seg("a", 3000), seg("b", 1000, 2500),
                                                   seg("c", 3000, 900)])])
    relayout(draft)
    b, c = draft.t[0].sg[1:]
    assert b.m["tr"]["d"] == 500 and c.m["tr"]["d"] == 500
    assert problems(draft) == []


def test_music_fills_and_text_is_clipped_or_dropped() -> None:
    draft = Draft(t=[
        Track("v", TrackType.VISUAL, [seg("a", 4000)]),
        Track("m", TrackType.AUDIO, [Segment("mu", 0, 99000, "med_mu",
                                             m={"fill": True, "fi": 1000, "fo": 2000})],
              m={"role": "music"}),
        Track("x", TrackType.TEXT, [Segment("t1", 3000, 5000, m={"text": "late"}),
                                    Segment("t2", 4500, 1000, m={"text": "gone"})]),
    ])
    relayout(draft)
    assert draft.d == 4000
    assert draft.t[1].sg[0].d == 4000 and draft.t[1].sg[0].m["fo"] == 2000
    assert [(s.id, s.st, s.d) for s in draft.t[2].sg] == [("t1", 3000, 1000)]
    assert problems(draft) == []


def test_fades_are_scaled_into_a_short_segment() -> None:
    draft = Draft(t=[
        Track("v", TrackType.VISUAL, [seg("a", 2000)]),
        Track("m", TrackType.AUDIO, [Segment("mu", 0, 1, "med_mu",
                                             m={"fill": True, "fi": 1000, "fo": 2000})]),
    ])
    relayout(draft)
    music = draft.t[1].sg[0]
    assert music.m["fi"] + music.m["fo"] <= music.d == 2000
    assert problems(draft) == []


def test_fixed_duration_is_kept() -> None:
    draft = Draft(d=10000, m={"d_fixed": True},
                  t=[Track("v", TrackType.VISUAL, [seg("a", 4000)])])
    relayout(draft)
    assert draft.d == 10000


@pytest.mark.parametrize(("w", "h", "name"), [(1920, 1080, "16:9"), (1080, 1920, "9:16"),
                                              (1080, 1350, "4:5"), (500, 500, "1:1")])
def test_aspect_names_round_trip(w: int, h: int, name: str) -> None:
    assert aspect_of(w, h) == name
    cw, ch = canvas_size(name, 1080)
    assert aspect_of(cw, ch) == name


def test_unknown_canvas_names_are_refused() -> None:
    with pytest.raises(OperationInvalid, match="unknown aspect"):
        canvas_size("21:9")
    with pytest.raises(OperationInvalid, match="the short side"):
        canvas_size("16:9", 1000)


# -- property: any sequence of edits keeps the draft valid -----------------------------------

MEDIA = {m.id: m for m in [
    MediaInfo(id=f"med_p{i}", kind="image", path="", name=f"p{i}.jpg", w=3000 + 500 * i,
              h=2000 + 700 * i) for i in range(4)
] + [
    MediaInfo(id="med_c", kind="video", path="", name="c.mp4", w=640, h=360, duration_ms=5000,
              has_audio=True),
    MediaInfo(id="med_m", kind="audio", path="", name="m.mp3", duration_ms=30000,
              has_audio=True),
]}
visual = st.fixed_dictionaries({"track": st.just("visual"), "index": st.integers(-3, 6)})
any_target = st.one_of(st.just("all"), visual)
OPS = st.one_of(
    st.tuples(st.just("add_visual"), st.fixed_dictionaries(
        {"media": st.sampled_from(sorted(MEDIA)[:5])},
        optional={"index": st.integers(1, 6), "duration_ms": st.integers(100, 5000)})),
    st.tuples(st.just("remove_segment"), st.fixed_dictionaries({"target": visual})),
    st.tuples(st.just("move_segment"), st.fixed_dictionaries(
        {"from": st.integers(-2, 5), "to": st.integers(-2, 5)})),
    st.tuples(st.just("split_segment"), st.fixed_dictionaries(
        {"target": visual, "at_ms": st.integers(1, 4000)})),
    st.tuples(st.just("set_segment_duration"), st.fixed_dictionaries(
        {"target": any_target, "factor": st.floats(0.1, 3)})),
    st.tuples(st.just("set_duration"), st.fixed_dictionaries(
        {"duration_ms": st.integers(1000, 40000)})),
    st.tuples(st.just("set_transition"), st.fixed_dictionaries(
        {"target": any_target, "name": st.sampled_from(["fade", "varied", "none", "wipeup"]),
         "duration_ms": st.integers(100, 5000)})),
    st.tuples(st.just("set_ken_burns"), st.fixed_dictionaries(
        {"target": any_target, "zoom": st.floats(1, 2)})),
    st.tuples(st.just("add_audio"), st.just({"media": "med_m"})),
    st.tuples(st.just("add_text"), st.fixed_dictionaries(
        {"text": st.just("hello"), "start_ms": st.integers(0, 20000),
         "duration_ms": st.integers(100, 20000)})),
    st.tuples(st.just("set_canvas"), st.fixed_dictionaries(
        {"aspect": st.sampled_from(["16:9", "9:16", "1:1", "4:5"])})),
    st.tuples(st.just("set_fades"), st.fixed_dictionaries(
        {"target": any_target, "fade_in_ms": st.integers(0, 3000)})),
)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, min_size=1, max_size=12))
def test_random_edits_always_leave_a_valid_draft(ops: list[tuple[str, dict[str, Any]]]) -> None:
    draft = apply_op(Draft(), "add_visual", {"media": "med_p0"}, MEDIA)
    for name, args in ops:
        before = draft.copy()
        try:
            after = apply_op(draft, name, args, MEDIA)
        except OperationInvalid:
            assert draft == before  # a refused edit changes nothing
            continue
        assert problems(after, MEDIA) == []
        main = after.tracks_of(TrackType.VISUAL)[0]
        # With the pictures gone (only texts left) the video lasts as long as the texts.
        assert after.d == (main.sg[-1].end if main.sg else after.content_end())
        for t in after.t:
            for s in t.sg:
                if s.m.get("fill"):
                    assert s.end == after.d
        draft = after
