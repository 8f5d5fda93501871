"""The interactive layer (track type 8): buttons, hotspots, choice points, chapters, end screens
and named branches, with the rules that make a viewer's every path end somewhere.

Pure: no I/O. The meaning of every ``m`` key is in docs/interactive.md. In short:

- a segment's ``st``/``d`` is when it is on screen (a choice and an end screen pause the video at
  ``st``; a chapter runs from ``st`` to the next chapter);
- an *action* is ``{"do": "jump", "t": ms}``, ``{"do": "branch", "b": name}``,
  ``{"do": "url", "url": "https://..."}``, ``{"do": "pause"}``, ``{"do": "play"}`` or
  ``{"do": "end"}``; a choice's answers are actions with a ``label``;
- branches live in the interactive track's ``m.branches``: ``{name: {"st", "d", "then"}}`` for a
  range of the main video, ``{name: {"src", "then"}}`` for a separate clip; ``then`` (default
  ``{"do": "end"}``) is what happens when the branch has played.

``problems`` lists broken rules (``validate``-style ``path: reason``); ``warnings`` lists what is
allowed but unwise (many choices, branches no path reaches).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from reelwright.draft import vocab
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType

ACTIONS: tuple[str, ...] = ("jump", "branch", "url", "pause", "play", "end")
CHOICE_ACTIONS: tuple[str, ...] = ("jump", "branch", "end", "play")
THEN_ACTIONS: tuple[str, ...] = ("jump", "branch", "end")
BLOCKING_KINDS: tuple[str, ...] = ("choice", "end")
MAX_CHOICES = 8
CALM_CHOICES = 3
MAX_LABEL_CHARS = 120
MAX_URL_CHARS = 2000
TOO_MANY_CHOICES = ("keep branch points under 3 choices so viewers don't get overwhelmed")
_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
_BRANCH_NAME = re.compile(r"^[^\x00-\x1f/\\]{1,40}$")
_MEDIA_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def clock(ms: int) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour) for messages a person reads."""
    s = max(0, ms) // 1000
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def interactive_track(draft: Draft) -> Track | None:
    """The first interactive track, or None."""
    for track in draft.t:
        if track.tt == TrackType.INTERACTIVE:
            return track
    return None


def items(draft: Draft) -> list[Segment]:
    """Every interactive segment of every interactive track, in time order."""
    found = [seg for track in draft.tracks_of(TrackType.INTERACTIVE) for seg in track.sg]
    return sorted(found, key=lambda seg: (seg.st, seg.id))


def branches(draft: Draft) -> dict[str, dict[str, Any]]:
    """Named branches of the draft (from the first interactive track's ``m.branches``)."""
    track = interactive_track(draft)
    raw = track.m.get("branches") if track is not None else None
    if not isinstance(raw, dict):
        return {}
    return {str(name): value for name, value in raw.items() if isinstance(value, dict)}


def chapters(draft: Draft) -> list[Segment]:
    return [seg for seg in items(draft) if seg.m.get("kind") == "chapter"]


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(m: Mapping[str, Any], key: str, path: str, out: list[str], *,
          required: bool = True) -> None:
    value = m.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        out.append(f"{path}.{key}: required, a non-empty string")
    elif len(value) > MAX_LABEL_CHARS:
        out.append(f"{path}.{key}: at most {MAX_LABEL_CHARS} characters")


def _check_action(action: Any, allowed: Sequence[str], draft: Draft,
                  names: Mapping[str, Any], path: str, out: list[str]) -> None:
    if not isinstance(action, dict):
        out.append(f'{path}: must be an action like {{"do": "jump", "t": 90000}}')
        return
    do = action.get("do")
    if do not in allowed:
        out.append(f"{path}.do: must be one of {', '.join(allowed)}")
        return
    if do == "jump":
        t = action.get("t")
        if not _is_int(t) or t < 0:
            out.append(f"{path}.t: a jump needs a time in ms >= 0")
        elif draft.d > 0 and t >= draft.d:
            out.append(f"{path}.t: {clock(t)} is after the end of the video ({clock(draft.d)})")
    elif do == "branch":
        name = action.get("b")
        if not isinstance(name, str) or name not in names:
            known = ", ".join(sorted(names)) or "none yet"
            out.append(f"{path}.b: there is no branch {name!r} (branches: {known})")
    elif do == "url":
        url = action.get("url")
        if not isinstance(url, str) or not _URL.match(url) or len(url) > MAX_URL_CHARS:
            out.append(f"{path}.url: must be an http:// or https:// address")


def _check_box(box: Any, path: str, out: list[str]) -> None:
    if (not isinstance(box, list) or len(box) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)):
        out.append(f"{path}: must be [x, y, w, h] normalised to 0..1")
        return
    x, y, w, h = box
    if not (0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 and 0 < h <= 1
            and x + w <= 1.0001 and y + h <= 1.0001):
        out.append(f"{path}: must lie inside the picture ([x, y, w, h] with x + w <= 1, "
                   "y + h <= 1)")


