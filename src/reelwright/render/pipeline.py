"""``render()``: validate, compile, run ffmpeg, and put the file in place only when it is whole."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.validate import validate
from reelwright.render import loudness, runner
from reelwright.render.chunks import audio_plan, mux_plan, video_only
from reelwright.render.compile import compile_plan, metadata_args
from reelwright.render.ffmpeg import ffmpeg_exe
from reelwright.render.fontname import line_height, postscript_name
from reelwright.render.plan import Plan
from reelwright.render.types import OutputSpec, RenderResult

BUNDLED_FONT_PACKAGE = "cvttf_NotoSansCJK_Bold"
BUNDLED_FONT_FILE = "NotoSansCJKtc-Bold.otf"


def resolve_font(font: str | None = None) -> str:
    """The text font: ``font``, the media module's default, or the bundled Noto Sans CJK."""
    if font:
        return font
    configured = os.environ.get("REELWRIGHT_FONT")
    if configured:
        return configured
    try:
        from reelwright.media.fonts import default_font
    except ImportError:
        pass
    else:
        return str(default_font())
    import importlib

    package = importlib.import_module(BUNDLED_FONT_PACKAGE)
    return str(Path(package.__file__ or "").parent / BUNDLED_FONT_FILE)


def render(draft: Draft, media: Mapping[str, MediaInfo], output: OutputSpec, *,
           ffmpeg: str | None = None, font: str | None = None,
           on_progress: Callable[[float], None] | None = None,
           cancel: threading.Event | None = None, timeout: float | None = None,
           workdir: Path | None = None) -> RenderResult:
    """Render ``draft`` to ``output.path``.

    Raises DraftInvalid before anything runs, RenderFailed (command + stderr tail),
    RenderCancelled or RenderTimeout. The output is written to a hidden ``.part`` file first
    and moved into place only on success, so a failed render leaves no file behind.

    An MP4's sound is mixed by an ffmpeg of its own beside the picture and muxed in at the end
    (``-c copy``): in one graph the sound's filters and encoder kept stalling the picture's.
    Its loudness is measured first (``render.loudness``) and reached with one linear gain.
    """
    validate(draft, media)
    font_path = resolve_font(font)
    final = Path(output.path)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}.part")
    spec = dataclasses.replace(output, path=str(partial.resolve()))
    exe = ffmpeg_exe(ffmpeg)
    compile_args: dict[str, Any] = {"font": font_path,
                                    "font_family": postscript_name(font_path),
                                    "text_scale": line_height(font_path)}
    try:
        if output.format == "mp4":
            plan = _render_mp4(draft, media, spec, compile_args, exe, on_progress, cancel,
                               timeout, workdir)
        else:
            if output.format == "webm":
                with runner.workdir_for(workdir) as folder:
                    compile_args["gain_db"] = loudness.measure(
                        draft, media, ffmpeg=exe, workdir=folder / "loudness", cancel=cancel,
                        timeout=timeout).gain
            plan = compile_plan(draft, media, spec, **compile_args)
            runner.run(plan, ffmpeg=exe, on_progress=on_progress, cancel=cancel,
                       timeout=timeout, workdir=workdir)
        os.replace(partial, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    duration = plan.duration_ms if output.format != "png" else 0
    return RenderResult(path=str(final), format=output.format, duration_ms=duration,
                        size_bytes=final.stat().st_size, w=plan.canvas.w, h=plan.canvas.h)


PICTURE_SHARE = 0.97  # of the progress bar; the mux is the rest


def _render_mp4(draft: Draft, media: Mapping[str, MediaInfo], spec: OutputSpec,
                compile_args: dict[str, Any], ffmpeg: str,
                on_progress: Callable[[float], None] | None, cancel: threading.Event | None,
                timeout: float | None, workdir: Path | None) -> Plan:
    """Picture (this thread) and sound (a thread beside it) in two ffmpeg runs, then one
    ``-c copy`` mux into ``spec.path``. Returns the picture's plan."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with runner.workdir_for(workdir) as folder:
        picture, sound = folder / "picture.mp4", folder / "sound.m4a"
        plan = video_only(compile_plan(draft, media, dataclasses.replace(
            spec, path=str(picture)), sound=False, **compile_args))
        args = list(plan.output_args)
        if "+faststart" in args:  # only the final file needs its index up front
            at = args.index("+faststart")
            del args[at - 1:at + 1]
        plan = dataclasses.replace(plan, output_args=tuple(args))
        stop = threading.Event()  # the sound stops when the picture fails or is cancelled
        failure: list[BaseException] = []

        def mix() -> None:
            try:
                if spec.live:  # a live preview waits for its sound: never only idle CPU
                    runner.run(audio_plan(draft, media, str(sound), quick=True), ffmpeg=ffmpeg,
                               cancel=stop, timeout=timeout, workdir=folder / "sound")
                    return
                level = loudness.measure(draft, media, ffmpeg=ffmpeg, cancel=stop,
                                         timeout=timeout, workdir=folder / "loudness",
                                         background=True)
                runner.run(audio_plan(draft, media, str(sound), level.gain, level.mix_file),
                           ffmpeg=ffmpeg, cancel=stop, timeout=timeout,
                           workdir=folder / "sound", background=True)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                failure.append(exc)

        mixer = threading.Thread(target=mix, name="render-sound", daemon=True)
        mixer.start()
        try:
            runner.run(plan, ffmpeg=ffmpeg, cancel=cancel, timeout=timeout,
                       workdir=folder / "picture",
                       on_progress=_scaled(on_progress, 0.0, PICTURE_SHARE))
        except BaseException:
            stop.set()
            raise
        finally:
            mixer.join()
        if failure:
            raise failure[0]
        left = None if deadline is None else max(deadline - time.monotonic(), 1.0)
        runner.run(mux_plan(str(picture), str(sound), spec.path, plan.canvas,
                            plan.duration_ms, plan.frames, metadata_args(draft)),
                   ffmpeg=ffmpeg, cancel=cancel, timeout=left, workdir=folder / "mux",
                   on_progress=_scaled(on_progress, PICTURE_SHARE,
                                                  1.0 - PICTURE_SHARE))
    return plan


def _scaled(on_progress: Callable[[float], None] | None, start: float,
            share: float) -> Callable[[float], None] | None:
    """Progress of one step mapped onto its share of the whole bar."""
    if on_progress is None:
        return None
    return lambda fraction: on_progress(min(1.0, start + share * fraction))
