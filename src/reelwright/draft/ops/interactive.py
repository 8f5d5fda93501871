"""Operations on the interactive track: buttons, hotspots, choice points, chapters, end screens
and named branches. Each checks the interactive rules (``reelwright.draft.interactive``) on the
edited copy, so a jump past the end or a branch nobody defined is refused with a plain reason."""

from __future__ import annotations

from typing import Any

from reelwright.draft import interactive, vocab
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.ops.address import TARGET_OR_ALL, resolve
from reelwright.draft.ops.common import Media, seconds
from reelwright.draft.ops.registry import Args, integer, number, obj, register, string
from reelwright.draft.ops.text import POS
from reelwright.errors import OperationInvalid

MS = vocab.MAX_DURATION_MS
LABEL = string("the words a viewer sees", max_length=interactive.MAX_LABEL_CHARS)
ACTION: dict[str, Any] = obj(
    ("do",),
    do=string("jump to a time, go to a branch, open a URL, pause, play (continue) or end",
              enum=interactive.ACTIONS),
    t=integer("with jump: the time to go to (ms)", 0, MS),
    b=string("with branch: the branch name", max_length=40),
    url=string("with url: an http(s) address", max_length=interactive.MAX_URL_CHARS))
CHOICE: dict[str, Any] = obj(
    ("label", "do"), label=LABEL,
    do=string("where this answer goes", enum=interactive.CHOICE_ACTIONS),
    t=integer("with jump: the time to go to (ms)", 0, MS),
    b=string("with branch: the branch name", max_length=40))
BOX: dict[str, Any] = {"type": "array", "minItems": 4, "maxItems": 4,
                       "items": number("0..1", 0, 1),
                       "description": "[x, y, w, h] normalised to the picture (0..1)"}
STYLE: dict[str, Any] = obj(color=string("text colour #RRGGBB", max_length=9),
                            bg=string("button colour #RRGGBB or #RRGGBBAA", max_length=9))
REGIONS: dict[str, list[float]] = {
    "top-left": [0.03, 0.04, 0.3, 0.3], "top": [0.35, 0.04, 0.3, 0.3],
    "top-right": [0.67, 0.04, 0.3, 0.3], "center": [0.35, 0.35, 0.3, 0.3],
    "bottom-left": [0.03, 0.62, 0.3, 0.3], "bottom": [0.35, 0.62, 0.3, 0.3],
    "bottom-right": [0.67, 0.62, 0.3, 0.3],
}
"""Hotspot rectangles for place names ("a hotspot top-right")."""


def _track(draft: Draft) -> Track:
    track = interactive.interactive_track(draft)
    if track is None:
        track = Track(id=draft.new_id("i"), tt=TrackType.INTERACTIVE)
        draft.t.append(track)
    return track


def _start(draft: Draft, start: int) -> int:
    if draft.d <= 0:
        raise OperationInvalid("the video is empty; add photos or clips first")
    if start >= draft.d:
        raise OperationInvalid(f"the video is only {seconds(draft.d)} long; pick a time "
                               "before that")
    return start


def _span(draft: Draft, args: Args, default_ms: int) -> tuple[int, int]:
    start = _start(draft, int(args.get("start_ms", 0)))
    if "end_ms" in args:
        end = int(args["end_ms"])
        if end <= start:
            raise OperationInvalid("the end time must come after the start time")
        d = end - start
    else:
        d = int(args.get("duration_ms", default_ms))
    return start, min(d, draft.d - start)


def _add(draft: Draft, st: int, d: int, m: dict[str, Any]) -> Segment:
    track = _track(draft)
    seg = Segment(id=draft.new_id("i"), st=st, d=max(1, d), m=m)
    track.sg.append(seg)
    track.sg.sort(key=lambda s: (s.st, s.id))
    return seg


def _retime_chapters(draft: Draft) -> None:
    """A chapter runs until the next one starts (or the video ends)."""
    marks = interactive.chapters(draft)
    for i, here in enumerate(marks):
        end = marks[i + 1].st if i + 1 < len(marks) else draft.d
        here.d = max(1, end - here.st)


