"""Visual tracks -> one video stream of exactly ``frames`` frames at the canvas size and rate.

Every segment becomes a *piece* that starts at frame 0 and lasts exactly its frames; pieces are
joined with ``xfade`` where the later one has a transition and ``concat`` otherwise, and gaps are
filled with the draft's background colour. Stills are decoded and scaled once, then repeated
with ``loop`` (``-loop 1`` would decode the JPEG again for every frame).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, TrackType
from reelwright.render import kenburns
from reelwright.render.compile_graph import Graph, StillBuilder, color_hex
from reelwright.render.plan import Canvas, MotionLane, MotionStill
from reelwright.render.transitions import xfade_name, xfade_per_plane

TO_TV = "out_color_matrix=bt709:out_range=tv"
BLUR_DOWNSCALE = 8


# Stills (JPEG is BT.601 full range; PNG decodes to RGB, which swscale turns into BT.601):
# scale to TV range, then a cheap in-place BT.601 -> BT.709 matrix. Asking swscale for the
# matrix change instead makes it go through a full-size RGB intermediate per photo.
STILL_RANGE = "out_range=tv"
STILL_MATRIX = "colormatrix=bt601:bt709,setparams=colorspace=bt709:range=tv"


def _fit_filters(fit: str, w: int, h: int, bg: str, still: bool = False) -> list[str]:
    """Filters that fit any frame into ``w`` x ``h`` per ``fit`` (no Ken Burns)."""
    conv = STILL_RANGE if still else TO_TV
    matrix = [STILL_MATRIX] if still else []
    if fit == "contain":
        return [f"scale={w}:{h}:force_original_aspect_ratio=decrease:{conv}", *matrix,
                f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color={color_hex(bg)}"]
    return [f"scale={w}:{h}:force_original_aspect_ratio=increase:{conv}",
            f"crop={w}:{h}", *matrix]


def _blur_fill(g: Graph, source: str, w: int, h: int) -> str:
    """Contain-fit ``source`` over a blurred, darkened cover-fit copy of itself."""
    split = g.label("bs"), g.label("bf")
    g.chains.append(f"{source}split=2{split[0]}{split[1]}")
    small_w, small_h = max(2, w // BLUR_DOWNSCALE // 2 * 2), max(2, h // BLUR_DOWNSCALE // 2 * 2)
    back = g.chain(split[0], [
        f"scale={small_w}:{small_h}:force_original_aspect_ratio=increase:{TO_TV}",
        f"crop={small_w}:{small_h}", "gblur=sigma=6", "eq=brightness=-0.08",
        f"scale={w}:{h}"], "bb")
    front = g.chain(split[1], [
        f"scale={w}:{h}:force_original_aspect_ratio=decrease:{TO_TV}"], "bf")
    return g.chain([back, front], ["overlay=(W-w)/2:(H-h)/2"], "bl")


def _cover_layout(info: MediaInfo, seg: Segment, w: int,
                  h: int) -> tuple[kenburns.KenBurns, kenburns.CoverLayout] | None:
    """The Ken Burns work-frame layout when ``seg`` moves over a cover-fitted source. A still
    keeps the detail its deepest zoom shows (``sharp_density``); a clip is scaled every frame,
    so it stays at canvas density."""
    kb = kenburns.KenBurns.from_meta(seg.m.get("kb"))
    if kb is None or str(seg.m.get("fit", "cover")) != "cover" or info.w <= 0 or info.h <= 0:
        return None
    density = (kenburns.sharp_density(info.w, info.h, w, h, kb) if info.kind == "image"
               else 1.0)
    return kb, kenburns.cover_layout(info.w, info.h, w, h, kb, density)


def _fitted(g: Graph, source: str, info: MediaInfo, seg: Segment, w: int, h: int, bg: str,
            still: bool) -> tuple[str, tuple[int, int]]:
    """Fit ``source`` into ``w`` x ``h`` per ``fit`` (or into its Ken Burns work frame, which
    may be larger); returns the 4:2:0 label and its size."""
    fit = str(seg.m.get("fit", "cover"))
    cover = _cover_layout(info, seg, w, h)
    if cover is not None:
        lay = cover[1]
        cw, ch, cx, cy = lay.crop
        # relative to the decoded size, which -lowres may have divided by 2, 4 or 8; exact
        # fractions (not a rounded 1/w factor) so a full-width crop never exceeds the input
        crop = (f"crop=w=iw*{cw}/{info.w}:h=ih*{ch}/{info.h}:"
                f"x=iw*{cx}/{info.w}:y=ih*{cy}/{info.h}"
                if (cw, ch) != (info.w, info.h) else "")
        conv = STILL_RANGE if still else TO_TV
        prep = [*([crop] if crop else []),
                f"scale={lay.work_w}:{lay.work_h}:flags=lanczos:{conv}",
                *([STILL_MATRIX] if still else []), "format=yuv420p"]
        return g.chain(source, prep, "pf"), (lay.work_w, lay.work_h)
    if fit == "blur":
        blurred = _blur_fill(g, source, w, h)
        body = [f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color={color_hex(bg)}", "format=yuv420p"]
        return g.chain(blurred, body, "pb"), (w, h)
    return g.chain(source, [*_fit_filters(fit, w, h, bg, still), "format=yuv420p"], "pf"), (w, h)


def _move(info: MediaInfo, seg: Segment, w: int, h: int,
          frames: int) -> tuple[tuple[int, int], kenburns.Move] | None:
    """The Ken Burns move of ``seg`` and the size of the fitted frame it moves over."""
    cover = _cover_layout(info, seg, w, h)
    if cover is not None:
        kb, lay = cover
        return (lay.work_w, lay.work_h), kenburns.Move(frames, kb.z0, kb.z1, lay.start, lay.end,
                                                       lay.density)
    fitted = kenburns.KenBurns.from_meta(seg.m.get("kb"))  # over a contain/blur-fitted frame
    if fitted is None:
        return None
    src_w, src_h = (info.w, info.h) if info.w > 0 and info.h > 0 else (w, h)
    start = kenburns.contain_point(src_w, src_h, w, h, fitted.x0, fitted.y0)
    end = kenburns.contain_point(src_w, src_h, w, h, fitted.x1, fitted.y1)
    return (w, h), kenburns.Move(frames, fitted.z0, fitted.z1, start, end)


def _motion(info: MediaInfo, seg: Segment, w: int, h: int, frames: int) -> list[str]:
    """The Ken Burns filters for a fitted frame (none without ``kb``)."""
    move = _move(info, seg, w, h, frames)
    if move is None:
        return []
    (work_w, work_h), one = move
    return [kenburns.perspective_moves(work_w, work_h, w, h, [one])]


@dataclass
class _Lane:
    end: int = 0  # timeline frame where its last still ends
    stills: list[tuple[str, tuple[int, int], kenburns.Move, str]] = field(default_factory=list)


class _Lanes:
    """Main-track Ken Burns stills outside a run (``_run_piece``), drawn in a few *lanes*.

    A lane is one raw video input that ``render.motion`` fills with moving frames (a bilinear
    warp, a small fraction of the CPU of ffmpeg's ``perspective``). Stills that never overlap
    in time share a lane and are cut apart again with ``split`` + ``trim``; stills joined by
    other transitions than a cross-fade (wipes, slides...) need two lanes whatever their
    number.
    """

    def __init__(self, canvas: Canvas) -> None:
        self.w, self.h, self.fps = canvas.w, canvas.h, canvas.fps
        self.lanes: list[_Lane] = []

    def add(self, g: Graph, still: str, size: tuple[int, int], move: kenburns.Move,
            start: int, end: int) -> str:
        """Queue prepared still file ``still`` (``size``) shown over timeline frames
        [start, end); returns the label its moving frames will have."""
        lane = next((one for one in self.lanes if one.end <= start), None)
        if lane is None:
            lane = _Lane()
            self.lanes.append(lane)
        lane.end = end
        out = g.label("kb")
        lane.stills.append((still, size, move, out))
        return out

    def emit(self, g: Graph) -> None:
        for lane in self.lanes:
            stills = tuple(MotionStill(file, w, h, move)
                           for file, (w, h), move, _ in lane.stills)
            outs = [out for *_, out in lane.stills]
            spec = MotionLane(f"motion{len(g.motion)}.yuv", self.w, self.h, stills)
            index = g.add_motion(spec, self.fps)
            timed = (f"[{index}:v]setparams=colorspace=bt709:range=tv,"
                     f"settb=1/{self.fps},setpts=N")
            if len(outs) == 1:
                g.chains.append(f"{timed}{outs[0]}")
                continue
            parts = [g.label("ls") for _ in outs]
            g.chains.append(f"{timed},split={len(parts)}{''.join(parts)}")
            first = 0
            for part, still, out in zip(parts, stills, outs, strict=True):
                frames = still.move.frames
                g.chains.append(f"{part}trim=start_frame={first}:end_frame={first + frames},"
                                f"setpts=PTS-STARTPTS{out}")
                first += frames


MAX_LOWRES = 3


def _lowres(info: MediaInfo, seg: Segment, w: int, h: int) -> list[str]:
    """Ask the JPEG decoder for 1/2, 1/4 or 1/8 size when that is still more than the frame
    needs: a 12 MP photo then decodes 4x faster into a quarter of the memory. Decoders
    without the option (PNG, WebP) ignore it."""
    if info.w <= 0 or info.h <= 0:
        return []
    fit = str(seg.m.get("fit", "cover"))
    scale = (max(w / info.w, h / info.h) if fit == "cover"
             else min(w / info.w, h / info.h))
    cover = _cover_layout(info, seg, w, h)
    if cover is not None:
        scale *= cover[1].density  # the work frame keeps the deepest zoom's detail
    level = 0
    while level < MAX_LOWRES and scale * 2 ** (level + 1) <= 1:
        level += 1
    return ["-lowres", str(level)] if level else []


def _fades(seg: Segment, canvas: Canvas, frames: int, bg: str) -> list[str]:
    out: list[str] = []
    fade_in = min(canvas.frames(int(seg.m.get("fi", 0))), frames)
    fade_out = min(canvas.frames(int(seg.m.get("fo", 0))), frames)
    if fade_in:
        out.append(f"fade=t=in:s=0:n={fade_in}:c={color_hex(bg)}")
    if fade_out:
        out.append(f"fade=t=out:s={frames - fade_out}:n={fade_out}:c={color_hex(bg)}")
    return out


def _still_builder(info: MediaInfo, seg: Segment, w: int, h: int, bg: str) -> StillBuilder:
    """The preparation-graph filters that fit one still (its first frame) for ``seg``."""
    def fit_still(prep: Graph, source: str) -> tuple[str, tuple[int, int]]:
        first = prep.chain(source, ["trim=end_frame=1"], "im")
        return _fitted(prep, first, info, seg, w, h, bg, still=True)

    return fit_still


def segment_piece(g: Graph, seg: Segment, info: MediaInfo, canvas: Canvas, frames: int,
                  bg: str, size: tuple[int, int] | None = None, lanes: _Lanes | None = None,
                  start: int = 0) -> str:
    """One segment as a stream of exactly ``frames`` frames, ``size`` (canvas by default).

    With ``lanes``, a Ken Burns still (shown from timeline frame ``start``) is drawn in a
    motion lane that ``lanes.emit`` adds later."""
    w, h = size or (canvas.w, canvas.h)
    speed = float(seg.m.get("speed", 1))
    if info.kind == "image":
        fit_still = _still_builder(info, seg, w, h, bg)
        lowres = tuple(_lowres(info, seg, w, h))
        move = _move(info, seg, w, h, frames)
        if lanes is not None and move is not None:
            name, size = g.prepare_still(info.path, lowres, fit_still, lazy=True)
            piece = lanes.add(g, name, size, move[1], start, start + frames)
        else:
            index = g.add_still(info.path, lowres, fit_still, canvas.fps)
            # The raw frame is opened at the canvas rate, so the link rate is already right;
            # an ``fps`` filter here would drop the last looped frame at end of stream.
            looped = ["setparams=colorspace=bt709:range=tv",
                      f"loop=loop={frames - 1}:size=1:start=0", f"settb=1/{canvas.fps}",
                      "setpts=N"]
            piece = g.chain(f"[{index}:v]", [*looped, *_motion(info, seg, w, h, frames)], "pv")
        tail = _fades(seg, canvas, frames, bg)
    else:
        index = g.add_input(info.path, *(["-ss", f"{seg.in_ / 1000:g}"] if seg.in_ else []))
        need_s = frames / canvas.fps * speed
        timed = g.chain(f"[{index}:v]", [
            f"trim=duration={need_s:.6f}".rstrip("0"),
            "setpts=(PTS-STARTPTS)" + (f"/{speed:g}" if speed != 1 else ""),
            f"fps={canvas.fps}"], "cl")
        fitted, _ = _fitted(g, timed, info, seg, w, h, bg, still=False)
        motion = _motion(info, seg, w, h, frames)
        piece = g.chain(fitted, motion, "pv") if motion else fitted
        tail = ["tpad=stop=-1:stop_mode=clone", f"trim=end_frame={frames}",
                *_fades(seg, canvas, frames, bg)]
    return g.chain(piece, [*tail, "setsar=1"], "pc")


def _colour(g: Graph, canvas: Canvas, frames: int, bg: str) -> str:
    source = (f"color=c={color_hex(bg)}:s={canvas.w}x{canvas.h}:r={canvas.fps},"
              f"trim=end_frame={frames},scale={TO_TV},format=yuv420p,setsar=1")
    out = g.label("gap")
    g.chains.append(source + out)
    return out


@dataclass
class _Piece:
    label: str
    frames: int
    head: int = 0  # frames shared with the previous piece (its transition)
    transition: str | None = None
    tail: int = 0  # frames shared with the next piece


@dataclass
class _Entry:
    """One main-track segment placed on the frame grid."""

    seg: Segment
    start: int
    frames: int
    head: int  # frames shared with the previous piece
    transition: str | None
    still: bool  # a Ken Burns still a motion lane can draw


RUN_TRANSITIONS = frozenset({"fade"})  # what a lane writer blends itself (linear cross-fade)


def _joins(run: list[_Entry], entry: _Entry) -> bool:
    """Whether ``entry`` can be drawn in the same motion lane as the ``run`` it follows: both
    Ken Burns stills, a cut or a cross-fade between them, no fade to the background at the
    seam, and never three stills on screen at once."""
    last = run[-1]
    return (last.still and entry.still
            and (entry.transition is None or entry.transition in RUN_TRANSITIONS)
            and not last.seg.m.get("fo") and not entry.seg.m.get("fi")
            and last.head + entry.head <= last.frames and entry.head < entry.frames)


def _run_piece(g: Graph, run: list[_Entry], media: Mapping[str, MediaInfo], canvas: Canvas,
               bg: str) -> _Piece:
    """Consecutive Ken Burns stills joined by cuts and cross-fades, drawn (fades included)
    by one motion lane: nothing of it is left for ffmpeg to split, fade or concatenate."""
    stills = []
    for k, entry in enumerate(run):
        info = media[entry.seg.src or ""]
        moved = _move(info, entry.seg, canvas.w, canvas.h, entry.frames)
        assert moved is not None
        name, (w, h) = g.prepare_still(
            info.path, tuple(_lowres(info, entry.seg, canvas.w, canvas.h)),
            _still_builder(info, entry.seg, canvas.w, canvas.h, bg), lazy=True)
        stills.append(MotionStill(name, w, h, moved[1], entry.head if k else 0))
    lane = MotionLane(f"motion{len(g.motion)}.yuv", canvas.w, canvas.h, tuple(stills))
    index = g.add_motion(lane, canvas.fps)
    fades = [one for one in _fades(run[0].seg, canvas, lane.frames, bg) if "t=in" in one]
    fades += [one for one in _fades(run[-1].seg, canvas, lane.frames, bg) if "t=out" in one]
    label = g.chain(f"[{index}:v]", ["setparams=colorspace=bt709:range=tv",
                                     f"settb=1/{canvas.fps}", "setpts=N", *fades, "setsar=1"],
                    "pc")
    return _Piece(label, lane.frames, head=run[0].head, transition=run[0].transition)


def _pieces(g: Graph, draft: Draft, media: Mapping[str, MediaInfo], canvas: Canvas,
            total: int, bg: str) -> list[_Piece]:
    """Pieces of the main track in time order, gaps filled with ``bg``, ``total`` frames.

    Runs of Ken Burns stills joined by cuts or cross-fades become one piece drawn by one
    motion lane (``_run_piece``); any other segment is a piece of its own."""
    visual = draft.tracks_of(TrackType.VISUAL)
    segments = sorted(visual[0].sg, key=lambda s: s.st) if visual else []
    pieces: list[_Piece] = []
    lanes = _Lanes(canvas)
    run: list[_Entry] = []

    def flush() -> None:
        if not run:
            return
        if len(run) > 1:
            piece = _run_piece(g, run, media, canvas, bg)
        else:
            one = run[0]
            piece = _Piece(segment_piece(g, one.seg, media[one.seg.src or ""], canvas,
                                         one.frames, bg, lanes=lanes, start=one.start),
                           one.frames, head=one.head, transition=one.transition)
        if piece.head:
            pieces[-1].tail = piece.head
        pieces.append(piece)
        run.clear()

    cursor = 0
    for seg in segments:
        start, end = canvas.frames(seg.st), min(canvas.frames(seg.end), total)
        if end <= start or seg.src is None:
            continue
        if start > cursor:
            flush()
            pieces.append(_Piece(_colour(g, canvas, start - cursor, bg), start - cursor))
            cursor = start
        tr: Any = seg.m.get("tr")
        overlap = cursor - start if pieces or run else 0
        name = xfade_name(tr["n"]) if isinstance(tr, dict) and overlap > 0 else None
        if name is None:
            start = cursor  # a cut that overlaps by rounding drops the overlapped frames
            overlap = 0
        frames = end - start
        if frames <= 0:
            continue
        info = media[seg.src]
        still = info.kind == "image" and _move(info, seg, canvas.w, canvas.h, frames) is not None
        entry = _Entry(seg, start, frames, overlap, name, still)
        if not (run and _joins(run, entry)):
            flush()
        run.append(entry)
        cursor = end
    flush()
    if cursor < total or not pieces:
        pieces.append(_Piece(_colour(g, canvas, total - cursor, bg), total - cursor))
    lanes.emit(g)
    return pieces


def _xfade(g: Graph, a: str, b: str, name: str, duration: str, offset: str) -> str:
    """``xfade`` of ``a`` into ``b``, both 4:2:0. xfade itself only takes 4:4:4 (or grey):
    transitions without colour constants run on the three planes as grey pictures, the
    others on both sides converted to 4:4:4 and back."""
    options = f"transition={name}:duration={duration}:offset={offset}"
    if not xfade_per_plane(name):
        a444 = g.chain(a, ["format=yuv444p"], "ta")
        b444 = g.chain(b, ["format=yuv444p"], "tb")
        return g.chain([a444, b444], [f"xfade={options}", "format=yuv420p"], "xf")
    planes = []
    for side in (a, b):
        labels = [g.label("pl") for _ in range(3)]
        g.chains.append(f"{side}extractplanes=y+u+v{''.join(labels)}")
        planes.append(labels)
    mixed = [g.chain([pa, pb], [f"xfade={options}"], "xp")
             for pa, pb in zip(*planes, strict=True)]
    return g.chain(mixed, ["mergeplanes=format=yuv420p:map1s=1:map2s=2"], "xf")


def _transition(g: Graph, a: str, b: str, name: str, frames: int, canvas: Canvas) -> str:
    """``xfade`` over exactly the shared frames."""
    return _xfade(g, a, b, name, canvas.seconds(frames), "0")


def main_sequence(g: Graph, draft: Draft, media: Mapping[str, MediaInfo], canvas: Canvas,
                  total: int, bg: str) -> str:
    """The first visual track (transitions, gaps) plus overlay tracks, exactly ``total`` frames.

    Each piece is cut (``split`` + ``trim``, no copies) into head / body / tail; only the
    frames a transition shares go through ``xfade``, and one ``concat`` joins it all.
    """
    pieces = _pieces(g, draft, media, canvas, total, bg)
    if any(p.head + p.tail > p.frames for p in pieces):
        return _overlay_all(g, draft, media, canvas, total, bg,
                            _chained_sequence(g, pieces, canvas, total))
    parts: list[str] = []
    pending_tail: str | None = None
    for piece in pieces:
        cuts: list[tuple[str, str]] = []
        if piece.head:
            cuts.append(("head", f"trim=end_frame={piece.head}"))
        body = piece.frames - piece.head - piece.tail
        if body:
            cuts.append(("body", f"trim=start_frame={piece.head}:"
                                 f"end_frame={piece.frames - piece.tail},setpts=PTS-STARTPTS"))
        if piece.tail:
            cuts.append(("tail", f"trim=start_frame={piece.frames - piece.tail},"
                                 "setpts=PTS-STARTPTS"))
        if len(cuts) == 1:
            outs = {cuts[0][0]: piece.label}
        else:
            labels = [g.label("sp") for _ in cuts]
            g.chains.append(f"{piece.label}split={len(cuts)}{''.join(labels)}")
            outs = {kind: g.chain(label, [trim], "cut")
                    for (kind, trim), label in zip(cuts, labels, strict=True)}
        if piece.head:
            assert pending_tail is not None and piece.transition is not None
            parts.append(_transition(g, pending_tail, outs["head"], piece.transition,
                                     piece.head, canvas))
        if body:
            parts.append(outs["body"])
        pending_tail = outs.get("tail")
    joined = parts[0] if len(parts) == 1 else g.chain(
        parts, [f"concat=n={len(parts)}:v=1:a=0"], "cc")
    out = g.chain(joined, [f"trim=end_frame={total}"], "seq")
    return _overlay_all(g, draft, media, canvas, total, bg, out)


def _chained_sequence(g: Graph, pieces: list[_Piece], canvas: Canvas, total: int) -> str:
    """Fallback when transitions overlap each other: xfade whole pieces."""
    acc, acc_frames = pieces[0].label, pieces[0].frames
    for piece in pieces[1:]:
        if piece.head and piece.transition:
            acc = _xfade(g, acc, piece.label, piece.transition, canvas.seconds(piece.head),
                         canvas.seconds(acc_frames - piece.head))
            acc_frames += piece.frames - piece.head
        else:
            acc = g.chain([acc, piece.label], ["concat=n=2:v=1:a=0"], "cc")
            acc_frames += piece.frames
    return g.chain(acc, [f"trim=end_frame={total}"], "seq")


def _overlay_all(g: Graph, draft: Draft, media: Mapping[str, MediaInfo], canvas: Canvas,
                 total: int, bg: str, base: str) -> str:
    for track in draft.tracks_of(TrackType.VISUAL)[1:]:
        base = _overlay_track(g, base, track.sg, media, canvas, total, bg)
    return base


SLIDE_MS = 500  # an ``anim: "slide"`` overlay glides in over this long (and out over 60 %)


def _placed(seg: Segment, canvas: Canvas, total: int) -> tuple[int, int, int, int, int, int]:
    """An overlay segment's place: box width and height (even), left, top, and its first and
    end frames (clipped to ``total``)."""
    box = seg.m.get("box") or [0.65, 0.05, 0.3, 0.3]
    bw = max(2, int(round(box[2] * canvas.w / 2)) * 2)
    bh = max(2, int(round(box[3] * canvas.h / 2)) * 2)
    x, y = int(round(box[0] * canvas.w)), int(round(box[1] * canvas.h))
    return bw, bh, x, y, canvas.frames(seg.st), min(canvas.frames(seg.end), total)


def _sticker(g: Graph, base: str, seg: Segment, info: MediaInfo, canvas: Canvas,
             total: int) -> str:
    """A transparent still (``m.alpha``: a PNG drawing) in its ``box``: it fades in and out
    (``fi``/``fo``) and with ``anim: "slide"`` glides in from the right and out to the left,
    easing, by an overlay position that is an expression of time."""
    bw, bh, x, y, start, end = _placed(seg, canvas, total)
    if end <= start:
        return base
    frames = end - start
    index = g.add_input(info.path)
    # converted once to the overlay's own format, before the loop repeats the frame
    filters = [f"scale={bw}:{bh}:force_original_aspect_ratio=decrease:{TO_TV}",
               "format=yuva420p",
               f"loop=loop={frames - 1}:size=1:start=0", f"settb=1/{canvas.fps}", "setpts=N"]
    fade_in = min(canvas.frames(int(seg.m.get("fi", 0))), frames // 2)
    fade_out = min(canvas.frames(int(seg.m.get("fo", 0))), frames - fade_in)
    if fade_in:
        filters.append(f"fade=t=in:s=0:n={fade_in}:alpha=1")
    if fade_out:
        filters.append(f"fade=t=out:s={frames - fade_out}:n={fade_out}:alpha=1")
    filters.append(f"setpts=PTS+{start}")
    piece = g.chain(f"[{index}:v]", filters, "st")
    x_expr = str(x)
    if seg.m.get("anim") == "slide":
        t0, t1 = start / canvas.fps, end / canvas.fps
        glide = SLIDE_MS / 1000
        shift = round(canvas.w * 0.06)
        # ease-out in, ease-in out: (1-p)^2 of the way still to go / already gone
        x_expr = (f"'{x}+{shift}*pow(max(0,1-(t-{t0:.3f})/{glide:g}),2)"
                  f"-{shift}*pow(max(0,1-({t1:.3f}-t)/{glide * 0.6:g}),2)'")
    return g.chain([base, piece], [
        f"overlay=x={x_expr}:y={y}:eof_action=pass:"
        f"enable='between(n,{start},{end - 1})'"], "ov")


def _overlay_track(g: Graph, base: str, segments: list[Segment],
                   media: Mapping[str, MediaInfo], canvas: Canvas, total: int, bg: str) -> str:
    """Picture-in-picture: each segment fitted into its ``box`` and shown for its time."""
    for seg in segments:
        if seg.src is None:
            continue
        if seg.m.get("alpha") and media[seg.src].kind == "image":
            base = _sticker(g, base, seg, media[seg.src], canvas, total)
            continue
        bw, bh, x, y, start, end = _placed(seg, canvas, total)
        if end <= start:
            continue
        piece = segment_piece(g, seg, media[seg.src], canvas, end - start, bg, (bw, bh))
        shifted = g.chain(piece, [f"setpts=PTS+{start}"], "ps")
        base = g.chain([base, shifted], [
            f"overlay=x={x}:y={y}:eof_action=pass:"
            f"enable='between(n,{start},{end - 1})'"], "ov")
    return base
