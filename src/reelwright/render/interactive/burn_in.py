"""The "mp4" export of an interactive draft: a linear video with the interactions shown as text
overlays (buttons and hotspots as labelled boxes with where they lead, a choice's question with
its answers, chapter titles, end screens). It is the fallback for players that cannot click."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reelwright.draft import interactive
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.render.interactive.videos import RenderOptions, check
from reelwright.render.pipeline import render
from reelwright.render.types import OutputSpec, RenderResult

CHOICE_MS = 4000
CHAPTER_MS = 2000
BUTTON_STYLE: dict[str, Any] = {"size": 40, "color": "#111111", "bg": "#FFD400E6", "bold": True,
                                "outline": 0}
HOTSPOT_STYLE: dict[str, Any] = {"size": 34, "color": "#FFFFFF", "bg": "#000000B3",
                                 "bold": True, "outline": 0}
PANEL_STYLE: dict[str, Any] = {"size": 52, "color": "#FFFFFF", "bg": "#0C0E14E0", "bold": True,
                               "outline": 0}


def _where(action: Mapping[str, Any], names: Mapping[str, Any], zh: bool) -> str:
    do = action.get("do")
    if do == "jump":
        return interactive.clock(int(action.get("t", 0)))
    if do == "branch":
        branch = names.get(str(action.get("b")), {})
        if "st" in branch:
            return interactive.clock(int(branch["st"]))
        return str(action.get("b"))
    if do == "url":
        url = str(action.get("url", ""))
        return url.split("://", 1)[-1].rstrip("/")
    if do == "end":
        return "结尾" if zh else "the end"
    return ""


def _line(label: str, where: str) -> str:
    return f"{label} → {where}" if where else label


def burn_in_draft(draft: Draft, *, zh: bool = False) -> Draft:
    """A copy of ``draft`` whose interactive items are text overlays (pure)."""
    out = draft.copy()
    out.t = [t for t in out.t if t.tt != TrackType.INTERACTIVE]
    names = interactive.branches(draft)
    segs: list[Segment] = []

    def add(st: int, d: int, text: str, pos: Any, style: dict[str, Any]) -> None:
        d = min(d, draft.d - st)
        if d > 0 and text.strip():
            fade = min(200, d // 4)
            segs.append(Segment(id=f"burn{len(segs) + 1}", st=st, d=d,
                                m={"text": text, "role": "overlay", "pos": pos,
                                   "style": dict(style), "fi": fade, "fo": fade}))

    for seg in interactive.items(draft):
        m = seg.m
        kind = m.get("kind")
        if kind == "button":
            add(seg.st, seg.d, _line(m["label"], _where(m["action"], names, zh)),
                m.get("pos", "bottom-right"), BUTTON_STYLE)
        elif kind == "hotspot":
            x, y, w, h = m["box"]
            add(seg.st, seg.d, _line(m["label"], _where(m["action"], names, zh)),
                {"x": round(x + w / 2, 4), "y": round(y + h / 2, 4)}, HOTSPOT_STYLE)
        elif kind == "choice":
            answers = "\n".join(_line(c["label"], _where(c, names, zh)) for c in m["choices"]
                                if c.get("do") != "play") or ""
            add(seg.st, max(seg.d, CHOICE_MS), f"{m['q']}\n{answers}".strip(), "center",
                PANEL_STYLE)
        elif kind == "chapter":
            add(seg.st, min(seg.d, CHAPTER_MS), m["label"], "top-left", HOTSPOT_STYLE)
        elif kind == "end":
            add(seg.st, seg.d, "\n".join(filter(None, [m["label"], m.get("text")])), "center",
                PANEL_STYLE)
    if segs:
        out.t.append(Track(id=out.new_id("burn_t"), tt=TrackType.TEXT, sg=segs,
                           m={"role": "overlay"}))
    return out


def render_burned_in(draft: Draft, media: Mapping[str, MediaInfo], path: str | Path, *,
                     options: RenderOptions | None = None, zh: bool = False) -> RenderResult:
    """Render the linear fallback MP4 of an interactive draft to ``path``."""
    options = options or RenderOptions()
    check(draft, media)
    return render(burn_in_draft(draft, zh=zh), media,
                  OutputSpec(path=str(path), format="mp4", quality=options.quality),
                  ffmpeg=options.ffmpeg, font=options.font, on_progress=options.on_progress,
                  cancel=options.cancel, timeout=options.timeout, workdir=options.workdir)
