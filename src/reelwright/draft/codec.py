"""Compact JSON codec: ``{"v","w","h","fps","d","m","t":[{"id","tt","sg":[...],"m"}]}``.

``from_json`` checks shapes and types and names the offending field; rules about meaning
(overlaps, ranges, known keys) live in ``validate``. Both directions drop control characters
from the strings in ``m`` (``draft.text_clean``), so none is stored or rendered.
"""

from __future__ import annotations

import json
from typing import Any

from reelwright.draft import vocab
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.text_clean import clean_meta
from reelwright.errors import DraftInvalid


def segment_to_json(seg: Segment) -> dict[str, Any]:
    out: dict[str, Any] = {"id": seg.id}
    if seg.src is not None:
        out["src"] = seg.src
    out["st"] = seg.st
    out["d"] = seg.d
    if seg.in_:
        out["in"] = seg.in_
    if seg.m:
        out["m"] = clean_meta(seg.m)
    return out


def to_json(draft: Draft) -> dict[str, Any]:
    return {
        "v": draft.v,
        "w": draft.w,
        "h": draft.h,
        "fps": draft.fps,
        "d": draft.d,
        "m": clean_meta(draft.m),
        "t": [
            {
                "id": track.id,
                "tt": int(track.tt),
                **({"m": clean_meta(track.m)} if track.m else {}),
                "sg": [segment_to_json(seg) for seg in track.sg],
            }
            for track in draft.t
        ],
    }


def dumps(draft: Draft) -> str:
    return json.dumps(to_json(draft), ensure_ascii=False, separators=(",", ":"))


def _int(obj: dict[str, Any], key: str, path: str, problems: list[str], default: int | None) -> int:
    value = obj.get(key, default)
    if value is None:
        problems.append(f"{path}.{key}: required")
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        problems.append(f"{path}.{key}: must be an integer (ms)" if key in {"st", "d", "in"}
                        else f"{path}.{key}: must be an integer")
        return 0
    return value


def _too_deep(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists/objects more than ``limit`` levels (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item \
            if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _meta(obj: dict[str, Any], path: str, problems: list[str]) -> dict[str, Any]:
    value = obj.get("m", {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{path}.m: must be an object")
        return {}
    if _too_deep(value, vocab.MAX_META_DEPTH):
        problems.append(f"{path}.m: nested too deeply (at most {vocab.MAX_META_DEPTH} levels)")
        return {}
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    if size > vocab.MAX_META_BYTES:
        problems.append(f"{path}.m: {size // 1024} KB of metadata; at most "
                        f"{vocab.MAX_META_BYTES // 1024} KB")
        return {}
    return dict(clean_meta(value))


def parse_json(text: str | bytes, what: str = "draft") -> Any:
    """JSON text -> value; ``DraftInvalid`` for broken or absurdly nested text (not a crash)."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise DraftInvalid([f"{what}: not valid JSON ({exc})"]) from None
    except RecursionError:
        raise DraftInvalid([f"{what}: nested too deeply to be a draft"]) from None


def _check_counts(tracks: list[Any]) -> None:
    """Refuse an oversized draft before building any of it."""
    if len(tracks) > vocab.MAX_TRACKS:
        raise DraftInvalid([f"t: {len(tracks)} tracks; at most {vocab.MAX_TRACKS}"])
    count = sum(len(t["sg"]) for t in tracks if isinstance(t, dict)
                and isinstance(t.get("sg"), list))
    if count > vocab.MAX_SEGMENTS:
        raise DraftInvalid([f"t: {count} segments in all; at most {vocab.MAX_SEGMENTS}"])


def from_json(data: Any) -> Draft:
    """Parse a compact draft (dict or JSON text); raise ``DraftInvalid`` naming each problem.

    Without ``d`` (or with ``"d": null``) the draft lasts until its last segment ends."""
    if isinstance(data, str | bytes):
        data = parse_json(data)
    if not isinstance(data, dict):
        raise DraftInvalid(["draft: must be a JSON object"])
    tracks = data.get("t", [])
    if not isinstance(tracks, list):
        raise DraftInvalid(["t: must be a list of tracks"])
    _check_counts(tracks)
    problems: list[str] = []
    derive_d = data.get("d") is None
    draft = Draft(
        v=_int(data, "v", "draft", problems, 1),
        w=_int(data, "w", "draft", problems, 1920),
        h=_int(data, "h", "draft", problems, 1080),
        fps=_int(data, "fps", "draft", problems, 30),
        d=0 if derive_d else _int(data, "d", "draft", problems, 0),
        m=_meta(data, "draft", problems),
    )
    for ti, raw_track in enumerate(tracks):
        tpath = f"t[{ti}]"
        if not isinstance(raw_track, dict):
            problems.append(f"{tpath}: must be an object")
            continue
        try:
            tt = TrackType(int(raw_track["tt"]))
        except (KeyError, TypeError, ValueError):
            problems.append(f"{tpath}.tt: must be one of 0 (visual), 1 (audio), 7 (text), "
                            "8 (interactive)")
            continue
        track_id = raw_track.get("id") or f"track{ti + 1}"
        if not isinstance(track_id, str):
            problems.append(f"{tpath}.id: must be a string")
            track_id = str(track_id)
        track = Track(id=track_id, tt=tt, m=_meta(raw_track, tpath, problems))
        segments = raw_track.get("sg", [])
        if not isinstance(segments, list):
            problems.append(f"{tpath}.sg: must be a list of segments")
            segments = []
        for si, raw_seg in enumerate(segments):
            spath = f"{tpath}.sg[{si}]"
            if not isinstance(raw_seg, dict):
                problems.append(f"{spath}: must be an object")
                continue
            src = raw_seg.get("src")
            if src is not None and not isinstance(src, str):
                problems.append(f"{spath}.src: must be a media id string")
                src = None
            seg_id = raw_seg.get("id") or f"{track_id}s{si + 1}"
            track.sg.append(Segment(
                id=str(seg_id),
                src=src,
                st=_int(raw_seg, "st", spath, problems, None),
                d=_int(raw_seg, "d", spath, problems, None),
                in_=_int(raw_seg, "in", spath, problems, 0),
                m=_meta(raw_seg, spath, problems),
            ))
        draft.t.append(track)
    if problems:
        raise DraftInvalid(problems)
    if derive_d:
        draft.d = max((seg.end for track in draft.t for seg in track.sg), default=0)
    return draft


def loads(text: str | bytes) -> Draft:
    return from_json(text)
