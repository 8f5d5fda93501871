"""Just enough music theory: keys, roman-numeral chords, voice-leading and melody lines."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
_NUMERALS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7}

# Intervals above the root; the case of the numeral picks major or minor.
_MAJOR_SHAPES = {"": (0, 4, 7), "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11), "9": (0, 4, 10, 14),
                 "maj9": (0, 4, 7, 11, 14), "add9": (0, 4, 7, 14), "sus4": (0, 5, 7)}
_MINOR_SHAPES = {"": (0, 3, 7), "7": (0, 3, 7, 10), "9": (0, 3, 7, 10, 14), "add9": (0, 3, 7, 14)}


def pitch(name: str) -> int:
    """MIDI number of a note name such as ``"C4"`` (60), ``"Eb3"`` or ``"F#2"``."""
    letter, rest = name[0].upper(), name[1:]
    value = _LETTERS[letter]
    while rest and rest[0] in "#b":
        value += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    return value + 12 * (int(rest) + 1)


@dataclass(frozen=True)
class Key:
    tonic: int  # MIDI pitch of the tonic in octave 3 or so; only its pitch class matters
    mode: str = "major"

    @property
    def scale(self) -> tuple[int, ...]:
        return tuple((self.tonic + step) % 12 for step in SCALES[self.mode])

    def chord(self, numeral: str) -> Chord:
        """A chord from a roman numeral in this key: ``Imaj7``, ``vi7``, ``ii9``, ``bVII``."""
        flat = numeral.startswith("b")
        body = numeral[1:] if flat else numeral
        roman = "".join(itertools.takewhile(lambda c: c.upper() in "IV", body))
        suffix = body[len(roman):]
        degree = _NUMERALS[roman.upper()]
        shapes = _MAJOR_SHAPES if roman.isupper() else _MINOR_SHAPES
        if suffix not in shapes:
            raise ValueError(f"unknown chord suffix in {numeral!r}")
        root = (self.tonic + SCALES[self.mode][degree - 1] - (1 if flat else 0)) % 12
        return Chord(root, shapes[suffix], numeral)


@dataclass(frozen=True)
class Chord:
    root: int  # pitch class
    intervals: tuple[int, ...]
    name: str = ""

    @property
    def tones(self) -> tuple[int, ...]:
        return tuple((self.root + i) % 12 for i in self.intervals)

    def bass(self, low: int) -> int:
        """The root as the lowest MIDI pitch at or above ``low``."""
        return low + (self.root - low) % 12


def voice(chord: Chord, low: int, high: int, previous: tuple[int, ...] | None) -> tuple[int, ...]:
    """Place the chord's tones between ``low`` and ``high`` moving as little as possible from
    ``previous`` (smooth voice-leading), avoiding muddy seconds in the low register."""
    options = [[p for p in range(low, high + 1) if p % 12 == pc] for pc in chord.tones]
    centre = (low + high) / 2
    best: tuple[int, ...] | None = None
    best_cost = float("inf")
    for combo in itertools.product(*options):
        notes = tuple(sorted(combo))
        if len(set(notes)) < len(notes) or notes[-1] - notes[0] > 19:
            continue
        cost: float
        if previous:
            cost = sum(min(abs(a - b) for b in previous) for a in notes)
            cost += sum(min(abs(a - b) for a in notes) for b in previous)
        else:
            cost = abs(float(np.mean(notes)) - centre) * 2
        cost += sum(3 for a, b in itertools.pairwise(notes) if b - a <= 2 and a < 60)
        if cost < best_cost:
            best, best_cost = notes, cost
    if best is None:
        raise ValueError(f"cannot voice {chord.name or chord.tones} between {low} and {high}")
    return best


def voice_progression(chords: list[Chord], low: int, high: int) -> list[tuple[int, ...]]:
    """Voice every chord, each led smoothly from the one before."""
    voiced: list[tuple[int, ...]] = []
    previous: tuple[int, ...] | None = None
    for chord in chords:
        previous = voice(chord, low, high, previous)
        voiced.append(previous)
    return voiced


@dataclass(frozen=True)
class Slot:
    """One melody note's rhythm: start and length in beats within its phrase; strong slots
    land on chord tones, weak ones may pass through the scale."""

    start: float
    beats: float
    strong: bool = True


def melody(chords: list[Chord], key: Key, rhythm: list[Slot], beats_per_chord: float,
           low: int, high: int, seed: int) -> list[tuple[float, float, int]]:
    """A singable line over ``chords``: returns ``(start_beat, beats, pitch)`` per note.

    Each phrase follows one of two seeded contours (mostly steps, the odd small leap), so the
    tune states a motif, answers it, and repeats it as a sequence over the next chords. Strong
    slots snap to chord tones; weak ones pass through the scale.
    """
    phrase_beats = max(slot.start + slot.beats for slot in rhythm)
    phrase_beats = float(np.ceil(phrase_beats / beats_per_chord) * beats_per_chord)
    total = len(chords) * beats_per_chord
    contours = [_contour(len(rhythm), np.random.default_rng(seed * 31 + i), 1 - 2 * i)
                for i in range(2)]
    prev = _nearest([p for p in range(low, high + 1) if p % 12 in chords[0].tones],
                    low + (high - low) * 0.45)
    notes: list[tuple[float, float, int]] = []
    phrase_start = 0.0
    phrase_index = 0
    while phrase_start < total - 1e-9:
        contour = contours[phrase_index % 2]
        for slot, step in zip(rhythm, contour, strict=True):
            start = phrase_start + slot.start
            if start >= total - 1e-9:
                break
            chord = chords[int(start // beats_per_chord) % len(chords)]
            palette = _palette(key, chord)
            ladder = [p for p in range(low - 12, high + 13) if p % 12 in palette]
            at = _nearest_index(ladder, prev)
            if not low <= ladder[min(max(at + step, 0), len(ladder) - 1)] <= high:
                step = -step  # turn back at the edge of the range
            wanted = ladder[min(max(at + step, 0), len(ladder) - 1)]
            if slot.strong:
                tones = [p for p in range(low, high + 1) if p % 12 in chord.tones and
                         (p != prev or step == 0)]
                aim = wanted + 0.3 * np.sign(step)
                wanted = min(tones, key=lambda p: (abs(p - aim) + 0.25 * abs(p - prev), p))
            notes.append((start, slot.beats, wanted))
            prev = wanted
        phrase_start += phrase_beats
        phrase_index += 1
    return notes


def _contour(length: int, rng: np.random.Generator, arch: int) -> list[int]:
    """Scale steps for one phrase: mostly seconds, some thirds; rising then falling when
    ``arch`` is 1 (falling then rising when -1), so each phrase comes home."""
    steps = []
    for i in range(length):
        direction = arch if i < length / 2 else -arch
        if rng.random() < 0.25:
            direction = -direction
        steps.append(direction * int(rng.choice([1, 1, 1, 2, 2, 3])))
    return steps


def _palette(key: Key, chord: Chord) -> set[int]:
    """Scale tones for passing notes, bent to fit chords that borrow from outside the key
    (the raised third of V in minor replaces the scale tones a semitone either side)."""
    scale = set(key.scale)
    for tone in chord.tones:
        if tone not in scale:
            scale -= {(tone - 1) % 12, (tone + 1) % 12}
            scale.add(tone)
    return scale


def _nearest(options: list[int], target: float) -> int:
    return min(options, key=lambda p: (abs(p - target), p))


def _nearest_index(options: list[int], target: float) -> int:
    return min(range(len(options)), key=lambda i: abs(options[i] - target))
