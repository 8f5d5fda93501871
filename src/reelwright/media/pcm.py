"""Decoding any audio we accept to mono float PCM with PyAV (FFmpeg's libraries, no process)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from reelwright.errors import CorruptMedia


def decode_mono(path: Path, rate: int, *, max_seconds: float | None = None) -> NDArray[np.float32]:
    """All of the first audio stream as mono float32 samples in -1..1 at ``rate`` Hz."""
    chunks: list[NDArray[np.float32]] = []
    limit = None if max_seconds is None else int(max_seconds * rate)
    got = 0
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise CorruptMedia(f"{path.name} has no audio stream")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
                    got += chunks[-1].size
                if limit is not None and got >= limit:
                    break
            else:
                for out in resampler.resample(None):
                    chunks.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
    except av.FFmpegError as exc:
        raise CorruptMedia(f"cannot decode the audio of {path.name}: {exc}") from exc
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    return samples if limit is None else samples[:limit]
