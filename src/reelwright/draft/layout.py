"""Re-lay out a draft after an edit, and the canvas sizes behind "16:9 at 1080".

``relayout`` is what keeps every edit consistent: the main visual track (the first visual track)
is chained so each segment starts at the previous end minus its transition, the draft duration
follows that track, music marked ``fill`` stretches to the end, and anything past the end is
clipped. It mutates the draft it is given: callers pass a copy.
"""

from __future__ import annotations

from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.errors import OperationInvalid

ASPECTS: dict[str, tuple[int, int]] = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1),
                                       "4:5": (4, 5)}
RESOLUTIONS: tuple[int, ...] = (480, 720, 1080, 2160)
# Where text and buttons stay in 9:16 video (left, top, right, bottom as fractions of the
# frame): TikTok, Instagram Reels and YouTube Shorts cover about the top 10 % (tabs, search,
# the Reels camera), the bottom 22 % (account, description, music ticker, Shorts' channel
# row) and a right-hand column of about 16 % (like / comment / share / remix buttons), plus a
# thin left edge. On a 1080 x 1920 frame: x 65..907 px, y 192..1498 px. See docs/render.md.
SAFE_ZONE_9_16: tuple[float, float, float, float] = (0.06, 0.10, 0.84, 0.78)


def is_vertical(w: int, h: int) -> bool:
    """A 9:16-like frame (what the short-video platforms show full screen)."""
    return h >= w * 1.5


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def canvas_size(aspect: str, resolution: int = 1080) -> tuple[int, int]:
    """Pixel size for an aspect ("16:9", "9:16", "1:1", "4:5"); ``resolution`` is the SHORT side.

    ``canvas_size("9:16", 1080) == (1080, 1920)``; both sides are even.
    """
    if aspect not in ASPECTS:
        raise OperationInvalid(f"unknown aspect {aspect!r}; use one of {', '.join(ASPECTS)}")
    if resolution not in RESOLUTIONS:
        raise OperationInvalid(f"unknown resolution {resolution}; use one of "
                               f"{', '.join(str(r) for r in RESOLUTIONS)} (the short side)")
    aw, ah = ASPECTS[aspect]
    if aw >= ah:
        return _even(resolution * aw / ah), _even(resolution)
    return _even(resolution), _even(resolution * ah / aw)


def aspect_of(w: int, h: int) -> str:
    """The named aspect closest to ``w``x``h``."""
    ratio = w / h
    return min(ASPECTS, key=lambda name: abs(ASPECTS[name][0] / ASPECTS[name][1] - ratio))


def main_track(draft: Draft) -> Track | None:
    """The first visual track: the main sequence of photos and clips."""
    for track in draft.t:
        if track.tt == TrackType.VISUAL:
            return track
    return None


def transition_ms(seg: Segment) -> int:
    tr = seg.m.get("tr")
    if isinstance(tr, dict) and isinstance(tr.get("d"), int):
        return int(tr["d"])
    return 0


def _chain(track: Track) -> None:
    prev: Segment | None = None
    for seg in track.sg:
        tr = seg.m.get("tr")
        if prev is None:
            seg.m.pop("tr", None)
            seg.st = 0
        else:
            if isinstance(tr, dict) and isinstance(tr.get("d"), int):
                # Half the shorter neighbour at most: a segment's in- and out-transitions
                # then never overlap each other.
                cap = min(prev.d, seg.d) // 2
                if cap < 1:
                    seg.m.pop("tr")
                elif tr["d"] > cap:
                    seg.m["tr"] = {**tr, "d": cap}
            seg.st = prev.end - transition_ms(seg)
        prev = seg


def _fit_fades(seg: Segment) -> None:
    fi, fo = seg.m.get("fi", 0), seg.m.get("fo", 0)
    if not (isinstance(fi, int) and isinstance(fo, int)) or fi + fo <= seg.d:
        return
    # Keep the proportions of the two fades when the segment got shorter than both.
    scale = seg.d / (fi + fo)
    new_fi = int(fi * scale)
    if fi:
        seg.m["fi"] = new_fi
    if fo:
        seg.m["fo"] = min(int(fo * scale), seg.d - new_fi)


def _clip(seg: Segment, end: int) -> bool:
    """Cut ``seg`` to end at ``end``; False when nothing of it remains."""
    if seg.end <= end:
        return True
    if seg.st >= end:
        return False
    seg.d = end - seg.st
    words = seg.m.get("words")
    if isinstance(words, list):
        seg.m["words"] = [[a, min(b, seg.d), w] for a, b, w in words if a < seg.d]
    return True


def relayout(draft: Draft) -> Draft:
    """Chain the main track, set ``d``, fill music, keep texts pinned to the end there, clip
    what overhangs; returns ``draft``."""
    main = main_track(draft)
    if main is not None:
        _chain(main)
    fixed = bool(draft.m.get("d_fixed"))
    if not fixed:
        if main is not None and main.sg:
            draft.d = max(seg.end for seg in main.sg)
        else:
            others = [seg.end for track in draft.t for seg in track.sg if not seg.m.get("fill")]
            draft.d = max(others, default=0)
    for track in draft.t:
        kept: list[Segment] = []
        for seg in track.sg:
            if seg.m.get("fill") and track.tt == TrackType.AUDIO:
                seg.d = draft.d - seg.st
                if seg.d <= 0:
                    continue
            elif track is not main and seg.m.get("pin") == "end":
                seg.d = min(seg.d, draft.d)
                seg.st = draft.d - seg.d
            elif track is not main and not _clip(seg, draft.d):
                continue
            _fit_fades(seg)
            kept.append(seg)
        track.sg = kept
    return draft
