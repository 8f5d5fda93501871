"""The prompt suite's checker: reads expectations like ``visual[2].d > before`` or
``canvas == 1080x1920`` and evaluates them on the draft a turn produced."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelwright.draft.layout import main_track
from reelwright.draft.model import Draft, Segment, TrackType

SUITE = Path(__file__).with_name("prompt_suite.json")
_MISSING = object()


def cases() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(SUITE.read_text(encoding="utf-8"))["cases"]
    return data


@dataclass
class Observed:
    """What one turn did, however it was run (planner function or HTTP endpoint)."""

    kind: str
    before: Draft | None
    after: Draft | None
    changed: bool
    charged: bool
    reply: str


def _role_segments(draft: Draft, tt: TrackType, role: str) -> list[Segment]:
    segs = [s for t in draft.t if t.tt == tt for s in t.sg
            if s.m.get("role", t.m.get("role")) == role]
    return sorted(segs, key=lambda s: s.st)


def _seg_field(seg: Segment, name: str) -> Any:
    if name in ("d", "st", "src", "end"):
        return getattr(seg, name)
    if name == "in":
        return seg.in_
    if name in ("color", "size"):
        style = seg.m.get("style") or {}
        return style.get(name, _MISSING)
    if name == "tr.n":
        tr = seg.m.get("tr")
        return tr["n"] if isinstance(tr, dict) else _MISSING
    if name == "tr.d":
        tr = seg.m.get("tr")
        return tr["d"] if isinstance(tr, dict) else _MISSING
    return seg.m.get(name, _MISSING)


_INTERACTIVE = ("button", "hotspot", "choice", "chapter", "end")


def _interactive_field(seg: Segment, name: str) -> Any:
    action = seg.m.get("action") if isinstance(seg.m.get("action"), dict) else {}
    if name in ("do", "t", "url"):
        return action.get(name, _MISSING)
    if name == "targets":  # a choice's answers as "play,jump@10000,end"
        return ",".join(c["do"] + (f"@{c['t']}" if "t" in c else "")
                        for c in seg.m.get("choices", []))
    return _seg_field(seg, name)


def _interactive(draft: Draft, kind: str, before: Draft | None) -> list[Segment]:
    def key(seg: Segment) -> str:  # ids may be reused after a removal: compare contents
        return json.dumps([seg.st, seg.m], sort_keys=True, default=str)

    old = {key(s) for t in before.t for s in t.sg} if before is not None else set()
    segs = [s for t in draft.t if t.tt == TrackType.INTERACTIVE for s in t.sg
            if s.m.get("kind") == kind and key(s) not in old]
    return sorted(segs, key=lambda s: s.st)


def value(draft: Draft | None, path: str, before: Draft | None = None) -> Any:
    """The value at ``path``; a list for ``[*]`` paths; ``_MISSING`` when absent.

    Interactive items are ``button``, ``hotspot``, ``choice``, ``chapter``, ``end`` (in time
    order), ``new_button`` etc. only those not in ``before``; ``explainer.<option>`` reads the
    explainer's remembered options; ``voice`` is the voice-over track."""
    if draft is None:
        return _MISSING
    if path.startswith("explainer."):
        meta = draft.m.get("explainer")
        return meta.get(path.partition(".")[2], _MISSING) if isinstance(meta, dict) else _MISSING
    main = main_track(draft)
    visual = list(main.sg) if main is not None else []
    if path == "canvas":
        return f"{draft.w}x{draft.h}"
    if path in ("d", "fps"):
        return getattr(draft, path)
    if path == "bg":
        return draft.m.get("bg", "#000000")
    if path == "transitions":
        return sum(1 for s in visual if isinstance(s.m.get("tr"), dict))
    if path == "distinct_transitions":
        return len({s.m["tr"]["n"] for s in visual if isinstance(s.m.get("tr"), dict)})
    group, _, rest = path.partition(".")
    match = re.fullmatch(r"(\w+)(?:\[(\*|-?\d+)\])?", group)
    assert match, f"bad path {path!r}"
    name, index = match.group(1), match.group(2)
    if name == "visual":
        segs = visual
    elif name == "music":
        segs = _role_segments(draft, TrackType.AUDIO, "music")
    elif name == "voice":
        segs = _role_segments(draft, TrackType.AUDIO, "voice")
    elif name in ("title", "caption", "overlay"):
        segs = _role_segments(draft, TrackType.TEXT, name)
    elif name.removeprefix("new_") in _INTERACTIVE:
        kind = name.removeprefix("new_")
        segs = _interactive(draft, kind, before if name.startswith("new_") else None)
        if rest == "count":
            return len(segs)
        if index == "*":
            return [_interactive_field(s, rest) for s in segs]
        i = int(index) if index is not None else 1
        if not segs or i == 0 or i > len(segs) or i < -len(segs):
            return _MISSING
        return _interactive_field(segs[i - 1 if i > 0 else i], rest)
    else:
        raise AssertionError(f"unknown group in {path!r}")
    if rest == "count":
        return len(segs)
    if index == "*":
        return [_seg_field(s, rest) for s in segs]
    i = int(index) if index is not None else 1
    if not segs or i == 0 or i > len(segs) or i < -len(segs):
        return _MISSING
    return _seg_field(segs[i - 1 if i > 0 else i], rest)


