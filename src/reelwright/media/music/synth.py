"""Sound-making building blocks: oscillators, envelopes, filters, reverb and the master limiter.

Everything is vectorised numpy. Whole-loop processing is *circular*: a loop of ``n`` samples is
treated as a ring, so filters, reverb tails and wobble wrap from the end back onto the start and
the loop plays seamlessly when repeated.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

SR = 44100
Audio = NDArray[np.float64]

_TABLE_SIZE = 16384
_HARMONIC_CEILING_HZ = 16000.0


def hz(pitch: float) -> float:
    """Frequency of a MIDI pitch (69 = A4 = 440 Hz)."""
    return float(440.0 * 2.0 ** ((pitch - 69.0) / 12.0))


def seconds(n: float) -> int:
    return int(round(n * SR))


# --- oscillators -----------------------------------------------------------------------------

@lru_cache(maxsize=256)
def _table(shape: str, harmonics: int) -> Audio:
    k = np.arange(1, harmonics + 1, dtype=np.float64)
    if shape == "saw":
        amps = 1.0 / k
    elif shape == "square":
        amps = np.where(k % 2 == 1, 1.0 / k, 0.0)
    elif shape == "soft":  # a rounded, flute/pad-like spectrum
        amps = 1.0 / k**2.2
    else:
        raise ValueError(f"unknown wave shape {shape!r}")
    phase = np.arange(_TABLE_SIZE) / _TABLE_SIZE
    table = (amps[:, None] * np.sin(2 * np.pi * k[:, None] * phase[None, :])).sum(axis=0)
    result: Audio = table / np.abs(table).max()
    return result


def wavetable(shape: str, freq: float, n: int, *, cents: float = 0.0,
              vibrato_hz: float = 0.0, vibrato_cents: float = 0.0, phase: float = 0.0,
              ceiling_hz: float = 16000.0) -> Audio:
    """A band-limited saw/square/soft oscillator: no harmonic above ``ceiling_hz`` (no
    aliasing; a lower ceiling gives a darker, smoother tone)."""
    f = freq * 2.0 ** (cents / 1200.0)
    harmonics = int(max(1, min(64, min(ceiling_hz, _HARMONIC_CEILING_HZ) // max(f, 1.0))))
    table = _table(shape, harmonics)
    if vibrato_cents:
        t = np.arange(n) / SR
        # Vibrato fades in, as a player's would.
        depth = vibrato_cents / 1200.0 * np.log(2) * np.minimum(1.0, t / 0.6)
        inst = f * (1.0 + depth * np.sin(2 * np.pi * vibrato_hz * t))
        cycles = phase + np.cumsum(inst) / SR
    else:
        cycles = phase + (f / SR) * np.arange(n)
    # A large table read at the nearest entry: error below -70 dB, half the work of lerping.
    index = (cycles * _TABLE_SIZE).astype(np.int64) & (_TABLE_SIZE - 1)
    out: Audio = table[index]
    return out


def partials(freq: float, n: int, amps: tuple[float, ...], decays: tuple[float, ...],
             *, stretch: float = 0.0) -> Audio:
    """Additive tone: harmonic k has amplitude ``amps[k]`` and decays with time constant
    ``decays[k]`` seconds, so the sound darkens as it rings (piano, pluck, mallet)."""
    t = np.arange(n) / SR
    out = np.zeros(n)
    for k, (amp, tau) in enumerate(zip(amps, decays, strict=True), start=1):
        fk = freq * k * (1.0 + stretch * k * k)
        if fk >= SR / 2 * 0.9 or amp == 0.0:
            continue
        m = min(n, seconds(7.0 * tau))  # past 7 time constants it is below -60 dB
        out[:m] += amp * np.sin(2 * np.pi * fk * t[:m]) * np.exp(-t[:m] / tau)
    return out


def noise(n: int, seed: int) -> Audio:
    return np.random.default_rng(seed).standard_normal(n)


# --- envelopes -------------------------------------------------------------------------------

def adsr(gate: int, attack: float, decay: float, sustain: float, release: float) -> Audio:
    """Envelope of ``gate`` samples plus a release tail that lands exactly on zero.

    The attack is a raised-cosine ramp and the release a smooth cubic fade, so no note clicks.
    """
    gate = max(gate, 1)
    t = np.arange(gate) / SR
    a = max(attack, 0.002)
    rise = 0.5 - 0.5 * np.cos(np.pi * np.minimum(t / a, 1.0))
    fall = sustain + (1.0 - sustain) * np.exp(-np.maximum(t - a, 0.0) / max(decay, 1e-3))
    body = rise * fall
    r = max(seconds(release), 16)
    x = np.linspace(0.0, 1.0, r, endpoint=False)
    tail = body[-1] * (1.0 - x) ** 3
    return np.concatenate([body, tail])


def fade_out(signal: Audio, length: float) -> Audio:
    """The last ``length`` seconds eased to exactly zero (ends one-shot samples cleanly)."""
    r = min(len(signal), seconds(length))
    if r > 0:
        signal = signal.copy()
        ramp = 0.5 + 0.5 * np.cos(np.linspace(0.0, np.pi, r))
        signal[-r:] *= ramp if signal.ndim == 1 else ramp[:, None]
    return signal


def attack_in(signal: Audio, length: float = 0.003) -> Audio:
    r = min(len(signal), max(seconds(length), 2))
    signal = signal.copy()
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, r))
    signal[:r] *= ramp if signal.ndim == 1 else ramp[:, None]
    return signal


# --- filters (zero-phase, in the frequency domain; circular over the signal) ----------------

def response(n: int, low: float | None, high: float | None, order: int = 2) -> Audio:
    """Gain per ``rfft`` bin of an ``n``-sample signal for :func:`band`'s filter."""
    f = np.fft.rfftfreq(n, 1.0 / SR)
    gain = np.ones_like(f)
    if high is not None:  # low-pass at ``high`` Hz
        gain /= np.sqrt(1.0 + (f / high) ** (2 * order))
    if low is not None:  # high-pass at ``low`` Hz
        with np.errstate(divide="ignore"):
            ratio = np.where(f > 0, low / np.maximum(f, 1e-9), np.inf)
        gain /= np.sqrt(1.0 + ratio ** (2 * order))
    return gain


