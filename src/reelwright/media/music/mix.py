"""Render an arrangement into one seamless stereo loop.

Each voice's notes are laid onto a ring buffer of exactly the loop's length; the voices are
then filtered, summed and sent to the reverb in the frequency domain (one FFT per voice), which
makes every filter and the reverb tail circular: the loop's end flows into its start.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from reelwright.media.music.instruments import vinyl
from reelwright.media.music.score import Arrangement, Note, Voice
from reelwright.media.music.synth import (
    SR,
    Audio,
    hz,
    pan_gains,
    place,
    response,
    reverb_impulse,
    ring_spectrum,
    seconds,
    soft_limit,
    wobble,
)

Spectrum = NDArray[np.complex128]


def render(arrangement: Arrangement, seed: int = 0) -> Audio:
    """The arrangement as a ``(n, 2)`` float array, exactly ``bars`` long, mastered."""
    n = int(round(arrangement.seconds * SR))
    per_beat = n / arrangement.beats
    by_voice: dict[str, list[Note]] = {name: [] for name in arrangement.voices}
    for note in arrangement.notes:
        by_voice[note.voice].append(note)
    duck = _duck_curve(n, per_beat, by_voice.get("kick", []))
    bins = n // 2 + 1
    dry = np.zeros((bins, 2), dtype=np.complex128)
    send = np.zeros((bins, 2), dtype=np.complex128)
    for name, voice in arrangement.voices.items():
        ring = _lay_notes(voice, by_voice[name], n, per_beat, arrangement.tempo)
        if voice.duck:
            ring *= (1.0 - voice.duck * duck)[:, None]
        if voice.wobble_cents:
            loop_seconds = n / SR
            cycles = (max(1, round(loop_seconds * 0.45)), max(1, round(loop_seconds * 1.3)))
            ring = wobble(ring, voice.wobble_cents, cycles)
        spectrum = np.fft.rfft(ring, axis=0) * voice.gain
        if voice.low_cut or voice.high_cut:
            spectrum *= response(n, voice.low_cut, voice.high_cut)[:, None]
        dry += spectrum
        send += spectrum * voice.reverb
    impulse = reverb_impulse(arrangement.reverb_seconds, seed + 7)
    mix = dry + send * ring_spectrum(impulse, n) * arrangement.reverb_mix
    if arrangement.vinyl_db is not None:
        crackle = np.fft.rfft(vinyl(n, seed + 3, 1.0), axis=0)
        gain = _energy(mix) / _energy(crackle) * 10 ** (arrangement.vinyl_db / 20)
        mix += crackle * gain
    mix *= response(n, 28.0, arrangement.master_high_cut)[:, None]
    return soft_limit(np.fft.irfft(mix, n=n, axis=0), arrangement.loudness_db)


def _lay_notes(voice: Voice, notes: list[Note], n: int, per_beat: float, tempo: float) -> Audio:
    """Every note of one voice, panned and placed on the loop ring (dry, before filters)."""
    ring = np.zeros((n, 2))
    cache: dict[tuple[int, int, int], Audio] = {}
    beat_seconds = 60.0 / tempo
    for note in notes:
        gate_ms = int(round(note.beats * beat_seconds * 1000))
        # Timbre follows velocity in tenths (so repeated notes share one render); loudness
        # follows it exactly.
        level = max(1, int(round(note.velocity * 10)))
        key = (note.pitch, gate_ms, level)
        sound = cache.get(key)
        if sound is None:
            sound = voice.instrument(hz(note.pitch), gate_ms / 1000.0, level / 10.0)
            cache[key] = sound
        left, right = pan_gains(voice.pan + note.pan)
        trim = note.velocity / (level / 10.0)
        left, right = left * trim, right * trim
        if sound.ndim == 1:
            stereo = np.stack([sound * left, sound * right], axis=1)
        else:
            stereo = sound * np.array([left, right])
        place(ring, stereo, int(round(note.start * per_beat)))
    return ring


def _duck_curve(n: int, per_beat: float, kicks: list[Note]) -> Audio:
    """1 right after each kick, falling back to 0: how far sidechained voices dip."""
    curve = np.zeros(n)
    if not kicks:
        return curve
    length = seconds(0.28)
    t = np.arange(length) / SR
    shape = np.minimum(t / 0.004, 1.0) * np.exp(-t / 0.09)
    shape[-seconds(0.02):] *= np.linspace(1.0, 0.0, seconds(0.02))
    for note in kicks:
        place(curve, shape * note.velocity, int(round(note.start * per_beat)))
    return np.minimum(curve, 1.0)


def _energy(spectrum: Spectrum) -> float:
    """RMS-like size of a signal from its rfft (Parseval, up to a constant that cancels)."""
    return float(np.sqrt(np.sum(np.abs(spectrum) ** 2))) or 1.0
