"""Where a video changes: scene cuts (frame differences) and silences (quiet stretches of audio),
read with PyAV. The interactive recipe puts chapters there.

``scene_cuts(path)`` -> cut times in ms; ``silences(path)`` -> ``[(start_ms, end_ms), ...]``.
``timeline_cuts(draft, media)`` maps both onto the draft's main track (clip boundaries count as
cuts). All read at most ``max_seconds`` of the file so a long upload cannot stall a chat turn.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from reelwright.draft.layout import main_track
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.errors import CorruptMedia
from reelwright.media.pcm import decode_mono

THUMB_W, THUMB_H = 64, 36
CUT_LEVEL = 28.0
"""Mean absolute grey difference (0..255) between consecutive small frames that counts as a cut;
camera motion and fades stay well below it, a hard cut between shots is far above."""
MIN_SCENE_MS = 1000
SILENCE_DB = -40.0
WINDOW_MS = 50


def _file_key(path: Path) -> tuple[str, int, int]:
    """Identifies one version of a file (stored media never change, but a path may be reused)."""
    try:
        stat = path.stat()
    except OSError:
        return str(path), 0, 0
    return str(path), stat.st_mtime_ns, stat.st_size


def scene_cuts(path: Path, *, level: float = CUT_LEVEL, min_scene_ms: int = MIN_SCENE_MS,
               max_seconds: float = 1800) -> list[int]:
    """Times (ms) where the picture changes abruptly, at least ``min_scene_ms`` apart.

    Remembered per file version: one chat turn may weigh several readings of a message, and
    each would otherwise decode the whole clip again."""
    return list(_scene_cuts(_file_key(path), level, min_scene_ms, max_seconds))


def silences(path: Path, *, min_ms: int = 600, db: float = SILENCE_DB,
             max_seconds: float = 1800) -> list[tuple[int, int]]:
    """Stretches of at least ``min_ms`` quieter than ``db`` dBFS (RMS over 50 ms windows)."""
    return list(_silences(_file_key(path), min_ms, db, max_seconds))


@functools.lru_cache(maxsize=64)
def _scene_cuts(key: tuple[str, int, int], level: float, min_scene_ms: int,
                max_seconds: float) -> tuple[int, ...]:
    path = Path(key[0])
    cuts: list[int] = []
    prev: NDArray[np.float32] | None = None
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return ()
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                t = frame.time
                if t is None:
                    continue
                if t > max_seconds:
                    break
                small = frame.reformat(width=THUMB_W, height=THUMB_H, format="gray")
                grey = small.to_ndarray().astype(np.float32)
                if prev is not None:
                    diff = float(np.abs(grey - prev).mean())
                    ms = int(round(t * 1000))
                    if diff >= level and (not cuts or ms - cuts[-1] >= min_scene_ms) \
                            and ms >= min_scene_ms // 2:
                        cuts.append(ms)
                prev = grey
    except av.FFmpegError as exc:
        raise CorruptMedia(f"cannot decode the video of {path.name}: {exc}") from exc
    return tuple(cuts)


@functools.lru_cache(maxsize=64)
def _silences(key: tuple[str, int, int], min_ms: int, db: float,
              max_seconds: float) -> tuple[tuple[int, int], ...]:
    path = Path(key[0])
    rate = 16000
    try:
        samples = decode_mono(path, rate, max_seconds=max_seconds)
    except CorruptMedia:
        return ()
    hop = rate * WINDOW_MS // 1000
    count = samples.size // hop
    if count == 0:
        return ()
    frames = samples[: count * hop].reshape(count, hop)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    quiet = 20 * np.log10(np.maximum(rms, 1e-9)) < db
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, is_quiet in enumerate([*quiet.tolist(), False]):
        if is_quiet and start is None:
            start = i
        elif not is_quiet and start is not None:
            if (i - start) * WINDOW_MS >= min_ms:
                out.append((start * WINDOW_MS, i * WINDOW_MS))
            start = None
    return tuple(out)


def timeline_cuts(draft: Draft, media: Mapping[str, MediaInfo]) -> tuple[list[int],
                                                                     list[tuple[int, int]]]:
    """Scene cuts and silences of the main track, in draft time (reads the clips)."""
    main = main_track(draft)
    cuts: list[int] = []
    quiet: list[tuple[int, int]] = []
    if main is None:
        return cuts, quiet
    for i, seg in enumerate(main.sg):
        if i > 0:
            cuts.append(seg.st)  # a new clip or photo is a scene change too
        info = media.get(seg.src or "")
        if info is None or info.kind != "video" or not info.path:
            continue
        speed = float(seg.m.get("speed", 1) or 1)

        def to_draft(t: int, seg_st: int = seg.st, seg_in: int = seg.in_,
                     pace: float = speed) -> int:
            return seg_st + int((t - seg_in) / pace)

        span = (seg.in_, seg.in_ + int(seg.d * speed))
        cuts += [to_draft(t) for t in scene_cuts(Path(info.path)) if span[0] < t < span[1]]
        if info.has_audio and not seg.m.get("mute"):
            quiet += [(to_draft(max(a, span[0])), to_draft(min(b, span[1])))
                      for a, b in silences(Path(info.path)) if b > span[0] and a < span[1]]
    return sorted(set(cuts)), quiet
