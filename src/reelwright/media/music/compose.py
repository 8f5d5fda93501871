"""The four built-in pieces: a key, tempo, progression, parts and mix for each mood.

Every piece is a whole number of bars; the last bar leads back into the first (the progressions
end on a chord that resolves to the opening one), so the loop sounds composed, not cut.
Tempos are chosen so a loop is an FFT-friendly number of samples (renders stay fast).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reelwright.media.music import instruments as inst
from reelwright.media.music.score import Arrangement, Note, Voice
from reelwright.media.music.theory import (
    Chord,
    Key,
    Slot,
    melody,
    pitch,
    voice_progression,
)


def _rootless(chord: Chord) -> Chord:
    """Jazz keys voicing: leave the root to the bass when the chord has four or more notes."""
    if len(chord.intervals) < 4:
        return chord
    return Chord(chord.root, chord.intervals[1:], chord.name)


def _swing(beat: float, ratio: float) -> float:
    """Delay off-beat eighths: ``ratio`` 0.5 is straight, 0.667 triplet swing."""
    whole, frac = divmod(beat, 1.0)
    return whole + ratio if abs(frac - 0.5) < 1e-6 else beat


class _Humaniser:
    """Tiny, seeded timing and velocity variation so parts breathe like players."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def time(self, beat: float, spread: float = 0.008) -> float:
        return beat + float(self.rng.normal(0.0, spread))

    def vel(self, velocity: float, spread: float = 0.05) -> float:
        return float(np.clip(velocity + self.rng.normal(0.0, spread), 0.05, 1.0))


def _melody_notes(voice_name: str, chords: list[Chord], key: Key, rhythm: list[Slot],
                  low: int, high: int, seed: int, offset_beats: float, human: _Humaniser,
                  velocity: float, swing: float = 0.5) -> list[Note]:
    line = melody(chords, key, rhythm, 4.0, low, high, seed)
    # Notes off the strong beats (1 and 3) are played a little softer, as a singer would.
    return [Note(voice_name, human.time(_swing(offset_beats + start, swing)), beats, p,
                 human.vel(velocity - (0.1 if (start % 2) else 0.0)))
            for start, beats, p in line]


def calm(seed: int = 0) -> Arrangement:
    """Soft piano and pad in F major, 72 BPM: Fmaj7 - Dm7 - Bbmaj7 - C, three times."""
    key = Key(pitch("F3"))
    chords = [key.chord(c) for c in ("Imaj7", "vi7", "IVmaj7", "V")] * 3
    human = _Humaniser(seed + 1)
    notes: list[Note] = []
    pads = voice_progression(chords, 53, 70)
    hands = voice_progression(chords, 60, 79)
    for bar, (chord, pad_voicing, hand) in enumerate(zip(chords, pads, hands, strict=True)):
        b = bar * 4.0
        notes += [Note("pad", b, 4.0, p, 0.5) for p in pad_voicing]
        notes.append(Note("bass", b, 3.6, chord.bass(36), 0.45))
        notes.append(Note("piano", human.time(b), 1.8, chord.bass(43), human.vel(0.45)))
        order = [0, 1, 2, len(hand) - 1, 2, 1, 2, 1] if bar % 2 == 0 else [0, 2, 1, 3, 2, 1, 2, 3]
        for i, idx in enumerate(order[1:], start=1):
            p = hand[min(idx, len(hand) - 1)]
            notes.append(Note("piano", human.time(b + i * 0.5), 1.0, p,
                              human.vel(0.42 if i % 2 == 0 else 0.32), pan=0.15))
    rhythm = [Slot(0, 1.5), Slot(1.5, 0.5, False), Slot(2, 1.5), Slot(3.5, 0.5, False),
              Slot(4, 3), Slot(7, 1, False)]
    notes += _melody_notes("melody", chords[4:], key, rhythm, 72, 86, seed + 5, 16.0, human, 0.6)
    voices = {
        "pad": Voice(inst.pad, gain=0.55, reverb=0.35, high_cut=2500.0),
        "bass": Voice(inst.sub_bass, gain=0.4, reverb=0.05, high_cut=400.0),
        "piano": Voice(inst.piano, gain=0.25, pan=-0.1, reverb=0.4),
        "melody": Voice(inst.piano, gain=0.9, pan=0.1, reverb=0.45),
    }
    return Arrangement(tempo=72, bars=12, voices=voices, notes=notes, reverb_seconds=3.0,
                       reverb_mix=0.9, loudness_db=-21.0, master_high_cut=9000.0)


