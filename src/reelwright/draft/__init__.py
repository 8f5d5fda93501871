"""The pure timeline model: tracks, segments, codec, validation, operations, history."""

from reelwright.draft.codec import dumps, from_json, loads, to_json
from reelwright.draft.media import FocusBox, MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.validate import problems, validate

__all__ = [
    "Draft", "FocusBox", "MediaInfo", "Segment", "Track", "TrackType",
    "dumps", "from_json", "loads", "problems", "to_json", "validate",
]
