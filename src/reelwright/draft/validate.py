"""Rules a draft must follow before anything edits or renders it.

``problems(draft, media)`` lists every broken rule as ``path: reason`` (``t[0].sg[3].d: must be
> 0``); ``validate`` raises ``DraftInvalid`` with that list. Passing ``media`` (the session's
MediaInfo by id) also checks that every ``src`` is known and of a fitting kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from reelwright.draft import vocab
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.errors import DraftInvalid

MEDIA_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
OVERLAP_TOLERANCE_MS = 1


def _num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _range(m: Mapping[str, Any], key: str, lo: float, hi: float, path: str,
           out: list[str]) -> None:
    if key not in m:
        return
    value = m[key]
    if not _num(value) or not lo <= value <= hi:
        out.append(f"{path}.{key}: must be a number in {lo:g}..{hi:g}")


def _check_canvas(draft: Draft, out: list[str]) -> None:
    if draft.v != 1:
        out.append("v: only version 1 is supported")
    for key in ("w", "h"):
        value = getattr(draft, key)
        if not vocab.MIN_SIDE <= value <= vocab.MAX_SIDE or value % 2:
            out.append(f"{key}: must be an even number of pixels in "
                       f"{vocab.MIN_SIDE}..{vocab.MAX_SIDE}")
    if not 1 <= draft.fps <= vocab.MAX_FPS:
        out.append(f"fps: must be in 1..{vocab.MAX_FPS}")
    if draft.d <= 0:
        out.append("d: must be > 0")
    elif draft.d > vocab.MAX_DURATION_MS:
        out.append(f"d: must be at most {vocab.MAX_DURATION_MS} ms (4 hours)")
    bg = draft.m.get("bg")
    if bg is not None and (not isinstance(bg, str) or not COLOR.match(bg)):
        out.append("m.bg: must be a colour like #1A2B3C")
    _range(draft.m, "lufs", -30, -5, "m", out)


def _check_src(seg: Segment, track: Track, path: str, media: Mapping[str, MediaInfo] | None,
               out: list[str]) -> None:
    if track.tt == TrackType.TEXT:
        if seg.src is not None:
            out.append(f"{path}.src: text segments take no source")
        return
    if seg.src is None:
        if track.tt in (TrackType.VISUAL, TrackType.AUDIO):
            out.append(f"{path}.src: required (a media id of this session)")
        return
    if not MEDIA_ID.match(seg.src):
        out.append(f"{path}.src: must be a media id of this session, not a path or URL")
        return
    if media is None:
        return
    info = media.get(seg.src)
    if info is None:
        out.append(f"{path}.src: unknown media id {seg.src!r} in this session")
        return
    if track.tt == TrackType.VISUAL and info.kind not in ("image", "video"):
        out.append(f"{path}.src: {seg.src} is {info.kind}, a visual track needs an image or video")
    if track.tt == TrackType.AUDIO and not info.has_audio:
        out.append(f"{path}.src: {seg.src} has no audio")
    if info.kind == "video" and info.duration_ms and track.tt == TrackType.VISUAL:
        speed = seg.m.get("speed", 1)
        speed = speed if _num(speed) and speed > 0 else 1
        needed = seg.in_ + int(seg.d * speed)
        if needed > info.duration_ms + 100:
            out.append(f"{path}: needs {needed} ms of {seg.src} but the clip is "
                       f"{info.duration_ms} ms long")


def _check_fades(seg: Segment, path: str, out: list[str]) -> None:
    for key in ("fi", "fo"):
        value = seg.m.get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            out.append(f"{path}.m.{key}: must be a non-negative integer (ms)")
    fi, fo = seg.m.get("fi", 0), seg.m.get("fo", 0)
    if isinstance(fi, int) and isinstance(fo, int) and fi + fo > seg.d:
        out.append(f"{path}.m: fade in + fade out ({fi + fo} ms) is longer than the segment")


def _check_visual(seg: Segment, path: str, out: list[str]) -> None:
    m = seg.m
    if "fit" in m and m["fit"] not in vocab.FITS:
        out.append(f"{path}.m.fit: must be one of {', '.join(vocab.FITS)}")
    _range(m, "speed", 0.25, 4, f"{path}.m", out)
    _range(m, "vol", 0, 2, f"{path}.m", out)
    kb = m.get("kb")
    if kb is not None:
        if not isinstance(kb, dict):
            out.append(f"{path}.m.kb: must be an object like "
                       '{"z0": 1, "z1": 1.15, "x0": 0.5, "y0": 0.5, "x1": 0.5, "y1": 0.5}')
        else:
            for key in ("z0", "z1"):
                _range(kb, key, 1, 4, f"{path}.m.kb", out)
            for key in ("x0", "y0", "x1", "y1"):
                _range(kb, key, 0, 1, f"{path}.m.kb", out)
    tr = m.get("tr")
    if tr is not None:
        if not isinstance(tr, dict):
            out.append(f'{path}.m.tr: must be an object like {{"n": "fade", "d": 800}}')
        else:
            if tr.get("n") not in vocab.TRANSITIONS:
                out.append(f"{path}.m.tr.n: unknown transition {tr.get('n')!r}; one of "
                           f"{', '.join(vocab.TRANSITIONS)}")
            dur = tr.get("d")
            if not isinstance(dur, int) or dur <= 0:
                out.append(f"{path}.m.tr.d: must be > 0 (ms)")
    box = m.get("box")
    if box is not None and (not isinstance(box, list) or len(box) != 4
                            or not all(_num(v) and 0 <= v <= 1 for v in box)):
        out.append(f"{path}.m.box: must be [x, y, w, h] normalised to 0..1")


def _check_main_sequence(track: Track, ti: int, out: list[str]) -> None:
    prev: Segment | None = None
    for si, seg in enumerate(track.sg):
        path = f"t[{ti}].sg[{si}]"
        tr = seg.m.get("tr")
        tr_d = tr.get("d") if isinstance(tr, dict) and isinstance(tr.get("d"), int) else 0
        if prev is None:
            if tr_d:
                out.append(f"{path}.m.tr: the first segment has nothing to transition from")
        else:
            if seg.st < prev.st:
                out.append(f"{path}.st: segments must be in time order")
            overlap = prev.end - seg.st
            if tr_d:
                if abs(overlap - tr_d) > OVERLAP_TOLERANCE_MS:
                    out.append(f"{path}.st: with a {tr_d} ms transition it must start at "
                               f"{prev.end - tr_d} (previous end minus the transition)")
                if tr_d >= min(prev.d, seg.d):
                    out.append(f"{path}.m.tr.d: must be shorter than both segments")
            elif overlap > OVERLAP_TOLERANCE_MS:
                out.append(f"{path}.st: overlaps the previous segment by {overlap} ms "
                           "(only a transition may overlap)")
        prev = seg


def _check_text(seg: Segment, path: str, out: list[str]) -> None:
    text = seg.m.get("text")
    if not isinstance(text, str) or not text.strip():
        out.append(f"{path}.m.text: required, a non-empty string")
    elif len(text) > vocab.MAX_TEXT_CHARS:
        out.append(f"{path}.m.text: at most {vocab.MAX_TEXT_CHARS} characters")
    role = seg.m.get("role")
    if role is not None and role not in vocab.TEXT_ROLES:
        out.append(f"{path}.m.role: must be one of {', '.join(vocab.TEXT_ROLES)}")
    pos = seg.m.get("pos")
    if pos is not None:
        if isinstance(pos, dict):
            if not all(_num(pos.get(k)) and 0 <= pos[k] <= 1 for k in ("x", "y")):
                out.append(f'{path}.m.pos: must be a place name or {{"x": 0..1, "y": 0..1}}')
        elif pos not in vocab.POSITIONS:
            out.append(f"{path}.m.pos: must be one of {', '.join(vocab.POSITIONS)} "
                       'or {"x": 0..1, "y": 0..1}')
    style = seg.m.get("style")
    if style is not None:
        if not isinstance(style, dict):
            out.append(f"{path}.m.style: must be an object")
        else:
            _range(style, "size", 8, 400, f"{path}.m.style", out)
            _range(style, "outline", 0, 20, f"{path}.m.style", out)
            for key in ("color", "bg"):
                value = style.get(key)
                if value is not None and (not isinstance(value, str) or not COLOR.match(value)):
                    out.append(f"{path}.m.style.{key}: must be a colour like #FFFFFF or "
                               "#00000099")
    anim = seg.m.get("anim")
    if anim is not None and anim not in vocab.TEXT_ANIMATIONS:
        out.append(f"{path}.m.anim: must be one of {', '.join(vocab.TEXT_ANIMATIONS)}")
    anchor = seg.m.get("anchor")
    if anchor is not None and anchor not in ("center", "top-left"):
        out.append(f'{path}.m.anchor: must be "center" or "top-left"')
    if seg.m.get("pin", "end") != "end":
        out.append(f'{path}.m.pin: must be "end" (or absent)')
    hl = seg.m.get("hl")
    if hl is not None and (not isinstance(hl, str) or not COLOR.match(hl)):
        out.append(f"{path}.m.hl: must be a colour like #FFD400")
    words = seg.m.get("words")
    if words is not None and (not isinstance(words, list) or not all(
            isinstance(w, list) and len(w) == 3 and isinstance(w[0], int)
            and isinstance(w[1], int) and isinstance(w[2], str) and 0 <= w[0] <= w[1] <= seg.d
            for w in words)):
        out.append(f"{path}.m.words: must be [[start_ms, end_ms, word], ...] inside the segment")


def _check_audio(seg: Segment, track: Track, path: str, out: list[str]) -> None:
    role = seg.m.get("role", track.m.get("role"))
    if role is not None and role not in vocab.AUDIO_ROLES:
        out.append(f"{path}.m.role: must be one of {', '.join(vocab.AUDIO_ROLES)}")
    _range(seg.m, "vol", 0, 2, f"{path}.m", out)


def problems(draft: Draft, media: Mapping[str, MediaInfo] | None = None) -> list[str]:
    out: list[str] = []
    _check_canvas(draft, out)
    seen: set[str] = set()
    main_visual_seen = False
    for ti, track in enumerate(draft.t):
        if track.id in seen:
            out.append(f"t[{ti}].id: duplicate id {track.id!r}")
        seen.add(track.id)
        for si, seg in enumerate(track.sg):
            path = f"t[{ti}].sg[{si}]"
            if seg.id in seen:
                out.append(f"{path}.id: duplicate id {seg.id!r}")
            seen.add(seg.id)
            if seg.d <= 0:
                out.append(f"{path}.d: must be > 0")
            if seg.st < 0:
                out.append(f"{path}.st: must be >= 0")
            if seg.in_ < 0:
                out.append(f"{path}.in: must be >= 0")
            if draft.d > 0 and seg.end > draft.d:
                out.append(f"{path}: ends at {seg.end} ms, after the draft's end ({draft.d} ms)")
            _check_src(seg, track, path, media, out)
            _check_fades(seg, path, out)
            if track.tt == TrackType.VISUAL:
                _check_visual(seg, path, out)
            elif track.tt == TrackType.TEXT:
                _check_text(seg, path, out)
            elif track.tt == TrackType.AUDIO:
                _check_audio(seg, track, path, out)
            elif track.tt == TrackType.INTERACTIVE:
                kind = seg.m.get("kind")
                if kind not in vocab.INTERACTIVE_KINDS:
                    out.append(f"{path}.m.kind: must be one of "
                               f"{', '.join(vocab.INTERACTIVE_KINDS)}")
        if track.tt == TrackType.VISUAL and not main_visual_seen:
            main_visual_seen = True
            _check_main_sequence(track, ti, out)
    if any(track.tt == TrackType.INTERACTIVE for track in draft.t):
        from reelwright.draft import interactive  # imports this module: load it lazily

        out += [p for p in interactive.problems(draft, media) if p not in out]
    return out


def validate(draft: Draft, media: Mapping[str, MediaInfo] | None = None) -> Draft:
    found = problems(draft, media)
    if found:
        raise DraftInvalid(found)
    return draft