def _check(draft: Draft, media: Media) -> None:
    _retime_chapters(draft)
    found = interactive.problems(draft, media)
    if found:
        raise OperationInvalid("; ".join(found[:3]), data={"problems": found})


@register("add_button", "Add a clickable button over the video for a time range; it jumps to a "
          "time, goes to a branch, opens a URL, or pauses/continues.", obj(
              ("label", "action"), label=LABEL, action=ACTION,
              start_ms=integer("when it appears", 0, MS),
              duration_ms=integer("how long it stays (default 5 s)", 100, MS),
              end_ms=integer("when it goes away (instead of duration_ms)", 1, MS),
              pos=POS, style=STYLE))
def add_button(draft: Draft, args: Args, media: Media) -> None:
    start, d = _span(draft, args, 5000)
    m: dict[str, Any] = {"kind": "button", "label": args["label"],
                         "action": dict(args["action"]),
                         "pos": args.get("pos", "bottom-right")}
    if "style" in args:
        m["style"] = dict(args["style"])
    _add(draft, start, d, m)
    _check(draft, media)


@register("add_hotspot", "Add a clickable rectangle over the video for a time range (by box or "
          "place name) with a label and an action.", obj(
              ("label", "action"), label=LABEL, action=ACTION, box=BOX,
              place=string("instead of box: a place name", enum=tuple(REGIONS)),
              start_ms=integer("when it becomes clickable", 0, MS),
              duration_ms=integer("how long (default 5 s)", 100, MS),
              end_ms=integer("when it stops (instead of duration_ms)", 1, MS)))
def add_hotspot(draft: Draft, args: Args, media: Media) -> None:
    if "box" in args and "place" in args:
        raise OperationInvalid("give a box or a place, not both")
    box = args.get("box") or REGIONS[str(args.get("place", "center"))]
    start, d = _span(draft, args, 5000)
    _add(draft, start, d, {"kind": "hotspot", "label": args["label"],
                           "box": [float(v) for v in box], "action": dict(args["action"])})
    _check(draft, media)


@register("add_choice", "Pause the video at a time and ask a question; each answer jumps to a "
          "time, goes to a branch, ends, or continues. Two or three answers work best.", obj(
              ("question", "at_ms", "choices"),
              question=string("the question", max_length=interactive.MAX_LABEL_CHARS),
              at_ms=integer("when the video pauses to ask", 0, MS),
              choices={"type": "array", "minItems": 2, "maxItems": interactive.MAX_CHOICES,
                       "items": CHOICE, "description": "the answers"},
              duration_ms=integer("how long the question stays if skipped (default 1 s)", 100,
                                  MS)))
def add_choice(draft: Draft, args: Args, media: Media) -> None:
    start = _start(draft, int(args["at_ms"]))
    d = min(int(args.get("duration_ms", 1000)), draft.d - start)
    _add(draft, start, d, {"kind": "choice", "q": args["question"],
                           "choices": [dict(c) for c in args["choices"]]})
    _check(draft, media)


@register("add_chapter", "Mark a chapter starting at a time (chapters run until the next one).",
          obj(("label",), label=LABEL, start_ms=integer("where the chapter starts", 0, MS)))
def add_chapter(draft: Draft, args: Args, media: Media) -> None:
    start = _start(draft, int(args.get("start_ms", 0)))
    if any(seg.st == start for seg in interactive.chapters(draft)):
        raise OperationInvalid(f"a chapter already starts at {interactive.clock(start)}")
    _add(draft, start, 1, {"kind": "chapter", "label": args["label"]})
    _check(draft, media)


@register("add_end_screen", "Show an end screen (title, optional line of text) that pauses the "
          "video; by default over the last 2 seconds.", obj(
              ("label",), label=LABEL,
              text=string("a line under the title", max_length=interactive.MAX_LABEL_CHARS),
              start_ms=integer("when it shows (default 2 s before the end)", 0, MS)))
def add_end_screen(draft: Draft, args: Args, media: Media) -> None:
    start = _start(draft, int(args.get("start_ms", max(0, draft.d - 2000))))
    m: dict[str, Any] = {"kind": "end", "label": args["label"]}
    if "text" in args:
        m["text"] = args["text"]
    _add(draft, start, draft.d - start, m)
    _check(draft, media)


