"""The built-in music library: moods, keyword matching, generation and the on-disk cache."""

from __future__ import annotations

import os
import re
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
from numpy.typing import NDArray

from reelwright.media.music.compose import ARRANGERS
from reelwright.media.music.mix import render
from reelwright.media.music.synth import SR

# Bump when the generator changes what it makes: old cached files then stop matching.
GENERATOR_VERSION = 1
SAMPLE_RATE = SR


@dataclass(frozen=True)
class Mood:
    """One built-in track. ``tempo`` in BPM; ``bars`` of 4/4 make one seamless loop."""

    name: str
    label: str
    tempo: float
    key: str
    bars: int
    description: str
    keywords: tuple[str, ...]

    @property
    def loop_seconds(self) -> float:
        return self.bars * 4 * 60.0 / self.tempo


MOODS: dict[str, Mood] = {
    "upbeat": Mood(
        "upbeat", "Upbeat", 120, "G major", 16,
        "Bright pop: four-on-the-floor kick, claps, plucked bass, a sparkling arpeggio.",
        ("upbeat", "happy", "energetic", "fun", "joyful", "party", "欢快", "活力", "动感",
         "快乐", "开心")),
    "calm": Mood(
        "calm", "Calm", 72, "F major", 12,
        "Soft piano over a warm pad, slow and spacious.",
        ("calm", "peaceful", "soft", "gentle", "relaxing", "quiet", "平静", "舒缓", "安静",
         "温柔")),
    "lofi": Mood(
        "lofi", "Lo-fi", 84, "Eb major", 12,
        "Dusty lo-fi: swung drums, warm detuned keys, vinyl crackle.",
        ("lo-fi", "lofi", "lo fi", "chill", "relaxed", "study", "低保真", "放松", "轻松")),
    "cinematic": Mood(
        "cinematic", "Cinematic", 64, "D minor", 8,
        "A slow minor swell: strings, horn, timpani and a driving ostinato.",
        ("cinematic", "epic", "dramatic", "emotional", "trailer", "电影感", "史诗", "大气",
         "震撼")),
}


def _check(mood: str) -> str:
    name = mood.strip().lower()
    if name not in MOODS:
        raise ValueError(f"unknown music mood {mood!r}; choose one of: {', '.join(MOODS)}")
    return name


def mood_for_words(text: str) -> str | None:
    """The mood whose keywords appear in ``text`` (English or Chinese), else None.

    English keywords match whole words (``fun`` does not match ``funeral``); Chinese ones match
    anywhere. When several moods match, the earliest mention wins.
    """
    lowered = text.lower()
    best: tuple[int, str] | None = None
    for mood in MOODS.values():
        for word in mood.keywords:
            if word.isascii():
                found = re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered)
                position = found.start() if found else -1
            else:
                position = lowered.find(word)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, mood.name)
    return best[1] if best else None


def generate(mood: str, seed: int = 0) -> NDArray[np.float32]:
    """One loop of ``mood`` as ``(n, 2)`` float32 samples at 44.1 kHz in -1..1.

    Deterministic for a given ``seed``. The loop is a whole number of bars and repeats
    seamlessly: sample ``n - 1`` flows into sample ``0``.
    """
    name = _check(mood)
    audio = render(ARRANGERS[name](seed), seed)
    return audio.astype(np.float32)


def track_path(mood: str, cache_dir: Path) -> Path:
    """Where the cached WAV for ``mood`` lives (whether or not it exists yet)."""
    return Path(cache_dir) / f"music-{_check(mood)}-v{GENERATOR_VERSION}.wav"


def library_track(mood: str, cache_dir: Path) -> Path:
    """The path of a 44.1 kHz stereo 16-bit WAV loop for ``mood``, generated on first use.

    The file is written to a temporary name and renamed into place, so concurrent workers
    never read half a file (if two generate at once, the last rename wins; both are equal).
    Raises ValueError for an unknown mood.
    """
    path = track_path(mood, cache_dir)
    if path.is_file():
        return path
    # Threads of one worker wait for each other instead of generating the same track twice.
    with _lock_for(path):
        if path.is_file():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        audio = generate(mood)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as raw:
                write_wav(raw, audio)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _remove_stale_versions(path)
    return path


def _remove_stale_versions(current: Path) -> None:
    """Delete this mood's files from older generator versions (they are never read again)."""
    stem = current.name.rsplit("-v", 1)[0]
    for old in current.parent.glob(f"{stem}-v*.wav"):
        if old != current and old.name[len(stem) + 2:-4].isdigit():
            old.unlink(missing_ok=True)


_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path.resolve(), threading.Lock())


def write_wav(target: str | Path | IO[bytes], audio: NDArray[np.float32]) -> None:
    """Write float samples in -1..1 as 16-bit PCM WAV to a path or binary file object."""
    pcm = np.clip(np.round(audio * 32767.0), -32767, 32767).astype("<i2")
    with wave.open(str(target) if isinstance(target, Path) else target, "wb") as out:
        out.setnchannels(pcm.shape[1] if pcm.ndim == 2 else 1)
        out.setsampwidth(2)
        out.setframerate(SR)
        out.writeframes(pcm.tobytes())
