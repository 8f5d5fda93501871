"""Chunked rendering: picture chunks in parallel, the sound once, joined without re-encoding.

``render_chunked`` splits the draft at safe cuts (``chunks.split``), encodes every chunk with
the same encoder settings the single pass uses (each chunk opens with a key frame), renders the
whole timeline's sound in one pass, then joins the chunks with the concat demuxer and muxes the
sound in with ``-c copy``. Chunks run on local threads by default; a queue backend passes
``run_chunks`` to send them to other workers (they only need the shared data folder).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.validate import validate
from reelwright.render import loudness, runner
from reelwright.render.chunks import Chunk, Split, audio_plan, join_plan, split, video_only
from reelwright.render.compile import canvas_for, compile_plan, metadata_args
from reelwright.render.ffmpeg import ffmpeg_exe
from reelwright.render.fontname import line_height, postscript_name
from reelwright.render.pipeline import render, resolve_font
from reelwright.render.types import OutputSpec, RenderResult

AUDIO_WEIGHT = 0.1  # share of the progress bar the sound pass stands for
JOIN_WEIGHT = 0.05

ChunkRunner = Callable[[Split, Sequence[str], Callable[[int, float], None]], None]
"""Renders ``split.chunks[i]`` to ``paths[i]`` (anywhere), reporting ``(i, fraction)``."""


def render_chunk(chunk_draft: Draft, media: Mapping[str, MediaInfo], output: OutputSpec, *,
                 ffmpeg: str | None = None, font: str | None = None,
                 on_progress: Callable[[float], None] | None = None,
                 cancel: threading.Event | None = None, timeout: float | None = None,
                 workdir: Path | None = None) -> None:
    """Encode one chunk's picture (no sound) to ``output.path`` with the single-pass settings."""
    font_path = resolve_font(font)
    final = Path(output.path)
    partial = final.with_name(f".{final.name}.part")
    spec = dataclasses.replace(output, path=str(partial.resolve()), format="mp4")
    plan = video_only(compile_plan(chunk_draft, media, spec, font=font_path,
                                   font_family=postscript_name(font_path),
                                   text_scale=line_height(font_path), sound=False))
    try:
        runner.run(plan, ffmpeg=ffmpeg_exe(ffmpeg), on_progress=on_progress, cancel=cancel,
                   timeout=timeout, workdir=workdir)
        os.replace(partial, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


def render_audio(draft: Draft, media: Mapping[str, MediaInfo], path: Path, *,
                 ffmpeg: str | None = None, on_progress: Callable[[float], None] | None = None,
                 cancel: threading.Event | None = None, timeout: float | None = None,
                 workdir: Path | None = None) -> None:
    """The whole timeline's sound to ``path`` (AAC/MP4): measured, then mixed at that gain."""
    exe = ffmpeg_exe(ffmpeg)
    with runner.workdir_for(workdir) as folder:
        level = loudness.measure(draft, media, ffmpeg=exe, cancel=cancel, timeout=timeout,
                                 workdir=folder / "loudness")
        runner.run(audio_plan(draft, media, str(path), level.gain, level.mix_file), ffmpeg=exe,
                   on_progress=on_progress, cancel=cancel, timeout=timeout,
                   workdir=folder / "sound")


def local_runner(media: Mapping[str, MediaInfo], output: OutputSpec, *, workers: int,
                 ffmpeg: str | None, font: str | None, cancel: threading.Event,
                 timeout: float | None, workdir: Path) -> ChunkRunner:
    """Run chunks on ``workers`` threads of this process."""

    def run_all(split_: Split, paths: Sequence[str],
                report: Callable[[int, float], None]) -> None:
        def one(chunk: Chunk) -> None:
            render_chunk(chunk.draft, media, dataclasses.replace(output, path=paths[chunk.index]),
                         ffmpeg=ffmpeg, font=font, cancel=cancel, timeout=timeout,
                         workdir=workdir / f"chunk-{chunk.index:03d}",
                         on_progress=lambda f: report(chunk.index, f))

        with ThreadPoolExecutor(max_workers=max(1, workers),
                                thread_name_prefix="chunk") as pool:
            futures = [pool.submit(one, c) for c in split_.chunks]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                cancel.set()  # one chunk failed: stop the others instead of waiting on them
                raise
    return run_all


def render_chunked(draft: Draft, media: Mapping[str, MediaInfo], output: OutputSpec, *,
                   parts: int = 2, workers: int | None = None,
                   run_chunks: ChunkRunner | None = None,
                   ffmpeg: str | None = None, font: str | None = None,
                   on_progress: Callable[[float], None] | None = None,
                   cancel: threading.Event | None = None, timeout: float | None = None,
                   workdir: Path | None = None) -> RenderResult:
    """Render ``draft`` like ``render()`` does, in up to ``parts`` chunks rendered in parallel.

    Only mp4 is chunked (other formats, and drafts without a safe cut, render in one pass).
    Raises what ``render()`` raises; a failed or cancelled render leaves no output file.
    """
    validate(draft, media)
    pieces = split(draft, parts)
    if output.format != "mp4" or len(pieces.chunks) < 2:
        return render(draft, media, output, ffmpeg=ffmpeg, font=font, on_progress=on_progress,
                      cancel=cancel, timeout=timeout, workdir=workdir)
    cancel = cancel or threading.Event()
    final = Path(output.path)
    final.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(workdir) if workdir is not None else final.with_name(f".{final.name}.chunks")
    folder.mkdir(parents=True, exist_ok=True)
    progress = _Progress(pieces, on_progress)
    paths = [str(folder / f"chunk-{c.index:03d}.mp4") for c in pieces.chunks]
    audio = folder / "audio.m4a"
    partial = final.with_name(f".{final.name}.part")
    runs = run_chunks or local_runner(media, output, workers=workers or parts, ffmpeg=ffmpeg,
                                      font=font, cancel=cancel, timeout=timeout,
                                      workdir=folder)
    try:
        sound = threading.Thread(target=_sound, name="chunk-audio", daemon=True,
                                 args=(draft, media, audio, ffmpeg, progress, cancel, timeout,
                                       folder / "audio"))
        sound.start()
        try:
            runs(pieces, paths, progress.chunk)
        finally:
            sound.join()
        if progress.audio_error is not None:
            raise progress.audio_error
        canvas = canvas_for(draft, output)
        runner.run(join_plan(pieces, paths, str(audio), str(partial.resolve()), canvas,
                             metadata_args(draft)),
                   ffmpeg=ffmpeg_exe(ffmpeg), cancel=cancel, timeout=timeout,
                   workdir=folder / "join", on_progress=progress.join)
        os.replace(partial, final)
    except BaseException:
        cancel.set()
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        if workdir is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for path in [*paths, str(audio)]:
                Path(path).unlink(missing_ok=True)
    if on_progress is not None:
        on_progress(1.0)
    return RenderResult(path=str(final), format="mp4", duration_ms=draft.d,
                        size_bytes=final.stat().st_size, w=canvas.w, h=canvas.h)


def _sound(draft: Draft, media: Mapping[str, MediaInfo], path: Path, ffmpeg: str | None,
           progress: _Progress, cancel: threading.Event, timeout: float | None,
           workdir: Path) -> None:
    try:
        render_audio(draft, media, path, ffmpeg=ffmpeg, cancel=cancel, timeout=timeout,
                     workdir=workdir, on_progress=progress.audio)
    except BaseException as exc:  # handed to the orchestrating thread, which re-raises it
        progress.audio_error = exc
        cancel.set()


class _Progress:
    """Combines per-chunk, sound and join progress into one fraction (chunks by frames)."""

    def __init__(self, pieces: Split, sink: Callable[[float], None] | None) -> None:
        self._weights = [c.frames / max(1, pieces.total_frames) for c in pieces.chunks]
        self._chunks = [0.0] * len(pieces.chunks)
        self._audio = 0.0
        self._join = 0.0
        self._sink = sink
        self._lock = threading.Lock()
        self.audio_error: BaseException | None = None

    def _emit(self) -> None:
        if self._sink is None:
            return
        pictures = sum(w * f for w, f in zip(self._weights, self._chunks, strict=True))
        total = ((1 - AUDIO_WEIGHT - JOIN_WEIGHT) * pictures + AUDIO_WEIGHT * self._audio
                 + JOIN_WEIGHT * self._join)
        self._sink(min(total, 0.999))

    def chunk(self, index: int, fraction: float) -> None:
        with self._lock:
            self._chunks[index] = max(self._chunks[index], fraction)
            self._emit()

    def audio(self, fraction: float) -> None:
        with self._lock:
            self._audio = max(self._audio, fraction)
            self._emit()

    def join(self, fraction: float) -> None:
        with self._lock:
            self._join = max(self._join, fraction)
            self._emit()
