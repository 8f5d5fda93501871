"""Measured loudness: the first of two sound passes, and the one gain it yields.

Single-pass ``loudnorm`` normalises dynamically: between spoken phrases it raises whatever is
left, which is the ducked music, so the duck "pumps". Instead the whole mix is measured first
(``ebur128`` with true peak, one short audio-only ffmpeg run) and the second pass applies one
linear gain to reach the target (-14 LUFS integrated by default, ``draft.m.lufs``); the
oversampled limiter in ``compile_audio`` catches the few peaks the gain pushes above -1.5 dBTP.

    plan = measure_plan(draft, media)          # pure
    runner.run(plan, ..., workdir=folder)      # writes folder / REPORT_FILE
    loud = parse_report((folder / REPORT_FILE).read_text())
    gain = gain_db(loud, target_lufs(draft))
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.render.compile_audio import (
    NORMALISE,
    SAMPLE_RATE,
    TRUE_PEAK_DB,
    limiter,
    mix_stream,
    target_lufs,
)
from reelwright.render.compile_graph import Graph
from reelwright.render.plan import Canvas, Plan

REPORT_FILE = "loudness.txt"
MIX_FILE = "mix.wav"
SILENCE_LUFS = -70.0  # the absolute gate: below it there is nothing to normalise
MAX_GAIN_DB = 30.0  # a near-silent mix is not blown up into hiss
REFINE_PASSES = 3
REFINE_TOLERANCE_DB = 0.3


@dataclass(frozen=True)
class Loudness:
    """What ``ebur128`` measured over the whole mix: integrated LUFS and true peak dBTP."""

    integrated: float
    true_peak: float


def measure_plan(draft: Draft, media: Mapping[str, MediaInfo],
                 gain: float | None = None, mix_file: str | None = None) -> Plan | None:
    """An audio-only plan that writes the mix's loudness to ``REPORT_FILE`` (None: silent).

    Without ``gain`` it mixes the draft's sound, measures it and keeps the mix in ``MIX_FILE``
    (32-bit float WAV) for the later passes; with ``gain`` (dB) it reads ``mix_file`` and
    measures it as the second pass will make it (gain, limiter)."""
    g = Graph()
    seconds = f"{draft.d / 1000:.3f}"
    report = ["ebur128=peak=true:metadata=1", f"ametadata=mode=print:file={REPORT_FILE}"]
    canvas = Canvas(draft.w, draft.h, draft.fps)
    if gain is not None and mix_file is not None:
        index = g.add_input(mix_file)
        label = g.chain(f"[{index}:a]", [f"volume={gain:.2f}dB", *limiter(), NORMALISE,
                                         *report], "meas")
        return Plan(inputs=tuple(g.inputs), graph=g.text(), maps=(label,),
                    output_args=("-ar", str(SAMPLE_RATE), "-f", "null"), output_path="-",
                    canvas=canvas, duration_ms=draft.d, frames=0)
    mixed = mix_stream(g, draft, media)
    if mixed is None:
        return None
    label = g.chain(mixed, [NORMALISE, "apad", f"atrim=duration={seconds}", *report], "meas")
    return Plan(inputs=tuple(g.inputs), graph=g.text(), maps=(label,),
                output_args=("-c:a", "pcm_f32le", "-ar", str(SAMPLE_RATE), "-f", "wav"),
                output_path=MIX_FILE, canvas=canvas, duration_ms=draft.d, frames=0)


def level_plan(draft: Draft, mix_file: str, output_path: str, gain: float,
               output_args: tuple[str, ...]) -> Plan:
    """The second pass from the kept mix: ``gain``, limiter, exact length, encoded."""
    g = Graph()
    index = g.add_input(mix_file)
    label = g.chain(f"[{index}:a]", [f"volume={gain:.2f}dB", *limiter(), NORMALISE, "apad",
                                     f"atrim=duration={draft.d / 1000:.3f}",
                                     "asetpts=PTS-STARTPTS"], "aout")
    return Plan(inputs=tuple(g.inputs), graph=g.text(), maps=(label,), output_args=output_args,
                output_path=output_path, canvas=Canvas(draft.w, draft.h, draft.fps),
                duration_ms=draft.d, frames=0)


def parse_report(text: str) -> Loudness:
    """The last integrated loudness and true peak that ``ametadata`` printed."""
    integrated, peak = -math.inf, 0.0
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key == "lavfi.r128.I":
            integrated = float(value)
        elif key == "lavfi.r128.true_peak":
            peak = float(value)
    peak_db = 20 * math.log10(peak) if peak > 0 else -math.inf
    return Loudness(integrated, peak_db)


def gain_db(loudness: Loudness, target: float) -> float:
    """The linear gain (dB) that brings ``loudness`` to ``target`` LUFS; 0 for silence."""
    if not math.isfinite(loudness.integrated) or loudness.integrated <= SILENCE_LUFS:
        return 0.0
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, target - loudness.integrated))


@dataclass(frozen=True)
class Measured:
    """The gain for the second pass and the kept mix it applies to (None: a silent draft)."""

    gain: float
    mix_file: Path | None


def measure(draft: Draft, media: Mapping[str, MediaInfo], *, ffmpeg: str, workdir: Path,
            cancel: threading.Event | None = None, timeout: float | None = None,
            background: bool = False) -> Measured:
    """Mix and measure in ``workdir``; return the gain (dB) for the second pass and the mix.

    When that gain pushes peaks into the limiter, the limited mix comes out quieter than the
    target (speech with sharp peaks: 1-2 dB); the kept mix is measured again as the second
    pass will make it and the gain corrected (secant steps, at most ``REFINE_PASSES`` more
    quick passes that only read the WAV)."""
    from reelwright.render import runner

    folder = Path(workdir)
    mix = folder / MIX_FILE

    def run_one(plan: Plan | None) -> Loudness | None:
        if plan is None:
            return None
        runner.run(plan, ffmpeg=ffmpeg, cancel=cancel, timeout=timeout, workdir=folder,
                   background=background)
        return parse_report((folder / REPORT_FILE).read_text(encoding="utf-8"))

    target = target_lufs(draft)
    measured = run_one(measure_plan(draft, media))
    if measured is None:
        return Measured(0.0, None)
    gain = gain_db(measured, target)
    if gain == 0.0 or measured.true_peak + gain <= TRUE_PEAK_DB:
        return Measured(gain, mix)  # the limiter will not touch it: the gain lands on target
    # The limiter eats part of every extra dB: find the gain by the secant method.
    points: list[tuple[float, float]] = []
    for _ in range(REFINE_PASSES):
        limited = run_one(measure_plan(draft, media, gain, str(mix)))
        if limited is None:
            break
        points.append((gain, limited.integrated))
        short = target - limited.integrated
        if abs(short) < REFINE_TOLERANCE_DB:
            break
        slope = 1.0
        if len(points) >= 2 and points[-1][0] != points[-2][0]:
            slope = (points[-1][1] - points[-2][1]) / (points[-1][0] - points[-2][0])
        gain = max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain + short / max(slope, 0.2)))
    return Measured(gain, mix)
