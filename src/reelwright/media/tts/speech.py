"""What a TTS engine hands back: mono samples and when each word is spoken."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class WordTiming:
    """A spoken word and where it sits in the audio (ms from the start of the audio)."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Speech:
    """Mono float32 samples in -1..1 and the word timings the engine itself reported."""

    samples: NDArray[np.float32]
    sample_rate: int
    words: tuple[WordTiming, ...]

    @property
    def duration_ms(self) -> int:
        return round(len(self.samples) * 1000 / self.sample_rate)
