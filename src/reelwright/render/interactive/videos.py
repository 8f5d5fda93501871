"""The video files an interactive export carries: the main video (without the interactive
layer, and without burned-in captions when they travel as WebVTT) and one file per clip branch.
Each is made by the ordinary renderer, so every file is browser-safe H.264/AAC.

The files are for the web: drawn at the sharpest source video's own resolution (a 720p clip on a
1080p canvas stays 720p; nothing is upscaled) and with the bitrate capped for streaming
(``web_kbps``), so a minute of 720p stays under the 16 MB per file that H5P hosts allow by
default."""

from __future__ import annotations

import os
import threading
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reelwright.draft import interactive
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.validate import validate
from reelwright.errors import DraftInvalid
from reelwright.render.interactive import manifest
from reelwright.render.pipeline import render
from reelwright.render.types import OutputSpec, RenderResult

WEB_KBPS_720P = 1500
"""Video bitrate cap at 1280x720 (a one-second VBV buffer); other sizes scale by pixel count
** 0.75 (``web_kbps``). With 192 kbit/s of sound a minute of 720p is at most about 13 MB."""
MIN_KBPS, MAX_KBPS = 300, 4000


def web_scale(draft: Draft, media: Mapping[str, MediaInfo]) -> float:
    """How much smaller than the canvas a web video is drawn so no source video is upscaled:
    the sharpest video source's size over the canvas (1.0 when there is no video source or
    one is as large as the canvas)."""
    best = 0.0
    for track in draft.tracks_of(TrackType.VISUAL):
        for seg in track.sg:
            info = media.get(seg.src) if seg.src else None
            if info is not None and info.kind == "video" and info.w and info.h:
                best = max(best, info.w / draft.w, info.h / draft.h)
    return 1.0 if best <= 0 or best >= 1 else max(best, 16 / min(draft.w, draft.h))


def web_kbps(w: int, h: int) -> int:
    """The video bitrate cap for a ``w`` x ``h`` web video (1500 kbit/s at 720p)."""
    rate = WEB_KBPS_720P * ((w * h) / (1280 * 720)) ** 0.75
    return int(min(MAX_KBPS, max(MIN_KBPS, round(rate / 10) * 10)))


def web_output(draft: Draft, media: Mapping[str, MediaInfo], path: Path,
               options: RenderOptions) -> OutputSpec:
    """The MP4 settings for one web video of ``draft``: source resolution, capped bitrate."""
    scale = web_scale(draft, media)
    w, h = _even(draft.w * scale), _even(draft.h * scale)
    return OutputSpec(path=str(path), format="mp4", quality=options.quality, scale=scale,
                      max_kbps=web_kbps(w, h))


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


@dataclass
class Videos:
    main: Path
    branches: dict[str, Path] = field(default_factory=dict)
    cues: list[tuple[int, int, str]] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)  # the main video's width and height as rendered


@dataclass(frozen=True)
class RenderOptions:
    """What an interactive export passes through to ``render`` for each video file."""

    quality: str = "high"
    ffmpeg: str | None = None
    font: str | None = None
    on_progress: Callable[[float], None] | None = None
    cancel: threading.Event | None = None
    timeout: float | None = None
    workdir: Path | None = None


def check(draft: Draft, media: Mapping[str, MediaInfo]) -> None:
    """The draft rules plus the interactive rules, as one ``DraftInvalid``."""
    validate(draft, media)
    found = interactive.problems(draft, media)
    if found:
        raise DraftInvalid(found)


def branch_draft(draft: Draft, info: MediaInfo) -> Draft:
    """A one-clip draft on the main draft's canvas for a clip branch."""
    d = max(1, info.duration_ms or 1000)
    return Draft(w=draft.w, h=draft.h, fps=draft.fps, d=d, m={"bg": draft.m.get("bg", "#000000")},
                 t=[Track(id="v1", tt=TrackType.VISUAL,
                          sg=[Segment(id="s1", st=0, d=d, src=info.id, m={"fit": "contain"})])])


def render_videos(draft: Draft, media: Mapping[str, MediaInfo], folder: Path,
                  options: RenderOptions, *, vtt: bool) -> Videos:
    """Render the main video and the clip branches into ``folder``."""
    cues = manifest.caption_cues(draft) if vtt else []
    clips = {name: b["src"] for name, b in interactive.branches(draft).items() if "src" in b}
    jobs = [("main", manifest.without_layers(draft, drop_captions=bool(cues)))]
    jobs += [(name, branch_draft(draft, media[src])) for name, src in clips.items()]
    total = sum(job.d for _, job in jobs) or 1
    done = 0
    out = Videos(main=folder / "video.mp4", cues=cues)
    for i, (name, job) in enumerate(jobs):
        target = out.main if name == "main" else folder / f"branch-{i}.mp4"

        def progress(fraction: float, base: int = done, size: int = job.d) -> None:
            if options.on_progress is not None:
                options.on_progress(min(0.99, (base + fraction * size) / total))

        result = render(job, media, web_output(job, media, target, options),
                        ffmpeg=options.ffmpeg, font=options.font, on_progress=progress,
                        cancel=options.cancel, timeout=options.timeout, workdir=options.workdir)
        if name != "main":
            out.branches[name] = target
        else:
            out.size = (result.w, result.h)
        done += job.d
    return out


def render_parts(info: MediaInfo, parts: Mapping[str, tuple[int, int]], folder: Path,
                 options: RenderOptions) -> dict[str, Path]:
    """Cut the rendered main video (described by ``info``) into the named ``(start, end)`` ms
    parts, each a web video of its own (H5P's branching scenario plays one file per part)."""
    out = {}
    media = {info.id: info}
    for name, (lo, hi) in parts.items():
        part = Draft(w=info.w, h=info.h, fps=round(info.fps or 25), d=hi - lo, m={"bg": "#000000"},
                     t=[Track(id="v1", tt=TrackType.VISUAL, sg=[Segment(
                         id="s1", st=0, d=hi - lo, src=info.id, in_=lo, m={"fit": "contain"})])])
        target = folder / name
        render(part, media, OutputSpec(path=str(target), format="mp4", quality=options.quality,
                                       max_kbps=web_kbps(info.w, info.h)),
               ffmpeg=options.ffmpeg, font=options.font, cancel=options.cancel,
               timeout=options.timeout, workdir=options.workdir)
        out[name] = target
    return out


@contextmanager
def atomic_zip(final: Path, compression: int = zipfile.ZIP_STORED) -> Iterator[zipfile.ZipFile]:
    """A zip written to a hidden ``.part`` file and moved to ``final`` only when complete."""
    partial = final.with_name(f".{final.name}.part")
    try:
        with zipfile.ZipFile(partial, "w", compression) as zf:
            yield zf
        os.replace(partial, final)
    finally:
        if partial.exists():
            partial.unlink()


def package_result(draft: Draft, final: Path, fmt: str, options: RenderOptions,
                   videos: Videos) -> RenderResult:
    """Report a finished package: progress 1.0, and its facts (the main video's size)."""
    if options.on_progress is not None:
        options.on_progress(1.0)
    w, h = videos.size if videos.size[0] else (draft.w, draft.h)
    return RenderResult(path=str(final), format=fmt, duration_ms=draft.d,
                        size_bytes=final.stat().st_size, w=w, h=h)
