"""The pure explainer recipe: timing, captions, safe placement, music, validation."""

from __future__ import annotations

import pytest

from reelwright.agent.explainer_make import assign_visuals
from reelwright.agent.recipes.explainer import (
    HIGHLIGHT,
    ExplainerScene,
    Narration,
    build_explainer,
    caption_layout,
)
from reelwright.agent.script import Scene
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import TrackType
from reelwright.errors import OperationInvalid
from reelwright.media.subtitles import to_srt, to_vtt

CARD = MediaInfo(id="gen_card_1", kind="image", path="/x/c1.png", name="card", w=1280, h=720)
PHOTO = MediaInfo(id="med_lamp", kind="image", path="/x/lamp.jpg", name="lamp.jpg", w=640, h=480)
MUSIC = MediaInfo(id="gen_music_calm", kind="audio", path="/x/m.wav", name="Calm",
                  duration_ms=40000, has_audio=True)


def _line(n: int, text: str) -> Narration:
    words = text.split()
    audio = MediaInfo(id=f"gen_voice_{n}", kind="audio", path=f"/x/v{n}.wav",
                      duration_ms=400 * len(words) + 100, has_audio=True)
    timed = tuple((i * 400 + 50, i * 400 + 350, w) for i, w in enumerate(words))
    return Narration(text=text, audio=audio, duration_ms=audio.duration_ms or 0, words=timed)


def _scenes() -> list[ExplainerScene]:
    return [
        ExplainerScene((_line(1, "Meet Aurora, the lamp that wakes you gently."),
                        _line(2, "It glows like a sunrise.")), CARD, is_card=True),
        ExplainerScene((_line(3, "Order yours today."),), PHOTO),
    ]


@pytest.mark.parametrize("style", ["classic", "highlight"])
def test_voice_captions_and_music_line_up(style: str) -> None:
    draft = build_explainer(_scenes(), title="Aurora", title_card=CARD,
                            title_line=_line(0, "Aurora"), music=MUSIC, caption_style=style)
    (main,) = [t for t in draft.tracks_of(TrackType.VISUAL)]
    assert len(main.sg) == 3
    assert main.sg[0].m["kb"]["z1"] > main.sg[0].m["kb"]["z0"]  # cards move gently
    voice = next(t for t in draft.tracks_of(TrackType.AUDIO) if t.m["role"] == "voice")
    assert [s.src for s in voice.sg] == [f"gen_voice_{n}" for n in range(4)]
    ends = [s.end for s in voice.sg]
    starts = [s.st for s in voice.sg]
    assert all(a < b for a, b in zip(ends, starts[1:], strict=False))  # no overlapping speech
    # Each scene's voice plays while its picture is fully on screen.
    for seg, scene_seg in ((voice.sg[1], main.sg[1]), (voice.sg[3], main.sg[2])):
        assert scene_seg.st + scene_seg.m.get("tr", {}).get("d", 0) <= seg.st
        assert seg.end <= scene_seg.end
    music = next(t for t in draft.tracks_of(TrackType.AUDIO) if t.m["role"] == "music").sg[0]
    assert music.st == 0 and music.d == draft.d and music.m["fo"] >= 1500
    assert draft.d - ends[-1] >= 1000  # room for the music to fade out after the last word
    captions = next(t for t in draft.tracks_of(TrackType.TEXT) if t.m["role"] == "caption")
    words = []
    for seg in captions.sg:
        assert seg.m["text"].count("\n") <= 1  # at most two lines
        for a, b, word in seg.m["words"]:
            assert 0 <= a < b <= seg.d
            assert word in seg.m["text"]
            words.append((seg.st + a, word))
        assert ("hl" in seg.m) == (style == "highlight")
        if style == "highlight":
            assert seg.m["hl"] == HIGHLIGHT
    # Every spoken word (not the title) gets a caption word at the same moment.
    spoken = [(vo.st + a, w) for vo, line in zip(voice.sg[1:], [s for sc in _scenes()
                                                              for s in sc.lines], strict=True)
              for a, _, w in line.words]
    assert [w for _, w in words] == [w for _, w in spoken]
    assert all(abs(a - b) <= 150 for (a, _), (b, _) in zip(words, spoken, strict=True))
    title = next(t for t in draft.tracks_of(TrackType.TEXT) if t.m["role"] == "title")
    assert title.sg[0].m["text"] == "Aurora" and title.sg[0].st == 0


def test_vertical_captions_stay_clear_of_platform_ui() -> None:
    draft = build_explainer(_scenes(), aspect="9:16", caption_style="highlight")
    assert (draft.w, draft.h) == (1080, 1920)
    layout = caption_layout(draft.w, draft.h, "en", "highlight")
    captions = next(t for t in draft.tracks_of(TrackType.TEXT) if t.m["role"] == "caption")
    for seg in captions.sg:
        pos = seg.m["pos"]
        size_px = seg.m["style"]["size"] * draft.h / 1080
        lines = seg.m["text"].split("\n")
        block_h = len(lines) * size_px * 1.25
        assert pos["y"] * draft.h + block_h / 2 <= 0.8 * draft.h  # bottom 20 % stays clear
        widest = max(len(line) for line in lines) * size_px * 0.62
        assert pos["x"] * draft.w + widest / 2 <= 0.9 * draft.w  # right edge stays clear
        assert max(len(line) for line in lines) <= layout.chars_per_line + 12


