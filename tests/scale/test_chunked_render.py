"""A chunked render must look and sound like the single-pass render of the same draft.

Given a timeline with Ken Burns photos, a video clip with sound, a crossfade, a caption that
spans a chunk boundary and music, when it is rendered in one pass and in three chunks, then
the two files have the same frame count, duration and codec, the same sound sample for sample,
and at every join the frames before, at and after the join match the single pass (PSNR), as
closely as frames far from any join do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from reelwright.draft import MediaInfo, from_json
from reelwright.errors import RenderCancelled
from reelwright.render import OutputSpec, render
from reelwright.render.chunked import render_chunked
from reelwright.render.chunks import split

pytestmark = pytest.mark.slow
FPS = 30
KB = {"z0": 1.0, "z1": 1.2, "x0": 0.4, "y0": 0.5, "x1": 0.6, "y1": 0.5}


def timeline(clip: str) -> Any:
    return from_json({"v": 1, "w": 320, "h": 240, "fps": FPS, "d": 6000, "m": {}, "t": [
        {"id": "v", "tt": 0, "sg": [
            {"id": "a", "src": "p0", "st": 0, "d": 1500, "m": {"kb": KB}},
            {"id": "b", "src": clip, "st": 1500, "d": 1500},
            {"id": "c", "src": "p1", "st": 3000, "d": 1800, "m": {"kb": KB}},
            {"id": "e", "src": "p2", "st": 4300, "d": 1700,
             "m": {"tr": {"n": "fade", "d": 500}}}]},
        {"id": "x", "tt": 7, "sg": [{"id": "t", "st": 500, "d": 4000,
                                     "m": {"text": "Hello chunks", "role": "caption"}}]},
        {"id": "au", "tt": 1, "sg": [{"id": "mu", "src": "tone", "st": 0, "d": 6000,
                                      "m": {"role": "music"}}]}]})


@pytest.fixture(scope="module")
def media(make_photo: Callable[..., Path], make_clip: Callable[..., Path],
          make_tone: Callable[..., Path]) -> dict[str, MediaInfo]:
    out = {f"p{n}": MediaInfo(f"p{n}", "image", str(make_photo(f"chunk{n}.jpg", seed=n + 3)),
                              w=640, h=480, has_video=True) for n in range(3)}
    clip = make_clip("chunk_clip.mp4", seconds=2.0)
    out["clip"] = MediaInfo("clip", "video", str(clip), w=320, h=240, duration_ms=2000,
                            fps=25, has_video=True, has_audio=True)
    tone = make_tone("chunk_tone.wav", seconds=3.0)
    out["tone"] = MediaInfo("tone", "audio", str(tone), duration_ms=3000, has_audio=True)
    return out


def decode(path: Path) -> tuple[list[np.ndarray], np.ndarray, float, str]:
    with av.open(str(path)) as c:
        codec = c.streams.video[0].codec_context.name
        duration = float(c.duration or 0) / 1e6
        frames = [f.to_ndarray(format="rgb24").astype(np.float32) for f in c.decode(video=0)]
    with av.open(str(path)) as c:
        sound = np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=1)
    return frames, sound, duration, codec


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.fixture(scope="module")
def renders(media: dict[str, MediaInfo], tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[Any, Path, Path, list[float]]:
    folder = tmp_path_factory.mktemp("chunked")
    draft = timeline("clip")
    single, chunked = folder / "single.mp4", folder / "chunked.mp4"
    render(draft, media, OutputSpec(str(single), quality="draft"))
    seen: list[float] = []
    render_chunked(draft, media, OutputSpec(str(chunked), quality="draft"), parts=3,
                   on_progress=seen.append)
    return draft, single, chunked, seen


def test_chunked_matches_single_pass_at_every_join(renders: Any) -> None:
    draft, single, chunked, progress = renders
    joins = [c.start_frame for c in split(draft, 3).chunks[1:]]
    assert len(joins) == 2  # the cut inside the crossfade (4300 ms) was not used
    a, sound_a, dur_a, codec_a = decode(single)
    b, sound_b, dur_b, codec_b = decode(chunked)
    assert len(a) == len(b) == 180
    assert codec_a == codec_b == "h264"
    assert abs(dur_a - dur_b) < 1 / FPS and abs(dur_b - 6.0) < 1 / FPS
    n = min(sound_a.shape[1], sound_b.shape[1])
    assert abs(sound_a.shape[1] - sound_b.shape[1]) <= 1024
    assert float(np.max(np.abs(sound_a[:, :n] - sound_b[:, :n]))) < 1e-3  # one sound pass
    scores = [psnr(x, y) for x, y in zip(a, b, strict=True)]
    typical = float(np.median(scores))
    for join in joins:
        around = [scores[join - 1], scores[join], scores[join + 1]]
        assert min(around) > 30, (join, around)
        assert min(around) > typical - 6, (join, around, typical)
        # the comparison can see a one-frame slip: neighbours differ far more than encodes do
        assert psnr(a[join], b[join - 1]) < min(around) - 10
    assert progress and progress[-1] == 1.0 and progress == sorted(progress)


def test_chunked_without_a_safe_cut_renders_in_one_pass(media: dict[str, MediaInfo],
                                                       tmp_path: Path) -> None:
    draft = from_json({"v": 1, "w": 320, "h": 240, "fps": FPS, "d": 1000, "m": {}, "t": [
        {"id": "v", "tt": 0, "sg": [{"id": "a", "src": "p0", "st": 0, "d": 1000}]}]})
    out = tmp_path / "one.mp4"
    result = render_chunked(draft, media, OutputSpec(str(out), quality="draft"), parts=4)
    assert result.duration_ms == 1000 and out.stat().st_size > 0
    assert len(decode(out)[0]) == 30


def test_cancelled_chunked_render_leaves_nothing(media: dict[str, MediaInfo],
                                                 tmp_path: Path) -> None:
    cancel = threading.Event()
    out = tmp_path / "gone.mp4"

    def stop_soon(fraction: float) -> None:
        cancel.set()

    with pytest.raises(RenderCancelled):
        render_chunked(timeline("clip"), media, OutputSpec(str(out), quality="draft"),
                       parts=3, cancel=cancel, on_progress=stop_soon)
    assert list(tmp_path.iterdir()) == []
