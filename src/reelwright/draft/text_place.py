"""Where a title or caption goes so that it does not cover a face. Pure: no I/O.

The faces and the salient region found at ingest (``MediaInfo.focus``) are mapped through the
segment's Ken Burns move into frame coordinates at several moments of the text's time; each
candidate place for the text block (centre, upper and lower thirds, top, bottom, inside the
safe area of the frame shape) is scored by how much of those boxes it covers (faces count
fully, the salient region a third) and the freest wins; ties keep the preferred order, so a
picture with nothing to avoid gets the usual place.

    pos = place_text(text, size, draft, seg, info, start_ms, end_ms, prefer="center")
    # -> {"x": 0.5, "y": 0.78}  (the text block's centre, as fractions of the frame)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reelwright.draft.framing import Box, view_at
from reelwright.draft.layout import SAFE_ZONE_9_16, is_vertical
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment

SAMPLES = 5  # moments of the text's time at which the move is looked at
SALIENT_WEIGHT = 0.33
MARGIN = 0.05
REFERENCE_HEIGHT = 1080
# Candidate centres (y) in order of preference, for each anchor the caller prefers.
PREFERENCES = {
    "center": (0.5, 0.3, 0.7, 0.2, 0.8),
    "bottom": (0.85, 0.15, 0.7, 0.3),
    "top": (0.15, 0.85, 0.3, 0.7),
}


def _em(text: str) -> float:
    return max((sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.58
                    for c in line) for line in text.split("\n")), default=0.0)


def text_block(text: str, size: float, w: int, h: int,
               room: float) -> tuple[float, float]:
    """Approximate width and height (fractions of the frame) of ``text`` at ``size`` (px at
    1080 p height) wrapped into ``room`` (fraction of the width), with its backing."""
    px = size * h / REFERENCE_HEIGHT
    width = _em(text) * px
    lines = max(1, text.count("\n") + 1, int(width // max(1.0, room * w - px)) + 1)
    pad = px * 0.5
    return min(width + 2 * pad, room * w) / w, (lines * px * 1.3 + 2 * pad) / h


def focus_in_frame(draft: Draft, seg: Segment, info: MediaInfo, start_ms: int,
                   end_ms: int) -> list[tuple[Box, float]]:
    """The media's faces (weight 1) and salient box (weight 1/3) in frame coordinates
    (0..1), wherever the move puts them between ``start_ms`` and ``end_ms`` (timeline)."""
    if not info.focus or info.w <= 0 or info.h <= 0:
        return []
    kb = seg.m.get("kb") if isinstance(seg.m.get("kb"), dict) else {}
    aspect = draft.w / draft.h
    out: list[tuple[Box, float]] = []
    for i in range(SAMPLES):
        at = start_ms + (end_ms - start_ms) * i / (SAMPLES - 1)
        t = min(1.0, max(0.0, (at - seg.st) / max(1, seg.d)))
        view = view_at(info.w, info.h, aspect, kb or {}, t)
        for box in info.focus:
            frame = Box((box.x - view.x) / view.w, (box.y - view.y) / view.h,
                        box.w / view.w, box.h / view.h)
            if frame.x + frame.w <= 0 or frame.x >= 1 or frame.y + frame.h <= 0 or frame.y >= 1:
                continue
            out.append((frame, 1.0 if box.kind == "face" else SALIENT_WEIGHT))
    return out


def _overlap(a: Box, b: Box) -> float:
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return max(0.0, w) * max(0.0, h)


def best_spot(block: tuple[float, float], avoid: Sequence[tuple[Box, float]], w: int, h: int,
              prefer: str = "center", ys: Sequence[float] = (),
              cx: float | None = None) -> dict[str, float]:
    """The centre of a ``block`` (width, height fractions) that covers the least of ``avoid``,
    inside the frame's safe area; earlier preferences (``ys``, else ``PREFERENCES[prefer]``)
    win ties; ``cx`` fixes the horizontal centre (default: the safe area's)."""
    bw, bh = block
    if is_vertical(w, h):
        left, top, right, bottom = SAFE_ZONE_9_16
    else:
        left, top, right, bottom = MARGIN, MARGIN, 1 - MARGIN, 1 - MARGIN
    cx = (left + right) / 2 if cx is None else cx
    lo, hi = top + bh / 2, bottom - bh / 2
    best: tuple[float, int] | None = None
    spot = {"x": round(cx, 4), "y": round(min(max(0.5, lo), hi), 4)}
    for order, y in enumerate(ys or PREFERENCES.get(prefer, PREFERENCES["center"])):
        y = min(max(y, lo), hi)
        box = Box(cx - bw / 2, y - bh / 2, bw, bh)
        cost = sum(weight * _overlap(box, face) for face, weight in avoid)
        key = (round(cost, 5), order)
        if best is None or key < best:
            best = key
            spot = {"x": round(cx, 4), "y": round(y, 4)}
    return spot


def place_text(text: str, size: float, draft: Draft, seg: Segment, info: MediaInfo,
               start_ms: int, end_ms: int, prefer: str = "center",
               room: float = 0.9) -> dict[str, float]:
    """Where to centre ``text`` shown over ``seg`` (picture ``info``) from ``start_ms`` to
    ``end_ms``, away from its faces (see the module docstring)."""
    if is_vertical(draft.w, draft.h):
        room = min(room, SAFE_ZONE_9_16[2] - SAFE_ZONE_9_16[0])
    block = text_block(text, size, draft.w, draft.h, room)
    avoid = focus_in_frame(draft, seg, info, start_ms, end_ms)
    return best_spot(block, avoid, draft.w, draft.h, prefer)
