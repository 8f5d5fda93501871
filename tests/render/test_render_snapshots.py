"""The compiler is pure: the same draft gives the same ffmpeg plan, pinned by snapshot files.

Regenerate after an intended change with ``UPDATE_SNAPSHOTS=1 pytest tests/render`` and review
the diff of tests/render/snapshots/ like code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from tests.render.render_helpers import draft, visual

from reelwright.draft import MediaInfo
from reelwright.render import OutputSpec, compile_plan

SNAPSHOTS = Path(__file__).parent / "snapshots"
FONT = "/fonts/NotoSansCJKtc-Bold.otf"

MEDIA = {
    "med_p1": MediaInfo("med_p1", "image", "/media/p1.jpg", w=4000, h=3000),
    "med_p2": MediaInfo("med_p2", "image", "/media/p2.jpg", w=3000, h=4000),
    "med_p3": MediaInfo("med_p3", "image", "/media/p3.png", w=1920, h=1080),
    "med_c1": MediaInfo("med_c1", "video", "/media/c1.mov", w=1280, h=720, duration_ms=20000,
                        fps=59.94, has_video=True, has_audio=True),
    "med_mu": MediaInfo("med_mu", "audio", "/media/song.mp3", duration_ms=8000, has_audio=True),
    "med_vo": MediaInfo("med_vo", "audio", "/media/voice.wav", duration_ms=3000, has_audio=True),
}


def _slideshow() -> dict[str, Any]:
    kb = {"z0": 1.0, "z1": 1.2, "x0": 0.4, "y0": 0.5, "x1": 0.6, "y1": 0.4}
    return {"w": 1920, "h": 1080, "d": 10000, "tracks": [
        visual(
            {"id": "a", "src": "med_p1", "st": 0, "d": 4000, "m": {"kb": kb, "fi": 500}},
            {"id": "b", "src": "med_p2", "st": 3000, "d": 4000,
             "m": {"tr": {"n": "fade", "d": 1000}, "kb": {"z0": 1.15, "z1": 1.0}}},
            {"id": "c", "src": "med_p3", "st": 6200, "d": 3800,
             "m": {"tr": {"n": "wipeleft", "d": 800}, "fo": 600}}),
        {"id": "m", "tt": 1, "m": {"role": "music"},
         "sg": [{"id": "m1", "src": "med_mu", "st": 0, "d": 10000,
                 "m": {"vol": 0.35, "fi": 1000, "fo": 2000}}]},
        {"id": "t", "tt": 7, "sg": [{"id": "t1", "st": 0, "d": 3000,
                                     "m": {"text": "Summer in Lisbon", "role": "title"}}]},
    ]}


def _clip_speed() -> dict[str, Any]:
    return {"w": 1280, "h": 720, "d": 4000, "tracks": [
        visual({"id": "a", "src": "med_c1", "st": 0, "d": 4000, "in": 2500,
                "m": {"speed": 2, "vol": 0.5}}),
    ]}


def _vertical() -> dict[str, Any]:
    return {"w": 1080, "h": 1920, "d": 6000, "bg": "#112233", "tracks": [
        visual({"id": "a", "src": "med_p3", "st": 0, "d": 2500, "m": {"fit": "contain"}},
               {"id": "b", "src": "med_p1", "st": 3000, "d": 3000, "m": {"fit": "blur"}}),
    ]}


def _chinese_text() -> dict[str, Any]:
    words = [[0, 600, "今天"], [600, 1200, "天气"], [1200, 2000, "很好"]]
    return {"w": 1280, "h": 720, "d": 3000, "tracks": [
        visual({"id": "a", "src": "med_p3", "st": 0, "d": 3000}),
        {"id": "t", "tt": 7, "sg": [
            {"id": "t1", "st": 0, "d": 3000, "m": {
                "text": "你好，世界！这是一段很长的中文标题，需要在安全区域内自动换行显示",
                "role": "title", "style": {"size": 80, "color": "#FFD400", "outline": 4}}},
            {"id": "t2", "st": 500, "d": 2000, "m": {
                "text": "今天 天气 很好", "role": "caption", "words": words, "hl": "#FF3366",
                "pos": {"x": 0.5, "y": 0.85}}}]},
    ]}


def _ducking() -> dict[str, Any]:
    return {"w": 640, "h": 360, "d": 8000, "lufs": -16, "tracks": [
        visual({"id": "a", "src": "med_p1", "st": 0, "d": 8000}),
        {"id": "m", "tt": 1, "m": {"role": "music"},
         "sg": [{"id": "m1", "src": "med_mu", "st": 0, "d": 8000, "in": 1000}]},
        {"id": "v", "tt": 1, "m": {"role": "voice"},
         "sg": [{"id": "v1", "src": "med_vo", "st": 2000, "d": 3000, "m": {"vol": 1.2}}]},
    ]}


CASES = {
    "slideshow_mp4": (_slideshow, OutputSpec("/out/slideshow.mp4", quality="high")),
    "slideshow_gif": (_slideshow, OutputSpec("/out/slideshow.gif", format="gif")),
    "slideshow_poster": (_slideshow, OutputSpec("/out/poster.png", format="png",
                                                poster_ms=5000)),
    "clip_speed_webm": (_clip_speed, OutputSpec("/out/clip.webm", format="webm")),
    "vertical_preview": (_vertical, OutputSpec("/out/vertical.mp4", preview=True)),
    "chinese_text": (_chinese_text, OutputSpec("/out/zh.mp4", quality="medium")),
    "voice_ducking": (_ducking, OutputSpec("/out/duck.mp4", quality="low")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_compile_matches_snapshot(name: str) -> None:
    # Given a draft and an output spec
    build, spec = CASES[name]
    args = build()
    tracks = args.pop("tracks")
    d = draft(args.pop("w"), args.pop("h"), args.pop("d"), tracks, **args)
    # When it is compiled twice
    text = compile_plan(d, MEDIA, spec, font=FONT).describe()
    again = compile_plan(d, MEDIA, spec, font=FONT).describe()
    # Then the plan is deterministic and equal to the reviewed snapshot
    assert text == again
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        if os.environ.get("CI") and not path.exists():
            pytest.fail(f"snapshot {path.name} missing in CI")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"plan changed; rerun with UPDATE_SNAPSHOTS=1 and review {path}")