def lofi(seed: int = 0) -> Arrangement:
    """Dusty lo-fi in Eb, 84 BPM: ii9 - V9 - Imaj9 - vi7 on warm keys, swung boom-bap."""
    key = Key(pitch("Eb3"))
    chords = [key.chord(c) for c in ("ii9", "V9", "Imaj9", "vi7")] * 3
    swing = 0.62
    human = _Humaniser(seed + 2)
    notes: list[Note] = []
    keys = voice_progression([_rootless(c) for c in chords], 55, 74)
    comping = ([(0.0, 1.4, 0.55), (1.5, 0.35, 0.35), (2.5, 1.3, 0.5)],
               [(0.0, 2.2, 0.55), (2.5, 0.4, 0.35), (3.5, 0.45, 0.4)])
    for bar, (chord, voicing) in enumerate(zip(chords, keys, strict=True)):
        b = bar * 4.0
        for start, beats, vel in comping[bar % 2]:
            t = human.time(_swing(b + start, swing), 0.012)
            notes += [Note("keys", t + i * 0.012, beats, p, human.vel(vel)) for i, p in
                      enumerate(voicing)]
        root = chord.bass(39)
        nxt = chords[(bar + 1) % len(chords)].bass(39)
        approach = nxt - 1 if nxt - 1 >= 36 else nxt + 1
        for start, beats, p, vel in ((0.0, 1.2, root, 0.7), (1.5, 0.4, root, 0.45),
                                     (2.5, 0.9, root + 7, 0.6), (3.5, 0.4, approach, 0.5)):
            notes.append(Note("bass", human.time(_swing(b + start, swing)), beats, p,
                              human.vel(vel)))
        kicks = [0.0, 2.5] + ([1.75] if bar % 4 == 3 else []) + ([3.5] if bar % 2 else [])
        notes += [Note("kick", human.time(_swing(b + k, swing), 0.005), 0.1, 36,
                       human.vel(0.85 if k == 0 else 0.65)) for k in kicks]
        notes += [Note("snare", human.time(b + s, 0.01), 0.1, 38, human.vel(0.7)) for s in (1, 3)]
        for step in range(8):
            accent = 0.55 if step % 2 == 0 else 0.32
            notes.append(Note("hat", human.time(_swing(b + step * 0.5, swing), 0.008), 0.1, 42,
                              human.vel(accent, 0.08), pan=0.2))
    rhythm = [Slot(0.5, 1.0), Slot(1.5, 0.5, False), Slot(2, 1.5), Slot(4, 0.5, False),
              Slot(4.5, 0.5), Slot(5, 2.5)]
    notes += _melody_notes("lead", chords[4:], key, rhythm, 70, 84, seed + 6, 16.0, human, 0.55,
                           swing)
    voices = {
        "keys": Voice(inst.electric_piano, gain=0.5, reverb=0.25, high_cut=2600.0,
                      wobble_cents=9.0),
        "bass": Voice(inst.sub_bass, gain=0.48, reverb=0.0, high_cut=700.0),
        "kick": Voice(inst.kick, gain=0.6, reverb=0.03, high_cut=3000.0),
        "snare": Voice(inst.rim, gain=2.6, pan=-0.05, reverb=0.18, high_cut=5000.0),
        "hat": Voice(inst.hat, gain=2.5, reverb=0.08),
        "lead": Voice(inst.bell, gain=1.15, pan=0.2, reverb=0.35, high_cut=3200.0,
                      wobble_cents=9.0),
    }
    return Arrangement(tempo=84, bars=12, voices=voices, notes=notes, reverb_seconds=1.6,
                       reverb_mix=0.8, loudness_db=-19.0, master_high_cut=7000.0,
                       vinyl_db=-30.0)