def band(signal: Audio, low: float | None = None, high: float | None = None,
         order: int = 2) -> Audio:
    """Butterworth-shaped high-pass above ``low`` and/or low-pass below ``high`` Hz.

    Works on mono ``(n,)`` or stereo ``(n, 2)`` signals and wraps around the ends, which is
    what a loop wants.
    """
    n = signal.shape[0]
    gain = response(n, low, high, order)
    spectrum = np.fft.rfft(signal, axis=0)
    spectrum *= gain if signal.ndim == 1 else gain[:, None]
    out: Audio = np.fft.irfft(spectrum, n=n, axis=0)
    return out


def reverb_impulse(rt60: float, seed: int, *, predelay: float = 0.018,
                   damping_hz: float = 3500.0) -> Audio:
    """A stereo room impulse: a few early reflections then decaying noise whose treble dies
    faster than its bass (like real rooms). Left and right use different noise (width)."""
    n = seconds(rt60 * 1.1 + predelay)
    t = np.arange(n) / SR
    rng = np.random.default_rng(seed)
    ir = np.zeros((n, 2))
    late = np.maximum(t - predelay, 0.0)
    onset = np.minimum(late / 0.03, 1.0)
    for ch in range(2):
        dark = band(rng.standard_normal(n), high=damping_hz, order=1) * np.exp(-6.9 * late / rt60)
        bright = rng.standard_normal(n) * np.exp(-6.9 * late / (rt60 * 0.35))
        ir[:, ch] = (dark + 0.35 * bright) * onset * (t >= predelay)
        for _ in range(6):
            tap = seconds(predelay * rng.uniform(0.3, 1.0))
            ir[tap, ch] += rng.uniform(0.3, 0.8) * rng.choice([-1.0, 1.0]) * 3.0
    ir = fade_out(ir, 0.05)
    ir /= np.sqrt((ir**2).sum(axis=0, keepdims=True))
    return ir


