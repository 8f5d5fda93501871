"""Speech with eSpeak NG (from ``espeakng-loader``) through ctypes, timed by its word events.

eSpeak reports an ``espeakEVENT_WORD`` with the character position of each word and the
audio position where it starts; a word ends where the next begins (``synth`` later trims the
pause off the end). Used for Chinese (``cmn``) and as the fallback for any language.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from reelwright.media.tts.speech import Speech, WordTiming

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
EVENT_LIST_TERMINATED, EVENT_WORD = 0, 1
PARAM_RATE = 1
POS_CHARACTER = 1
CHARS_UTF8 = 1
DEFAULT_WPM = 165


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


@dataclass
class _Capture:
    samples: list[np.ndarray] = field(default_factory=list)
    words: list[tuple[int, int]] = field(default_factory=list)  # (char position, sample)
    written: int = 0


@dataclass
class _Engine:
    lib: Any
    sample_rate: int
    callback: Any
    capture: _Capture


_lock = threading.Lock()  # eSpeak keeps global state: one synthesis at a time


@lru_cache(maxsize=1)
def _engine() -> _Engine:
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                 ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                 espeakng_loader.get_data_path().encode(), INITIALIZE_DONT_EXIT)
    if rate <= 0:
        raise RuntimeError("eSpeak NG could not start (espeakng-loader data missing?)")
    capture = _Capture()

    def on_audio(wav: Any, count: int, events: Any) -> int:
        index = 0
        while events[index].type != EVENT_LIST_TERMINATED:
            event = events[index]
            if event.type == EVENT_WORD:
                # ``sample`` counts from the start of this synthesis call
                capture.words.append((event.text_position, event.sample))
            index += 1
        if wav and count > 0:
            capture.samples.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
            capture.written += count
        return 0

    callback = _Callback(on_audio)  # kept referenced for as long as the library lives
    lib.espeak_SetSynthCallback(callback)
    return _Engine(lib, rate, callback, capture)


def synthesize(text: str, *, voice_name: str = "en-us", speed: float = 1.0) -> Speech:
    """``text`` spoken by eSpeak NG voice ``voice_name`` ("cmn", "en-us+f3", ...)."""
    engine = _engine()
    data = text.encode("utf-8")
    with _lock:
        engine.capture.samples.clear()
        engine.capture.words.clear()
        engine.capture.written = 0
        if engine.lib.espeak_SetVoiceByName(voice_name.encode()) != 0:
            raise ValueError(f"eSpeak NG has no voice {voice_name!r}")
        engine.lib.espeak_SetParameter(PARAM_RATE, round(DEFAULT_WPM * speed), 0)
        status = engine.lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8,
                                         None, None)
        engine.lib.espeak_Synchronize()
        if status != 0:
            raise RuntimeError(f"eSpeak NG failed to speak (error {status})")
        pieces = list(engine.capture.samples)
        marks = list(engine.capture.words)
    samples = (np.concatenate(pieces).astype(np.float32) / 32768.0 if pieces
               else np.zeros(0, dtype=np.float32))
    return Speech(samples=samples, sample_rate=engine.sample_rate,
                  words=tuple(_words(text, marks, len(samples), engine.sample_rate)))


def _words(text: str, marks: list[tuple[int, int]], total: int, rate: int) -> list[WordTiming]:
    """Each word runs from its own event to the next one's; its text is the characters between."""
    marks = sorted({position: sample for position, sample in marks}.items())
    out: list[WordTiming] = []
    for i, (position, sample) in enumerate(marks):
        next_position, next_sample = marks[i + 1] if i + 1 < len(marks) else (len(text) + 1, total)
        tokens = [t for t in (_strip_edges(part) for part in
                              text[position - 1:next_position - 1].split()) if t]
        # eSpeak sometimes voices two short words as one ("from the"): share its time out.
        total = sum(len(token) for token in tokens)
        cursor = float(sample)
        for token in tokens:
            length = (next_sample - sample) * len(token) / total
            out.append(WordTiming(round(cursor * 1000 / rate),
                                  round((cursor + length) * 1000 / rate), token))
            cursor += length
    return out


def _strip_edges(token: str) -> str:
    """The token without surrounding spaces and sentence punctuation (kept inside words)."""
    token = token.strip()
    while token and not token[-1].isalnum():
        token = token[:-1]
    while token and not token[0].isalnum():
        token = token[1:]
    return token
