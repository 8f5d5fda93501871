"""Offline text to speech with word timings: Piper for English, eSpeak NG for Chinese and as the
fallback.

    from reelwright.media.tts import select_voice, speak
    line = speak("It costs $5.99.", select_voice("en"), out_dir=workdir)
    line.text   # "It costs five dollars and ninety-nine cents."
    line.words  # (WordTiming(start_ms=0, end_ms=130, text="It"), ...)
"""

from reelwright.media.tts.normalize import normalize
from reelwright.media.tts.speech import Speech, WordTiming
from reelwright.media.tts.synth import SpokenLine, speak, speak_all, trim, write_wav
from reelwright.media.tts.voices import (
    DEFAULT_VOICE,
    VOICES,
    Voice,
    check_speed,
    select_voice,
    wants_no_voice,
)

__all__ = [
    "DEFAULT_VOICE", "VOICES", "Speech", "SpokenLine", "Voice", "WordTiming", "check_speed",
    "normalize", "select_voice", "speak", "speak_all", "trim", "wants_no_voice", "write_wav",
]
