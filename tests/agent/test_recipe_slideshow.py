"""The slideshow recipe: order, durations with transitions, music, title, beats, validation."""

from __future__ import annotations

from typing import Any

import pytest

from reelwright.agent.recipes import RECIPES, build_slideshow
from reelwright.draft import Draft, FocusBox, MediaInfo, TrackType, apply_op, problems
from reelwright.draft.framing import Box, view_at
from reelwright.draft.vocab import TRANSITIONS
from reelwright.errors import OperationInvalid


def photo(n: int, taken: str | None = None, **kw: Any) -> MediaInfo:
    return MediaInfo(id=f"med_p{n}", kind="image", path="", name=f"p{n}.jpg", w=4000, h=3000,
                     taken_at=taken, **kw)


CLIP = MediaInfo(id="med_c1", kind="video", path="", name="surf.mp4", w=1920, h=1080,
                 duration_ms=9000, has_video=True, has_audio=True)
SHORT_CLIP = MediaInfo(id="med_c2", kind="video", path="", name="wave.mp4", w=1280, h=720,
                       duration_ms=2500, has_video=True)
MUSIC = MediaInfo(id="med_m1", kind="audio", path="", name="Lo-fi", duration_ms=24000,
                  has_audio=True)


def media_of(items: list[MediaInfo], music: MediaInfo | None = MUSIC) -> dict[str, MediaInfo]:
    table = {item.id: item for item in items}
    if music is not None:
        table[music.id] = music
    return table


def main(draft: Draft) -> list[Any]:
    return draft.tracks_of(TrackType.VISUAL)[0].sg


def track(draft: Draft, tt: TrackType) -> list[Any]:
    return [s for t in draft.tracks_of(tt) for s in t.sg]


def test_photos_follow_capture_time_when_all_have_one() -> None:
    items = [photo(1, "2024-05-03T10:00:00"), photo(2, "2024-05-01T09:00:00"),
             photo(3, "2024-05-02T12:00:00")]
    draft = build_slideshow(items)
    assert [s.src for s in main(draft)] == ["med_p2", "med_p3", "med_p1"]
    mixed = build_slideshow([photo(1, "2024-05-03"), photo(2), photo(3, "2024-05-01")])
    assert [s.src for s in main(mixed)] == ["med_p1", "med_p2", "med_p3"]  # as given


def test_durations_add_up_with_transitions_and_music_is_exact() -> None:
    items = [photo(n) for n in range(1, 6)]
    draft = build_slideshow(items, music=MUSIC, seconds_per_item=3.0, transition_ms=800,
                            title="Summer")
    assert problems(draft, media_of(items)) == []
    segs = main(draft)
    assert [s.d for s in segs] == [3000] * 5
    assert draft.d == 5 * 3000 - 4 * 800 == segs[-1].end
    for prev, seg in zip(segs, segs[1:], strict=False):
        assert seg.st == prev.end - seg.m["tr"]["d"]
    (music,) = track(draft, TrackType.AUDIO)
    assert (music.src, music.st, music.d) == ("med_m1", 0, draft.d)
    assert music.m == {"role": "music", "name": "Lo-fi", "vol": 0.35, "fi": 1000, "fo": 2000,
                       "loop": True, "fill": True}
    (title,) = track(draft, TrackType.TEXT)
    assert (title.st, title.d, title.m["text"], title.m["role"], title.m["pos"]) == (
        0, 3000, "Summer", "title", "center")
    assert title.m["fi"] > 0 and title.m["fo"] > 0
    assert (draft.w, draft.h, draft.fps) == (1920, 1080, 30)


def test_varied_transitions_by_default_and_a_fixed_one_on_request() -> None:
    items = [photo(n) for n in range(1, 8)]
    names = [s.m["tr"]["n"] for s in main(build_slideshow(items))[1:]]
    assert set(names) <= set(TRANSITIONS) and len(set(names)) >= 4
    assert all(a != b for a, b in zip(names, names[1:], strict=False))
    fixed = build_slideshow(items, transition="dissolve", transition_ms=500)
    assert {(s.m["tr"]["n"], s.m["tr"]["d"]) for s in main(fixed)[1:]} == {("dissolve", 500)}
    cuts = build_slideshow(items, transition="none")
    assert all("tr" not in s.m for s in main(cuts)) and cuts.d == 7 * 3000


