"""Beat detection on generated kick tracks whose tempo and beat times are known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.media import media_samples as samples

from reelwright.media.beats import detect_beats


@pytest.mark.parametrize("bpm", [120.0, 96.0, 143.0])
def test_tempo_within_two_percent_and_beats_on_the_kicks(tmp_path: Path, bpm: float) -> None:
    # Given a kick on every beat, the first at 250 ms
    truth_s = samples.kick_track(tmp_path / "kicks.wav", bpm, seconds=8.0, first_s=0.25)
    # When its beats are detected
    found = detect_beats(tmp_path / "kicks.wav")
    # Then the tempo is right within 2 % and every kick has a beat within 30 ms
    assert found.tempo_bpm == pytest.approx(bpm, rel=0.02)
    assert found.duration_ms == 8000
    truth_ms = np.array(truth_s) * 1000
    beats = np.array(found.beats_ms)
    assert abs(len(beats) - len(truth_ms)) <= 1
    nearest = np.abs(truth_ms[:, None] - beats[None, :]).min(axis=1)
    assert nearest.max() <= 30, nearest


def test_120_bpm_means_a_beat_every_500_ms(tmp_path: Path) -> None:
    samples.kick_track(tmp_path / "k.wav", 120.0, seconds=6.0, first_s=0.5)
    found = detect_beats(tmp_path / "k.wav")
    gaps = np.diff(found.beats_ms)
    assert np.median(gaps) == pytest.approx(500, abs=10)
    assert found.beats_ms == sorted(found.beats_ms)


def test_compressed_music_file_works_too(tmp_path: Path) -> None:
    samples.kick_track(tmp_path / "k.wav", 110.0, seconds=6.0)
    mp3 = tmp_path / "k.mp3"
    samples.run_ffmpeg("-i", str(tmp_path / "k.wav"), "-c:a", "libmp3lame", str(mp3))
    assert detect_beats(mp3).tempo_bpm == pytest.approx(110.0, rel=0.02)


def test_silence_has_no_beats(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    samples.run_ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "5", str(path))
    found = detect_beats(path)
    assert found.tempo_bpm == 0.0 and found.beats_ms == []
    assert found.duration_ms == pytest.approx(5000, abs=30)


def test_a_steady_tone_has_no_beats(tmp_path: Path) -> None:
    found = detect_beats(samples.audio(tmp_path / "tone.wav", [], seconds=5.0))
    assert found.tempo_bpm == 0.0 and found.beats_ms == []
