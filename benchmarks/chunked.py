"""Single pass vs chunked rendering of a long 1080p timeline, and the projected speed-up curve.

    python benchmarks/chunked.py [--seconds 180] [--workers 2] [--quality medium]

The timeline: photos with Ken Burns, a crossfade into every 4th, a caption over everything
and looping music. It is rendered once in one pass (the encoder may use every core), then in
``--workers`` chunks rendered at the same time, each encoder given cores/workers threads (as
separate worker machines would each have their own). Prints both wall times, the measured
speed-up, then a projected curve for N workers from the measured per-chunk costs:
``T(N) = chunk cost per second x seconds / N + join``. Slow (minutes): run it once.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image

from reelwright.draft import MediaInfo, from_json
from reelwright.render import OutputSpec, render
from reelwright.render.chunked import render_chunk, render_chunked
from reelwright.render.chunks import Split

PHOTO_SIZE = (2000, 1250)  # see report: some widths (2400) trip a Ken Burns crop rounding bug
SECONDS_EACH = 5.0


def make_media(folder: Path, count: int) -> dict[str, MediaInfo]:
    media: dict[str, MediaInfo] = {}
    for n in range(count):
        rng = np.random.default_rng(n)
        small = rng.uniform(0, 255, (12, 18, 3)).astype(np.uint8)
        path = folder / f"photo{n:03d}.jpg"
        Image.fromarray(small).resize(PHOTO_SIZE, Image.BICUBIC).save(path, quality=88)
        media[f"p{n}"] = MediaInfo(f"p{n}", "image", str(path), w=PHOTO_SIZE[0],
                                   h=PHOTO_SIZE[1], has_video=True)
    music = folder / "music.wav"
    import subprocess

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi",
                    "-i", "sine=frequency=220:duration=20", str(music)], check=True)
    media["music"] = MediaInfo("music", "audio", str(music), duration_ms=20000, has_audio=True)
    return media


def timeline(seconds: int, photos: int) -> object:
    kb = {"z0": 1.0, "z1": 1.15, "x0": 0.45, "y0": 0.5, "x1": 0.55, "y1": 0.5}
    segs, st, n = [], 0, 0
    each = int(SECONDS_EACH * 1000)
    while st < seconds * 1000:
        m: dict[str, object] = {"kb": kb}
        if n and n % 4 == 0:
            m["tr"] = {"n": "fade", "d": 600}
            st -= 600
        segs.append({"id": f"s{n}", "src": f"p{n % photos}", "st": st, "d": each, "m": m})
        st += each
        n += 1
    total = seconds * 1000
    segs[-1]["d"] = total - int(segs[-1]["st"])  # type: ignore[call-overload]
    return from_json({"v": 1, "w": 1920, "h": 1080, "fps": 30, "d": total, "m": {}, "t": [
        {"id": "v", "tt": 0, "sg": segs},
        {"id": "x", "tt": 7, "sg": [{"id": "c", "st": 500, "d": total - 1000,
                                     "m": {"text": "Chunked rendering benchmark",
                                           "role": "caption"}}]},
        {"id": "a", "tt": 1, "sg": [{"id": "mu", "src": "music", "st": 0, "d": total,
                                     "m": {"role": "music", "loop": True}}]}]})


def timed_runner(media: dict[str, MediaInfo], output: OutputSpec, workers: int,
                 costs: dict[int, float], phase: list[float]
                 ) -> Callable[[Split, Sequence[str], Callable[[int, float], None]], None]:
    threads = max(1, (os.cpu_count() or 2) // workers)
    cancel = threading.Event()

    def run_all(split_: Split, paths: Sequence[str],
                report: Callable[[int, float], None]) -> None:
        def one(index: int) -> None:
            started = time.perf_counter()
            spec = dataclasses.replace(output, path=paths[index], threads=threads)
            render_chunk(split_.chunks[index].draft, media, spec, cancel=cancel)
            costs[index] = time.perf_counter() - started

        phase.append(time.perf_counter())
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, range(len(split_.chunks))))
        phase.append(time.perf_counter())
    return run_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quality", default="medium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rw-bench-chunked-") as tmp:
        folder = Path(tmp)
        media = make_media(folder, 12)
        draft = timeline(args.seconds, 12)
        single = OutputSpec(str(folder / "single.mp4"), quality=args.quality)
        started = time.perf_counter()
        render(draft, media, single)  # type: ignore[arg-type]
        single_s = time.perf_counter() - started
        print(f"single pass: {single_s:.1f} s ({args.seconds} s of 1080p30, {args.quality})")

        costs: dict[int, float] = {}
        phase: list[float] = []
        chunked = dataclasses.replace(single, path=str(folder / "chunked.mp4"))
        started = time.perf_counter()
        render_chunked(draft, media, chunked, parts=args.workers,  # type: ignore[arg-type]
                       run_chunks=timed_runner(media, chunked, args.workers, costs, phase))
        chunked_s = time.perf_counter() - started
        rest = chunked_s - (phase[1] - phase[0])
        print(f"chunked over {args.workers} workers: {chunked_s:.1f} s "
              f"(chunks {phase[1] - phase[0]:.1f} s, split+sound wait+join {rest:.1f} s)")
        print(f"measured speed-up: {single_s / chunked_s:.2f}x")
        per_second = sum(costs.values()) / args.seconds
        print("per-chunk cost: " + ", ".join(f"{costs[i]:.1f} s" for i in sorted(costs))
              + f" = {per_second:.3f} s of work per timeline second")
        one_worker = per_second * args.seconds + rest
        print("projected (each worker as big as one chunk slot here):")
        for n in (1, 2, 4, 8, 16, 32):
            projected = per_second * args.seconds / n + rest
            print(f"  {n:>2} workers: {projected:7.1f} s  speed-up {one_worker / projected:5.2f}x")


if __name__ == "__main__":
    main()