def ring_spectrum(impulse: Audio, n: int) -> NDArray[np.complex128]:
    """``rfft`` of an impulse response wrapped onto an ``n``-sample ring: multiplying a loop's
    spectrum by it convolves the loop circularly (tails come back in at the start)."""
    if impulse.shape[0] > n:
        folded = np.zeros((n, *impulse.shape[1:]))
        for start in range(0, impulse.shape[0], n):
            chunk = impulse[start:start + n]
            folded[: len(chunk)] += chunk
        impulse = folded
    spectrum: NDArray[np.complex128] = np.fft.rfft(impulse, n=n, axis=0)
    return spectrum


def wobble(signal: Audio, depth_cents: float, cycles: tuple[int, ...]) -> Audio:
    """Tape wow: a tiny time-varying delay. ``cycles`` are whole LFO periods per loop, so the
    wobble is itself seamless."""
    n = signal.shape[0]
    i0, frac = _wobble_taps(n, depth_cents, cycles)
    weight = frac[:, None] if signal.ndim == 2 else frac
    out: Audio = signal[i0] * (1.0 - weight) + signal[(i0 + 1) % n] * weight
    return out


@lru_cache(maxsize=4)
def _wobble_taps(n: int, depth_cents: float,
                 cycles: tuple[int, ...]) -> tuple[NDArray[np.int64], Audio]:
    t = np.arange(n) / n
    delay = np.zeros(n)
    for i, c in enumerate(cycles):
        rate_hz = c * SR / n
        # Pitch deviation is the delay's slope: choose the amplitude that gives depth_cents.
        amp = (depth_cents / 1731.0) / (2 * np.pi * rate_hz) / (i + 1)
        delay += amp * np.sin(2 * np.pi * c * t + i)
    pos = np.arange(n) - delay * SR
    i0 = np.floor(pos).astype(np.int64)
    return i0 % n, pos - i0


# --- placement and mastering -------------------------------------------------------------------

def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power pan (-1 left .. +1 right), normalised so centre is (1, 1)."""
    angle = (np.clip(pan, -1.0, 1.0) + 1.0) * np.pi / 4
    return float(np.cos(angle) * np.sqrt(2)), float(np.sin(angle) * np.sqrt(2))


def place(ring: Audio, sound: Audio, start: int) -> None:
    """Add ``sound`` into the loop ``ring`` at ``start``; what runs past the end wraps round."""
    n = ring.shape[0]
    pos = start % n
    offset = 0
    while offset < len(sound):
        take = min(len(sound) - offset, n - pos)
        ring[pos:pos + take] += sound[offset:offset + take]
        offset += take
        pos = 0


def soft_limit(signal: Audio, rms_db: float, ceiling_db: float = -1.5) -> Audio:
    """Bring the mix to ``rms_db`` dBFS RMS and round off peaks with a tanh knee so nothing
    passes ``ceiling_db``: a gentle limiter, sample-wise, so the loop stays seamless."""
    signal = signal - signal.mean(axis=0, keepdims=True)
    rms = float(np.sqrt(np.mean(signal**2)))
    if rms == 0.0:
        return signal
    signal = signal * (10 ** (rms_db / 20) / rms)
    ceiling = 10 ** (ceiling_db / 20)
    knee = ceiling * 0.6
    over = np.abs(signal) > knee
    peaks = signal[over]
    signal[over] = np.sign(peaks) * (knee + (ceiling - knee) * np.tanh(
        (np.abs(peaks) - knee) / (ceiling - knee)))
    out: Audio = signal
    return out
