"""Shared helpers for renderer tests: MediaInfo for generated files and draft builders."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reelwright.draft import Draft, MediaInfo, from_json
from reelwright.render import OutputSpec, RenderResult, render


def image_info(media_id: str, path: Path) -> MediaInfo:
    with Image.open(path) as img:
        w, h = img.size
    return MediaInfo(media_id, "image", str(path), name=path.name, w=w, h=h, has_video=True)


def video_info(media_id: str, path: Path, ms: int, w: int, h: int, fps: float = 25,
               audio: bool = True) -> MediaInfo:
    return MediaInfo(media_id, "video", str(path), name=path.name, w=w, h=h, duration_ms=ms,
                     fps=fps, has_video=True, has_audio=audio)


def audio_info(media_id: str, path: Path, ms: int) -> MediaInfo:
    return MediaInfo(media_id, "audio", str(path), name=path.name, duration_ms=ms,
                     has_audio=True)


def draft(w: int, h: int, d: int, tracks: list[dict[str, Any]], fps: int = 30,
          **m: Any) -> Draft:
    return from_json({"v": 1, "w": w, "h": h, "fps": fps, "d": d, "m": m, "t": tracks})


def visual(*segments: dict[str, Any], track_id: str = "v") -> dict[str, Any]:
    return {"id": track_id, "tt": 0, "sg": list(segments)}


def do_render(d: Draft, media: dict[str, MediaInfo], out: Path, **spec: Any) -> RenderResult:
    spec.setdefault("quality", "draft")
    return render(d, media, OutputSpec(str(out), **spec))


def region_diff(a: np.ndarray, b: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """Mean absolute difference of two frames inside a normalised (x, y, w, h) box."""
    h, w = a.shape[:2]
    x0, y0 = int(box[0] * w), int(box[1] * h)
    x1, y1 = int((box[0] + box[2]) * w), int((box[1] + box[3]) * h)
    return float(np.mean(np.abs(a[y0:y1, x0:x1].astype(np.float32)
                                - b[y0:y1, x0:x1].astype(np.float32))))


def child_processes() -> list[tuple[int, str, str]]:
    """(pid, name, state) of every live or zombie child of this process, read from /proc."""
    me = os.getpid()
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1: stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == me:
            out.append((int(entry), name, fields[0]))
    return out


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def ebur128_integrated(ffmpeg: str, path: Path) -> float:
    """Integrated loudness (LUFS) measured by ffmpeg's ebur128 filter."""
    done = subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a",
                           "-af", "ebur128=peak=true", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    summary = done.stderr[done.stderr.rindex("Summary:"):]
    for line in summary.splitlines():
        line = line.strip()
        if line.startswith("I:"):
            return float(line.split()[1])
    raise AssertionError("no integrated loudness in ebur128 output")


def true_peak(ffmpeg: str, path: Path) -> float:
    done = subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a",
                           "-af", "ebur128=peak=true", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    summary = done.stderr[done.stderr.rindex("Summary:"):]
    lines = [line.strip() for line in summary.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("True peak:"):
            return float(lines[i + 1].split()[1])
    raise AssertionError("no true peak in ebur128 output")


def changed_fraction(a: np.ndarray, b: np.ndarray, box: tuple[float, float, float, float],
                     threshold: int = 40) -> float:
    """Share of pixels inside a normalised box whose colour differs by more than ``threshold``."""
    h, w = a.shape[:2]
    x0, y0 = int(box[0] * w), int(box[1] * h)
    x1, y1 = int((box[0] + box[2]) * w), int((box[1] + box[3]) * h)
    diff = np.abs(a[y0:y1, x0:x1].astype(np.int16) - b[y0:y1, x0:x1].astype(np.int16))
    return float(np.mean(diff.max(axis=2) > threshold))
