"""Framing math: where to crop a photo for a canvas, and Ken Burns moves that keep faces in view.

All boxes are normalised to the SOURCE image (0..1 on each axis). A Ken Burns view at zoom ``z``
is the cover-fit window shrunk by ``z`` (``z >= 1``) and centred on a source point, exactly as
docs/draft.md describes the ``kb`` keys ``z0 z1 x0 y0 x1 y1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reelwright.draft.media import FocusBox

# Around a face: room for hair and a little air above, the chin below, shoulders aside.
HEADROOM = 0.6
CHIN_ROOM = 0.25
SIDE_ROOM = 0.2
PAN_SPAN = 0.25
PAN_ZOOM = 1.08
MIN_VISIBLE_ZOOM = 1.04


@dataclass(frozen=True)
class Box:
    """A normalised rectangle: top-left ``x, y`` and size ``w, h``."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def contains(self, other: Box, tol: float = 1e-3) -> bool:
        return (other.x >= self.x - tol and other.y >= self.y - tol
                and other.x + other.w <= self.x + self.w + tol
                and other.y + other.h <= self.y + self.h + tol)


def _clamp(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))


def keep_region(focus: Sequence[FocusBox], *, room: bool = True) -> Box | None:
    """What must stay in frame: every face plus headroom (``room``); else the strongest
    salient box."""
    faces = [box for box in focus if box.kind == "face" and box.w > 0 and box.h > 0]
    if faces:
        side, head, chin = (SIDE_ROOM, HEADROOM, CHIN_ROOM) if room else (0.0, 0.0, 0.0)
        x0 = min(f.x - side * f.w for f in faces)
        x1 = max(f.x + f.w + side * f.w for f in faces)
        y0 = min(f.y - head * f.h for f in faces)
        y1 = max(f.y + f.h + chin * f.h for f in faces)
    else:
        salient = [box for box in focus if box.w > 0 and box.h > 0]
        if not salient:
            return None
        best = max(salient, key=lambda b: b.score)
        x0, y0, x1, y1 = best.x, best.y, best.x + best.w, best.y + best.h
    x0, y0 = _clamp(x0, 0, 1), _clamp(y0, 0, 1)
    x1, y1 = _clamp(x1, 0, 1), _clamp(y1, 0, 1)
    return Box(x0, y0, x1 - x0, y1 - y0)


def focus_point(focus: Sequence[FocusBox], *, tall_crop: bool = False) -> tuple[float, float]:
    """The point to centre on: faces first, else the score-weighted salient centre.

    With no focus at all, a tall source cropped to a wider frame is centred a little above the
    middle, where subjects' heads usually are.
    """
    region = keep_region([b for b in focus if b.kind == "face"])
    if region is not None:
        return region.cx, region.cy
    weighted = [(b.cx, b.cy, max(b.score, 1e-6) * b.w * b.h) for b in focus if b.w > 0 < b.h]
    total = sum(w for _, _, w in weighted)
    if total > 0:
        return (sum(x * w for x, _, w in weighted) / total,
                sum(y * w for _, y, w in weighted) / total)
    return 0.5, (0.42 if tall_crop else 0.5)


def cover_size(src_w: int, src_h: int, target_aspect: float) -> tuple[float, float]:
    """Normalised size of the largest window of ``target_aspect`` (w/h) inside the source."""
    src_aspect = src_w / src_h
    if src_aspect > target_aspect:
        return target_aspect / src_aspect, 1.0
    return 1.0, src_aspect / target_aspect


def _axis_range(size: float, keep_lo: float | None, keep_hi: float | None) -> tuple[float, float]:
    """Centres on one axis that keep a window of ``size`` inside the image and around the keep."""
    lo, hi = size / 2, 1 - size / 2
    if keep_lo is not None and keep_hi is not None and keep_hi - keep_lo <= size:
        lo, hi = max(lo, keep_hi - size / 2), min(hi, keep_lo + size / 2)
    return lo, max(lo, hi)


def _centre(size: tuple[float, float], point: tuple[float, float],
            region: Box | None) -> tuple[float, float]:
    xr = _axis_range(size[0], region.x if region else None,
                     region.x + region.w if region else None)
    yr = _axis_range(size[1], region.y if region else None,
                     region.y + region.h if region else None)
    return _clamp(point[0], *xr), _clamp(point[1], *yr)


def cover_window(src_w: int, src_h: int, target_aspect: float,
                 focus: Sequence[FocusBox] = ()) -> Box:
    """The cover-fit crop of the source for a canvas of ``target_aspect`` (w/h).

    Faces are kept whole with headroom; when they cannot all fit, the window keeps the top of
    the heads (a chin cut is better than a forehead cut) and centres across on the largest face.
    """
    ww, wh = cover_size(src_w, src_h, target_aspect)
    tall_crop = wh < 1.0
    px, py = focus_point(focus, tall_crop=tall_crop)
    region = keep_region(focus)
    if region is not None:
        faces = [b for b in focus if b.kind == "face"]
        bare = keep_region(faces, room=False)
        if region.h > wh:
            # Give up the air below first, then above, but keep the faces whole if they fit.
            top = region.y
            if bare is not None:
                top = bare.y if bare.h > wh else max(region.y, bare.y + bare.h - wh)
            py = top + wh / 2
        if region.w > ww and faces:
            px = max(faces, key=lambda b: b.w * b.h).cx
            if bare is not None and bare.w <= ww:
                px = _clamp(px, bare.x + bare.w - ww / 2, bare.x + ww / 2)
    cx, cy = _centre((ww, wh), (px, py), region)
    return Box(cx - ww / 2, cy - wh / 2, ww, wh)


