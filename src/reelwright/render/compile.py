"""``compile_plan``: a draft, its media and an output spec -> one ffmpeg ``Plan``. Pure: no I/O.

The graph has three parts, each in its own module: ``compile_visual`` (the picture, exactly
``frames`` frames), ``compile_text`` (an ASS file drawn by libass) and ``compile_audio``
(mix, ducking, loudness). This module picks the canvas, then adds the encoder for the format.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.render import quality
from reelwright.render.compile_audio import SAMPLE_RATE, audio_stream
from reelwright.render.compile_graph import Graph
from reelwright.render.compile_text import ass_document
from reelwright.render.compile_visual import main_sequence
from reelwright.render.plan import AuxFile, Canvas, Plan
from reelwright.render.types import OutputSpec

ASS_FILE = "text.ass"
FONTS_DIR = "fonts"
BT709 = ("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
         "-color_range", "tv")
TAG_709 = ("setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709")


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def canvas_for(draft: Draft, output: OutputSpec) -> Canvas:
    """The size and rate actually drawn: the draft's, or smaller for previews and GIFs."""
    w, h, fps = draft.w, draft.h, draft.fps
    if output.format == "gif":
        scale = min(1.0, quality.GIF_LONG_SIDE / max(w, h))
        return Canvas(_even(w * scale), _even(h * scale), min(fps, quality.GIF_MAX_FPS))
    if output.live:
        scale = min(1.0, quality.LIVE_SHORT_SIDE / min(w, h))
        return Canvas(_even(w * scale), _even(h * scale), min(fps, quality.LIVE_MAX_FPS))
    if output.preview:
        scale = min(1.0, quality.PREVIEW_SHORT_SIDE / min(w, h))
        return Canvas(_even(w * scale), _even(h * scale), fps)
    if output.scale < 1.0:
        return Canvas(_even(w * output.scale), _even(h * output.scale), fps)
    return Canvas(w, h, fps)


def font_family_of(font: str) -> str:
    """libass also matches PostScript names, which font files are usually named after."""
    return os.path.splitext(os.path.basename(font))[0]


def metadata_args(draft: Draft) -> tuple[str, ...]:
    """``-metadata`` options crediting what the draft borrowed (``m.credits``, e.g. the
    OpenMoji illustrations on explainer cards, CC BY-SA 4.0)."""
    credits = draft.m.get("credits")
    if not isinstance(credits, list) or not credits:
        return ()
    text = "; ".join(str(one) for one in credits)
    return ("-metadata", f"copyright={text}", "-metadata", f"comment={text}")


def _encoder_args(output: OutputSpec, canvas: Canvas, frames: int) -> list[str]:
    threads = ["-threads", str(output.threads)] if output.threads else []
    if output.format == "mp4":
        x264 = quality.x264(output.quality, output.preview or output.live)
        params = "8x8dct=1" + (f":rc-lookahead={x264.lookahead}" if x264.lookahead else "")
        cap = ["-maxrate", f"{output.max_kbps}k", "-bufsize", f"{output.max_kbps}k"] \
            if output.max_kbps else []
        return ["-c:v", "libx264", "-preset", x264.preset, "-crf", str(x264.crf), *cap,
                "-profile:v", "high", "-x264-params", params, "-pix_fmt", "yuv420p",
                *BT709, "-r", str(canvas.fps), "-frames:v", str(frames), *threads,
                "-c:a", "aac", "-b:a", "192k", "-ar", str(SAMPLE_RATE), "-ac", "2",
                "-movflags", "+faststart", "-f", "mp4"]
    if output.format == "webm":
        vp9 = quality.vp9(output.quality, output.preview or output.live)
        return ["-c:v", "libvpx-vp9", "-crf", str(vp9.crf), "-b:v", "0",
                "-deadline", "good" if vp9.cpu_used < 5 else "realtime",
                "-cpu-used", str(vp9.cpu_used), "-row-mt", "1", "-pix_fmt", "yuv420p",
                *BT709, "-r", str(canvas.fps), "-frames:v", str(frames), *threads,
                "-c:a", "libopus", "-b:a", "128k", "-ar", str(SAMPLE_RATE), "-ac", "2",
                "-f", "webm"]
    if output.format == "gif":
        return ["-c:v", "gif", "-r", str(canvas.fps), "-frames:v", str(frames),
                "-loop", "0", "-f", "gif"]
    return ["-frames:v", "1", "-update", "1", "-c:v", "png", "-f", "image2"]


def _finish_video(g: Graph, video: str, output: OutputSpec, canvas: Canvas,
                  draft: Draft) -> str:
    if output.format == "gif":
        split = g.label("gs"), g.label("gp")
        g.chains.append(f"{video}scale=in_color_matrix=bt709:in_range=tv,format=rgb24,split=2{split[0]}{split[1]}")
        palette = g.chain(split[1], ["palettegen=stats_mode=diff:max_colors=256"], "pal")
        return g.chain([split[0], palette], ["paletteuse=dither=bayer:bayer_scale=4"], "vout")
    if output.format == "png":
        total = canvas.frames(draft.d)
        at = canvas.frames(draft.d // 2 if output.poster_ms is None else output.poster_ms)
        at = min(max(at, 0), total - 1)
        return g.chain(video, [f"trim=start_frame={at}:end_frame={at + 1}",
                               "scale=in_color_matrix=bt709:in_range=tv", "format=rgb24"],
                       "vout")
    return g.chain(video, ["format=yuv420p", TAG_709], "vout")


def compile_plan(draft: Draft, media: Mapping[str, MediaInfo], output: OutputSpec, *,
                 font: str, font_family: str | None = None, text_scale: float = 1.0,
                 sound: bool = True, gain_db: float = 0.0) -> Plan:
    """Compile a validated draft into one ffmpeg plan (pure: reads no file, starts nothing).

    ``media`` maps every ``src`` to its MediaInfo; ``font`` is the TTF/OTF used for text, made
    available to libass through a ``fonts/`` link in the work folder. ``sound=False`` leaves
    the sound out of the graph altogether (its map and its encoder options stay in, for
    ``chunks.video_only`` to strip): ``render()`` mixes it in a pass of its own.
    ``gain_db`` is the sound's loudness gain measured by ``render.loudness``.
    """
    canvas = canvas_for(draft, output)
    frames = canvas.frames(draft.d)
    bg = str(draft.m.get("bg", "#000000"))
    g = Graph()
    video = main_sequence(g, draft, media, canvas, frames, bg)
    aux: list[AuxFile] = []
    ass = ass_document(draft, canvas, font_family or font_family_of(font), text_scale)
    if ass is not None:
        aux.append(AuxFile(ASS_FILE, text=ass))
        aux.append(AuxFile(f"{FONTS_DIR}/{os.path.basename(font)}", link_to=font))
        video = g.chain(video, [f"ass={ASS_FILE}:fontsdir={FONTS_DIR}"], "tx")
    video = _finish_video(g, video, output, canvas, draft)
    maps = [video]
    if output.format in ("mp4", "webm") and sound:
        maps.append(audio_stream(g, draft, media, gain_db, quick=output.live))
    return Plan(
        inputs=tuple(g.inputs),
        graph=g.text(),
        maps=tuple(maps),
        output_args=(*metadata_args(draft),
                     *_encoder_args(output, canvas, frames if output.format != "png" else 1)),
        output_path=output.path,
        canvas=canvas,
        duration_ms=draft.d,
        frames=frames,
        aux_files=tuple(aux),
        prepare=g.prepare(),
        motion=tuple(g.motion),
    )