@register("add_branch", "Name a branch: a range of the video (start_ms + duration_ms) or a "
          "separate clip (media_id); `then` says what happens after it (default: end).", obj(
              ("name",), name=string("the branch name", max_length=40),
              start_ms=integer("range start (ms)", 0, MS),
              duration_ms=integer("range length (ms)", 1, MS),
              media_id=string("a clip of this session", max_length=64),
              then=ACTION))
def add_branch(draft: Draft, args: Args, media: Media) -> None:
    name = str(args["name"])
    track = _track(draft)
    named = dict(track.m.get("branches") or {})
    if name in named:
        raise OperationInvalid(f"there is already a branch called {name!r}")
    if "media_id" in args:
        if "start_ms" in args or "duration_ms" in args:
            raise OperationInvalid("a branch is a range of this video or a separate clip, "
                                   "not both")
        branch: dict[str, Any] = {"src": args["media_id"]}
    elif "start_ms" in args and "duration_ms" in args:
        branch = {"st": int(args["start_ms"]), "d": int(args["duration_ms"])}
    else:
        raise OperationInvalid("give start_ms and duration_ms (a range) or media_id (a clip)")
    if "then" in args:
        branch["then"] = dict(args["then"])
    named[name] = branch
    track.m["branches"] = named
    _check(draft, media)


@register("set_interactive", "Change one interactive item: its words (a button's, chapter's or "
          "end screen's label, a choice's question), when it starts (the whole item moves), "
          "or a button's or hotspot's action.", obj(
              ("target",), target=TARGET_OR_ALL, label=LABEL,
              question=string("a choice's question", max_length=interactive.MAX_LABEL_CHARS),
              start_ms=integer("the new start (the item keeps its length)", 0, MS),
              action=ACTION))
def set_interactive(draft: Draft, args: Args, media: Media) -> None:
    if not {"label", "question", "start_ms", "action"} & set(args):
        raise OperationInvalid("say what to change: label, question, start_ms or action")
    if args["target"] == "all":
        raise OperationInvalid("name one item to change, e.g. chapter 2 or the question")
    for track, seg in resolve(draft, args["target"], media, default_group="interactive"):
        if track.tt != TrackType.INTERACTIVE:
            raise OperationInvalid("that segment is not an interactive item")
        kind = seg.m.get("kind")
        if "question" in args:
            if kind != "choice":
                raise OperationInvalid(f"only a choice has a question; that is a {kind}")
            seg.m["q"] = args["question"]
        if "label" in args:
            if kind == "choice":
                raise OperationInvalid("a choice has a question and answers, not a label")
            seg.m["label"] = args["label"]
        if "action" in args:
            if kind not in ("button", "hotspot"):
                raise OperationInvalid(f"only buttons and hotspots have an action; that is a "
                                       f"{kind}")
            seg.m["action"] = dict(args["action"])
        if "start_ms" in args:
            start = _start(draft, int(args["start_ms"]))
            if kind == "chapter" and any(c.st == start and c is not seg
                                         for c in interactive.chapters(draft)):
                raise OperationInvalid(f"a chapter already starts at {interactive.clock(start)}")
            seg.d = max(1, min(seg.d, draft.d - start))
            seg.st = start
        track.sg.sort(key=lambda s: (s.st, s.id))
    _check(draft, media)


@register("remove_interactive", "Remove one interactive item (button, hotspot, choice, chapter, "
          "end screen) or all of them.", obj(("target",), target=TARGET_OR_ALL))
def remove_interactive(draft: Draft, args: Args, media: Media) -> None:
    for track, seg in resolve(draft, args["target"], media, default_group="interactive"):
        if track.tt != TrackType.INTERACTIVE:
            raise OperationInvalid("that segment is not an interactive item")
        track.sg.remove(seg)
    if args["target"] == "all":
        for track in draft.tracks_of(TrackType.INTERACTIVE):
            track.m.pop("branches", None)
    draft.t = [t for t in draft.t if t.tt != TrackType.INTERACTIVE or t.sg or t.m]
    _check(draft, media)