def test_photos_move_toward_faces_and_clips_play_from_the_start() -> None:
    face = FocusBox(0.04, 0.08, 0.1, 0.14)
    items = [photo(1, focus=(face,)), CLIP, photo(2, focus=(face,)), SHORT_CLIP,
             photo(3, focus=(face,))]
    draft = build_slideshow(items, aspect="9:16", music=MUSIC)
    assert (draft.w, draft.h) == (1080, 1920)
    assert problems(draft, media_of(items)) == []
    segs = main(draft)
    clip, short = segs[1], segs[3]
    assert (clip.in_, clip.d, short.d) == (0, 6000, 2500) and "kb" not in clip.m
    moves = [s.m["kb"] for s in (segs[0], segs[2], segs[4])]
    assert moves[0]["z1"] > moves[0]["z0"] and moves[1]["z0"] > moves[1]["z1"]  # in, then out
    face_box = Box(face.x, face.y, face.w, face.h)
    for kb in moves:
        for t in (0.0, 0.25, 0.5, 0.75, 1.0):
            assert view_at(4000, 3000, 9 / 16, kb, t).contains(face_box, tol=2e-3)


def test_fit_to_music_spreads_items_over_the_song() -> None:
    items = [photo(n) for n in range(1, 7)]
    draft = build_slideshow(items, music=MUSIC, fit_to_music=True)
    assert draft.d == MUSIC.duration_ms == track(draft, TrackType.AUDIO)[0].end
    assert all(2000 <= s.d <= 8000 for s in main(draft))
    long_song = MediaInfo(id="med_m9", kind="audio", path="", duration_ms=600000,
                          has_audio=True)
    bounded = build_slideshow(items, music=long_song, fit_to_music=True)
    assert all(s.d == 8000 for s in main(bounded))  # 8 s at most, the music is cut to fit
    assert track(bounded, TrackType.AUDIO)[0].end == bounded.d
    with pytest.raises(OperationInvalid, match="needs a music track"):
        build_slideshow(items, fit_to_music=True)


def test_cuts_snap_to_the_nearest_beat() -> None:
    items = [photo(n) for n in range(1, 7)]
    beats = list(range(0, 30000, 470))  # ~128 bpm
    draft = build_slideshow(items, music=MUSIC, beats_ms=beats, transition_ms=600)
    segs = main(draft)
    beat_set = set(beats)
    assert all(s.st in beat_set for s in segs[1:])
    assert all(abs(s.d - 3000) <= 470 for s in segs[:-1])
    assert problems(draft, media_of(items)) == []
    assert track(draft, TrackType.AUDIO)[0].end == draft.d
    fitted = build_slideshow(items + [CLIP], music=MUSIC, beats_ms=beats, fit_to_music=True)
    assert fitted.d == MUSIC.duration_ms
    assert all(s.st in beat_set for s in main(fitted)[1:])
    assert problems(fitted, media_of(items + [CLIP])) == []


def test_bad_input_is_refused_plainly() -> None:
    with pytest.raises(OperationInvalid, match="at least one photo or clip"):
        build_slideshow([])
    with pytest.raises(OperationInvalid, match="a slideshow takes photos and clips"):
        build_slideshow([MUSIC])
    with pytest.raises(OperationInvalid, match="unknown transition 'spin'"):
        build_slideshow([photo(1)], transition="spin")
    with pytest.raises(OperationInvalid, match="unknown aspect"):
        build_slideshow([photo(1)], aspect="3:2")
    silent = MediaInfo(id="med_x", kind="audio", path="", duration_ms=1000)
    with pytest.raises(OperationInvalid, match="no sound"):
        build_slideshow([photo(1)], music=silent)


def test_the_result_can_be_edited_further() -> None:
    items = [photo(n) for n in range(1, 4)]
    draft = RECIPES["slideshow"](items, music=MUSIC, resolution=720, aspect="1:1")
    assert (draft.w, draft.h) == (720, 720)
    longer = apply_op(draft, "add_visual", {"media": "med_p4"}, media_of(items + [photo(4)]))
    assert longer.d > draft.d and track(longer, TrackType.AUDIO)[0].end == longer.d
    assert "kb" in main(longer)[-1].m and "tr" in main(longer)[-1].m
