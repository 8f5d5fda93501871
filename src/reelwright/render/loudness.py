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
from reelwright.render.compile_audio import NORMALISE, SAMPLE_RATE, mix_stream, target_lufs
from reelwright.render.compile_graph import Graph
from reelwright.render.plan import Canvas, Plan

REPORT_FILE = "loudness.txt"
SILENCE_LUFS = -70.0  # the absolute gate: below it there is nothing to normalise
MAX_GAIN_DB = 30.0  # a near-silent mix is not blown up into hiss


@dataclass(frozen=True)
class Loudness:
    """What ``ebur128`` measured over the whole mix: integrated LUFS and true peak dBTP."""

    integrated: float
    true_peak: float


def measure_plan(draft: Draft, media: Mapping[str, MediaInfo]) -> Plan | None:
    """An audio-only plan that writes the mix's loudness to ``REPORT_FILE`` (None: silent)."""
    g = Graph()
    mixed = mix_stream(g, draft, media)
    if mixed is None:
        return None
    seconds = f"{draft.d / 1000:.3f}"
    label = g.chain(mixed, [
        NORMALISE, "apad", f"atrim=duration={seconds}", "ebur128=peak=true:metadata=1",
        f"ametadata=mode=print:file={REPORT_FILE}"], "meas")
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
    """Run the measuring pass in ``workdir`` and return the gain (dB) for the second pass."""
    from reelwright.render import runner

    plan = measure_plan(draft, media)
    if plan is None:
        return 0.0
    runner.run(plan, ffmpeg=ffmpeg, cancel=cancel, timeout=timeout, workdir=workdir,
               background=background)
    report = Path(workdir) / REPORT_FILE
    return gain_db(parse_report(report.read_text(encoding="utf-8")), target_lufs(draft))
