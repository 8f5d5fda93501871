"""Instruments: each turns (frequency in Hz, gate in seconds, velocity 0..1) into one note.

A note comes back mono ``(n,)`` or stereo ``(n, 2)``, starts from silence and ends on exact
zero (so placing it anywhere never clicks). Drums ignore the frequency. Noise is seeded from
the note itself, so the same note always sounds the same (deterministic renders).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reelwright.media.music.synth import (
    SR,
    Audio,
    adsr,
    attack_in,
    band,
    fade_out,
    noise,
    partials,
    seconds,
    wavetable,
)

Instrument = Callable[[float, float, float], Audio]


def _stable_seed(freq: float, tag: int) -> int:
    # hash() of floats is stable across runs (unlike str hashes), but keep it explicit.
    return (int(freq * 1000) * 7919 + tag) % (2**31)


# --- keys -------------------------------------------------------------------------------------

def piano(freq: float, gate: float, velocity: float) -> Audio:
    """A soft felt piano: two slightly detuned strings, treble fading faster than the body,
    a little hammer thump, dampers that close when the key lifts."""
    ring = min(gate + 0.6, 5.0)
    n = seconds(ring)
    bright = 0.5 + 0.5 * velocity
    amps = (1.0, 0.55 * bright, 0.3 * bright, 0.18 * bright, 0.1 * bright, 0.06 * bright, 0.03)
    body = 1.6 * (262.0 / freq) ** 0.35
    decays = tuple(body / (1.0 + 0.9 * k) for k in range(7))
    tone = partials(freq, n, amps, decays, stretch=0.0002)
    tone += 0.6 * partials(freq * 1.0012, n, amps[:3], decays[:3], stretch=0.0002)
    thump = band(noise(seconds(0.03), _stable_seed(freq, 1)), 80.0, 1200.0)
    tone[: len(thump)] += 0.08 * thump * np.exp(-np.arange(len(thump)) / (SR * 0.006))
    damper = np.ones(n)
    lift = min(seconds(gate), n)
    release = np.exp(-np.arange(n - lift) / (SR * 0.12))
    damper[lift:] = release
    return fade_out(attack_in(tone * damper, 0.004), 0.05) * 0.5


def electric_piano(freq: float, gate: float, velocity: float) -> Audio:
    """Warm tine keys (lo-fi): FM bell that mellows, two voices detuned and spread in stereo."""
    n = seconds(min(gate + 0.5, 4.0))
    t = np.arange(n) / SR
    index = (0.6 + 1.2 * velocity) * np.exp(-t / 0.35)
    env = adsr(seconds(gate), 0.004, 1.4, 0.35, 0.45)[:n]
    env = np.pad(env, (0, n - len(env)))
    out = np.zeros((n, 2))
    for ch, cents in enumerate((-7.0, 7.0)):
        f = freq * 2 ** (cents / 1200)
        mod = index * np.sin(2 * np.pi * f * t)
        voice = np.sin(2 * np.pi * f * t + mod)
        voice += 0.08 * np.sin(2 * np.pi * f * 7.0 * t) * np.exp(-t / 0.05)
        out[:, ch] = voice * env
    return fade_out(out, 0.03) * 0.35


def pad(freq: float, gate: float, velocity: float) -> Audio:
    """A soft, slow pad: three detuned rounded voices, the outer two panned apart."""
    env = adsr(seconds(gate), 0.9, 1.5, 0.8, 1.6)
    n = len(env)
    out = np.zeros((n, 2))
    mid = wavetable("soft", freq, n, vibrato_hz=4.5, vibrato_cents=4.0)
    out += mid[:, None] * 0.6
    out[:, 0] += wavetable("soft", freq, n, cents=-9.0, phase=0.3)
    out[:, 1] += wavetable("soft", freq, n, cents=9.0, phase=0.7)
    return out * env[:, None] * 0.18 * (0.6 + 0.4 * velocity)


def strings(freq: float, gate: float, velocity: float) -> Audio:
    """A string section: detuned band-limited saws with vibrato, slow bow attack, long release.
    Meant to be low-passed at the bus (which takes the buzz off)."""
    env = adsr(seconds(gate), 1.1, 2.0, 0.85, 2.2)
    n = len(env)
    out = np.zeros((n, 2))
    for i, (cents, left) in enumerate(((-10.0, 1.0), (0.0, 0.6), (10.0, 0.25))):
        voice = wavetable("saw", freq, n, cents=cents, vibrato_hz=4.8 + 0.3 * i,
                          vibrato_cents=6.0, phase=0.23 * i, ceiling_hz=6000.0)
        out[:, 0] += left * voice
        out[:, 1] += (1.25 - left) * voice
    return out * env[:, None] * 0.13 * (0.5 + 0.5 * velocity)


def brass(freq: float, gate: float, velocity: float) -> Audio:
    """A horn-like lead: square-ish tone whose brightness follows the breath (velocity)."""
    env = adsr(seconds(gate), 0.12, 0.6, 0.8, 0.7)
    n = len(env)
    tone = wavetable("saw", freq, n, vibrato_hz=5.0, vibrato_cents=8.0, ceiling_hz=5000.0)
    tone += 0.5 * wavetable("square", freq, n, cents=3.0, ceiling_hz=5000.0)
    tone = band(tone, 90.0, 900.0 + 1800.0 * velocity, order=2)
    return tone * env * 0.22


# --- plucked ----------------------------------------------------------------------------------

def pluck(freq: float, gate: float, velocity: float) -> Audio:
    """A bright synth pluck: many harmonics that decay fast, the fundamental lingers."""
    n = seconds(min(gate + 0.35, 1.2))
    amps = (1.0, 0.7, 0.5, 0.38, 0.3, 0.22, 0.16, 0.12, 0.09)
    decays = tuple(0.32 / (1.0 + 0.7 * k) for k in range(9))
    tone = partials(freq, n, amps, decays)
    return fade_out(attack_in(tone, 0.002), 0.04) * (0.25 + 0.2 * velocity)


def bell(freq: float, gate: float, velocity: float) -> Audio:
    """A glassy mallet for leads: slightly inharmonic partials, long shimmer."""
    n = seconds(min(gate + 0.9, 2.5))
    t = np.arange(n) / SR
    tone = np.sin(2 * np.pi * freq * t) * np.exp(-t / 0.8)
    tone += 0.35 * np.sin(2 * np.pi * freq * 2.0 * t) * np.exp(-t / 0.35)
    tone += 0.12 * np.sin(2 * np.pi * freq * 3.01 * t) * np.exp(-t / 0.15)
    tone += 0.05 * np.sin(2 * np.pi * freq * 4.2 * t) * np.exp(-t / 0.06)
    return fade_out(attack_in(tone, 0.003), 0.08) * (0.18 + 0.14 * velocity)


def pluck_bass(freq: float, gate: float, velocity: float) -> Audio:
    """A punchy plucked bass: saw-like partials closing quickly onto a round sub."""
    n = seconds(gate + 0.08)
    amps = (1.0, 0.5, 0.33, 0.25, 0.2, 0.16)
    decays = (0.5, 0.12, 0.08, 0.06, 0.05, 0.04)
    tone = partials(freq, n, amps, decays)
    env = adsr(seconds(gate), 0.003, 0.3, 0.7, 0.06)[:n]
    return tone * np.pad(env, (0, n - len(env))) * (0.45 + 0.25 * velocity)


def sub_bass(freq: float, gate: float, velocity: float) -> Audio:
    """A round, soft bass (upright-ish thump then a warm sine)."""
    env = adsr(seconds(gate), 0.01, 0.6, 0.55, 0.25)
    n = len(env)
    t = np.arange(n) / SR
    tone = np.sin(2 * np.pi * freq * t) + 0.25 * np.sin(2 * np.pi * 2 * freq * t)
    tone += 0.1 * np.sin(2 * np.pi * 3 * freq * t) * np.exp(-t / 0.1)
    return tone * env * (0.4 + 0.25 * velocity)


def low_strings(freq: float, gate: float, velocity: float) -> Audio:
    """Cellos and basses: a dark saw with a bowed swell."""
    env = adsr(seconds(gate), 0.5, 1.5, 0.8, 1.4)
    n = len(env)
    tone = (wavetable("saw", freq, n, cents=-5.0, ceiling_hz=2500.0)
            + wavetable("saw", freq, n, cents=5.0, phase=0.5, ceiling_hz=2500.0))
    return tone * env * 0.16 * (0.5 + 0.5 * velocity)


def spiccato(freq: float, gate: float, velocity: float) -> Audio:
    """Short bowed strings for ostinatos."""
    env = adsr(seconds(min(gate, 0.18)), 0.012, 0.08, 0.3, 0.12)
    n = len(env)
    tone = (wavetable("saw", freq, n, cents=-6.0, ceiling_hz=5000.0)
            + wavetable("saw", freq, n, cents=6.0, phase=0.4, ceiling_hz=5000.0))
    return tone * env * 0.18 * (0.5 + 0.5 * velocity)


# --- drums ------------------------------------------------------------------------------------

def kick(freq: float, gate: float, velocity: float) -> Audio:
    """An electronic kick: a sine swept from ~160 Hz down to ~48 Hz, a soft beater click."""
    n = seconds(0.45)
    t = np.arange(n) / SR
    sweep = 48.0 + 115.0 * np.exp(-t / 0.03)
    body = np.sin(2 * np.pi * np.cumsum(sweep) / SR) * np.exp(-t / 0.16)
    click = band(noise(seconds(0.01), 11), 1000.0, 6000.0) * np.exp(-t[: seconds(0.01)] / 0.002)
    body[: len(click)] += 0.12 * click
    body = np.tanh(1.6 * body) / np.tanh(1.6)
    return fade_out(attack_in(body, 0.001), 0.05) * (0.5 + 0.5 * velocity)


def snare(freq: float, gate: float, velocity: float) -> Audio:
    n = seconds(0.3)
    t = np.arange(n) / SR
    tone = (np.sin(2 * np.pi * 185 * t) + 0.5 * np.sin(2 * np.pi * 330 * t)) * np.exp(-t / 0.05)
    rattle = band(noise(n, 21), 1500.0, 9000.0) * np.exp(-t / 0.09)
    out = 0.5 * tone + 0.45 * rattle
    return fade_out(attack_in(out, 0.001), 0.05) * (0.3 + 0.5 * velocity)


def clap(freq: float, gate: float, velocity: float) -> Audio:
    """Hand clap: three quick noise bursts then a short room tail."""
    n = seconds(0.35)
    t = np.arange(n) / SR
    burst = band(noise(n, 31), 900.0, 3500.0)
    env = np.exp(-np.maximum(t - 0.022, 0.0) / 0.11) * (t >= 0.022)
    for offset in (0.0, 0.009, 0.016):
        window = (t >= offset) & (t < offset + 0.007)
        env = env + window * np.exp(-(t - offset) / 0.003)
    return fade_out(attack_in(burst * env, 0.0005), 0.05) * 0.55 * (0.4 + 0.6 * velocity)


def hat(freq: float, gate: float, velocity: float) -> Audio:
    """Hi-hat: bright noise; the gate decides closed (short) or open (long)."""
    length = 0.045 if gate < 0.2 else 0.32
    n = seconds(length + 0.05)
    t = np.arange(n) / SR
    metal = band(noise(n, 41 if length < 0.2 else 43), 7000.0, 15000.0)
    return fade_out(attack_in(metal * np.exp(-t / (length / 3)), 0.0005), 0.02) * 0.3 * velocity


def rim(freq: float, gate: float, velocity: float) -> Audio:
    """A soft lo-fi snare: rim knock and a dusty brushed tail."""
    n = seconds(0.25)
    t = np.arange(n) / SR
    knock = np.sin(2 * np.pi * 420 * t) * np.exp(-t / 0.012)
    brush = band(noise(n, 51), 800.0, 5000.0) * np.exp(-t / 0.07)
    return fade_out(attack_in(0.4 * knock + 0.5 * brush, 0.001), 0.04) * (0.35 + 0.5 * velocity)


def timpani(freq: float, gate: float, velocity: float) -> Audio:
    """A timpani-like drum tuned to ``freq``: inharmonic membrane modes, felt mallet thud."""
    n = seconds(3.2)
    t = np.arange(n) / SR
    drop = 1.0 + 0.02 * np.exp(-t / 0.08)
    out = np.zeros(n)
    for ratio, amp, tau in ((1.0, 1.0, 1.2), (1.504, 0.5, 0.8), (1.742, 0.3, 0.5),
                            (2.0, 0.25, 0.45), (2.245, 0.12, 0.3)):
        phase = 2 * np.pi * freq * ratio * np.cumsum(drop) / SR
        out += amp * np.sin(phase) * np.exp(-t / tau)
    thud = band(noise(seconds(0.06), 61), 40.0, 600.0)
    out[: len(thud)] += 0.6 * thud * np.exp(-t[: len(thud)] / 0.015)
    return fade_out(attack_in(out, 0.002), 0.3) * (0.25 + 0.55 * velocity)


# --- texture ----------------------------------------------------------------------------------

def vinyl(n: int, seed: int, level: float) -> Audio:
    """A loop's worth of record noise: soft filtered hiss plus sparse crackles (stereo)."""
    rng = np.random.default_rng(seed)
    hiss = band(rng.standard_normal((n, 2)), 400.0, 5000.0, order=1) * 0.25
    pops = np.zeros((n, 2))
    count = int(n / SR * 6)
    where = rng.integers(0, n, count)
    pops[where, rng.integers(0, 2, count)] = rng.uniform(-1.0, 1.0, count) ** 3
    crackle = band(pops, 1000.0, 7000.0, order=1) * 6.0
    return (hiss + crackle) * level
