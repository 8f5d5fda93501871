"""Plain-English views of a draft: a one-line timeline summary and what changed between two.

``summarize`` reads like
``Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title:
"Urban Dreams" (0-3s)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType

Media = Mapping[str, MediaInfo] | None

AUDIO_LABELS = {"music": "BGM", "voice": "Voice", "sfx": "SFX"}
TEXT_LABELS = {"title": "Title", "caption": "Captions", "overlay": "Text"}
MAX_CHANGES = 6


def secs(ms: int) -> str:
    """Compact seconds: 10000 -> "10", 2500 -> "2.5"."""
    return f"{ms / 1000:.1f}".rstrip("0").rstrip(".")


def span(start: int, end: int) -> str:
    return f"{secs(start)}-{secs(end)}s"


def percent(vol: Any) -> str:
    return f"{round(float(vol) * 100)}%"


def _role(track: Track, seg: Segment | None = None) -> str | None:
    role = (seg.m.get("role") if seg is not None else None) or track.m.get("role")
    return role if isinstance(role, str) else None


def _kinds(track: Track, media: Media) -> set[str | None]:
    return {media[s.src].kind if media is not None and s.src in media else None
            for s in track.sg if s.src is not None}


def track_label(draft: Draft, track: Track, media: Media = None) -> str:
    """The name of a track's kind: Photos, Video, Overlay, BGM, Voice, Title, Captions ..."""
    if track.tt == TrackType.VISUAL:
        first_visual = next(t for t in draft.t if t.tt == TrackType.VISUAL)
        if track is not first_visual:
            return "Overlay"
        return "Photos" if _kinds(track, media) == {"image"} else "Video"
    if track.tt == TrackType.AUDIO:
        return AUDIO_LABELS.get(_role(track) or "", "Audio")
    if track.tt == TrackType.TEXT:
        roles = {_role(track, seg) for seg in track.sg}
        role = roles.pop() if len(roles) == 1 else None
        return TEXT_LABELS.get(role or "", "Text")
    return "Interactive"


def _seg_name(seg: Segment, media: Media) -> str:
    if isinstance(seg.m.get("text"), str):
        text = " ".join(seg.m["text"].split())
        return f'"{text[:40]}{"..." if len(text) > 40 else ""}"'
    name = seg.m.get("name") or seg.m.get("label")
    if not name and media is not None and seg.src is not None and seg.src in media:
        name = media[seg.src].name
    return str(name or seg.src or seg.m.get("kind") or seg.id)


def _contents(track: Track, media: Media) -> str:
    names = [_seg_name(seg, media) for seg in track.sg]
    if len(names) <= 2:
        return ", ".join(names)
    return f"{names[0]}, {names[1]} +{len(names) - 2} more"


def summarize(draft: Draft, media: Media = None) -> str:
    """One line naming each non-empty track, its contents and time span (audio with volume)."""
    parts: list[str] = []
    for track in draft.t:
        if not track.sg:
            continue
        start = min(seg.st for seg in track.sg)
        end = max(seg.end for seg in track.sg)
        extra = ""
        if track.tt == TrackType.AUDIO:
            vols = {seg.m.get("vol", 0.35 if _role(track, seg) == "music" else 1.0)
                    for seg in track.sg}
            if len(vols) == 1:
                extra = f", {percent(vols.pop())}"
        label = track_label(draft, track, media)
        parts.append(f"{len(parts) + 1}. {label}: {_contents(track, media)} "
                     f"({span(start, end)}{extra})")
    if not parts:
        return "Timeline (empty)"
    noun = "track" if len(parts) == 1 else "tracks"
    return f"Timeline ({len(parts)} {noun}): " + " ".join(parts)


def _seg_labels(draft: Draft, media: Media) -> dict[str, str]:
    """How a person would name each segment: "photo 3", "music", "the title"."""
    labels: dict[str, str] = {}
    first_visual = True
    for track in draft.t:
        if track.tt == TrackType.VISUAL and first_visual:
            first_visual = False
            kinds = _kinds(track, media)
            word = "photo" if kinds == {"image"} else "clip" if kinds == {"video"} else "item"
            for i, seg in enumerate(track.sg, start=1):
                labels[seg.id] = f"{word} {i}"
            continue
        for seg in track.sg:
            if track.tt == TrackType.AUDIO:
                role = _role(track, seg)
                base = {"music": "music", "voice": "voice-over", "sfx": "sound effect"}.get(
                    role or "", "sound")
            elif track.tt == TrackType.TEXT:
                base = f"{_role(track, seg) or 'text'} {_seg_name(seg, media)}"
            else:
                base = f"{track_label(draft, track, media).lower()} {_seg_name(seg, media)}"
            labels[seg.id] = base
    return labels


