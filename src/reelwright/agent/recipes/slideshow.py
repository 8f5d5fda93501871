"""The slideshow recipe: photos and clips in, a finished draft out (music, moves, transitions).

Pure: it reads only the ``MediaInfo`` facts it is given and returns a validated ``Draft``.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from reelwright.draft import vocab
from reelwright.draft.framing import ken_burns
from reelwright.draft.layout import canvas_size, relayout
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.ops.look import varied_transition
from reelwright.draft.validate import validate
from reelwright.errors import OperationInvalid

MAX_CLIP_MS = 6000
FIT_MIN_MS, FIT_MAX_MS = 2000, 8000
MIN_ITEM_MS = 1000
TITLE_MS = 3000
TITLE_BACKING = "#00000059"  # a translucent box keeps the title readable over busy pictures
MUSIC_FADE_IN_MS, MUSIC_FADE_OUT_MS = 1000, 2000


def _ordered(items: Sequence[MediaInfo]) -> list[MediaInfo]:
    """By capture time when every item has one (stable for ties), else as given."""
    if all(item.taken_at for item in items):
        return sorted(items, key=lambda item: str(item.taken_at))
    return list(items)


def _clip_ms(item: MediaInfo, fallback: int) -> int:
    return min(item.duration_ms or fallback, MAX_CLIP_MS)


def _photo_ms(ordered: list[MediaInfo], seconds_per_item: float, music: MediaInfo | None,
              fit_to_music: bool, tr_ms: int) -> int:
    base = round(seconds_per_item * 1000)
    if not fit_to_music:
        return base
    if music is None or not music.duration_ms:
        raise OperationInvalid("fitting to the music needs a music track of known length")
    photos = [item for item in ordered if item.kind == "image"]
    if not photos:
        return base
    clips = sum(_clip_ms(item, base) for item in ordered if item.kind == "video")
    overlap = tr_ms * (len(ordered) - 1)
    share = (music.duration_ms - clips + overlap) / len(photos)
    return round(min(FIT_MAX_MS, max(FIT_MIN_MS, share)))


def _snap_to_beats(main: Track, beats: list[int], limits: dict[str, tuple[int, int]]) -> None:
    """Move each cut onto the nearest beat that keeps the item before it within its limits."""
    for prev, seg in zip(main.sg, main.sg[1:], strict=False):
        tr = seg.m.get("tr", {}).get("d", 0)
        natural = prev.end - tr
        lo, hi = limits[prev.id]
        lo = max(lo, 2 * tr)
        i = bisect.bisect_left(beats, natural)
        candidates = sorted(beats[max(0, i - 2):i + 2], key=lambda b: abs(b - natural))
        for beat in candidates:
            new_d = beat - prev.st + tr
            if lo <= new_d <= hi:
                prev.d = new_d
                break
        seg.st = prev.end - tr


def _title_spot(draft: Draft, main: Track, media: dict[str, MediaInfo], title: str,
                size: float, shown_ms: int) -> str | dict[str, float]:
    """The title's centre, away from the faces in the pictures it is shown over ("center"
    when there is nothing to avoid: the renderer centres it in the safe area)."""
    from reelwright.draft.text_place import best_spot, focus_in_frame, text_block

    room = 0.78 if draft.h >= draft.w * 1.5 else 0.9
    block = text_block(title, size, draft.w, draft.h, room)
    avoid = []
    for seg in main.sg:
        info = media.get(seg.src or "")
        if info is None or seg.st >= shown_ms:
            continue
        avoid += focus_in_frame(draft, seg, info, max(seg.st, 0), min(seg.end, shown_ms))
    if not avoid:
        return "center"
    return best_spot(block, avoid, draft.w, draft.h, "center")


def title_size(w: int, h: int) -> int:
    """A title's ``style.size`` (px at 1080 px canvas height) that draws a 96 px em on the
    short side of any canvas: on 9:16 the height-relative size would otherwise be 1.8x."""
    return round(96 * min(w, h) / h)


def build_slideshow(items: Sequence[MediaInfo], *, music: MediaInfo | None = None,
                    music_name: str = "", aspect: str = "16:9", resolution: int = 1080,
                    title: str | None = None, seconds_per_item: float = 3.0,
                    transition: str | None = None, transition_ms: int = 800,
                    beats_ms: Sequence[int] | None = None, fit_to_music: bool = False,
                    music_volume: float = 0.35, fps: int = 30) -> Draft:
    """A slideshow draft of ``items`` that passes ``validate`` against those media.

    Photos get Ken Burns moves aimed at their faces (alternating in / out / pan); clips play
    up to 6 s from their start. ``transition`` None gives a varied tasteful mix, "none" cuts.
    ``fit_to_music`` spreads the items over the music (2..8 s each); ``beats_ms`` snaps cuts
    to the nearest beat. Music loops, fades in 1 s and out 2 s, and lasts exactly as long as
    the pictures. Raises ``OperationInvalid`` for unusable input.
    """
    if not items:
        raise OperationInvalid("a slideshow needs at least one photo or clip")
    for item in items:
        if item.kind not in ("image", "video"):
            raise OperationInvalid(f"{item.name or item.id} is {item.kind}; a slideshow takes "
                                   "photos and clips (music goes in `music`)")
    if music is not None and not music.has_audio:
        raise OperationInvalid(f"{music.name or music.id} has no sound to use as music")
    if transition is not None and transition not in vocab.TRANSITIONS + ("none", "cut",
                                                                         "varied"):
        raise OperationInvalid(f"unknown transition {transition!r}; one of "
                               f"{', '.join(vocab.TRANSITIONS)}, varied or none")
    if not 0.5 <= seconds_per_item <= 60:
        raise OperationInvalid("seconds per item must be between 0.5 and 60")
    if not 0 <= music_volume <= 2:
        raise OperationInvalid("music volume must be between 0 and 2 (0.35 = 35 %)")
    if not 1 <= fps <= vocab.MAX_FPS:
        raise OperationInvalid(f"fps must be between 1 and {vocab.MAX_FPS}")
    w, h = canvas_size(aspect, resolution)
    ordered = _ordered(items)
    uses_tr = transition not in ("none", "cut") and len(ordered) > 1
    photo_ms = _photo_ms(ordered, seconds_per_item, music, fit_to_music,
                         max(0, transition_ms) if uses_tr else 0)
    durations = [photo_ms if item.kind == "image" else _clip_ms(item, photo_ms)
                 for item in ordered]
    # Short enough for the shortest item: half of it, so in and out transitions never overlap.
    tr_ms = min(max(0, transition_ms), min(durations) // 2) if uses_tr else 0

    main = Track(id="v1", tt=TrackType.VISUAL)
    limits: dict[str, tuple[int, int]] = {}
    photo_index = 0
    for i, (item, d) in enumerate(zip(ordered, durations, strict=True)):
        m: dict[str, Any] = {"fit": "cover"}
        if item.name:
            m["name"] = item.name
        if item.kind == "image":
            src_w, src_h = (item.w, item.h) if item.w > 0 and item.h > 0 else (w, h)
            m["kb"] = ken_burns(src_w, src_h, w / h, item.focus, variant=photo_index)
            photo_index += 1
            limits[item.id + f"#{i}"] = (MIN_ITEM_MS, max(FIT_MAX_MS, d))
        else:
            limits[item.id + f"#{i}"] = (MIN_ITEM_MS, item.duration_ms or d)
        if i > 0 and tr_ms > 0:
            name = transition if transition not in (None, "varied") else varied_transition(i - 1)
            m["tr"] = {"n": name, "d": tr_ms}
        main.sg.append(Segment(id=f"s{i + 1}", src=item.id, st=0, d=d, m=m))
    draft = Draft(w=w, h=h, fps=fps, t=[main], m={"bg": "#000000"})
    if title:
        draft.m["name"] = title
    relayout(draft)
    if beats_ms:
        by_seg = {seg.id: limits[f"{item.id}#{i}"]
                  for i, (seg, item) in enumerate(zip(main.sg, ordered, strict=True))}
        _snap_to_beats(main, sorted(set(int(b) for b in beats_ms)), by_seg)
        relayout(draft)
    if fit_to_music and music is not None and music.duration_ms:
        # Land the last item on the music's end when that keeps it within its bounds.
        last = main.sg[-1]
        lo, hi = limits[f"{ordered[-1].id}#{len(ordered) - 1}"]
        wanted = music.duration_ms - last.st
        if max(lo, 2 * int(last.m.get("tr", {}).get("d", 0))) <= wanted <= hi:
            last.d = wanted
            relayout(draft)
    if music is not None:
        draft.t.append(Track(id="a1", tt=TrackType.AUDIO, m={"role": "music"}, sg=[Segment(
            id="m1", src=music.id, st=0, d=draft.d,
            m={"role": "music", "name": music_name or music.name or "music",
               "vol": music_volume, "fi": MUSIC_FADE_IN_MS, "fo": MUSIC_FADE_OUT_MS,
               "loop": True, "fill": True})]))
    if title:
        size = title_size(draft.w, draft.h)
        shown = min(TITLE_MS, draft.d)
        draft.t.append(Track(id="x1", tt=TrackType.TEXT, m={"role": "title"}, sg=[Segment(
            id="t1", st=0, d=shown,
            m={"text": title, "role": "title", "fi": 400, "fo": 400,
               "pos": _title_spot(draft, main, {item.id: item for item in items}, title, size,
                                  shown),
               "style": {"size": size, "bold": True, "outline": 3, "bg": TITLE_BACKING}})]))
    relayout(draft)
    media = {item.id: item for item in items}
    if music is not None:
        media[music.id] = music
    return validate(draft, media)
