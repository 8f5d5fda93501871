"""Operations on how segments look and move: transitions, Ken Burns, fit, speed, fades."""

from __future__ import annotations

from reelwright.draft import vocab
from reelwright.draft.model import Draft, TrackType
from reelwright.draft.ops.address import (
    TARGET,
    TARGET_OR_ALL,
    index_in_main,
    media_kind,
    resolve,
    resolve_one,
)
from reelwright.draft.ops.common import Media, kb_for
from reelwright.draft.ops.registry import Args, boolean, integer, number, obj, register, string
from reelwright.errors import OperationInvalid

# A tasteful rotation for "varied": gentle cross-fades between livelier moves, never twice in a row.
VARIED: tuple[str, ...] = ("fade", "slideleft", "dissolve", "wipeleft", "smoothleft",
                           "circleopen", "fade", "slideup", "zoomin", "wiperight")
NO_TRANSITION = ("none", "cut")


def varied_transition(i: int) -> str:
    """The ``i``-th transition of the varied mix (deterministic, so edits are repeatable)."""
    return VARIED[i % len(VARIED)]


@register("set_transition", "Set the transition into a segment, or between all items: a name, "
          "'varied' for a tasteful mix, or 'none' for a cut.", obj(
              ("target", "name"), target=TARGET_OR_ALL,
              name=string("transition name", enum=vocab.TRANSITIONS + ("varied", "random")
                          + NO_TRANSITION),
              duration_ms=integer("transition length", 100, 5000)))
def set_transition(draft: Draft, args: Args, media: Media) -> None:
    found = resolve(draft, args["target"], media)
    everything = args["target"] == "all"
    for _, seg in found:
        index = index_in_main(draft, seg)
        if index is None:
            raise OperationInvalid("transitions go between items of the main sequence; that "
                                   "segment is not one of them")
        if index == 0:
            if everything:
                continue
            raise OperationInvalid("the first item has nothing to transition from")
        name = str(args["name"])
        if name in NO_TRANSITION:
            seg.m.pop("tr", None)
            continue
        if name in ("varied", "random"):
            name = varied_transition(index - 1)
        seg.m["tr"] = {"n": name, "d": int(args.get("duration_ms", 800))}


@register("set_ken_burns", "Turn the slow pan-and-zoom (Ken Burns) on or off for a photo or for "
          "all photos; zoom amount and direction in/out/pan.", obj(
              ("target",), target=TARGET_OR_ALL,
              on=boolean("true to move, false for a still image"),
              zoom=number("how far to zoom (1.15 = 15 %)", 1.0, 2.0),
              direction=string("zoom in, zoom out, pan, or auto (alternating)",
                               enum=("auto", "in", "out", "pan"))))
def set_ken_burns(draft: Draft, args: Args, media: Media) -> None:
    found = resolve(draft, args["target"], media)
    if args["target"] == "all":
        found = [(t, s) for t, s in found if media_kind(s, media) != "video"]
    for n, (track, seg) in enumerate(found):
        if track.tt != TrackType.VISUAL:
            raise OperationInvalid("Ken Burns moves apply to photos and clips only")
        if not args.get("on", True):
            seg.m.pop("kb", None)
            continue
        index = index_in_main(draft, seg)
        seg.m["kb"] = kb_for(draft, seg.src, media, variant=n if index is None else index,
                             zoom=float(args.get("zoom", 1.15)),
                             direction=str(args.get("direction", "auto")))


@register("set_fit", "How a photo or clip fills the frame: cover (fill and crop), contain "
          "(letterbox) or blur (letterbox on a blurred fill).", obj(
              ("target", "fit"), target=TARGET_OR_ALL,
              fit=string("fit mode", enum=vocab.FITS)))
def set_fit(draft: Draft, args: Args, media: Media) -> None:
    for track, seg in resolve(draft, args["target"], media):
        if track.tt != TrackType.VISUAL:
            raise OperationInvalid("fit applies to photos and clips only")
        seg.m["fit"] = args["fit"]


@register("set_speed", "Play a clip faster or slower (0.25..4); its length on the timeline "
          "changes to show the same part of the clip.", obj(
              ("target", "speed"), target=TARGET,
              speed=number("playback speed, 1 = normal", 0.25, 4)))
def set_speed(draft: Draft, args: Args, media: Media) -> None:
    track, seg = resolve_one(draft, args["target"], media)
    if track.tt != TrackType.VISUAL or media_kind(seg, media) == "image":
        raise OperationInvalid("speed applies to video clips only")
    old = float(seg.m.get("speed", 1))
    new = float(args["speed"])
    seg.d = max(1, round(seg.d * old / new))
    if new == 1:
        seg.m.pop("speed", None)
    else:
        seg.m["speed"] = new


@register("set_fades", "Fade a segment in from / out to the background (or silence for sound).",
          obj(("target",), target=TARGET_OR_ALL,
              fade_in_ms=integer("fade-in length, 0 = none", 0, 60000),
              fade_out_ms=integer("fade-out length, 0 = none", 0, 60000)))
def set_fades(draft: Draft, args: Args, media: Media) -> None:
    if "fade_in_ms" not in args and "fade_out_ms" not in args:
        raise OperationInvalid("say fade_in_ms, fade_out_ms or both")
    for _, seg in resolve(draft, args["target"], media):
        for arg, key in (("fade_in_ms", "fi"), ("fade_out_ms", "fo")):
            if arg in args:
                value = int(args[arg])
                if value > seg.d:
                    raise OperationInvalid(f"a {value} ms fade is longer than the segment "
                                           f"({seg.d} ms)")
                seg.m[key] = value
