"""The built-in music library: real, loopable, distinct pieces, cached as WAV."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from reelwright.media import music
from reelwright.media.music import MOODS, generate, library_track, mood_for_words
from reelwright.media.music.theory import Key, pitch, voice_progression

SR = 44100
MOOD_NAMES = ["upbeat", "calm", "lofi", "cinematic"]


@pytest.fixture(scope="module")
def loops() -> dict[str, np.ndarray]:
    return {name: generate(name) for name in MOOD_NAMES}


def _db(value: float) -> float:
    return 20 * np.log10(max(value, 1e-12))


def _chroma(mono: np.ndarray) -> np.ndarray:
    """Energy per pitch class (C..B) between 60 Hz and 2 kHz, normalised to sum 1."""
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono)))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / SR)
    keep = (freqs > 60) & (freqs < 2000)
    classes = np.round(12 * np.log2(freqs[keep] / 440) + 69).astype(int) % 12
    chroma = np.bincount(classes, weights=spectrum[keep], minlength=12)
    return chroma / chroma.sum()


def _tempo(mono: np.ndarray) -> float:
    """Beats per minute from the autocorrelation of an onset envelope (50..200 BPM)."""
    hop = 512
    frames = np.lib.stride_tricks.sliding_window_view(mono, 1024)[::hop]
    energy = np.log(1e-6 + np.sqrt((frames**2).mean(axis=1)))
    onsets = np.maximum(np.diff(energy), 0.0)
    onsets -= onsets.mean()
    corr = np.correlate(onsets, onsets, "full")[len(onsets) - 1:]
    lags = np.arange(1, len(corr))
    bpm = 60 * SR / hop / lags
    window = (bpm > 50) & (bpm < 200)
    return float(bpm[window][np.argmax(corr[1:][window])])


def test_moods_table_has_the_four_moods_with_english_and_chinese_keywords() -> None:
    assert set(MOOD_NAMES) <= set(MOODS)
    for name, mood in MOODS.items():
        assert mood.name == name
        assert mood.label and mood.key and mood.description
        assert 50 <= mood.tempo <= 140
        assert any(word.isascii() for word in mood.keywords)
        assert any(not word.isascii() for word in mood.keywords)
    assert MOODS["lofi"].label == "Lo-fi"


@pytest.mark.parametrize("mood", MOOD_NAMES)
def test_loop_is_a_whole_number_of_bars_between_20_and_60_seconds(
        loops: dict[str, np.ndarray], mood: str) -> None:
    audio = loops[mood]
    assert audio.dtype == np.float32 and audio.ndim == 2 and audio.shape[1] == 2
    seconds = len(audio) / SR
    assert 20 <= seconds <= 60
    bars = seconds * MOODS[mood].tempo / 240
    assert abs(bars - round(bars)) < 1e-3
    assert round(bars) == MOODS[mood].bars
    assert seconds == pytest.approx(MOODS[mood].loop_seconds, abs=1 / SR)


@pytest.mark.parametrize("mood", MOOD_NAMES)
def test_loop_is_at_a_sensible_level_without_clipping(
        loops: dict[str, np.ndarray], mood: str) -> None:
    audio = loops[mood].astype(np.float64)
    assert np.isfinite(audio).all()
    rms = _db(float(np.sqrt(np.mean(audio**2))))
    assert -26 <= rms <= -12
    assert _db(float(np.abs(audio).max())) <= -1.0
    # Nothing sits flat against a ceiling (hard clipping shows as runs of equal peak samples).
    peak = np.abs(audio).max()
    assert np.count_nonzero(np.abs(audio) >= peak * 0.9999) < 8
    # Every bar has sound in it (no silent gaps in a background loop).
    bars = np.array_split(audio, MOODS[mood].bars)
    assert min(_db(float(np.sqrt(np.mean(bar**2)))) for bar in bars) > -40


@pytest.mark.parametrize("mood", MOOD_NAMES)
def test_loop_is_music_not_a_test_tone(loops: dict[str, np.ndarray], mood: str) -> None:
    mono = loops[mood].mean(axis=1).astype(np.float64)
    whole = _chroma(mono)
    # Chords and a melody: several pitch classes carry real energy.
    assert np.count_nonzero(whole >= 0.15 * whole.max()) >= 5
    # The harmony moves: neighbouring bars differ in pitch content.
    per_bar = [_chroma(bar) for bar in np.array_split(mono, MOODS[mood].bars)]
    similarity = [a @ b / np.linalg.norm(a) / np.linalg.norm(b)
                  for a, b in zip(per_bar, per_bar[1:], strict=False)]
    assert np.mean(similarity) < 0.85
    assert min(similarity) < 0.7


@pytest.mark.parametrize("mood", MOOD_NAMES)
def test_loop_has_stereo_width(loops: dict[str, np.ndarray], mood: str) -> None:
    left, right = loops[mood].astype(np.float64).T
    correlation = float(np.corrcoef(left, right)[0, 1])
    assert 0.3 < correlation < 0.985


@pytest.mark.parametrize("mood", MOOD_NAMES)
def test_loop_seam_has_no_click(loops: dict[str, np.ndarray], mood: str) -> None:
    audio = loops[mood].astype(np.float64)
    # Given the loop played twice in a row, when we look at the samples around the join,
    # then the step across the join is no bigger than the steps next to it.
    around = np.concatenate([audio[-512:], audio[:512]])
    steps = np.abs(np.diff(around, axis=0))
    seam = steps[511]
    neighbours = np.delete(steps, 511, axis=0)
    assert (seam <= np.percentile(neighbours, 95, axis=0)).all()
    # And the sound does not stop at the join: reverb and held notes carry across it.
    tail = _db(float(np.sqrt(np.mean(audio[-SR // 20:] ** 2))))
    head = _db(float(np.sqrt(np.mean(audio[: SR // 20] ** 2))))
    assert tail > -45 and head > -45
    assert abs(tail - head) < 20


@pytest.mark.parametrize("mood", ["upbeat", "lofi", "calm"])
def test_loop_pulses_at_its_tempo(loops: dict[str, np.ndarray], mood: str) -> None:
    tempo = _tempo(loops[mood].mean(axis=1).astype(np.float64))
    nominal = MOODS[mood].tempo
    # Half or double time is the same pulse heard at another level.
    assert any(abs(tempo - nominal * k) / (nominal * k) < 0.03 for k in (0.5, 1, 2))


def test_moods_sound_different_from_one_another(loops: dict[str, np.ndarray]) -> None:
    assert len({MOODS[m].tempo for m in MOOD_NAMES}) == len(MOOD_NAMES)

    def centroid(audio: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(audio.mean(axis=1)))
        freqs = np.fft.rfftfreq(len(audio), 1 / SR)
        return float((spectrum * freqs).sum() / spectrum.sum())

    centroids = {m: centroid(loops[m]) for m in MOOD_NAMES}
    # Bright pop with hats is brighter than dusty lo-fi, which is brighter than piano and pad.
    assert centroids["upbeat"] > centroids["lofi"] > centroids["calm"]
    for a in MOOD_NAMES:
        for b in MOOD_NAMES:
            if a < b:
                assert abs(centroids[a] - centroids[b]) / max(centroids[a], centroids[b]) > 0.05
    keys = {m: int(np.argmax(_chroma(loops[m].mean(axis=1).astype(np.float64))))
            for m in MOOD_NAMES}
    assert len(set(keys.values())) >= 3


def test_generation_is_deterministic_fast_and_seeded(loops: dict[str, np.ndarray]) -> None:
    started = time.process_time()
    again = generate("upbeat")
    cpu_seconds = time.process_time() - started
    assert np.array_equal(again, loops["upbeat"])
    assert cpu_seconds < 10
    other = generate("upbeat", seed=1)
    assert other.shape == again.shape and not np.array_equal(other, again)


def test_unknown_mood_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as info:
        library_track("disco", tmp_path)
    for name in MOOD_NAMES:
        assert name in str(info.value)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError):
        generate("disco")


def test_library_track_writes_a_cached_wav_once(loops: dict[str, np.ndarray],
                                                tmp_path: Path) -> None:
    cache = tmp_path / "music-cache"
    path = library_track("upbeat", cache)
    assert path.parent == cache and path.suffix == ".wav"
    assert f"v{music.GENERATOR_VERSION}" in path.name
    with wave.open(str(path), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (SR, 2, 2)
        frames = wav.getnframes()
        pcm = np.frombuffer(wav.readframes(frames), dtype="<i2").reshape(-1, 2)
    assert frames == len(loops["upbeat"])
    assert np.abs(pcm / 32767.0 - loops["upbeat"]).max() < 1.5 / 32767
    assert list(cache.iterdir()) == [path]  # no temp file left behind

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "pcm_s16le"
        assert stream.rate == SR and stream.channels == 2
        assert float(stream.duration * stream.time_base) == pytest.approx(frames / SR, abs=0.01)

    stamp = path.stat().st_mtime_ns
    started = time.perf_counter()
    assert library_track("UpBeat ", cache) == path
    assert time.perf_counter() - started < 0.1
    assert path.stat().st_mtime_ns == stamp


def test_mood_for_words_matches_english_and_chinese() -> None:
    assert mood_for_words("make it chill, lofi study vibes") == "lofi"
    assert mood_for_words("Lo-Fi beats please") == "lofi"
    assert mood_for_words("一个欢快的生日视频") == "upbeat"
    assert mood_for_words("平静的海边日落") == "calm"
    assert mood_for_words("史诗级的旅行大片") == "cinematic"
    assert mood_for_words("an epic, dramatic trailer") == "cinematic"
    assert mood_for_words("happy and energetic") == "upbeat"
    assert mood_for_words("a gentle, peaceful morning") == "calm"
    # The first mood mentioned wins; words inside other words do not count.
    assert mood_for_words("calm at first, then upbeat") == "calm"
    assert mood_for_words("a funeral slideshow") is None
    assert mood_for_words("a video of my cat") is None


def test_chords_are_spelled_and_voice_led_smoothly() -> None:
    d_minor = Key(pitch("D3"), "minor")
    assert d_minor.chord("V").tones == (9, 1, 4)  # A major: the raised leading tone C#
    assert d_minor.chord("VI").tones == (10, 2, 5)  # Bb major
    f_major = Key(pitch("F3"))
    assert f_major.chord("Imaj7").tones == (5, 9, 0, 4)
    chords = [f_major.chord(c) for c in ("Imaj7", "vi7", "IVmaj7", "V")]
    voicings = voice_progression(chords, 53, 72)
    for chord, voicing in zip(chords, voicings, strict=True):
        assert {p % 12 for p in voicing} == set(chord.tones)
        assert all(53 <= p <= 72 for p in voicing)
    for before, after in zip(voicings, voicings[1:], strict=False):
        moves = [min(abs(a - b) for b in before) for a in after]
        assert max(moves) <= 3


def test_music_package_never_starts_processes() -> None:
    package = Path(music.__file__).parent
    for source in package.glob("*.py"):
        text = source.read_text()
        assert "subprocess" not in text and "os.system" not in text, source.name


def test_concurrent_first_use_generates_one_complete_file(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    # Given a cache holding only an older generator's files, when several render threads ask
    # for the same mood at once, then all get the same finished file, the stale version of
    # that mood is gone, other moods are untouched, and no temporary file is left behind.
    (tmp_path / "music-cinematic-v0.wav").write_bytes(b"old")
    other_mood = tmp_path / "music-calm-v0.wav"
    other_mood.write_bytes(b"old")
    with ThreadPoolExecutor(max_workers=3) as pool:
        paths = list(pool.map(lambda _: library_track("cinematic", tmp_path), range(3)))
    assert len(set(paths)) == 1
    assert sorted(tmp_path.iterdir()) == sorted([paths[0], other_mood])
    with wave.open(str(paths[0]), "rb") as wav:
        assert wav.getnframes() == round(MOODS["cinematic"].loop_seconds * SR)


def test_public_names_are_exported() -> None:
    for name in music.__all__:
        assert hasattr(music, name), name
    assert {"MOODS", "Mood", "generate", "library_track", "mood_for_words"} <= set(music.__all__)