def upbeat(seed: int = 0) -> Arrangement:
    """Bright pop in G, 120 BPM: I - V - vi - IV with four-on-the-floor, clap, plucked bass,
    a sixteenth-note pluck arpeggio and a bell lead every other pass."""
    key = Key(pitch("G3"))
    chords = [key.chord(c) for c in ("Iadd9", "V", "vi7", "IVmaj7")] * 4
    human = _Humaniser(seed + 3)
    notes: list[Note] = []
    pads = voice_progression(chords, 55, 72)
    arps = voice_progression([Chord(c.root, c.intervals[:3]) for c in chords], 64, 76)
    arp_pattern = (0, 1, 2, 3, 4, 5, 4, 3, 1, 2, 3, 4, 5, 4, 3, 2)
    bass_pattern = (0, 0, 12, 0, 0, 12, 0, 7)
    for bar, (chord, pad_voicing, arp) in enumerate(zip(chords, pads, arps, strict=True)):
        b = bar * 4.0
        notes += [Note("pad", b, 3.9, p, 0.5) for p in pad_voicing]
        ladder = list(arp) + [p + 12 for p in arp]
        for step, idx in enumerate(arp_pattern):
            vel = 0.75 if step % 4 == 0 else 0.5
            notes.append(Note("arp", b + step * 0.25, 0.2, ladder[idx], human.vel(vel),
                              pan=0.35 if step % 2 else -0.35))
        root = chord.bass(36)
        for step, interval in enumerate(bass_pattern):
            notes.append(Note("bass", b + step * 0.5, 0.4, root + interval,
                              0.85 if step % 2 == 0 else 0.6))
        notes += [Note("kick", b + beat, 0.1, 36, 0.95) for beat in range(4)]
        notes += [Note("clap", human.time(b + beat, 0.004), 0.1, 39, 0.8) for beat in (1, 3)]
        for step in range(16):
            if step % 4 == 0:
                continue
            open_hat = step == 14 and bar % 2 == 1
            vel = 0.7 if step % 2 == 0 else 0.35
            notes.append(Note("hat", b + step * 0.25, 0.5 if open_hat else 0.1, 42,
                              human.vel(vel), pan=0.25))
        if bar % 8 == 7:  # a snare fill rolls back into the top of the loop
            notes += [Note("snare", b + 2 + i * 0.25, 0.1, 38, 0.35 + 0.07 * i) for i in range(8)]
    rhythm = [Slot(0, 1), Slot(1, 0.5, False), Slot(1.5, 1), Slot(2.5, 0.5, False), Slot(3, 1),
              Slot(4, 0.5), Slot(4.5, 0.5, False), Slot(5, 1.5), Slot(6.5, 1.5, False)]
    for start_bar in (4, 12):
        notes += _melody_notes("lead", chords[start_bar:start_bar + 4], key, rhythm, 74, 88,
                               seed + 7, start_bar * 4.0, human, 0.8)
    voices = {
        "pad": Voice(inst.pad, gain=0.4, reverb=0.25, high_cut=3500.0, duck=0.5),
        "arp": Voice(inst.pluck, gain=0.36, reverb=0.25, low_cut=200.0, duck=0.2),
        "bass": Voice(inst.pluck_bass, gain=0.54, reverb=0.0, high_cut=2500.0, duck=0.45),
        "kick": Voice(inst.kick, gain=0.6, reverb=0.02),
        "clap": Voice(inst.clap, gain=2.4, reverb=0.3),
        "snare": Voice(inst.snare, gain=1.0, reverb=0.25),
        "hat": Voice(inst.hat, gain=1.4, reverb=0.05),
        "lead": Voice(inst.bell, gain=1.0, pan=-0.1, reverb=0.3),
    }
    return Arrangement(tempo=120, bars=16, voices=voices, notes=notes, reverb_seconds=1.4,
                       reverb_mix=0.7, loudness_db=-17.0)


def cinematic(seed: int = 0) -> Arrangement:
    """A slow D minor swell, 64 BPM: i - VI - III - VII - i - VI - iv - V on strings, a horn
    line, timpani, and an ostinato in the second half; the V rolls back into the i."""
    key = Key(pitch("D3"), "minor")
    chords = [key.chord(c) for c in ("i", "VI", "III", "VII", "i", "VI", "iv", "V")]
    human = _Humaniser(seed + 4)
    notes: list[Note] = []
    high = voice_progression(chords, 60, 79)
    mid = voice_progression(chords, 48, 64)
    for bar, (chord, top, middle) in enumerate(zip(chords, high, mid, strict=True)):
        b = bar * 4.0
        swell = 0.55 + 0.35 * (bar % 4) / 3
        notes += [Note("strings", b, 4.0, p, swell) for p in top]
        notes += [Note("strings", b, 4.0, p, swell * 0.9, pan=-0.3) for p in middle]
        notes.append(Note("low", b, 4.0, chord.bass(33), 0.8))
        if bar % 2 == 0:
            notes.append(Note("timpani", b, 0.1, chord.bass(38), 0.9))
        if bar >= 4:
            root = chord.bass(45)
            for step, interval in enumerate((0, 12, 7, 12, 0, 12, 7, 10 if bar == 6 else 12)):
                notes.append(Note("ostinato", b + step * 0.5, 0.25, root + interval,
                                  human.vel(0.75 if step % 2 == 0 else 0.5)))
    last = (len(chords) - 1) * 4.0
    roll_pitch = chords[-1].bass(33)
    notes += [Note("timpani", last + 2 + i * 0.25, 0.1, roll_pitch, 0.25 + 0.06 * i)
              for i in range(8)]
    rhythm = [Slot(0, 3), Slot(3, 1, False), Slot(4, 2), Slot(6, 1, False), Slot(7, 1)]
    notes += _melody_notes("horn", chords, key, rhythm, 62, 77, seed + 8, 0.0, human, 0.75)
    voices = {
        "strings": Voice(inst.strings, gain=0.95, reverb=0.5, high_cut=2200.0, low_cut=90.0),
        "low": Voice(inst.low_strings, gain=1.15, reverb=0.2, high_cut=700.0),
        "timpani": Voice(inst.timpani, gain=0.47, reverb=0.35, high_cut=2000.0),
        "ostinato": Voice(inst.spiccato, gain=2.2, pan=0.25, reverb=0.3, high_cut=3000.0),
        "horn": Voice(inst.brass, gain=1.1, pan=0.1, reverb=0.45),
    }
    return Arrangement(tempo=64, bars=8, voices=voices, notes=notes, reverb_seconds=3.8,
                       reverb_mix=1.0, loudness_db=-19.0, master_high_cut=12000.0)


ARRANGERS: dict[str, Callable[[int], Arrangement]] = {
    "upbeat": upbeat,
    "calm": calm,
    "lofi": lofi,
    "cinematic": cinematic,
}
