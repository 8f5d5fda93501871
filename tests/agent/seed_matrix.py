"""The seed-prompt matrix: real uploads (generated photos, testsrc clips, scripts), the "Try
saying" prompts of ``reelwright.agent.examples`` and their follow-ups, and the contract every
turn keeps: it changes the draft and says what changed, or it explains in plain words why not;
never an internal step number, tool name or id, and a Chinese message gets a Chinese answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reelwright.agent.tools import tool_catalog
from reelwright.draft.ops import OPERATIONS

RunFfmpeg = Callable[..., None]


@dataclass(frozen=True)
class Input:
    """One upload set: ``files`` are (name, path); ``fits`` names the workflows it is for."""

    name: str
    files: tuple[tuple[str, Path], ...]
    fits: frozenset[str]


def _photo(path: Path, size: tuple[int, int], seed: int, *, exif_turn: bool = False) -> Path:
    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([(xx * 255 // w), (yy * 255 // h), np.full_like(xx, (seed * 37) % 255)], -1)
    img = np.clip(img + rng.normal(0, 10, img.shape), 0, 255).astype(np.uint8)
    picture = Image.fromarray(img)
    if exif_turn:  # stored sideways, shown upright by its EXIF orientation (6 = turn 90° cw)
        exif = Image.Exif()
        exif[0x0112] = 6
        picture.save(path, quality=85, exif=exif)
    else:
        picture.save(path, quality=85)
    return path


_SHAPES = ((320, 240), (240, 320), (256, 256), (320, 180), (180, 320))


def make_inputs(folder: Path, run_ffmpeg: RunFfmpeg) -> dict[str, Input]:
    """Every input of the matrix, written into ``folder`` (small, but real files)."""
    photos = [_photo(folder / f"photo{i:02d}.jpg", _SHAPES[i % len(_SHAPES)], i,
                     exif_turn=i % 7 == 3) for i in range(30)]

    def clip(name: str, seconds: int, *, cuts: bool, sound: bool) -> Path:
        path = folder / name
        size, rate = "160x90", 10
        shots = (["testsrc2", "smptebars", "color=c=0x3050A0"] if cuts  # nothing alike:
                 else ["testsrc2"])                                    # hard cuts between
        args: list[str] = []
        for shot in shots:
            sep = ":" if "=" in shot else "="
            args += ["-f", "lavfi", "-i",
                     f"{shot}{sep}size={size}:rate={rate}:duration={seconds / len(shots)}"]
        if sound:
            args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        if cuts:
            args += ["-filter_complex", "[0][1][2]concat=n=3[v]", "-map", "[v]"]
        else:
            args += ["-map", "0:v"]
        if sound:
            args += ["-map", f"{len(shots)}:a", "-c:a", "aac"]
        run_ffmpeg(*args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                   str(path))
        return path

    script = folder / "leaves.txt"
    script.write_text(
        "Why do leaves change colour?\n\nIn autumn, trees stop making chlorophyll. The green "
        "fades, and yellow and orange pigments show through.\n\nCool nights and sunny days make "
        "the colours brighter. Next time you walk in the park, look up.\n", encoding="utf-8")
    script_zh = folder / "leaves_zh.txt"
    script_zh.write_text("为什么树叶会变色？\n\n秋天，树木停止制造叶绿素。绿色褪去，黄色和橙色的色素"
                         "显现出来。\n\n凉爽的夜晚和晴朗的白天会让颜色更鲜艳。", encoding="utf-8")

    def named(*paths: Path) -> tuple[tuple[str, Path], ...]:
        return tuple((p.name, p) for p in paths)

    slideshow, explainer, interactive = (frozenset({w}) for w in
                                         ("slideshow", "explainer", "interactive"))
    return {item.name: item for item in (
        Input("1 photo", named(photos[0]), slideshow),
        Input("5 photos, mixed orientation", named(*photos[1:6]), slideshow),
        Input("30 photos, mixed orientation", named(*photos), slideshow),
        Input("10 s clip, no sound, no cuts",
              named(clip("quiet10.mp4", 10, cuts=False, sound=False)), interactive),
        Input("40 s clip with sound", named(clip("tone40.mp4", 40, cuts=False, sound=True)),
              interactive),
        Input("2 min clip with cuts and sound",
              named(clip("shots120.mp4", 120, cuts=True, sound=True)), interactive),
        Input("60 s clip with cuts, no sound",
              named(clip("shots60.mp4", 60, cuts=True, sound=False)), interactive),
        Input("4 photos and a 10 s clip",
              named(*photos[10:14], folder / "quiet10.mp4"), slideshow),
        Input("English script", named(script), explainer),
        Input("Chinese script", named(script_zh), explainer),
        Input("script and 3 photos", named(script, *photos[6:9]), explainer),
    )}


# -- the contract of one turn ----------------------------------------------------------------

_INTERNAL = re.compile(r"\bstep \d|\bmed_[0-9a-f]{6,}|\bgen_[0-9a-f]{6,}|Traceback|"
                       r"\bNone\b|\bnull\b|\bKeyError\b|\bTypeError\b|\bexception\b|"
                       r"\bt\[\d+\]|\bsg\[\d+\]|\bm\.\w+:", re.I)
# Words a Chinese answer may keep: names, formats, units, the API a program calls.
_KEPT = re.compile(r"https?://\S+|/api/\S+|\S+\.(?:jpe?g|png|mp4|mov|txt|wav|mp3|webp|heic)\b|"
                   r"“[^”]*”|\"[^\"]*\"|\b(?:MP4|mp4|html|h5p|POST|GET|JPG|PNG|HEIC|WebP|MP3|WAV|"
                   r"MOV|txt|Lo-fi|eSpeak|Piper|Joe|fps|px|KB|MB|AI|URL|TikTok|ms|id)\b")
_ENGLISH_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
_NAMES = sorted({tool["name"] for tool in tool_catalog()} | set(OPERATIONS), key=len,
                reverse=True)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_EMPTY = {"ok", "ok.", "done", "done.", "好的", "好的。"}


@dataclass
class Turn:
    message: str
    lang: str
    reply: str
    changed: bool
    charged: bool
    kind: str


def turn_problems(turn: Turn) -> list[str]:
    """What this turn does wrong by the contract, in words (empty when it is fine)."""
    out: list[str] = []
    reply = turn.reply.strip()
    if len(reply) < 12 or reply.lower() in _EMPTY:
        out.append("the reply says nothing (changed or not, it must say what or why)")
    if _INTERNAL.search(reply):
        out.append(f"internal words in the reply: {_INTERNAL.search(reply).group(0)!r}")
    for name in _NAMES:
        if "_" in name and re.search(rf"\b{re.escape(name)}\b", reply):
            out.append(f"a tool name in the reply: {name}")
            break
    if turn.changed and re.match(r"Nothing was changed|没有修改", reply):
        out.append("the draft changed but the reply says nothing was")
    if not turn.changed and re.match(r"Done\b|Added\b|Removed\b|I split\b|Your \w+ is ready|"
                                     r"Made an? |The music is now|"
                                     r"已添加|好的，已修改|已删除|已重新生成", reply):
        out.append("nothing changed but the reply says something was")
    if not turn.changed and turn.charged:
        out.append("charged for a turn that changed nothing")
    if turn.lang == "zh":
        if not _CJK.search(reply):
            out.append("a Chinese message got no Chinese answer")
        english = _ENGLISH_WORD.findall(_KEPT.sub(" ", reply))
        if english:
            out.append(f"English left in a Chinese answer: {' '.join(english[:6])!r}")
    return out


def conversation(workflow: str, inputs: Input, lang: str, seed: str,
                 follow_ups: tuple[str, ...]) -> dict[str, Any]:
    """A matrix case as data (for ids and reports)."""
    return {"workflow": workflow, "input": inputs.name, "lang": lang, "seed": seed,
            "follow_ups": follow_ups}
