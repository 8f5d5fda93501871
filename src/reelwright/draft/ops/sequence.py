"""Operations on the order and timing of segments: add, remove, move, trim, split, durations."""

from __future__ import annotations

from reelwright.draft import vocab
from reelwright.draft.layout import main_track, relayout, transition_ms
from reelwright.draft.model import Draft, Segment
from reelwright.draft.ops.address import (
    TARGET,
    TARGET_OR_ALL,
    index_in_main,
    media_kind,
    resolve,
    resolve_one,
)
from reelwright.draft.ops.common import (
    Media,
    drop_empty_tracks,
    ensure_main,
    interpolate_kb,
    kb_for,
    lookup,
    one_of,
    seconds,
)
from reelwright.draft.ops.registry import Args, integer, number, obj, register, string
from reelwright.errors import OperationInvalid

DEFAULT_PHOTO_MS = 3000
MIN_SEGMENT_MS = 100
MAX_SEGMENT_MS = 3_600_000


@register("add_visual", "Add a photo or video clip to the main sequence (at a position or at "
          "the end).", obj(
              ("media",),
              media=string("media id of an uploaded photo or clip", max_length=64),
              index=integer("1-based position to insert at; default: the end", 1, 100000),
              duration_ms=integer("how long it shows; default 3 s for photos, the whole clip",
                                  MIN_SEGMENT_MS, MAX_SEGMENT_MS),
              in_ms=integer("where to start inside a clip", 0, vocab.MAX_DURATION_MS),
              name=string("label used in summaries", max_length=200)))
def add_visual(draft: Draft, args: Args, media: Media) -> None:
    info = lookup(media, args["media"])
    if info is not None and info.kind not in ("image", "video"):
        raise OperationInvalid(f"{info.name or args['media']} is {info.kind}, not a photo or "
                               "clip; use add_audio for sound")
    main = ensure_main(draft)
    position = min(int(args.get("index", len(main.sg) + 1)), len(main.sg) + 1) - 1
    in_ms = int(args.get("in_ms", 0))
    if "duration_ms" in args:
        d = int(args["duration_ms"])
    elif info is not None and info.kind == "video" and info.duration_ms:
        d = info.duration_ms - in_ms
        if d <= 0:
            raise OperationInvalid(f"the clip is only {seconds(info.duration_ms)} long")
    else:
        d = DEFAULT_PHOTO_MS
    name = args.get("name") or (info.name if info is not None else "")
    seg = Segment(id=draft.new_id("s"), src=args["media"], st=0, d=d, in_=in_ms,
                  m={"fit": "cover", **({"name": name} if name else {})})
    # Match the neighbours' look: their transition, and Ken Burns if the others move.
    neighbour = main.sg[position] if position < len(main.sg) else (
        main.sg[-1] if main.sg else None)
    if neighbour is not None and isinstance(neighbour.m.get("tr"), dict):
        seg.m["tr"] = dict(neighbour.m["tr"])
    is_photo = info is None or info.kind == "image"
    if is_photo and any("kb" in other.m for other in main.sg):
        seg.m["kb"] = kb_for(draft, seg.src, media, variant=position)
    main.sg.insert(position, seg)


@register("remove_segment", "Remove a segment (photo, clip, sound or text) from the video.",
          obj(("target",), target=TARGET))
def remove_segment(draft: Draft, args: Args, media: Media) -> None:
    track, seg = resolve_one(draft, args["target"], media)
    track.sg.remove(seg)
    drop_empty_tracks(draft)


@register("move_segment", "Reorder the main sequence: move the item at position `from` to "
          "position `to` (1-based).", obj(
              ("from", "to"),
              **{"from": integer("1-based position of the item to move", -1000, 100000),
                 "to": integer("1-based position it should end up at; -1 = last", -1000,
                               100000)}))
def move_segment(draft: Draft, args: Args, media: Media) -> None:
    main = main_track(draft)
    _, seg = resolve_one(draft, {"track": "visual", "index": args["from"]}, media)
    assert main is not None
    to = int(args["to"])
    count = len(main.sg)
    if to == 0 or to > count or to < -count:
        raise OperationInvalid(f"position {to} is outside the sequence (1..{count})")
    main.sg.remove(seg)
    main.sg.insert(to - 1 if to > 0 else count + to, seg)
    # The first item has no transition in; hand it over so the number of cuts with a
    # transition stays the same when an item moves to or from the front.
    first, second = main.sg[0], main.sg[1] if count > 1 else None
    tr = first.m.pop("tr", None)
    if isinstance(tr, dict) and second is not None and "tr" not in second.m:
        second.m["tr"] = tr
    elif isinstance(tr, dict) and first is not seg and "tr" not in seg.m:
        seg.m["tr"] = tr


@register("trim_segment", "Trim a clip or segment: new in-point, new duration, or cut some time "
          "off its start or end.", obj(
              ("target",), target=TARGET,
              in_ms=integer("new in-point inside the source", 0, vocab.MAX_DURATION_MS),
              duration_ms=integer("new duration", MIN_SEGMENT_MS, MAX_SEGMENT_MS),
              cut_start_ms=integer("cut this much off the start", 1, MAX_SEGMENT_MS),
              cut_end_ms=integer("cut this much off the end", 1, MAX_SEGMENT_MS)))
