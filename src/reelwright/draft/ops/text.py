"""Operations on text: titles, captions and overlays (content, style, position, timing)."""

from __future__ import annotations

from typing import Any

from reelwright.draft import vocab
from reelwright.draft.model import Draft, Segment, TrackType
from reelwright.draft.ops.address import TARGET, TARGET_OR_ALL, resolve, resolve_one
from reelwright.draft.ops.common import Media, drop_empty_tracks, seconds, track_for_role
from reelwright.draft.ops.registry import Args, boolean, integer, number, obj, register, string
from reelwright.errors import OperationInvalid

STYLE: dict[str, Any] = obj(
    size=number("text height in px at a 1080 px tall canvas", 8, 400),
    color=string("text colour #RRGGBB", max_length=9),
    bg={"anyOf": [{"type": "string", "minLength": 4, "maxLength": 9}, {"type": "null"}],
        "description": "box colour behind the text (#00000099) or null for none"},
    bold=boolean("bold text"),
    outline=number("outline width in px", 0, 20),
    font=string("font family", max_length=60))
POS: dict[str, Any] = {
    "anyOf": [{"type": "string", "enum": list(vocab.POSITIONS)},
              obj(("x", "y"), x=number("0 = left, 1 = right", 0, 1),
                  y=number("0 = top, 1 = bottom", 0, 1))],
    "description": f"one of {', '.join(vocab.POSITIONS)} or " + '{"x": 0..1, "y": 0..1}',
}
ROLE_DEFAULTS: dict[str, dict[str, Any]] = {
    "title": {"pos": "center", "style": {"size": 96, "bold": True, "outline": 3}},
    "caption": {"pos": "bottom", "style": {"size": 48, "bg": "#00000099"}},
    "overlay": {"pos": "top"},
}
TEXT = string("the words to show; \\n for a line break", max_length=vocab.MAX_TEXT_CHARS)


@register("add_text", "Add a title, caption or text overlay at a time in the video.", obj(
    ("text",), text=TEXT,
    role=string("title, caption or overlay (default overlay)", enum=vocab.TEXT_ROLES),
    start_ms=integer("when it appears", 0, vocab.MAX_DURATION_MS),
    duration_ms=integer("how long it stays (default 3 s, clipped to the video)", 100,
                        vocab.MAX_DURATION_MS),
    style=STYLE, pos=POS,
    at_end=boolean("end at the video's end, and keep ending there after later edits")))
def add_text(draft: Draft, args: Args, media: Media) -> None:
    role = str(args.get("role", "overlay"))
    d = int(args.get("duration_ms", 3000))
    if args.get("at_end") and draft.d > 0:
        d = min(d, draft.d)
    start = draft.d - d if args.get("at_end") and draft.d > 0 else int(args.get("start_ms", 0))
    if draft.d > 0 and start >= draft.d:
        raise OperationInvalid(f"the video is only {seconds(draft.d)} long; "
                               f"start the text before that")
    if draft.d > 0:
        d = min(d, draft.d - start)
    defaults = ROLE_DEFAULTS[role]
    m: dict[str, Any] = {"text": args["text"], "role": role,
                         "pos": args.get("pos", defaults["pos"]), "fi": 300, "fo": 300}
    if args.get("at_end"):
        m["pin"] = "end"
    style = {**defaults.get("style", {}), **args.get("style", {})}
    if style:
        m["style"] = style
    track = track_for_role(draft, TrackType.TEXT, role)
    track.sg.append(Segment(id=draft.new_id("t"), st=start, d=d, m=m))
    track.sg.sort(key=lambda s: s.st)


@register("set_text", "Change a text's words, style (merged into the current one), position or "
          "timing.", obj(
              ("target",), target=TARGET, text=TEXT, style=STYLE, pos=POS,
              start_ms=integer("when it appears", 0, vocab.MAX_DURATION_MS),
              duration_ms=integer("how long it stays", 100, vocab.MAX_DURATION_MS)))
def set_text(draft: Draft, args: Args, media: Media) -> None:
    if not {"text", "style", "pos", "start_ms", "duration_ms"} & set(args):
        raise OperationInvalid("say what to change: text, style, pos, start_ms or duration_ms")
    track, seg = resolve_one(draft, args["target"], media, default_group="text")
    if track.tt != TrackType.TEXT:
        raise OperationInvalid("that segment is not a text")
    if "text" in args:
        seg.m["text"] = args["text"]
        seg.m.pop("words", None)  # word timings belonged to the old words
    if "style" in args:
        seg.m["style"] = {**seg.m.get("style", {}), **args["style"]}
    if "pos" in args:
        seg.m["pos"] = args["pos"]
    if "start_ms" in args:
        seg.st = int(args["start_ms"])
        seg.m.pop("pin", None)  # placed at a time now, no longer at the end
        if draft.d > 0 and seg.st >= draft.d:
            raise OperationInvalid(f"the video is only {seconds(draft.d)} long")
    if "duration_ms" in args:
        seg.d = int(args["duration_ms"])
    track.sg.sort(key=lambda s: s.st)


@register("remove_text", "Remove one text, or all texts (optionally only titles, captions or "
          "overlays).", obj(
              ("target",), target=TARGET_OR_ALL,
              role=string("with target all: only this kind", enum=vocab.TEXT_ROLES)))
def remove_text(draft: Draft, args: Args, media: Media) -> None:
    group = str(args.get("role", "text")) if args["target"] == "all" else "text"
    found = resolve(draft, args["target"], media, default_group=group)
    for track, seg in found:
        if track.tt != TrackType.TEXT:
            raise OperationInvalid("that segment is not a text")
        track.sg.remove(seg)
    drop_empty_tracks(draft)
