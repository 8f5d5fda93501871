"""Finding segments the way people name them: by id, or "the second photo" (group + index)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reelwright.draft.layout import main_track
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.errors import OperationInvalid

Media = Mapping[str, MediaInfo] | None
Found = list[tuple[Track, Segment]]

GROUPS: tuple[str, ...] = ("visual", "audio", "music", "voice", "sfx", "text", "title",
                           "caption", "overlay", "interactive")

TARGET: dict[str, Any] = {
    "type": "object",
    "description": 'a segment: {"id": "s3"} or {"track": "visual", "index": 2} '
                   "(1-based; -1 is the last)",
    "properties": {
        "id": {"type": "string", "minLength": 1, "description": "segment id"},
        "track": {"type": "string", "enum": list(GROUPS),
                  "description": "visual = the main photo/clip sequence; music/voice/sfx/"
                                 "title/caption/overlay narrow by role"},
        "index": {"type": "integer", "minimum": -1000, "maximum": 100000,
                  "description": "1-based position in that group; -1 = last"},
    },
    "additionalProperties": False,
}
TARGET_OR_ALL: dict[str, Any] = {
    "anyOf": [{"type": "string", "enum": ["all"]}, TARGET],
    "description": '"all" or a segment like {"id": "s3"} or {"track": "visual", "index": 2}',
}


def role_of(track: Track, seg: Segment) -> str | None:
    role = seg.m.get("role", track.m.get("role"))
    return role if isinstance(role, str) else None


def group(draft: Draft, name: str) -> Found:
    """Segments of a group in timeline order (``visual`` is the main track only)."""
    if name == "visual":
        main = main_track(draft)
        return [(main, seg) for seg in main.sg] if main else []
    tt = {"audio": TrackType.AUDIO, "music": TrackType.AUDIO, "voice": TrackType.AUDIO,
          "sfx": TrackType.AUDIO, "text": TrackType.TEXT, "title": TrackType.TEXT,
          "caption": TrackType.TEXT, "overlay": TrackType.TEXT,
          "interactive": TrackType.INTERACTIVE}[name]
    found = [(track, seg) for track in draft.t if track.tt == tt for seg in track.sg
             if name in ("audio", "text", "interactive") or role_of(track, seg) == name]
    return sorted(found, key=lambda pair: pair[1].st)


def noun(name: str, segs: Found, media: Media) -> tuple[str, str]:
    """Singular and plural words for a group: photo/photos, clip/clips, item/items ..."""
    if name == "visual":
        kinds = {media_kind(s, media) for _, s in segs}
        if kinds == {"image"}:
            return "photo", "photos"
        if kinds == {"video"}:
            return "clip", "clips"
        return "item", "items"
    words = {"audio": "audio segment", "music": "music segment", "voice": "voice-over",
             "sfx": "sound effect", "text": "text", "title": "title", "caption": "caption",
             "overlay": "text overlay", "interactive": "interactive element"}
    word = words[name]
    return word, word + ("" if word.endswith("text") else "s")


def resolve(draft: Draft, target: Any, media: Media = None, *,
            default_group: str = "visual") -> Found:
    """The segments ``target`` names: ``"all"`` (every one of ``default_group``), an id, or
    a group and 1-based index. Raises ``OperationInvalid`` in plain words when none match."""
    if target == "all":
        found = group(draft, default_group)
        if not found:
            raise OperationInvalid(f"there are no {noun(default_group, found, media)[1]} yet")
        return found
    if not isinstance(target, dict):
        raise OperationInvalid('say which segment: {"id": ...} or {"track": ..., "index": ...}')
    if "id" in target:
        try:
            track, seg = draft.segment(str(target["id"]))
        except KeyError:
            raise OperationInvalid(f"there is no segment {target['id']!r} in this video") from None
        return [(track, seg)]
    name = str(target.get("track", default_group))
    if "index" not in target:
        raise OperationInvalid(f"say which one: an index in {name} (1 is the first)")
    index = int(target["index"])
    found = group(draft, name)
    one, many = noun(name, found, media)
    if not found:
        raise OperationInvalid(f"there are no {many} yet")
    if index == 0 or index > len(found) or index < -len(found):
        count = f"{len(found)} {one if len(found) == 1 else many}"
        raise OperationInvalid(f"there is no {one} {index}; the video has {count}")
    return [found[index - 1 if index > 0 else index]]


def resolve_one(draft: Draft, target: Any, media: Media = None, *,
                default_group: str = "visual") -> tuple[Track, Segment]:
    found = resolve(draft, target, media, default_group=default_group)
    return found[0]


def index_in_main(draft: Draft, seg: Segment) -> int | None:
    """0-based position of ``seg`` in the main track, or None when it is elsewhere."""
    main = main_track(draft)
    if main is None:
        return None
    for i, other in enumerate(main.sg):
        if other is seg:
            return i
    return None


def media_kind(seg: Segment, media: Media) -> str | None:
    if media is None or seg.src is None or seg.src not in media:
        return None
    return media[seg.src].kind