def trim_segment(draft: Draft, args: Args, media: Media) -> None:
    if not {"in_ms", "duration_ms", "cut_start_ms", "cut_end_ms"} & set(args):
        raise OperationInvalid("say how to trim: in_ms, duration_ms, cut_start_ms or cut_end_ms")
    track, seg = resolve_one(draft, args["target"], media)
    speed = float(seg.m.get("speed", 1))
    d, in_ms = seg.d, seg.in_
    if "cut_start_ms" in args:
        cut = int(args["cut_start_ms"])
        d -= cut
        in_ms += round(cut * speed)
        if index_in_main(draft, seg) is None:
            seg.st += cut
    if "cut_end_ms" in args:
        d -= int(args["cut_end_ms"])
    if "in_ms" in args:
        in_ms = int(args["in_ms"])
    if "duration_ms" in args:
        d = int(args["duration_ms"])
    if d <= 0:
        raise OperationInvalid(f"that would cut away all of it (it is {seconds(seg.d)} long)")
    seg.d, seg.in_ = d, in_ms


@register("split_segment", "Split a segment in two at a time measured from its start.", obj(
    ("target", "at_ms"), target=TARGET,
    at_ms=integer("where to split, in ms from the segment's start", 1, MAX_SEGMENT_MS)))
def split_segment(draft: Draft, args: Args, media: Media) -> None:
    track, seg = resolve_one(draft, args["target"], media)
    at = int(args["at_ms"])
    if at >= seg.d:
        raise OperationInvalid(f"it is only {seconds(seg.d)} long; split somewhere inside it")
    speed = float(seg.m.get("speed", 1))
    tail = Segment(id=draft.new_id("s"), src=seg.src, st=seg.st + at, d=seg.d - at,
                   in_=seg.in_ + round(at * speed), m=dict(seg.m))
    tail.m.pop("tr", None)
    tail.m.pop("fi", None)
    seg.m.pop("fo", None)
    seg.d = at
    kb = seg.m.get("kb")
    if isinstance(kb, dict):
        mid = interpolate_kb(kb, at / (seg.d + tail.d))
        seg.m["kb"] = {**kb, "z1": mid["z"], "x1": mid["x"], "y1": mid["y"]}
        tail.m["kb"] = {**kb, "z0": mid["z"], "x0": mid["x"], "y0": mid["y"]}
    words = seg.m.get("words")
    if isinstance(words, list):
        seg.m["words"] = [w for w in words if w[0] < at]
        tail.m["words"] = [[w[0] - at, w[1] - at, w[2]] for w in words if w[0] >= at]
    track.sg.insert(track.sg.index(seg) + 1, tail)


@register("set_segment_duration", "Set how long a segment (or all main items) lasts: an exact "
          "duration, or a factor (0.8 = a bit shorter).", obj(
              ("target",), target=TARGET_OR_ALL,
              duration_ms=integer("new duration", MIN_SEGMENT_MS, MAX_SEGMENT_MS),
              factor=number("multiply the current duration by this", 0.1, 10)))
def set_segment_duration(draft: Draft, args: Args, media: Media) -> None:
    key = one_of(args, "duration_ms", "factor")
    found = resolve(draft, args["target"], media)
    if args["target"] == "all":
        # "all" keeps clips as they are: only photos stretch.
        photos = [(t, s) for t, s in found if media_kind(s, media) != "video"]
        found = photos or found
    for _, seg in found:
        new = int(args[key]) if key == "duration_ms" else round(seg.d * float(args[key]))
        if new < MIN_SEGMENT_MS:
            raise OperationInvalid(f"that would make it {seconds(new)}, shorter than "
                                   f"{seconds(MIN_SEGMENT_MS)}")
        seg.d = new


@register("set_duration", "Make the whole video a given length by stretching or shrinking the "
          "photos (clips keep their length).", obj(
              ("duration_ms",),
              duration_ms=integer("target length of the video", 1000, vocab.MAX_DURATION_MS)))
def set_duration(draft: Draft, args: Args, media: Media) -> None:
    target = int(args["duration_ms"])
    main = main_track(draft)
    if main is None or not main.sg:
        raise OperationInvalid("there is nothing in the video yet to stretch")
    flexible = [seg for seg in main.sg if media_kind(seg, media) != "video"]
    if not flexible:
        raise OperationInvalid("the video has only clips; trim them instead")
    fixed = sum(seg.d for seg in main.sg if seg not in flexible)
    total = sum(seg.d for seg in flexible)

    def solve() -> list[int]:
        need = target - fixed + sum(transition_ms(seg) for seg in main.sg[1:])
        if need < MIN_SEGMENT_MS * len(flexible):
            raise OperationInvalid(f"it cannot be {seconds(target)}: the clips alone take "
                                   f"{seconds(fixed)}")
        return [max(MIN_SEGMENT_MS, round(seg.d * need / total)) for seg in flexible]

    for _ in range(3):
        shortest = min(solve() + [seg.d for seg in main.sg if seg not in flexible])
        # Transitions must fit the shortened photos (half the shorter neighbour, see layout):
        # shorten them first so the arithmetic holds, then solve again.
        cap = shortest // 2 - len(main.sg)
        too_long = [seg for seg in main.sg[1:] if transition_ms(seg) > cap]
        for seg in too_long:
            if cap < 1:
                seg.m.pop("tr", None)
            else:
                seg.m["tr"] = {**seg.m["tr"], "d": cap}
        if not too_long:
            break
    for seg, d in zip(flexible, solve(), strict=True):
        seg.d = d
    draft.m.pop("d_fixed", None)
    # Rounding leaves a remainder of a few ms: the longest photo absorbs it. A transition
    # capped by that photo may shrink with it, hence a few rounds.
    for _ in range(8):
        relayout(draft)
        if draft.d == target:
            break
        max(flexible, key=lambda s: s.d).d += target - draft.d