def _check_pos(pos: Any, path: str, out: list[str]) -> None:
    if isinstance(pos, dict):
        if not all(isinstance(pos.get(k), int | float) and 0 <= pos[k] <= 1 for k in ("x", "y")):
            out.append(f'{path}: must be a place name or {{"x": 0..1, "y": 0..1}}')
    elif pos not in vocab.POSITIONS:
        out.append(f"{path}: must be one of {', '.join(vocab.POSITIONS)} or "
                   '{"x": 0..1, "y": 0..1}')


def _check_segment(seg: Segment, draft: Draft, names: Mapping[str, Any], path: str,
                   out: list[str]) -> None:
    m = seg.m
    kind = m.get("kind")
    mp = f"{path}.m"
    if kind in ("button", "hotspot"):
        _text(m, "label", mp, out)
        _check_action(m.get("action"), ACTIONS, draft, names, f"{mp}.action", out)
        if kind == "hotspot" or "box" in m:
            _check_box(m.get("box"), f"{mp}.box", out)
        if "pos" in m:
            _check_pos(m["pos"], f"{mp}.pos", out)
        style = m.get("style")
        if style is not None and not isinstance(style, dict):
            out.append(f"{mp}.style: must be an object")
    elif kind == "choice":
        _text(m, "q", mp, out)
        choices = m.get("choices")
        if not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES:
            out.append(f"{mp}.choices: a choice needs 2..{MAX_CHOICES} answers")
        else:
            for i, choice in enumerate(choices):
                cp = f"{mp}.choices[{i}]"
                if not isinstance(choice, dict):
                    out.append(f'{cp}: must be like {{"label": "Yes", "do": "jump", "t": 90000}}')
                    continue
                _text(choice, "label", cp, out)
                _check_action(choice, CHOICE_ACTIONS, draft, names, cp, out)
    elif kind in ("chapter", "end"):
        _text(m, "label", mp, out)
        _text(m, "text", mp, out, required=False)


def _check_branches(draft: Draft, track_index: int, media: Mapping[str, MediaInfo] | None,
                    out: list[str]) -> None:
    raw = draft.t[track_index].m.get("branches")
    if raw is None:
        return
    base = f"t[{track_index}].m.branches"
    if not isinstance(raw, dict):
        out.append(f"{base}: must be an object of named branches")
        return
    names = branches(draft)
    for name, branch in raw.items():
        bp = f"{base}.{name}"
        if not isinstance(name, str) or not _BRANCH_NAME.match(name):
            out.append(f"{bp}: a branch name is 1..40 characters without / or \\")
        if not isinstance(branch, dict):
            out.append(f'{bp}: must be {{"st", "d"}} (a range) or {{"src"}} (a clip)')
            continue
        if "src" in branch:
            src = branch["src"]
            if not isinstance(src, str) or not _MEDIA_ID.match(src):
                out.append(f"{bp}.src: must be a media id of this session, not a path or URL")
            elif media is not None:
                info = media.get(src)
                if info is None:
                    out.append(f"{bp}.src: unknown media id {src!r} in this session")
                elif info.kind != "video":
                    out.append(f"{bp}.src: {src} is {info.kind}; a branch clip must be a video")
        else:
            st, d = branch.get("st"), branch.get("d")
            if not _is_int(st) or not _is_int(d) or st < 0 or d <= 0:
                out.append(f"{bp}: a range branch needs st >= 0 and d > 0 (ms)")
            elif draft.d > 0 and st + d > draft.d:
                out.append(f"{bp}: ends at {clock(st + d)}, after the video's end "
                           f"({clock(draft.d)})")
        if "then" in branch:
            _check_action(branch["then"], THEN_ACTIONS, draft, names, f"{bp}.then", out)


# --- paths ---------------------------------------------------------------------------------

Node = tuple[str, int, str]
"""``("main", t, branch)``: playing the main video from ``t`` (inside range ``branch`` or "");
``("clip", 0, name)``: playing a branch clip; ``("end", 0, "")``: an end screen or the end."""

END: Node = ("end", 0, "")


@dataclass(frozen=True)
class _Step:
    forced: tuple[Node, ...]  # where playback must go next (one of these)
    optional: tuple[Node, ...]  # detours a viewer may take (buttons, hotspots)
    via: str  # the blocking item's id, for messages


def _target(action: Mapping[str, Any], here: Node, names: Mapping[str, Any]) -> Node | None:
    do = action.get("do")
    if do == "jump" and _is_int(action.get("t")):
        return ("main", int(action["t"]), "")
    if do == "branch":
        branch = names.get(str(action.get("b")))
        if branch is None:
            return None
        if "src" in branch:
            return ("clip", 0, str(action["b"]))
        return ("main", int(branch.get("st", 0)), str(action["b"]))
    if do == "end":
        return END
    return None


