"""Smooth Ken Burns: a per-frame, sub-pixel view into a prepared still.

The still is scaled once to a *work frame* in which the cover-fit view (zoom 1) is exactly the
canvas size. Each output frame maps a view rectangle of ``canvas / z`` pixels, whose left/top
are real numbers, onto the canvas with bilinear interpolation; zoom changes geometrically so the
apparent speed stays constant. Integer crops or ``zoompan`` move in whole pixels and visibly jitter.

``view_at`` is the motion as numbers: ``render.motion`` draws main-track stills from it (a
bilinear warp fed to ffmpeg as raw frames). ``perspective`` is the same motion as ffmpeg
expressions, used where a moving picture is not a main-track still (clips, picture-in-picture).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KenBurns:
    """Zoom (>= 1, relative to the cover view) and normalised source centre, at start and end."""

    z0: float = 1.0
    z1: float = 1.15
    x0: float = 0.5
    y0: float = 0.5
    x1: float = 0.5
    y1: float = 0.5

    @classmethod
    def from_meta(cls, kb: Any) -> KenBurns | None:
        if not isinstance(kb, Mapping):
            return None
        values = {key: float(kb[key]) for key in ("z0", "z1", "x0", "y0", "x1", "y1") if key in kb}
        return cls(**values)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class CoverLayout:
    """How to prepare a source for cover-fit Ken Burns: crop (source px), then scale to work.

    ``density`` is work pixels per canvas pixel at zoom 1: above 1 the work frame keeps the
    detail the deepest zoom will show, so the moving view is sampled, never magnified."""

    crop: tuple[int, int, int, int]
    work_w: int
    work_h: int
    start: tuple[float, float]
    end: tuple[float, float]
    density: float = 1.0


MAX_STEP = 1.5  # the most work pixels one output pixel may step over (bilinear, no blur)


def sharp_density(src_w: int, src_h: int, canvas_w: int, canvas_h: int, kb: KenBurns) -> float:
    """Work pixels per canvas pixel for a still: enough for the deepest zoom to be drawn 1:1,
    no more than the photo has, and at most ``MAX_STEP`` source pixels per output pixel at the
    widest view (bilinear sampling that skips more pixels than that would alias)."""
    scale = max(canvas_w / src_w, canvas_h / src_h)  # canvas px per source px at zoom 1
    low, high = max(min(kb.z0, kb.z1), 1.0), max(kb.z0, kb.z1, 1.0)
    return max(1.0, min(high, MAX_STEP * low, 1.0 / scale))


def _view(src_w: float, src_h: float, scale: float, canvas_w: int, canvas_h: int,
          z: float, cx: float, cy: float) -> Rect:
    vw, vh = canvas_w / (scale * z), canvas_h / (scale * z)
    x = min(max(cx * src_w - vw / 2, 0.0), src_w - vw)
    y = min(max(cy * src_h - vh / 2, 0.0), src_h - vh)
    return Rect(x, y, vw, vh)


def _even_up(value: float) -> int:
    """The even size at or above ``value`` (within rounding noise)."""
    return max(2, math.ceil(value / 2 - 1e-6) * 2)


def cover_layout(src_w: int, src_h: int, canvas_w: int, canvas_h: int,
                 kb: KenBurns, density: float = 1.0) -> CoverLayout:
    """Crop only what the motion needs, so a 12 MP photo becomes a work frame near canvas size
    (times ``density``, see ``sharp_density``)."""
    scale = max(canvas_w / src_w, canvas_h / src_h)
    a = _view(src_w, src_h, scale, canvas_w, canvas_h, kb.z0, kb.x0, kb.y0)
    b = _view(src_w, src_h, scale, canvas_w, canvas_h, kb.z1, kb.x1, kb.y1)
    left, top = min(a.x, b.x), min(a.y, b.y)
    right, bottom = max(a.x + a.w, b.x + b.w), max(a.y + a.h, b.y + b.h)
    base_w, base_h = canvas_w / scale, canvas_h / scale
    if right - left < base_w:
        grow = (base_w - (right - left)) / 2
        left, right = left - grow, right + grow
    if bottom - top < base_h:
        grow = (base_h - (bottom - top)) / 2
        top, bottom = top - grow, bottom + grow
    shift_x = max(0.0, -left) - max(0.0, right - src_w)
    shift_y = max(0.0, -top) - max(0.0, bottom - src_h)
    left, right, top, bottom = left + shift_x, right + shift_x, top + shift_y, bottom + shift_y
    cx0, cy0 = max(0, math.floor(left)), max(0, math.floor(top))
    cx1, cy1 = min(src_w, math.ceil(right)), min(src_h, math.ceil(bottom))
    crop_w, crop_h = cx1 - cx0, cy1 - cy0
    # rounded up, never down: a work frame smaller than the widest view would clamp the motion
    work_w = max(_even_up(canvas_w * density), _even_up(crop_w * scale * density))
    work_h = max(_even_up(canvas_h * density), _even_up(crop_h * scale * density))
    kx, ky = work_w / crop_w, work_h / crop_h

    def centre(view: Rect) -> tuple[float, float]:
        return ((view.x + view.w / 2 - cx0) * kx, (view.y + view.h / 2 - cy0) * ky)

    return CoverLayout((crop_w, crop_h, cx0, cy0), work_w, work_h, centre(a), centre(b),
                       density)


def _num(value: float, digits: int = 4) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


@dataclass(frozen=True)
class Move:
    """One still's motion: its frames, zoom at start and end, view centres (work px) and the
    work frame's density (work px per canvas px at zoom 1)."""

    frames: int
    z0: float
    z1: float
    start: tuple[float, float]
    end: tuple[float, float]
    density: float = 1.0


