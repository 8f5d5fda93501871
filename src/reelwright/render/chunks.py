"""Split a draft at hard cuts into chunk drafts that render independently. Pure: no I/O.

A boundary is only ever placed where a single-pass render would also change shot abruptly:

- at the start of a main-track segment that shares no frame with the one before it (a cut,
  never inside a transition, whose two shots overlap);
- not inside a picture-in-picture overlay segment (overlays are whole in one chunk);
- not inside a text segment's fade in or fade out (a text spanning the boundary is split
  in two halves: the first keeps its fade in, the second its fade out and its karaoke words,
  shifted);
- exactly on a frame, and on a 10 ms step, so text times shift without rounding.

Every chunk draft starts at 0 and keeps only the picture (sound tracks are dropped and clips
muted); the sound of the whole timeline is rendered once by ``audio_plan`` so no seam can be
heard. ``video_only`` turns a compiled chunk plan into a silent one; ``JoinPlan`` joins the
encoded chunks with the concat demuxer and muxes the sound in, copying both streams.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.render.compile_audio import SAMPLE_RATE, audio_stream
from reelwright.render.compile_graph import Graph
from reelwright.render.plan import BASE_ARGS, Canvas, Plan

AUDIO_ARGS = ("-c:a", "aac", "-b:a", "192k", "-ar", str(SAMPLE_RATE), "-ac", "2")
AUDIO_OPTIONS = frozenset({"-c:a", "-b:a", "-ar", "-ac"})
CONCAT_FILE = "chunks.ffconcat"
TEXT_STEP_MS = 10  # ASS times are centiseconds
DEFAULT_TEXT_FADE_MS = 300
MIN_CHUNK_MS = 1000


@dataclass(frozen=True)
class Chunk:
    """One piece of the timeline: ``frames`` frames from ``start_frame``, as its own draft."""

    index: int
    start_ms: int
    end_ms: int
    start_frame: int
    frames: int
    draft: Draft


@dataclass(frozen=True)
class Split:
    """The chunks (in order, covering every frame once) and the draft the sound comes from."""

    chunks: tuple[Chunk, ...]
    audio: Draft
    fps: int
    total_frames: int

    @property
    def boundaries_ms(self) -> list[int]:
        return [c.start_ms for c in self.chunks[1:]]


def _frames(ms: int, fps: int) -> int:
    return (ms * fps + 500) // 1000


def _on_frame(ms: int, fps: int) -> bool:
    return (ms * fps) % 1000 == 0 and ms % TEXT_STEP_MS == 0


def _text_fades(seg: Segment) -> tuple[int, int]:
    """The fade lengths compile_text actually draws (clamped to the segment)."""
    fade_in = min(int(seg.m.get("fi", DEFAULT_TEXT_FADE_MS)), seg.d // 2)
    fade_out = min(int(seg.m.get("fo", DEFAULT_TEXT_FADE_MS)), seg.d - fade_in)
    return fade_in, fade_out


def _hard_cuts(draft: Draft) -> list[int]:
    """Start times (ms) of main-track segments that share no frame with what came before."""
    visual = draft.tracks_of(TrackType.VISUAL)
    if not visual:
        return []
    fps, total = draft.fps, _frames(draft.d, draft.fps)
    cuts: list[int] = []
    cursor = 0
    for seg in sorted(visual[0].sg, key=lambda s: s.st):
        start, end = _frames(seg.st, fps), min(_frames(seg.end, fps), total)
        if end <= start or seg.src is None:
            continue
        if start >= cursor and start > 0:
            cuts.append(seg.st)
        cursor = max(cursor, end)
    return cuts


def _blocked(draft: Draft, ms: int) -> bool:
    """True when a cut at ``ms`` would split an overlay or land inside a text fade."""
    fps = draft.fps
    frame = _frames(ms, fps)
    for track in draft.tracks_of(TrackType.VISUAL)[1:]:
        for seg in track.sg:
            if _frames(seg.st, fps) < frame < _frames(seg.end, fps):
                return True
    for track in draft.tracks_of(TrackType.TEXT):
        for seg in track.sg:
            if seg.st < ms < seg.end:
                fade_in, fade_out = _text_fades(seg)
                if ms < seg.st + fade_in or ms > seg.end - fade_out:
                    return True
    return False


def cut_points(draft: Draft) -> list[int]:
    """Every time (ms) where the draft may be split without a visible difference."""
    return [ms for ms in _hard_cuts(draft)
            if 0 < ms < draft.d and _on_frame(ms, draft.fps) and not _blocked(draft, ms)]


def choose_boundaries(points: list[int], total_ms: int, parts: int,
                      min_ms: int = MIN_CHUNK_MS) -> list[int]:
    """Up to ``parts - 1`` cut points nearest to equal shares, no chunk under ``min_ms``."""
    chosen: list[int] = []
    previous = 0
    for k in range(1, parts):
        ideal = total_ms * k / parts
        usable = [p for p in points
                  if p - previous >= min_ms and total_ms - p >= min_ms and p > previous]
        if not usable:
            break
        best = min(usable, key=lambda p: abs(p - ideal))
        if chosen and best == chosen[-1]:
            continue
        chosen.append(best)
        previous = best
    return chosen


def _shift(seg: Segment, offset: int) -> Segment:
    moved = copy.deepcopy(seg)
    moved.st -= offset
    return moved


def _clip_text(seg: Segment, lo: int, hi: int) -> Segment:
    """The part of a text segment inside [lo, hi), with the fades and words that part shows."""
    start, end = max(seg.st, lo), min(seg.end, hi)
    part = copy.deepcopy(seg)
    fade_in, fade_out = _text_fades(seg)
    part.st, part.d = start, end - start
    part.m["fi"] = fade_in if start == seg.st else 0
    part.m["fo"] = fade_out if end == seg.end else 0
    words = seg.m.get("words")
    if isinstance(words, list):
        head = start - seg.st
        kept = []
        for a, b, word in words:
            a2, b2 = max(int(a) - head, 0), min(int(b) - head, part.d)
            if b2 > a2:
                kept.append([a2, b2, word])
        part.m["words"] = kept
    return part


def _chunk_draft(draft: Draft, lo: int, hi: int) -> Draft:
    """The picture of [lo, hi) as a draft starting at 0: visual and text tracks only."""
    tracks: list[Track] = []
    for track in draft.t:
        if track.tt == TrackType.VISUAL:
            segs = [_shift(s, lo) for s in track.sg if lo <= s.st < hi]
            for seg in segs:
                seg.m["mute"] = True  # the sound pass plays clip audio
            tracks.append(Track(track.id, track.tt, segs, copy.deepcopy(track.m)))
        elif track.tt == TrackType.TEXT:
            segs = [_shift(_clip_text(s, lo, hi), lo) for s in track.sg
                    if s.st < hi and s.end > lo]
            tracks.append(Track(track.id, track.tt, segs, copy.deepcopy(track.m)))
    return Draft(w=draft.w, h=draft.h, fps=draft.fps, d=hi - lo, t=tracks,
                 m=copy.deepcopy(draft.m), v=draft.v)


def chunkable(draft: Draft) -> bool:
    """Interactive drafts are exported elsewhere; everything else can be split."""
    return not any(t.tt == TrackType.INTERACTIVE and t.sg for t in draft.t)


def split(draft: Draft, parts: int, *, min_ms: int = MIN_CHUNK_MS) -> Split:
    """Split ``draft`` into at most ``parts`` chunks of near-equal length at safe cut points.

    Fewer chunks come back when the timeline has fewer safe cuts (one chunk is the whole
    draft). The chunks' frame counts add up to the single-pass frame count exactly.
    """
    bounds = choose_boundaries(cut_points(draft), draft.d, max(1, parts), min_ms)
    if not chunkable(draft):
        bounds = []
    edges = [0, *bounds, draft.d]
    chunks = []
    for index, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False)):
        first, last = _frames(lo, draft.fps), _frames(hi, draft.fps)
        chunks.append(Chunk(index, lo, hi, first, last - first, _chunk_draft(draft, lo, hi)))
    return Split(tuple(chunks), draft, draft.fps, _frames(draft.d, draft.fps))


def audio_plan(draft: Draft, media: Mapping[str, MediaInfo], output_path: str,
               gain_db: float = 0.0, mix_file: Path | None = None, *,
               quick: bool = False) -> Plan:
    """One plan for the whole timeline's sound (AAC in MP4), as the single pass mixes it;
    ``gain_db`` is what ``render.loudness`` measured, and ``mix_file`` the mix it kept (read
    instead of mixing again); ``quick`` for the live preview (no loudness pass)."""
    if mix_file is not None:
        from reelwright.render.loudness import level_plan

        return level_plan(draft, str(mix_file), output_path, gain_db,
                          (*AUDIO_ARGS, "-f", "mp4"))
    g = Graph()
    label = audio_stream(g, draft, media, gain_db, quick=quick)
    return Plan(inputs=tuple(g.inputs), graph=g.text(), maps=(label,),
                output_args=(*AUDIO_ARGS, "-f", "mp4"), output_path=output_path,
                canvas=Canvas(draft.w, draft.h, draft.fps), duration_ms=draft.d, frames=0)


def video_only(plan: Plan) -> Plan:
    """A compiled mp4 plan without its sound: the audio branch drains into ``anullsink``."""
    video, *rest = plan.maps
    graph = plan.graph + "".join(f";\n{label}anullsink" for label in rest)
    args: list[str] = []
    skip = False
    for arg in plan.output_args:
        if skip:
            skip = False
            continue
        if arg in AUDIO_OPTIONS:
            skip = True
            continue
        args.append(arg)
    return dataclasses.replace(plan, graph=graph, maps=(video,),
                               output_args=(*args[:-2], "-an", *args[-2:]))


def concat_list(paths: list[str], frames: list[int], fps: int) -> str:
    """An ``ffconcat`` list; exact durations keep every chunk on its frame grid."""
    lines = ["ffconcat version 1.0"]
    for path, count in zip(paths, frames, strict=True):
        quoted = path.replace("'", "'\\''")
        lines += [f"file '{quoted}'", f"duration {count / fps:.6f}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class JoinPlan(Plan):
    """Concatenate encoded chunks and mux the sound in, both copied (no re-encode)."""

    audio_path: str = ""

    def command(self, ffmpeg: str) -> list[str]:
        return [ffmpeg, *BASE_ARGS,
                "-f", "concat", "-safe", "0", "-i", CONCAT_FILE, "-i", self.audio_path,
                "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", *self.output_args,
                self.output_path]


@dataclass(frozen=True)
class MuxPlan(Plan):
    """Put a picture-only MP4 and a sound-only MP4 together, both copied (no re-encode)."""

    video_path: str = ""
    audio_path: str = ""

    def command(self, ffmpeg: str) -> list[str]:
        return [ffmpeg, *BASE_ARGS, "-i", self.video_path,
                "-i", self.audio_path, "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
                *self.output_args, self.output_path]


def mux_plan(video_path: str, audio_path: str, output_path: str, canvas: Canvas,
             duration_ms: int, frames: int, metadata: tuple[str, ...] = ()) -> MuxPlan:
    """The plan that muxes ``video_path`` and ``audio_path`` into ``output_path`` (fast start);
    ``metadata`` are ``-metadata`` options for the file."""
    return MuxPlan(inputs=(), graph="", maps=(), output_path=output_path,
                   output_args=(*metadata, "-movflags", "+faststart", "-f", "mp4"),
                   canvas=canvas,
                   duration_ms=duration_ms, frames=frames, video_path=video_path,
                   audio_path=audio_path)


def join_plan(split_: Split, chunk_paths: list[str], audio_path: str, output_path: str,
              canvas: Canvas, metadata: tuple[str, ...] = ()) -> JoinPlan:
    """The plan that joins ``chunk_paths`` (in order) and ``audio_path`` into the output."""
    from reelwright.render.plan import AuxFile

    listing = concat_list(chunk_paths, [c.frames for c in split_.chunks], split_.fps)
    return JoinPlan(inputs=(), graph="", maps=(), output_path=output_path,
                    output_args=(*metadata, "-frames:v", str(split_.total_frames),
                                 "-movflags", "+faststart", "-f", "mp4"),
                    canvas=canvas, duration_ms=split_.audio.d, frames=split_.total_frames,
                    aux_files=(AuxFile(CONCAT_FILE, text=listing),), audio_path=audio_path)


def chunk_media(draft: Draft, media: Mapping[str, MediaInfo]) -> dict[str, MediaInfo]:
    """Only the media a chunk draft uses (what a remote worker needs to be sent)."""
    return {mid: media[mid] for mid in draft.media_ids() if mid in media}


def describe(split_: Split) -> list[dict[str, Any]]:
    """Chunk facts for logs and the benchmark."""
    return [{"index": c.index, "start_ms": c.start_ms, "end_ms": c.end_ms,
             "frames": c.frames} for c in split_.chunks]