def _literal(text: str, obs: Observed, path: str) -> Any:
    if text == "before":
        return value(obs.before, path)
    if re.fullmatch(r"(visual|music|title|caption)(\[\S+\])?\.\S+|d", text):
        return value(obs.after, text)
    try:
        return float(text)
    except ValueError:
        return text


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is _MISSING or right is _MISSING:
        return op == "!=" and (left is _MISSING) != (right is _MISSING)
    if isinstance(left, int | float) and isinstance(right, int | float):
        a, b = float(left), float(right)
        return {"==": abs(a - b) < 1e-6, "!=": abs(a - b) >= 1e-6, ">": a > b, "<": a < b,
                ">=": a >= b, "<=": a <= b}[op]
    a, b = str(left), str(right)
    return {"==": a == b, "!=": a != b, "has": b.lower() in a.lower()}.get(op, False)


def check(expect: str, obs: Observed) -> bool:
    if expect == "unchanged":
        return not obs.changed and not obs.charged
    if expect == "asks question":
        return obs.kind == "ask" and not obs.changed and not obs.charged and "?" in \
            obs.reply.replace("？", "?")
    if expect == "refused":
        return obs.kind == "refuse" and not obs.changed and not obs.charged and bool(obs.reply)
    if expect == "changed":
        return obs.changed
    if expect == "charged":
        return obs.charged and obs.changed
    if expect.startswith("reply contains "):
        return expect.removeprefix("reply contains ") in obs.reply
    if expect.startswith("kind == "):
        return obs.kind == expect.removeprefix("kind == ")
    parts = expect.split(" ", 2)
    path, op = parts[0], parts[1]
    if op in ("absent", "present"):
        got = value(obs.after, path, obs.before)
        items = got if isinstance(got, list) else [got]
        return all((item is _MISSING) == (op == "absent") for item in items)
    right_text = parts[2]
    got = value(obs.after, path, obs.before)
    if isinstance(got, list):
        return bool(got) and all(_compare(item, op, _literal(right_text, obs, path))
                                 for item in got)
    return _compare(got, op, _literal(right_text, obs, path))


def failures(case: dict[str, Any], obs: Observed) -> list[str]:
    """The expectations this outcome breaks; a silent turn (no reply) always fails."""
    broken = [e for e in case["expect"] if not check(e, obs)]
    if not obs.reply.strip():
        broken.append("a reply in plain words")
    if obs.kind in ("ask", "refuse", "info") and (obs.changed or obs.charged):
        broken.append("questions, refusals and answers change nothing and cost nothing")
    return broken
