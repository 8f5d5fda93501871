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
                 gain: float | None = None) -> Plan | None:
    """An audio-only plan that writes the mix's loudness to ``REPORT_FILE`` (None: silent);
    with ``gain`` (dB) it measures the mix as the second pass will make it (gain, limiter)."""
    g = Graph()
    mixed = mix_stream(g, draft, media)
    if mixed is None:
        return None
    seconds = f"{draft.d / 1000:.3f}"
    applied = [] if gain is None else [f"volume={gain:.2f}dB", *limiter()]
    label = g.chain(mixed, [
        *applied, NORMALISE, "apad", f"atrim=duration={seconds}",
        "ebur128=peak=true:metadata=1", f"ametadata=mode=print:file={REPORT_FILE}"], "meas")
    return Plan(inputs=tuple(g.inputs), graph=g.text(), maps=(label,),
                output_args=("-ar", str(SAMPLE_RATE), "-f", "null"), output_path="-",
                canvas=Canvas(draft.w, draft.h, draft.fps), duration_ms=draft.d, frames=0)


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


def measure(draft: Draft, media: Mapping[str, MediaInfo], *, ffmpeg: str, workdir: Path,
            cancel: threading.Event | None = None, timeout: float | None = None,
            background: bool = False) -> float:
    """Run the measuring pass in ``workdir`` and return the gain (dB) for the second pass.

    When that gain pushes peaks into the limiter, the limited mix comes out quieter than the
    target (speech with sharp peaks: 1-2 dB); it is measured again as the second pass will
    make it and the gain corrected (secant steps, at most ``REFINE_PASSES`` more passes)."""
    from reelwright.render import runner

    def run_one(gain: float | None) -> Loudness | None:
        plan = measure_plan(draft, media, gain)
        if plan is None:
            return None
        runner.run(plan, ffmpeg=ffmpeg, cancel=cancel, timeout=timeout, workdir=workdir,
                   background=background)
        return parse_report((Path(workdir) / REPORT_FILE).read_text(encoding="utf-8"))

    target = target_lufs(draft)
    measured = run_one(None)
    if measured is None:
        return 0.0
    gain = gain_db(measured, target)
    if gain == 0.0 or measured.true_peak + gain <= TRUE_PEAK_DB:
        return gain  # the limiter will not touch it: one linear gain lands on the target
    # The limiter eats part of every extra dB: find the gain by the secant method.
    points: list[tuple[float, float]] = []
    for _ in range(REFINE_PASSES):
        limited = run_one(gain)
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
    return gain
