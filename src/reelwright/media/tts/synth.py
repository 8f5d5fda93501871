"""Sentence-level speech: normalise, synthesise, trim the silence, tighten word ends, write WAV.

``speak(text, voice, out_dir=...)`` returns a ``SpokenLine``: the WAV on disk, its length and
the spoken words with their times, relative to the trimmed audio. Results are cached in
``out_dir`` by (voice, speed, text), so changing one sentence or the voice re-synthesises only
what changed.
"""

from __future__ import annotations

import hashlib
import json
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from reelwright.media.tts import espeak_engine, piper_engine
from reelwright.media.tts.normalize import normalize
from reelwright.media.tts.speech import Speech, WordTiming
from reelwright.media.tts.voices import Voice, check_speed

SILENCE_DB = -40.0  # below the loudest 10 ms frame
FRAME_MS = 10
KEEP_MS = 60  # of the silence around speech, so consonants are not clipped
CACHE_VERSION = 1


@dataclass(frozen=True)
class SpokenLine:
    """One synthesised sentence: ``text`` is what was spoken (and what captions show)."""

    text: str
    path: Path
    duration_ms: int
    words: tuple[WordTiming, ...]
    voice: str
    speed: float


def _engine_speech(text: str, voice: Voice, speed: float) -> Speech:
    if voice.engine == "piper":
        try:
            return piper_engine.synthesize(text, voice_name=voice.engine_voice, speed=speed)
        except (ImportError, RuntimeError, ValueError):
            # Piper or its alignment patch is unavailable: eSpeak still gives timed speech.
            return espeak_engine.synthesize(text, voice_name="en-us", speed=speed)
    return espeak_engine.synthesize(text, voice_name=voice.engine_voice, speed=speed)


def frame_levels(samples: NDArray[np.float32], rate: int) -> NDArray[np.float64]:
    """RMS level in dB of each 10 ms frame."""
    size = max(1, rate * FRAME_MS // 1000)
    count = len(samples) // size
    if count == 0:
        return np.full(1, -120.0)
    frames = samples[:count * size].astype(np.float64).reshape(count, size)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return np.asarray(20 * np.log10(np.maximum(rms, 1e-6)), dtype=np.float64)


def trim(speech: Speech) -> Speech:
    """``speech`` without its leading and trailing silence (word times shifted to match)."""
    levels = frame_levels(speech.samples, speech.sample_rate)
    loud = np.flatnonzero(levels > levels.max() + SILENCE_DB)
    if len(loud) == 0:
        return speech
    size = speech.sample_rate * FRAME_MS // 1000
    keep = speech.sample_rate * KEEP_MS // 1000
    first = max(0, int(loud[0]) * size - keep)
    last = min(len(speech.samples), (int(loud[-1]) + 1) * size + keep)
    shift = round(first * 1000 / speech.sample_rate)
    length = round((last - first) * 1000 / speech.sample_rate)
    words = tuple(WordTiming(max(0, w.start_ms - shift), min(length, max(0, w.end_ms - shift)),
                             w.text) for w in speech.words)
    return Speech(samples=speech.samples[first:last], sample_rate=speech.sample_rate,
                  words=_tighten(words, speech.samples[first:last], speech.sample_rate))


def _tighten(words: Sequence[WordTiming], samples: NDArray[np.float32],
             rate: int) -> tuple[WordTiming, ...]:
    """End each word at its last audible frame, so a pause after it is not counted as the word."""
    levels = frame_levels(samples, rate)
    floor = levels.max() + SILENCE_DB
    out: list[WordTiming] = []
    for word in words:
        a = word.start_ms // FRAME_MS
        b = max(a + 1, word.end_ms // FRAME_MS)
        loud = np.flatnonzero(levels[a:b] > floor)
        end = (a + int(loud[-1]) + 1) * FRAME_MS if len(loud) else word.end_ms
        out.append(WordTiming(word.start_ms, max(word.start_ms + FRAME_MS, min(word.end_ms, end)),
                              word.text))
    return tuple(out)


def write_wav(path: Path, samples: NDArray[np.float32], rate: int) -> None:
    """16-bit mono PCM WAV, written to a side file and moved into place when whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    partial = path.with_name(path.name + ".part")
    with wave.open(str(partial), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    partial.replace(path)


def _key(text: str, voice: Voice, speed: float) -> str:
    raw = json.dumps([CACHE_VERSION, voice.engine, voice.engine_voice, round(speed, 3), text])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def speak(text: str, voice: Voice, *, out_dir: Path, speed: float = 1.0,
          normalized: bool = False) -> SpokenLine:
    """Speak one sentence with ``voice`` into ``out_dir/tts_<key>.wav``.

    ``text`` is written out first (numbers, money, abbreviations) unless ``normalized``.
    Raises ``OperationInvalid`` for a speed out of bounds.
    """
    check_speed(speed)
    spoken = text if normalized else normalize(text, voice.language)
    key = _key(spoken, voice, speed)
    wav, meta = out_dir / f"tts_{key}.wav", out_dir / f"tts_{key}.json"
    if wav.is_file() and meta.is_file():
        cached = json.loads(meta.read_text("utf-8"))
        return SpokenLine(spoken, wav, int(cached["d"]),
                          tuple(WordTiming(a, b, w) for a, b, w in cached["words"]),
                          voice.id, speed)
    speech = trim(_engine_speech(spoken, voice, speed))
    write_wav(wav, speech.samples, speech.sample_rate)
    words = [[w.start_ms, w.end_ms, w.text] for w in speech.words]
    meta.write_text(json.dumps({"d": speech.duration_ms, "words": words}), "utf-8")
    return SpokenLine(spoken, wav, speech.duration_ms, speech.words, voice.id, speed)


def speak_all(sentences: Sequence[str], voice: Voice, *, out_dir: Path,
              speed: float = 1.0) -> list[SpokenLine]:
    """``speak`` each sentence in order."""
    return [speak(sentence, voice, out_dir=out_dir, speed=speed) for sentence in sentences]
