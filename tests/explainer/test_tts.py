"""Offline speech: Piper (English) and eSpeak NG (Chinese), timed by the engines themselves."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from reelwright.errors import OperationInvalid
from reelwright.media.tts import VOICES, select_voice, speak, trim, wants_no_voice
from reelwright.media.tts.speech import Speech, WordTiming
from reelwright.media.tts.synth import FRAME_MS, frame_levels


def _wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as f:
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float32)
        return data / 32768, f.getframerate()


def _onset_ms(samples: np.ndarray, rate: int) -> int:
    levels = frame_levels(samples, rate)
    return int(np.flatnonzero(levels > levels.max() - 30)[0]) * FRAME_MS


def _check_timings(words: tuple[WordTiming, ...], duration_ms: int) -> None:
    starts = [w.start_ms for w in words]
    assert starts == sorted(starts)
    for word in words:
        assert 0 <= word.start_ms < word.end_ms <= duration_ms


def test_piper_speaks_english_with_a_timing_for_every_word(tmp_path: Path) -> None:
    line = speak("Dr. Lee sells the lamp for $5.99, and it glows.", select_voice("en"),
                 out_dir=tmp_path)
    assert line.voice == "joe"
    assert line.text == ("Doctor Lee sells the lamp for five dollars and ninety-nine cents, "
                         "and it glows.")
    assert [w.text for w in line.words] == line.text.split()
    samples, rate = _wav(line.path)
    assert rate == 22050
    assert abs(len(samples) * 1000 / rate - line.duration_ms) <= 2
    _check_timings(line.words, line.duration_ms)
    # Silence trimmed: speech starts right away and the first word is where the sound is.
    onset = _onset_ms(samples, rate)
    assert onset <= 120
    assert abs(line.words[0].start_ms - onset) <= 150
    # Word times come from the model, not from text length: long words take longer.
    by_text = {w.text: w.end_ms - w.start_ms for w in line.words}
    assert by_text["ninety-nine"] > by_text["the"]


def test_faster_speed_gives_shorter_audio(tmp_path: Path) -> None:
    voice = select_voice("en")
    normal = speak("This sentence is read at two speeds.", voice, out_dir=tmp_path)
    fast = speak("This sentence is read at two speeds.", voice, out_dir=tmp_path, speed=1.3)
    assert fast.duration_ms < normal.duration_ms * 0.92
    assert fast.path != normal.path


def test_repeated_sentence_comes_from_the_cache(tmp_path: Path) -> None:
    voice = select_voice("en")
    first = speak("Cached once.", voice, out_dir=tmp_path)
    stamp = first.path.stat().st_mtime_ns
    again = speak("Cached once.", voice, out_dir=tmp_path)
    assert again == first
    assert again.path.stat().st_mtime_ns == stamp


def test_espeak_speaks_chinese_with_word_events(tmp_path: Path) -> None:
    line = speak("这款台灯售价¥30，非常好用。", select_voice("zh"), out_dir=tmp_path)
    assert line.text == "这款台灯售价三十元，非常好用。"
    assert line.voice == "zh-female"
    spoken = "".join(w.text for w in line.words)
    assert spoken == "这款台灯售价三十元非常好用"
    samples, rate = _wav(line.path)
    assert float(np.sqrt(np.mean(samples ** 2))) > 0.02  # really speech, not silence
    _check_timings(line.words, line.duration_ms)
    assert len(line.words) >= 10
    assert abs(line.words[0].start_ms - _onset_ms(samples, rate)) <= 150


def test_espeak_female_english_voice(tmp_path: Path) -> None:
    voice = select_voice("en", "a female voice")
    assert voice.engine == "espeak" and voice.gender == "female"
    line = speak("Hello from the fallback voice.", voice, out_dir=tmp_path)
    assert [w.text for w in line.words] == ["Hello", "from", "the", "fallback", "voice"]
    _check_timings(line.words, line.duration_ms)


def test_trim_removes_silence_and_shifts_words() -> None:
    rate = 16000
    tone = 0.5 * np.sin(np.arange(rate) * 2 * np.pi * 220 / rate).astype(np.float32)
    silence = np.zeros(rate // 2, dtype=np.float32)
    speech = Speech(np.concatenate([silence, tone, silence]), rate,
                    (WordTiming(500, 1500, "tone"),))
    trimmed = trim(speech)
    assert 1000 <= trimmed.duration_ms <= 1150
    assert trimmed.words[0].start_ms <= 70
    assert trimmed.words[0].end_ms <= trimmed.duration_ms


def test_voice_selection() -> None:
    assert select_voice("en").id == "joe"
    assert select_voice("zh", "男声").id == "zh-male"
    assert select_voice("zh", "女声").id == "zh-female"
    assert select_voice("en", "male").id == "joe"
    assert select_voice("en", "en-female") is VOICES["en-female"]
    assert wants_no_voice("no voice-over") and wants_no_voice("无配音")
    assert not wants_no_voice(None) and not wants_no_voice("female")
    with pytest.raises(OperationInvalid, match="unknown voice"):
        select_voice("en", "robot pirate")


def test_speed_out_of_bounds_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OperationInvalid, match="speed"):
        speak("Too fast.", select_voice("en"), out_dir=tmp_path, speed=3)
    assert not list(tmp_path.iterdir())