def _limit(node: Node, draft: Draft, names: Mapping[str, Any]) -> int:
    if node[2] and node[2] in names:
        branch = names[node[2]]
        return int(branch.get("st", 0)) + int(branch.get("d", 0))
    return draft.d


def _step(node: Node, draft: Draft, segs: Sequence[Segment],
          names: Mapping[str, Any]) -> _Step:
    kind, t, bname = node
    if kind == "end":
        return _Step((), (), "")
    if kind == "clip":
        then = names.get(bname, {}).get("then", {"do": "end"})
        nxt = _target(then, node, names) if isinstance(then, dict) else END
        return _Step((nxt or END,), (), f"branch {bname}")
    limit = _limit(node, draft, names)
    blocking = next((seg for seg in segs if seg.m.get("kind") in BLOCKING_KINDS
                     and t <= seg.st < limit), None)
    stop = blocking.st if blocking is not None else limit
    optional = tuple(
        nxt for seg in segs
        if seg.m.get("kind") in ("button", "hotspot") and seg.st <= stop and seg.end > t
        and isinstance(seg.m.get("action"), dict)
        and (nxt := _target(seg.m["action"], node, names)) is not None)
    if blocking is None:
        if bname:
            then = names.get(bname, {}).get("then", {"do": "end"})
            nxt = _target(then, node, names) if isinstance(then, dict) else END
            return _Step((nxt or END,), optional, f"branch {bname}")
        return _Step((END,), optional, "")
    if blocking.m.get("kind") == "end":
        return _Step((END,), optional, blocking.id)
    forced: list[Node] = []
    for choice in blocking.m.get("choices") or ():
        if not isinstance(choice, dict):
            continue
        if choice.get("do") == "play":
            forced.append(("main", blocking.st + 1, bname))
        elif (nxt := _target(choice, node, names)) is not None:
            forced.append(nxt)
    return _Step(tuple(forced), optional, blocking.id)


def _explore(draft: Draft) -> tuple[dict[Node, _Step], set[str]]:
    segs = items(draft)
    names = branches(draft)
    steps: dict[Node, _Step] = {}
    todo: list[Node] = [("main", 0, "")]
    while todo:
        node = todo.pop()
        if node in steps:
            continue
        steps[node] = step = _step(node, draft, segs, names)
        todo.extend(n for n in (*step.forced, *step.optional) if n not in steps)
    reached = {node[2] for node in steps if node[2]}
    return steps, reached


def _dead_ends(steps: Mapping[Node, _Step]) -> list[Node]:
    """Reachable places from which no sequence of choices reaches an end."""
    good: set[Node] = {node for node in steps if node == END}
    changed = True
    while changed:
        changed = False
        for node, step in steps.items():
            if node in good:
                continue
            if any(n in good for n in (*step.forced, *step.optional)):
                good.add(node)
                changed = True
    return [node for node in steps if node not in good]


def problems(draft: Draft, media: Mapping[str, MediaInfo] | None = None) -> list[str]:
    """Broken rules of the interactive layer: fields, targets, and paths that never end."""
    out: list[str] = []
    names = branches(draft)
    for ti, track in enumerate(draft.t):
        if track.tt != TrackType.INTERACTIVE:
            continue
        _check_branches(draft, ti, media, out)
        for si, seg in enumerate(track.sg):
            _check_segment(seg, draft, names, f"t[{ti}].sg[{si}]", out)
    if out or draft.d <= 0:
        return out
    steps, _ = _explore(draft)
    stuck = _dead_ends(steps)
    blamed = sorted({steps[node].via for node in stuck if steps[node].via})
    for via in blamed:
        where = f"choice {via}"
        for seg in items(draft):
            if seg.id == via:
                where = f"the choice at {clock(seg.st)} ({seg.m.get('q', '')!r})"
        out.append(f"paths: {where} only leads back into a loop; give one answer a way to an "
                   "end screen or the end of the video")
    if stuck and not blamed:
        out.append("paths: a branch loops forever; let one branch end")
    return out


def warnings(draft: Draft) -> list[str]:
    """Allowed but unwise: choices with 4+ answers, branches nothing reaches."""
    out: list[str] = []
    for seg in items(draft):
        choices = seg.m.get("choices")
        if seg.m.get("kind") == "choice" and isinstance(choices, list) \
                and len(choices) > CALM_CHOICES:
            out.append(f"the choice at {clock(seg.st)} has {len(choices)} answers: "
                       f"{TOO_MANY_CHOICES}")
    names = branches(draft)
    if names and draft.d > 0:
        _, reached = _explore(draft)
        for name in sorted(set(names) - reached):
            out.append(f"branch {name!r} is never reached: no choice, button or hotspot on a "
                       "viewer's path leads to it")
    return out
