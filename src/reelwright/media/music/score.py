"""What an arrangement is made of: notes on named voices, and how each voice is mixed."""

from __future__ import annotations

from dataclasses import dataclass

from reelwright.media.music.instruments import Instrument


@dataclass(frozen=True)
class Note:
    """One note: ``start`` and ``beats`` (gate) in beats from the loop start."""

    voice: str
    start: float
    beats: float
    pitch: int = 60
    velocity: float = 0.8
    pan: float = 0.0


@dataclass(frozen=True)
class Voice:
    """A mixer channel: the instrument and its level, pan, reverb send and filtering.

    ``duck`` (0..1) dips the channel on every kick (sidechain pump); ``wobble_cents`` adds tape
    wow.
    """

    instrument: Instrument
    gain: float = 1.0
    pan: float = 0.0
    reverb: float = 0.15
    low_cut: float | None = None
    high_cut: float | None = None
    duck: float = 0.0
    wobble_cents: float = 0.0


@dataclass(frozen=True)
class Arrangement:
    tempo: float
    bars: int
    voices: dict[str, Voice]
    notes: list[Note]
    beats_per_bar: int = 4
    reverb_seconds: float = 2.0
    reverb_mix: float = 1.0
    loudness_db: float = -18.0
    master_high_cut: float | None = None
    vinyl_db: float | None = None  # record noise level relative to the music, dB

    @property
    def beats(self) -> int:
        return self.bars * self.beats_per_bar

    @property
    def seconds(self) -> float:
        return self.beats * 60.0 / self.tempo
