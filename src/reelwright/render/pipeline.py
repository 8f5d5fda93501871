"""``render()``: validate, compile, run ffmpeg, and put the file in place only when it is whole."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.validate import validate
from reelwright.render import runner
from reelwright.render.compile import compile_plan
from reelwright.render.ffmpeg import ffmpeg_exe
from reelwright.render.fontname import line_height, postscript_name
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
    """
    validate(draft, media)
    font_path = resolve_font(font)
    final = Path(output.path)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}.part")
    spec = dataclasses.replace(output, path=str(partial.resolve()))
    plan = compile_plan(draft, media, spec, font=font_path, font_family=postscript_name(font_path),
                        text_scale=line_height(font_path))
    try:
        runner.run(plan, ffmpeg=ffmpeg_exe(ffmpeg), on_progress=on_progress, cancel=cancel,
                   timeout=timeout, workdir=workdir)
        os.replace(partial, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    duration = plan.duration_ms if output.format != "png" else 0
    return RenderResult(path=str(final), format=output.format, duration_ms=duration,
                        size_bytes=final.stat().st_size, w=plan.canvas.w, h=plan.canvas.h)
