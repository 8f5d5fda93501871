"""The pure timeline model: tracks, segments, codec, validation, operations, history."""

from reelwright.draft.codec import dumps, from_json, loads, to_json
from reelwright.draft.history import History
from reelwright.draft.layout import canvas_size, relayout
from reelwright.draft.media import FocusBox, MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.ops import OPERATIONS, Operation, apply_op, apply_ops, catalog
from reelwright.draft.summary import describe_change, summarize
from reelwright.draft.validate import problems, validate

__all__ = [
    "Draft", "FocusBox", "MediaInfo", "Segment", "Track", "TrackType",
    "dumps", "from_json", "loads", "problems", "to_json", "validate",
    "History", "OPERATIONS", "Operation", "apply_op", "apply_ops", "canvas_size", "catalog",
    "describe_change", "relayout", "summarize",
]
