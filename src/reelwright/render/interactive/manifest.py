"""The player's view of a draft: interactions, chapters and branches as plain JSON, plus WebVTT
captions from the draft's caption texts. Pure: no I/O.

The web player and the H5P exporter both read this shape rather than the draft's ``m`` keys, so
defaults (button place, branch ``then``) are decided once, here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reelwright.draft import interactive
from reelwright.draft.model import Draft, TrackType

MAIN_VIDEO = "media/video.mp4"
CAPTIONS = "media/captions.vtt"
BUTTON_W, BUTTON_H = 0.24, 0.12
"""The area a button occupies, as a share of the picture (H5P needs a box for every item)."""

# anchor point and which corner of the element sits on it
ANCHORS: dict[str, tuple[float, float, float, float]] = {
    "top-left": (0.03, 0.04, 0, 0), "top": (0.5, 0.04, 0.5, 0),
    "top-right": (0.97, 0.04, 1, 0), "center": (0.5, 0.5, 0.5, 0.5),
    "bottom-left": (0.03, 0.84, 0, 1), "bottom": (0.5, 0.84, 0.5, 1),
    "bottom-right": (0.97, 0.84, 1, 1),
}
"""Bottom places stay above the player's control bar (16 % from the bottom)."""


def anchor(pos: Any) -> tuple[float, float, float, float]:
    """``(x, y, ax, ay)``: the point (0..1) and the element's own anchor (0 start .. 1 end)."""
    if isinstance(pos, dict):
        return float(pos.get("x", 0.5)), float(pos.get("y", 0.5)), 0.5, 0.5
    return ANCHORS.get(str(pos), ANCHORS["bottom-right"])


def box_of(m: Mapping[str, Any]) -> list[float]:
    """``[x, y, w, h]`` of an item: its own box, or the area around its anchor (buttons)."""
    box = m.get("box")
    if isinstance(box, list) and len(box) == 4:
        return [float(v) for v in box]
    x, y, ax, ay = anchor(m.get("pos", "bottom-right"))
    left = min(max(0.0, x - ax * BUTTON_W), 1 - BUTTON_W)
    top = min(max(0.0, y - ay * BUTTON_H), 1 - BUTTON_H)
    return [round(left, 4), round(top, 4), BUTTON_W, BUTTON_H]


def _item(seg_id: str, st: int, end: int, m: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(m.get("kind"))
    out: dict[str, Any] = {"id": seg_id, "kind": kind, "st": st, "end": end}
    if kind in ("button", "hotspot"):
        out.update(label=m["label"], action=dict(m["action"]), box=box_of(m))
        if kind == "button":
            out["anchor"] = list(anchor(m.get("pos", "bottom-right")))
            out["style"] = dict(m.get("style") or {})
    elif kind == "choice":
        out.update(q=m["q"], choices=[dict(c) for c in m["choices"]])
    else:
        out["label"] = m["label"]
        if m.get("text"):
            out["text"] = m["text"]
    return out


def title_of(draft: Draft) -> str:
    name = draft.m.get("name")
    return name if isinstance(name, str) and name.strip() else "Interactive video"


def build(draft: Draft, *, branch_videos: Mapping[str, str] | None = None,
          captions: bool = False, lang: str = "en") -> dict[str, Any]:
    """The player JSON for ``draft``. ``branch_videos`` maps clip branches to their file."""
    branch_videos = branch_videos or {}
    named: dict[str, Any] = {}
    for name, branch in interactive.branches(draft).items():
        then = dict(branch.get("then") or {"do": "end"})
        if "src" in branch:
            named[name] = {"video": branch_videos.get(name, ""), "then": then}
        else:
            named[name] = {"st": int(branch["st"]), "end": int(branch["st"] + branch["d"]),
                           "then": then}
    segs = interactive.items(draft)
    return {
        "v": 1, "title": title_of(draft), "lang": lang, "w": draft.w, "h": draft.h,
        "duration_ms": draft.d, "video": MAIN_VIDEO, "captions": CAPTIONS if captions else None,
        "items": [_item(seg.id, seg.st, seg.end, seg.m) for seg in segs
                  if seg.m.get("kind") != "chapter"],
        "chapters": [{"id": seg.id, "label": seg.m["label"], "st": seg.st}
                     for seg in segs if seg.m.get("kind") == "chapter"],
        "branches": named,
    }


def _vtt_time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def caption_cues(draft: Draft) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of every caption-role text, in time order."""
    cues = []
    for track in draft.tracks_of(TrackType.TEXT):
        for seg in track.sg:
            role = seg.m.get("role", track.m.get("role"))
            text = seg.m.get("text")
            if role == "caption" and isinstance(text, str) and text.strip():
                cues.append((seg.st, seg.end, text.strip()))
    return sorted(cues)


def webvtt(cues: list[tuple[int, int, str]]) -> str:
    """A WebVTT file; ``-->`` inside a caption is broken so it cannot end the cue line early."""
    lines = ["WEBVTT", ""]
    for i, (st, end, text) in enumerate(cues, start=1):
        body = text.replace("-->", "->").replace("&", "&amp;").replace("<", "&lt;")
        lines += [str(i), f"{_vtt_time(st)} --> {_vtt_time(end)}", body, ""]
    return "\n".join(lines)


def without_layers(draft: Draft, *, drop_captions: bool) -> Draft:
    """A copy for the video file itself: no interactive tracks (and no captions, which travel
    as WebVTT instead)."""
    out = draft.copy()
    out.t = [t for t in out.t if t.tt != TrackType.INTERACTIVE]
    if drop_captions:
        for track in out.tracks_of(TrackType.TEXT):
            track.sg = [seg for seg in track.sg
                        if seg.m.get("role", track.m.get("role")) != "caption"]
        main = out.t[0] if out.t else None
        out.t = [t for t in out.t if t.tt != TrackType.TEXT or t.sg or t is main]
    return out
