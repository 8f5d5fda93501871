"""Small helpers the operation families share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reelwright.draft.framing import ken_burns
from reelwright.draft.layout import main_track
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Track, TrackType
from reelwright.errors import OperationInvalid

Media = Mapping[str, MediaInfo] | None


def lookup(media: Media, media_id: str) -> MediaInfo | None:
    """The session's facts about ``media_id``; None when no media table was passed."""
    if media is None:
        return None
    info = media.get(media_id)
    if info is None:
        raise OperationInvalid(f"there is no media {media_id!r} in this session; upload it first")
    return info


def ensure_main(draft: Draft) -> Track:
    main = main_track(draft)
    if main is None:
        main = Track(id=draft.new_id("v"), tt=TrackType.VISUAL)
        draft.t.insert(0, main)
    return main


def track_for_role(draft: Draft, tt: TrackType, role: str) -> Track:
    """The first track of ``tt`` with ``m.role == role``, created at the end if missing."""
    for track in draft.t:
        if track.tt == tt and track.m.get("role") == role:
            return track
    track = Track(id=draft.new_id("a" if tt == TrackType.AUDIO else "x"), tt=tt,
                  m={"role": role})
    draft.t.append(track)
    return track


def drop_empty_tracks(draft: Draft) -> None:
    main = main_track(draft)
    draft.t = [track for track in draft.t if track.sg or track is main]


def one_of(args: Mapping[str, Any], *keys: str) -> str:
    """The single key of ``keys`` present in ``args``; plain error when none or several."""
    given = [key for key in keys if key in args]
    if len(given) != 1:
        raise OperationInvalid(f"give exactly one of {', '.join(keys)}")
    return given[0]


def seconds(ms: int) -> str:
    value = ms / 1000
    return f"{value:.1f}".rstrip("0").rstrip(".") + "s"


def interpolate_kb(kb: Mapping[str, Any], t: float) -> dict[str, float]:
    """The Ken Burns view at fraction ``t`` (0..1) of the move, as a still start/end pair."""
    out: dict[str, float] = {}
    for key in ("z", "x", "y"):
        a = float(kb.get(f"{key}0", 1.0 if key == "z" else 0.5))
        b = float(kb.get(f"{key}1", 1.0 if key == "z" else 0.5))
        out[key] = round(a + (b - a) * t, 4)
    return out


def kb_for(draft: Draft, src: str | None, media: Media, *, variant: int,
           zoom: float = 1.15, direction: str = "auto") -> dict[str, float]:
    """A Ken Burns move for ``src`` on this canvas, aimed at its faces when they are known."""
    info = media.get(src) if media is not None and src is not None else None
    w, h = (info.w, info.h) if info is not None and info.w > 0 and info.h > 0 else (draft.w,
                                                                                  draft.h)
    focus = info.focus if info is not None else ()
    return ken_burns(w, h, draft.w / draft.h, focus, variant=variant, zoom=zoom,
                     direction=direction)
