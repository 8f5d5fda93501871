"""The product-demo recipe: uploaded clips (and photos) cut to a target length, with a title,
gentle transitions and background music. Pure: MediaInfo facts in, a validated Draft out."""

from __future__ import annotations

from collections.abc import Sequence

from reelwright.agent.recipes.slideshow import title_size
from reelwright.draft.layout import canvas_size, relayout
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.validate import validate
from reelwright.errors import OperationInvalid

PHOTO_MS = 4000
MIN_PART_MS = 1500
TRANSITION_MS = 500


def _lengths(items: Sequence[MediaInfo], target_ms: int) -> list[int]:
    """How long each item plays so the whole cut is ``target_ms`` (when the clips allow).

    Clips are trimmed in proportion to their length (never below 1.5 s or past their end);
    photos hold 4 s and stretch only when the clips run out.
    """
    full = [item.duration_ms or PHOTO_MS if item.kind == "video" else PHOTO_MS
            for item in items]
    overlap = TRANSITION_MS * (len(items) - 1)
    want = target_ms + overlap
    if sum(full) <= want:
        spare = want - sum(full)
        photos = [i for i, item in enumerate(items) if item.kind == "image"]
        out = list(full)
        for i in photos:
            out[i] += spare // len(photos)
        if photos:
            out[photos[0]] += spare - (spare // len(photos)) * len(photos)
        return out
    scale = want / sum(full)
    out = [max(min(MIN_PART_MS, f), int(f * scale)) for f in full]
    # Rounding and the minimums leave a remainder: take it from / give it to the longest part
    # that still has room, so the total is exact.
    for _ in range(len(out) * 2):
        diff = want - sum(out)
        if diff == 0:
            break
        order = sorted(range(len(out)), key=lambda k: out[k], reverse=True)
        for k in order:
            room = full[k] - out[k] if diff > 0 else out[k] - min(MIN_PART_MS, full[k])
            step = min(abs(diff), room)
            if step > 0:
                out[k] += step if diff > 0 else -step
                break
        else:
            break
    return out


def build_product_demo(items: Sequence[MediaInfo], *, target_ms: int = 120_000,
                       music: MediaInfo | None = None, music_name: str = "",
                       title: str | None = None, aspect: str = "16:9", resolution: int = 1080,
                       music_volume: float = 0.3, fps: int = 30) -> Draft:
    """A demo cut of ``items`` in upload order, ``target_ms`` long when the clips hold enough
    material (else as long as they are), 0.5 s dissolves, an optional title over the first
    3 s, music that fills the whole cut, a fade from and to black."""
    if not items:
        raise OperationInvalid("a product demo needs at least one clip or photo")
    for item in items:
        if item.kind not in ("image", "video"):
            raise OperationInvalid(f"{item.name or item.id} is {item.kind}; a demo takes clips "
                                   "and photos")
    if not 5_000 <= target_ms <= 30 * 60_000:
        raise OperationInvalid("a product demo can be 5 s to 30 minutes long")
    w, h = canvas_size(aspect, resolution)
    draft = Draft(w=w, h=h, fps=fps, m={"bg": "#000000", "name": title or "Product demo"})
    main = Track(id="v1", tt=TrackType.VISUAL)
    draft.t.append(main)
    for i, (item, d) in enumerate(zip(items, _lengths(items, target_ms), strict=True)):
        m: dict[str, object] = {"fit": "contain" if item.kind == "video" else "cover"}
        if item.name:
            m["name"] = item.name
        if i:
            m["tr"] = {"n": "dissolve", "d": TRANSITION_MS}
        main.sg.append(Segment(id=draft.new_id("s"), src=item.id, st=0, d=d, m=m))
    main.sg[0].m["fi"] = 500
    main.sg[-1].m["fo"] = min(800, main.sg[-1].d // 2)
    relayout(draft)
    if title:
        draft.t.append(Track(id="x1", tt=TrackType.TEXT, m={"role": "title"}, sg=[Segment(
            id=draft.new_id("t"), st=0, d=min(3000, draft.d),
            m={"text": title, "role": "title", "pos": "center", "fi": 300, "fo": 300,
               "style": {"size": title_size(w, h), "bold": True, "outline": 3}})]))
    if music is not None:
        if not music.has_audio:
            raise OperationInvalid(f"{music.name or music.id} has no sound to use as music")
        draft.t.append(Track(id="a1", tt=TrackType.AUDIO, m={"role": "music"}, sg=[Segment(
            id=draft.new_id("s"), src=music.id, st=0, d=draft.d,
            m={"role": "music", "vol": music_volume, "fi": min(1000, draft.d // 4),
               "fo": min(2000, draft.d // 4), "loop": True, "fill": True,
               **({"name": music_name} if music_name else {})})]))
    media = {item.id: item for item in items}
    if music is not None:
        media[music.id] = music
    return validate(draft, media)