def _placed(label: str, track: Track, seg: Segment, draft: Draft) -> str:
    """A new text's label with when it shows: ``text "Bye" (9-12s, at the end)``."""
    if track.tt != TrackType.TEXT:
        return label
    where = "at the end" if seg.m.get("pin") == "end" else \
        "the whole video" if seg.st == 0 and seg.end >= draft.d else ""
    span = f"{secs(seg.st)}-{secs(seg.end)}s"
    return f"{label} ({span}, {where})" if where else f"{label} ({span})"


def _segments(draft: Draft) -> dict[str, tuple[Track, Segment]]:
    return {seg.id: (track, seg) for track in draft.t for seg in track.sg}


def _seg_changes(a: Segment, b: Segment, moved: bool, reframed: bool,
                 first: bool = False) -> list[str]:
    """What changed in one segment, each phrase to follow its label ("is now 5s")."""
    out: list[str] = []
    if a.src != b.src:
        out.append(f"now uses {b.m.get('name') or b.src}")
    if a.d != b.d and not b.m.get("fill"):  # filled music just follows the video's length
        out.append(f"is now {secs(b.d)}s")
    elif a.st != b.st and moved:
        out.append(f"now starts at {secs(b.st)}s")
    if a.in_ != b.in_:
        out.append(f"starts {secs(b.in_)}s into its source")
    ma, mb = a.m, b.m
    if ma.get("text") != mb.get("text") and "text" in mb:
        out.append(f'now reads "{mb["text"][:40]}"')
    if ma.get("vol") != mb.get("vol") and "vol" in mb:
        before = f"{percent(ma['vol'])} -> " if "vol" in ma else ""
        out.append(f"volume {before}{percent(mb['vol'])}")
    if ma.get("tr") != mb.get("tr") and not first:  # the first never has one: not news
        tr = mb.get("tr")
        out.append(f"now enters with {tr['n']} ({secs(tr['d'])}s)" if isinstance(tr, dict)
                   else "now enters with a cut")
    if bool(ma.get("kb")) != bool(mb.get("kb")):
        out.append("moves (Ken Burns)" if mb.get("kb") else "is now still")
    elif ma.get("kb") != mb.get("kb") and not reframed:
        out.append("has a new Ken Burns move")
    for key, words in (("fit", "fit"), ("speed", "speed"), ("pos", "position"),
                       ("style", "style"), ("fi", "fade-in"), ("fo", "fade-out")):
        if key == "style" and reframed and _without_size(ma.get(key)) == _without_size(
                mb.get(key)):
            continue  # a new canvas shape rescales text sizes: part of the reshape, not news
        if ma.get(key) != mb.get(key):
            value = mb.get(key)
            shown = f"{secs(value)}s" if key in ("fi", "fo") and isinstance(value, int) else value
            if key == "style":
                out.append(_style_change(ma.get(key), value))
            else:
                out.append(f"{words} changed" if value is None else f"{words} is now {shown}")
    return out


_STYLE_WORDS = {"color": "colour", "size": "size", "bg": "background", "bold": "bold",
                "outline": "outline", "font": "font"}


def _style_change(before: object, after: object) -> str:
    """``colour is now #E53935, size 96 -> 120`` (what changed in a text's style)."""
    a = before if isinstance(before, dict) else {}
    b = after if isinstance(after, dict) else {}
    parts = []
    for key, word in _STYLE_WORDS.items():
        if a.get(key) == b.get(key):
            continue
        if key == "size" and key in a and key in b:
            parts.append(f"size {a[key]:g} -> {b[key]:g}")
        elif key == "bold":
            parts.append("bold" if b.get(key) else "not bold")
        elif b.get(key) is None:
            parts.append(f"no {word}")
        else:
            parts.append(f"{word} is now {b[key]}")
    return ", ".join(parts) if parts else "style changed"


def _without_size(style: object) -> object:
    return {k: v for k, v in style.items() if k != "size"} if isinstance(style, dict) else style


