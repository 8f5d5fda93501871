"""``make_explainer`` options: Chinese, length targets, no voice-over, uploads, voice change."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelwright.agent.explainer_make import estimate, make_explainer, remake_explainer
from reelwright.agent.script import parse_script
from reelwright.draft.model import TrackType
from reelwright.draft.validate import validate
from reelwright.errors import OperationInvalid
from reelwright.media.ingest import ingest

LONG = ("Meet Aurora, the smart lamp that wakes you gently every single morning. "
        "It fills your room with a warm sunrise glow thirty minutes before the alarm. "
        "Doctors and sleep scientists helped design every part of its light curve. "
        "The companion app lets you pick colours, sounds and schedules in seconds. "
        "Aurora also tracks how well you sleep and gives simple tips each week. "
        "It costs less than a coffee a month and ships free to most countries. "
        "Order yours today and start every morning a little happier than before.")


def _captions(draft):  # type: ignore[no-untyped-def]
    return [seg for t in draft.tracks_of(TrackType.TEXT) if t.m.get("role") == "caption"
            for seg in t.sg]


def test_chinese_script_gets_a_chinese_voice_and_captions(tmp_path: Path) -> None:
    result = make_explainer("极光台灯\n\n这款台灯会在日出时慢慢亮起。售价¥30！", workdir=tmp_path,
                            cache_dir=tmp_path / "cache", resolution=480, music=False)
    assert result.draft.m["explainer"]["voice"] == "zh-female"
    text = "".join(seg.m["text"] for seg in _captions(result.draft))
    assert "三十元" in text and "¥" not in text
    validate(result.draft, {m.id: m for m in result.generated})


def test_length_target_speeds_up_or_cuts_and_says_so(tmp_path: Path) -> None:
    natural = make_explainer(LONG, workdir=tmp_path, cache_dir=tmp_path / "c", music=False,
                             resolution=480)
    short = make_explainer(LONG, workdir=tmp_path, cache_dir=tmp_path / "c", music=False,
                           resolution=480, target_seconds=15)
    assert short.draft.d < natural.draft.d
    assert short.draft.m["explainer"]["speed"] == pytest.approx(1.2)
    assert any("cut" in note for note in short.notes)
    assert len(short.script.scenes) < len(natural.script.scenes)
    assert short.draft.d <= 15000 * 1.25


def test_no_voice_over(tmp_path: Path) -> None:
    result = make_explainer("Quiet video. Only captions here.", workdir=tmp_path,
                            cache_dir=tmp_path / "c", voice="none", music=False, resolution=480)
    assert not result.draft.tracks_of(TrackType.AUDIO)
    assert _captions(result.draft)
    assert "no voice-over" in result.notes[0]


def test_uploaded_photo_is_used_and_voice_can_be_changed(tmp_path: Path,
                                                         make_photo) -> None:  # type: ignore[no-untyped-def]
    photo = ingest(make_photo("sunrise.jpg", (640, 480)), media_id="med_sun", name="sunrise.jpg",
                   out_dir=tmp_path)
    result = make_explainer("The lamp glows like a sunrise. Order it today.", images=[photo],
                            workdir=tmp_path, cache_dir=tmp_path / "c", music=False,
                            resolution=480)
    main = result.draft.tracks_of(TrackType.VISUAL)[0]
    assert main.sg[0].src == "med_sun"
    media = {photo.id: photo, **{m.id: m for m in result.generated}}
    again = remake_explainer(result.draft, media, workdir=tmp_path, cache_dir=tmp_path / "c",
                             voice="female", music=False)
    assert again.draft.m["explainer"]["voice"] == "en-female"
    assert again.draft.tracks_of(TrackType.VISUAL)[0].sg[0].src == "med_sun"
    validate(again.draft, {photo.id: photo, **{m.id: m for m in again.generated}})


def test_estimate_and_bad_options(tmp_path: Path) -> None:
    guess = estimate(parse_script(LONG))
    assert 25 < guess.video_seconds < 60 and guess.credits > 0 and guess.render_seconds > 0
    with pytest.raises(OperationInvalid, match="caption style"):
        make_explainer("Hi there.", workdir=tmp_path, cache_dir=tmp_path, caption_style="x")
    with pytest.raises(OperationInvalid, match="mood"):
        make_explainer("Hi there.", workdir=tmp_path, cache_dir=tmp_path, mood="spooky")
    with pytest.raises(OperationInvalid, match="target"):
        make_explainer("Hi there.", workdir=tmp_path, cache_dir=tmp_path, target_seconds=2)
    assert not any(tmp_path.iterdir())  # refused before anything was made


def test_an_uploaded_song_is_the_music_until_a_mood_is_asked_for(tmp_path: Path,
                                                                  make_tone) -> None:  # type: ignore[no-untyped-def]
    song = ingest(make_tone("summer-song.wav", seconds=4.0), media_id="med_song",
                  name="summer-song.wav", out_dir=tmp_path)
    result = make_explainer("The lamp glows like a sunrise. Order it today.", song=song,
                            workdir=tmp_path, cache_dir=tmp_path / "c", voice="none",
                            resolution=480)
    music = [seg for t in result.draft.tracks_of(TrackType.AUDIO) for seg in t.sg
             if seg.m.get("role", t.m.get("role")) == "music"]
    assert [seg.src for seg in music] == ["med_song"]
    assert not any(m.id.startswith("gen_music_") for m in result.generated)
    meta = result.draft.m["explainer"]
    assert meta["song"] == "med_song" and meta["mood"] is None
    media = {song.id: song, **{m.id: m for m in result.generated}}
    validate(result.draft, media)
    # A remake keeps the song; asking for a mood switches to built-in music
    again = remake_explainer(result.draft, media, workdir=tmp_path, cache_dir=tmp_path / "c",
                             caption_style="highlight")
    assert again.draft.m["explainer"]["song"] == "med_song"
    calm = remake_explainer(result.draft, media, workdir=tmp_path, cache_dir=tmp_path / "c",
                            mood="calm")
    srcs = {seg.src for t in calm.draft.tracks_of(TrackType.AUDIO) for seg in t.sg}
    assert "med_song" not in srcs and any(s and s.startswith("gen_music_") for s in srcs)


def test_an_illustration_is_named_in_the_scripts_language() -> None:
    from reelwright.agent.explainer_make import illustration_label
    from reelwright.media.illustrations import Illustration

    clock = Illustration("23F0", "alarm clock", ("alarm clock", "alarm", "clock", "闹钟"))
    assert illustration_label(clock, "en") == "Illustration: alarm clock (OpenMoji)"
    assert illustration_label(clock, "zh") == "插图：闹钟（OpenMoji）"
