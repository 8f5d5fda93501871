"""Sidecar subtitles: the caption segments of a draft as SubRip (.srt) or WebVTT (.vtt) text.

Pure functions of the draft. Captions are the text segments with role ``caption`` (segment
``m.role`` wins over the track's); titles and overlays are not subtitles. Line breaks in the
caption text are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelwright.draft.model import Draft, TrackType


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


def caption_cues(draft: Draft) -> list[Cue]:
    """Every caption segment as a cue, in time order, clipped to the draft's end."""
    cues: list[Cue] = []
    for track in draft.tracks_of(TrackType.TEXT):
        for seg in track.sg:
            role = seg.m.get("role", track.m.get("role"))
            text = str(seg.m.get("text", "")).strip()
            end = min(seg.end, draft.d) if draft.d else seg.end
            if role == "caption" and text and end > seg.st:
                cues.append(Cue(seg.st, end, text))
    return sorted(cues, key=lambda cue: (cue.start_ms, cue.end_ms))


def _stamp(ms: int, separator: str) -> str:
    ms = max(0, ms)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def to_srt(draft: Draft) -> str:
    """The draft's captions as SubRip text (numbered cues, ``00:00:01,250`` times)."""
    blocks = [f"{i}\n{_stamp(cue.start_ms, ',')} --> {_stamp(cue.end_ms, ',')}\n{cue.text}\n"
              for i, cue in enumerate(caption_cues(draft), start=1)]
    return "\n".join(blocks)


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(draft: Draft) -> str:
    """The draft's captions as WebVTT text (``WEBVTT`` header, ``00:00:01.250`` times)."""
    blocks = ["WEBVTT\n"]
    blocks += [f"{_stamp(cue.start_ms, '.')} --> {_stamp(cue.end_ms, '.')}\n{_vtt_text(cue.text)}\n"
               for cue in caption_cues(draft)]
    return "\n".join(blocks)