def test_no_voice_still_times_captions_and_scenes() -> None:
    silent = [ExplainerScene((Narration("Read this quietly.", words=(
        (0, 300, "Read"), (385, 700, "this"), (770, 1100, "quietly."))),), CARD, True)]
    silent[0] = ExplainerScene((Narration("Read this quietly.", duration_ms=1300,
                                          words=silent[0].lines[0].words),), CARD, True)
    draft = build_explainer(silent, caption_style="classic")
    assert not draft.tracks_of(TrackType.AUDIO)
    assert draft.d >= 2000
    assert draft.tracks_of(TrackType.TEXT)[0].sg[0].m["text"] == "Read this quietly."


def test_bad_options_are_refused() -> None:
    with pytest.raises(OperationInvalid, match="caption style"):
        build_explainer(_scenes(), caption_style="comic")
    with pytest.raises(OperationInvalid, match="at least one scene"):
        build_explainer([])
    with pytest.raises(OperationInvalid, match="aspect"):
        build_explainer(_scenes(), aspect="3:1")
    with pytest.raises(OperationInvalid, match="photos, clips or cards"):
        build_explainer([ExplainerScene((), MUSIC)])


def test_subtitle_export_matches_captions() -> None:
    draft = build_explainer(_scenes(), caption_style="classic")
    srt, vtt = to_srt(draft), to_vtt(draft)
    captions = next(t for t in draft.tracks_of(TrackType.TEXT) if t.m["role"] == "caption")
    assert srt.startswith("1\n00:00:")
    assert srt.count(" --> ") == len(captions.sg)
    assert vtt.startswith("WEBVTT\n")
    assert vtt.count(" --> ") == len(captions.sg)
    first = captions.sg[0]
    stamp = f"00:00:{first.st // 1000:02d},{first.st % 1000:03d}"
    assert stamp in srt and stamp.replace(",", ".") in vtt
    assert first.m["text"] in srt


def test_pictures_go_to_scenes_by_file_name_then_in_order() -> None:
    scenes = [Scene(1, ("Our team works hard.",)), Scene(2, ("The lamp glows at sunrise.",)),
              Scene(3, ("Order today.",))]
    team = MediaInfo(id="med_team", kind="image", path="/x/t.jpg", name="team_photo.jpg")
    other = MediaInfo(id="med_other", kind="image", path="/x/o.jpg", name="IMG_0001.jpg")
    song = MediaInfo(id="med_song", kind="audio", path="/x/s.mp3", name="song.mp3")
    chosen = assign_visuals(scenes, [other, PHOTO, song, team])
    assert chosen == [team, PHOTO, other]
    assert assign_visuals(scenes, []) == [None, None, None]


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_captions_over_a_photo_move_off_a_face_at_the_bottom(aspect: str) -> None:
    from reelwright.draft.media import FocusBox
    from reelwright.draft.text_place import focus_in_frame, text_block

    low_face = PHOTO.__class__(**{**PHOTO.__dict__, "focus": (
        FocusBox(0.35, 0.62, 0.3, 0.36, 1.0, "face"),)})
    high_face = PHOTO.__class__(**{**PHOTO.__dict__, "focus": (
        FocusBox(0.4, 0.05, 0.2, 0.25, 1.0, "face"),)})
    for photo, should_move in ((low_face, True), (high_face, False)):
        scenes = [ExplainerScene((_line(3, "Order yours today and wake up happier."),), photo)]
        draft = build_explainer(scenes, aspect=aspect, resolution=480)
        caps = next(t for t in draft.tracks_of(TrackType.TEXT) if t.m.get("role") == "caption")
        layout = caption_layout(draft.w, draft.h, "en", "classic")
        for cap in caps.sg:
            moved = cap.m["pos"] != layout.pos
            assert moved == should_move, (photo.focus, cap.m["pos"])
            if moved:  # and where it went, the face is not
                pos = cap.m["pos"]
                bw, bh = text_block(cap.m["text"], layout.size, draft.w, draft.h, 0.78)
                seg = draft.t[0].sg[0]
                for face, _ in focus_in_frame(draft, seg, photo, cap.st, cap.end):
                    assert pos["y"] + bh / 2 <= face.y or pos["y"] - bh / 2 >= face.y + face.h


def test_card_layers_animate_over_the_card_and_leave_with_it() -> None:
    """A card's headline and illustration are layers over its time; swapping the card for a
    photo ("change scene 1's picture") takes them away with it."""
    from reelwright.agent.explainer_tools import _swap
    from reelwright.agent.recipes.explainer import CardLayers

    art = MediaInfo(id="gen_art_1", kind="image", path="/x/a.png", name="battery", w=300, h=300)
    layers = CardLayers(headline="Battery lasts\nup to 40 hours", x=0.09, y=0.3, size=0.06,
                        art=art, art_box=(0.6, 0.2, 0.3, 0.5))
    scenes = [ExplainerScene((_line(1, "The battery lasts up to 40 hours."),), CARD,
                             is_card=True, layers=layers),
              ExplainerScene((_line(2, "Order yours today."),), PHOTO)]
    draft = build_explainer(scenes, title="Lantern", title_card=CARD)
    card = draft.t[0].sg[1]
    assert "kb" not in card.m  # the background holds still under the moving layers
    (head,) = next(t for t in draft.t if t.id == "x_headline").sg
    (pic,) = next(t for t in draft.t if t.id == "v_art").sg
    assert head.m["anim"] == "rise" and pic.m["anim"] == "slide" and pic.m["alpha"]
    for one in (head, pic):
        assert card.st + 500 <= one.st and one.end <= card.end  # on while the card is
    voices = [line.audio for scene in scenes for line in scene.lines if line.audio]
    media = {m.id: m for m in (CARD, PHOTO, art, *voices)}
    swapped = _swap(draft, 1, PHOTO, media)
    assert not [t for t in swapped.t if t.id in ("x_headline", "v_art")]
    assert swapped.t[0].sg[1].src == PHOTO.id
