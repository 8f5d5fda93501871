"""The canvas operation: aspect, resolution, frame rate and background colour."""

from __future__ import annotations

from reelwright.draft import vocab
from reelwright.draft.framing import reframe_kb
from reelwright.draft.layout import ASPECTS, RESOLUTIONS, aspect_of, canvas_size
from reelwright.draft.model import Draft, TrackType
from reelwright.draft.ops.common import Media
from reelwright.draft.ops.registry import Args, integer, obj, register, string
from reelwright.errors import OperationInvalid


@register("set_canvas", "Change the frame: aspect (16:9, 9:16 vertical, 1:1, 4:5), resolution "
          "(480/720/1080/2160, the short side), fps, background colour.", obj(
              (), aspect=string("frame shape", enum=tuple(ASPECTS)),
              resolution={"type": "integer", "enum": list(RESOLUTIONS),
                          "description": "the short side in pixels"},
              fps=integer("frames per second", 1, vocab.MAX_FPS),
              bg=string("background colour #RRGGBB where nothing covers the frame",
                        max_length=7)))
def set_canvas(draft: Draft, args: Args, media: Media) -> None:
    if not {"aspect", "resolution", "fps", "bg"} & set(args):
        raise OperationInvalid("say what to change: aspect, resolution, fps or bg")
    if "aspect" in args or "resolution" in args:
        aspect = str(args.get("aspect", aspect_of(draft.w, draft.h)))
        resolution = int(args.get("resolution", min(draft.w, draft.h)))
        if resolution not in RESOLUTIONS:
            resolution = min(RESOLUTIONS, key=lambda r: abs(r - resolution))
        old_short = min(draft.w, draft.h) / draft.h
        draft.w, draft.h = canvas_size(aspect, resolution)
        _keep_text_scale(draft, old_short / (min(draft.w, draft.h) / draft.h))
    if "fps" in args:
        draft.fps = int(args["fps"])
    if "bg" in args:
        draft.m["bg"] = args["bg"]
    if media is None:
        return
    # Ken Burns centres were clamped for the old shape; re-clamp them for the new one.
    for track in draft.t:
        if track.tt != TrackType.VISUAL:
            continue
        for seg in track.sg:
            info = media.get(seg.src or "")
            kb = seg.m.get("kb")
            if isinstance(kb, dict) and info is not None and info.w > 0 and info.h > 0:
                seg.m["kb"] = reframe_kb(kb, info.w, info.h, draft.w / draft.h)


def _keep_text_scale(draft: Draft, factor: float) -> None:
    """Text sizes are relative to the canvas height; when the shape changes, rescale them so
    text keeps its size relative to the short side (a 16:9 title stays readable, not huge,
    in 9:16)."""
    if abs(factor - 1) < 1e-6:
        return
    for track in draft.tracks_of(TrackType.TEXT):
        for seg in track.sg:
            style = seg.m.get("style")
            if isinstance(style, dict) and isinstance(style.get("size"), int | float):
                style["size"] = max(8, min(400, round(style["size"] / factor, 1)))
