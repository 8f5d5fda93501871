"""Read facts from rendered files with PyAV (there is no ffprobe in imageio-ffmpeg).

``probe(path)`` -> Probe (duration, codecs, profile, pix_fmt, colour tags, fps, size, audio);
``frame_at(path, seconds)`` -> RGB numpy array; ``audio_samples(path)`` -> float32 mono array.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


@dataclass(frozen=True)
class Probe:
    format: str
    duration: float
    vcodec: str | None = None
    profile: str | None = None
    pix_fmt: str | None = None
    color_range: str | None = None
    color_space: str | None = None
    color_primaries: str | None = None
    color_trc: str | None = None
    fps: float | None = None
    width: int = 0
    height: int = 0
    frames: int = 0
    acodec: str | None = None
    channels: int = 0
    sample_rate: int = 0
    video_duration: float = 0.0


def _name(value: object) -> str | None:
    if value is None:
        return None
    text = getattr(value, "name", None) or str(value)
    return str(text).lower()


_RANGE = {1: "tv", 2: "pc"}
_SPACE = {1: "bt709", 5: "bt470bg", 6: "smpte170m", 9: "bt2020nc"}
_PRIMARIES = {1: "bt709", 5: "bt470bg", 6: "smpte170m", 9: "bt2020"}
_TRC = {1: "bt709", 6: "smpte170m", 13: "iec61966-2-1", 16: "smpte2084"}


def _codec_tag(table: dict[int, str], value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, int):
        return table.get(value, str(value))
    number = getattr(value, "value", None)
    if isinstance(number, int):
        return table.get(number, _name(value))
    return _name(value)


def probe(path: str | Path, count_frames: bool = True) -> Probe:
    """Container, first video stream and first audio stream facts."""
    with av.open(str(path)) as container:
        duration = (container.duration or 0) / 1_000_000
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        facts: dict[str, object] = {"format": container.format.name, "duration": duration}
        if video is not None:
            ctx = video.codec_context
            rate = video.average_rate or video.guessed_rate
            facts.update(
                vcodec=ctx.name, profile=ctx.profile, pix_fmt=ctx.pix_fmt,
                color_range=_codec_tag(_RANGE, ctx.color_range),
                color_space=_codec_tag(_SPACE, ctx.colorspace),
                color_primaries=_codec_tag(_PRIMARIES, ctx.color_primaries),
                color_trc=_codec_tag(_TRC, ctx.color_trc),
                fps=float(rate) if rate else None, width=ctx.width, height=ctx.height)
            if video.duration and video.time_base:
                facts["video_duration"] = float(video.duration * video.time_base)
        if audio is not None:
            actx = audio.codec_context
            facts.update(acodec=actx.name, channels=actx.channels, sample_rate=actx.sample_rate)
    if video is not None and count_frames:
        with av.open(str(path)) as container:
            facts["frames"] = sum(1 for _ in container.decode(video=0))
    return Probe(**facts)  # type: ignore[arg-type]


def frame_at(path: str | Path, seconds: float) -> np.ndarray:
    """The decoded frame shown at ``seconds`` (RGB, uint8, HxWx3)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        shown = None
        for frame in container.decode(stream):
            if frame.time is not None and frame.time > seconds + 1e-6 and shown is not None:
                break
            shown = frame
        assert shown is not None, f"no video frames in {path}"
        return shown.to_ndarray(format="rgb24")


def frames(path: str | Path) -> list[np.ndarray]:
    """Every frame as grey float32 arrays (for motion metrics on small renders)."""
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray").astype(np.float32)
                for f in container.decode(video=0)]


def audio_samples(path: str | Path, rate: int = 48000) -> np.ndarray:
    """The whole audio track, resampled to mono float32 at ``rate``."""
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks = []
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


def rms_db(samples: np.ndarray) -> float:
    value = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
    return 20 * np.log10(max(value, 1e-9))


def fps_of(rate: Fraction | None) -> float | None:
    return float(rate) if rate else None
