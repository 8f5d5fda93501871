"""Start states for agent tests: a session's media and drafts built by the real recipes and
operations (pure: MediaInfo facts, no files)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from reelwright.agent.lexicon import MOOD_LABELS
from reelwright.agent.recipes.product_demo import build_product_demo
from reelwright.agent.recipes.slideshow import build_slideshow
from reelwright.agent.tools import Services
from reelwright.agent.turn import TurnResult, run_turn
from reelwright.draft.history import History
from reelwright.draft.media import FocusBox, MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.ops import apply_op

PHOTOS = [MediaInfo(id=f"med_p{i}", kind="image", path="", name=f"beach{i}.jpg", w=640, h=480,
                    taken_at=f"2024-07-0{i}T10:00:00",
                    focus=(FocusBox(0.6, 0.2, 0.15, 0.2),) if i % 2 else ())
          for i in range(1, 6)]
CLIPS = [MediaInfo(id=f"med_c{i}", kind="video", path="", name=f"demo{i}.mp4", w=1280, h=720,
                   duration_ms=ms, has_video=True, has_audio=True)
         for i, ms in enumerate((40_000, 50_000, 60_000), start=1)]
SONG = MediaInfo(id="med_song", kind="audio", path="", name="My Song", format="mp3",
                 duration_ms=95_000, has_audio=True)


def library(mood: str) -> MediaInfo:
    """What the service's music library hands back: a generated media entry for the mood."""
    return MediaInfo(id=f"gen_{mood}", kind="audio", path="", name=MOOD_LABELS[mood],
                     format="wav", duration_ms=32_000, has_audio=True, extra={"mood": mood})


SERVICES = Services(library_music=library)


@dataclass
class Start:
    draft: Draft | None
    media: dict[str, MediaInfo]
    history: History | None


def _table(*groups: list[MediaInfo]) -> dict[str, MediaInfo]:
    return {info.id: info for group in groups for info in group}


def start_state(name: str) -> Start:
    """The named starting point of a prompt-suite case (see prompt_suite.json)."""
    media = _table(PHOTOS, [SONG])
    upbeat = library("upbeat")
    if name == "photos_only":
        return Start(None, media, None)
    if name == "clips_only":
        return Start(None, _table(CLIPS), None)
    with_music = {**media, upbeat.id: upbeat}
    if name in ("show", "show_vertical", "show_hist", "show_undone", "show_hist2"):
        draft = build_slideshow(PHOTOS, music=upbeat, music_name="Upbeat", title="Summer")
        history = History(draft, label="slideshow")
        if name == "show_vertical":
            draft = apply_op(draft, "set_canvas", {"aspect": "9:16"}, with_music)
            return Start(draft, with_music, None)
        if name in ("show_hist", "show_undone", "show_hist2"):
            draft = apply_op(draft, "set_canvas", {"aspect": "9:16"}, with_music)
            history.push(draft, "vertical")
            if name == "show_hist2":
                draft = apply_op(draft, "set_volume", {"role": "music", "volume": 0.1},
                                 with_music)
                history.push(draft, "quiet")
            if name == "show_undone":
                draft = history.undo()
        return Start(draft, with_music, history)
    if name == "show_plain":
        return Start(build_slideshow(PHOTOS, music=upbeat, music_name="Upbeat"), with_music,
                     None)
    if name == "show_nomusic":
        return Start(build_slideshow(PHOTOS), media, None)
    if name == "show_extra":
        return Start(build_slideshow(PHOTOS[:4], music=upbeat, music_name="Upbeat"),
                     with_music, None)
    if name == "show_clip":
        items = [PHOTOS[0], CLIPS[0], PHOTOS[1]]
        table = {**with_music, **_table(CLIPS)}
        return Start(build_slideshow(items, music=upbeat, music_name="Upbeat"), table, None)
    if name == "demo":
        table = {**_table(CLIPS), upbeat.id: upbeat}
        return Start(build_product_demo(CLIPS, target_ms=60_000, music=upbeat,
                                        music_name="Upbeat", title="Gadget"), table, None)
    raise KeyError(f"unknown start state {name!r}")


def turn(start: Start, message: str, **kw: Any) -> TurnResult:
    return asyncio.run(run_turn(start.draft, start.media, start.history, message,
                                services=kw.pop("services", SERVICES), **kw))
