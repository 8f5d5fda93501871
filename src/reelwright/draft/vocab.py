"""Closed vocabularies of the draft format, shared by validation, operations and the agent."""

from __future__ import annotations

TRANSITIONS: tuple[str, ...] = (
    "fade", "dissolve", "wipeleft", "wiperight", "wipeup", "wipedown",
    "slideleft", "slideright", "slideup", "slidedown", "zoomin", "circleopen",
    "radial", "smoothleft", "fadeblack", "fadewhite", "pixelize",
)
FITS: tuple[str, ...] = ("cover", "contain", "blur")
AUDIO_ROLES: tuple[str, ...] = ("music", "voice", "sfx")
TEXT_ROLES: tuple[str, ...] = ("title", "caption", "overlay")
POSITIONS: tuple[str, ...] = (
    "top", "center", "bottom", "top-left", "top-right", "bottom-left", "bottom-right",
)
# How a text enters and leaves (``m.anim``): "rise" slides up while growing from 94 % and
# fades its words in one after another, then fades out drifting up; "none" just shows it.
TEXT_ANIMATIONS: tuple[str, ...] = ("rise", "none")
INTERACTIVE_KINDS: tuple[str, ...] = ("button", "hotspot", "choice", "chapter", "end")

MIN_SIDE, MAX_SIDE = 128, 3840
MAX_FPS = 60
MAX_DURATION_MS = 4 * 60 * 60 * 1000
MAX_TEXT_CHARS = 1000
# Size limits of a draft read from outside (an export body, a file): generous for real work
# (a 4-hour video cut every second is 14 400 segments), small enough that reading, checking and
# storing one stays cheap.
MAX_TRACKS = 100
MAX_SEGMENTS = 20_000
MAX_META_BYTES = 256 * 1024  # one ``m`` object (the draft's, a track's or a segment's), as JSON
MAX_META_DEPTH = 16  # nesting inside one ``m`` object