def view_box(src_w: int, src_h: int, target_aspect: float, z: float, x: float, y: float) -> Box:
    """The source region shown at zoom ``z`` centred on ``(x, y)``."""
    ww, wh = cover_size(src_w, src_h, target_aspect)
    return Box(x - ww / z / 2, y - wh / z / 2, ww / z, wh / z)


def _max_zoom(size: tuple[float, float], region: Box | None) -> float:
    if region is None or region.w <= 0 or region.h <= 0:
        return 4.0
    return max(1.0, min(size[0] / region.w, size[1] / region.h, 4.0))


def _kb(z0: float, c0: tuple[float, float], z1: float, c1: tuple[float, float]) -> dict[str, float]:
    return {"z0": round(z0, 4), "z1": round(z1, 4), "x0": round(c0[0], 4),
            "y0": round(c0[1], 4), "x1": round(c1[0], 4), "y1": round(c1[1], 4)}


def ken_burns(src_w: int, src_h: int, target_aspect: float, focus: Sequence[FocusBox] = (),
              *, variant: int = 0, zoom: float = 1.15, direction: str = "auto") -> dict[str, float]:
    """A ``kb`` dict whose view keeps the focus in frame from start to end.

    ``direction`` is ``in``, ``out``, ``pan`` or ``auto``; ``auto`` cycles zoom in, zoom out and
    a gentle pan by ``variant`` (the photo's index), so a slideshow does not repeat one move.
    """
    ww, wh = cover_size(src_w, src_h, target_aspect)
    start = cover_window(src_w, src_h, target_aspect, focus)
    region = keep_region(focus)
    if region is not None and (region.w > ww or region.h > wh):
        region = keep_region(focus, room=False)  # the faces themselves, without the air
    if region is not None and (region.w > ww or region.h > wh):
        region = None  # cannot keep it all anyway; the cover window already chose what to keep
    if direction == "auto":
        direction = ("in", "out", "pan")[variant % 3]
    z_end = min(max(zoom, 1.0), _max_zoom((ww, wh), region))
    if direction in ("in", "out") and z_end < MIN_VISIBLE_ZOOM:
        direction = "pan"
    point = (region.cx, region.cy) if region else focus_point(focus, tall_crop=wh < 1.0)
    if direction in ("in", "out"):
        wide = (start.cx, start.cy)
        close = _centre((ww / z_end, wh / z_end), point, region)
        if direction == "in":
            return _kb(1.0, wide, z_end, close)
        return _kb(z_end, close, 1.0, wide)
    z = min(PAN_ZOOM, _max_zoom((ww, wh), region))
    vw, vh = ww / z, wh / z
    xr = _axis_range(vw, region.x if region else None, region.x + region.w if region else None)
    yr = _axis_range(vh, region.y if region else None, region.y + region.h if region else None)
    horizontal = xr[1] - xr[0] >= yr[1] - yr[0]
    lo, hi = xr if horizontal else yr
    span = min(hi - lo, PAN_SPAN)
    middle = _clamp(point[0] if horizontal else point[1], lo + span / 2, hi - span / 2)
    a, b = middle - span / 2, middle + span / 2
    if (variant // 3) % 2:
        a, b = b, a
    other = _centre((vw, vh), point, region)
    if horizontal:
        c0, c1 = (a, other[1]), (b, other[1])
    else:
        c0, c1 = (other[0], a), (other[0], b)
    if span <= 1e-3:
        # No room to pan: a slight push-in if the focus allows it, else a still view.
        z = min(MIN_VISIBLE_ZOOM, _max_zoom((ww, wh), region))
        return _kb(1.0, (start.cx, start.cy), z, _centre((ww / z, wh / z), point, region))
    return _kb(z, c0, z, c1)


def reframe_kb(kb: dict[str, float], src_w: int, src_h: int,
               target_aspect: float) -> dict[str, float]:
    """Keep a move's zooms but clamp its centres so both views fit a new canvas aspect."""
    ww, wh = cover_size(src_w, src_h, target_aspect)
    z0, z1 = max(1.0, kb.get("z0", 1.0)), max(1.0, kb.get("z1", 1.0))
    c0 = _centre((ww / z0, wh / z0), (kb.get("x0", 0.5), kb.get("y0", 0.5)), None)
    c1 = _centre((ww / z1, wh / z1), (kb.get("x1", 0.5), kb.get("y1", 0.5)), None)
    return _kb(z0, c0, z1, c1)


def view_at(src_w: int, src_h: int, target_aspect: float, kb: dict[str, float],
            t: float) -> Box:
    """The view at fraction ``t`` of a move, as the renderer draws it: zoom changes
    geometrically and the centre at constant on-screen speed, so 1/zoom and the centre are both
    linear in one progress value; a focus inside the start and end views stays inside all."""
    z0, z1 = kb.get("z0", 1.0), kb.get("z1", 1.0)
    if abs(z1 - z0) > 1e-3:
        ratio = z0 / z1
        progress = (1 - ratio ** t) / (1 - ratio)
    else:
        progress = t
    z = z0 * (z1 / z0) ** t
    x = kb.get("x0", 0.5) + (kb.get("x1", 0.5) - kb.get("x0", 0.5)) * progress
    y = kb.get("y0", 0.5) + (kb.get("y1", 0.5) - kb.get("y0", 0.5)) * progress
    return view_box(src_w, src_h, target_aspect, z, x, y)