@dataclass(frozen=True)
class View:
    """Frame ``i`` of a move: the view's top-left corner in work-frame pixels and the work
    pixels per output pixel; output pixel (X, Y) shows work point (left + X*step, top + Y*step)."""

    left: float
    top: float
    step: float


def view_at(move: Move, index: int, work_w: int, work_h: int, canvas_w: int,
            canvas_h: int) -> View:
    """Where frame ``index`` (0 .. frames - 1) of ``move`` looks: the same geometric zoom and
    constant on-screen pan speed as ``perspective``, from exactly the start to exactly the end."""
    z0, z1 = move.z0, move.z1
    progress = index / max(move.frames - 1, 1)
    zoom = max(1.0, z0 * (z1 / z0) ** progress) if z1 != z0 else max(z0, 1.0)
    pan = ((1 - (z0 / z1) ** progress) / (1 - z0 / z1) if abs(z1 - z0) > 1e-3
           else progress)
    cx = move.start[0] + (move.end[0] - move.start[0]) * pan
    cy = move.start[1] + (move.end[1] - move.start[1]) * pan
    step = move.density / zoom
    left = min(max(cx - canvas_w * step / 2, 0.0), work_w - canvas_w * step)
    top = min(max(cy - canvas_h * step / 2, 0.0), work_h - canvas_h * step)
    return View(max(left, 0.0), max(top, 0.0), step)


def _corners(work_w: int, work_h: int, canvas_w: int, canvas_h: int, move: Move,
             index: str) -> dict[str, str]:
    """The four corners of the view of ``move`` at frame ``index`` (an expression)."""
    z0, z1, start, end = move.z0, move.z1, move.start, move.end
    span = max(move.frames - 1, 1)
    progress = f"{index}/{span}"
    # zoom never drops below 1 through rounding: perspective rejects views outside the frame
    zoom = (f"max(1,{_num(z0)}*pow({_num(z1 / z0, 8)},{progress}))" if z1 != z0
            else _num(max(z0, 1.0)))
    # The pan runs at a constant speed on screen, not in the source: with zoom z the source
    # moves z times faster on screen, so the centre advances in proportion to 1/z0 - 1/z.
    pan = (f"(1-pow({_num(z0 / z1, 8)},{progress}))/{_num(1 - z0 / z1, 8)}"
           if abs(z1 - z0) > 1e-3 else progress)
    cx = f"{_num(start[0])}+{_num(end[0] - start[0])}*{pan}"
    cy = f"{_num(start[1])}+{_num(end[1] - start[1])}*{pan}"
    if move.density != 1.0:  # ld(0) holds work px per output px instead of the zoom
        zoom = f"{_num(move.density, 6)}/({zoom})"
        per = "*ld(0)"
    else:
        per = "/ld(0)"
    left = f"st(0,{zoom});clip({cx}-{canvas_w / 2:g}{per},0,{work_w}-{canvas_w}{per})"
    top = f"st(0,{zoom});clip({cy}-{canvas_h / 2:g}{per},0,{work_h}-{canvas_h}{per})"
    right = f"{left}+{work_w}{per}"
    bottom = f"{top}+{work_h}{per}"
    return {"x0": left, "y0": top, "x1": right, "y1": top,
            "x2": left, "y2": bottom, "x3": right, "y3": bottom}


def perspective_moves(work_w: int, work_h: int, canvas_w: int, canvas_h: int,
                      moves: Sequence[Move]) -> str:
    """One ``perspective`` (+ ``crop``) drawing several stills played one after another, each
    with its own move; the output frame number picks the move.

    Sharing one instance keeps one coordinate table (17 MB at 1080p) instead of one per photo:
    ffmpeg holds every filter of a graph until the render ends.
    """
    corners: dict[str, str] = {}
    first = 0
    ends: list[int] = []
    per_move: list[dict[str, str]] = []
    for move in moves:
        index = f"(on-{first})" if first else "on"
        per_move.append(_corners(work_w, work_h, canvas_w, canvas_h, move, index))
        first += move.frames
        ends.append(first)
    for key in per_move[0]:
        expr = per_move[-1][key]
        for at in reversed(range(len(moves) - 1)):
            # perspective counts ``on`` from 1: move k owns on = first_k + 1 .. end_k
            expr = f"if(lte(on,{ends[at]}),{per_move[at][key]},{expr})"
        corners[key] = expr
    args = ":".join(f"{key}='{value}'" for key, value in corners.items())
    out = f"perspective={args}:interpolation=linear:eval=frame"
    if (work_w, work_h) != (canvas_w, canvas_h):
        out += f",crop={canvas_w}:{canvas_h}:0:0"
    return out


def perspective(work_w: int, work_h: int, canvas_w: int, canvas_h: int, frames: int,
                z0: float, z1: float, start: tuple[float, float],
                end: tuple[float, float]) -> str:
    """``perspective`` (+ ``crop``) drawing the moving view; centres are work-frame pixels."""
    return perspective_moves(work_w, work_h, canvas_w, canvas_h,
                             [Move(frames, z0, z1, start, end)])


def contain_point(src_w: int, src_h: int, canvas_w: int, canvas_h: int,
                  x: float, y: float) -> tuple[float, float]:
    """Where normalised source point (x, y) lands on a contain-fitted canvas."""
    scale = min(canvas_w / src_w, canvas_h / src_h)
    ox, oy = (canvas_w - src_w * scale) / 2, (canvas_h - src_h * scale) / 2
    return ox + x * src_w * scale, oy + y * src_h * scale