PLURAL_VERBS = (("is now", "are now"), ("moves", "move"), ("now enters", "now enter"),
                ("has a new Ken Burns move", "have new Ken Burns moves"), ("starts", "start"),
                ("now uses", "now use"), ("now reads", "now read"), ("is now", "are now"))


def _numbers(values: list[int]) -> str:
    """1, 2, 3, 5 -> "1-3, 5"."""
    runs: list[list[int]] = []
    for value in sorted(values):
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _grouped(changes: list[tuple[str, str]]) -> list[str]:
    """Join "photo 1 moves; photo 2 moves" into "photos 1, 2 move" (same change, same kind)."""
    order: list[tuple[str, str]] = []
    members: dict[tuple[str, str], list[str]] = {}
    for label, rest in changes:
        word, _, number = label.partition(" ")
        key = (word, rest) if number.isdigit() else (label, rest)
        if key not in members:
            order.append(key)
            members[key] = []
        members[key].append(number if number.isdigit() else label)
    out: list[str] = []
    for key in order:
        found = members[key]
        word, rest = key
        if len(found) == 1:
            label = f"{word} {found[0]}" if found[0].isdigit() else word
            out.append(f"{label} {rest}")
            continue
        for one, many in PLURAL_VERBS:
            if rest.startswith(one):
                rest = many + rest[len(one):]
                break
        out.append(f"{word}s {_numbers([int(n) for n in found])} {rest}")
    return out


def _reorder(before: list[str], after: list[str]) -> str | None:
    """"moved photo 5 to position 1" for a single move, else "reordered"; None if same order."""
    if before == after or sorted(before) != sorted(after):
        return None
    for sid in before:
        if [x for x in before if x != sid] == [x for x in after if x != sid]:
            return f"#{before.index(sid) + 1}->{after.index(sid) + 1}"
    return "reordered"


def describe_change(before: Draft, after: Draft, media: Media = None) -> str:
    """What changed, in plain English: ``photo 3 is now 5s; music volume 35% -> 20%``."""
    out: list[str] = []
    if (before.w, before.h) != (after.w, after.h):
        out.append(f"the frame is now {after.w}x{after.h}")
    if before.fps != after.fps:
        out.append(f"frame rate is now {after.fps} fps")
    if before.m.get("bg") != after.m.get("bg") and after.m.get("bg"):
        out.append(f"background is now {after.m['bg']}")
    old, new = _segments(before), _segments(after)
    old_labels, new_labels = _seg_labels(before, media), _seg_labels(after, media)
    removed = [old_labels[sid] for sid in old if sid not in new]
    added = [_placed(new_labels[sid], new[sid][0], new[sid][1], after)
             for sid in new if sid not in old]
    if removed:
        out.append("removed " + ", ".join(removed))
    if added:
        out.append("added " + ", ".join(added))

    def main_order(draft: Draft) -> list[str]:
        track = next((t for t in draft.t if t.tt == TrackType.VISUAL), None)
        return [seg.id for seg in track.sg] if track is not None else []

    main_ids = set(main_order(after))
    moved = _reorder(main_order(before), main_order(after))
    if moved == "reordered":
        out.append("reordered the sequence")
    elif moved is not None:
        start, _, end = moved[1:].partition("->")
        word = new_labels[main_order(after)[int(end) - 1]].split(" ")[0]
        out.append(f"moved {word} {start} to position {end}")
    changes: list[tuple[str, str]] = []
    for sid, (_, seg) in new.items():
        if sid in old:
            reframed = (before.w, before.h) != (after.w, after.h)
            # Main-track starts follow from durations; only report starts on other tracks.
            first = sid == next(iter(main_order(after)), None)
            # A text is named by its old words: 'title "Hi" now reads "Hello"'.
            label = old_labels[sid] if old[sid][0].tt == TrackType.TEXT else new_labels[sid]
            for rest in _seg_changes(old[sid][1], seg, sid not in main_ids, reframed, first):
                changes.append((label, rest))
    out.extend(_grouped(changes))
    if before.d != after.d:
        out.append(f"the video is now {secs(after.d)}s (was {secs(before.d)}s)")
    if not out:
        return "no changes"
    if len(out) > MAX_CHANGES:
        more = len(out) - MAX_CHANGES
        out = out[:MAX_CHANGES] + [f"and {more} more change{'s' if more > 1 else ''}"]
    return "; ".join(out)
