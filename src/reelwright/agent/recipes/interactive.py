"""The interactive recipe: chapters, a choice before the advanced part, a skip button and an end
screen, placed from the video itself (scene cuts, clip boundaries, silences).

Pure: cut times in (``reelwright.media.scenes.timeline_cuts`` measures them), operations and an
explanation out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reelwright.draft import interactive
from reelwright.draft.model import Draft

MAX_CHAPTERS = 6
MIN_CHAPTER_MS = 1000
END_SCREEN_MS = 2000
SKIP_BUTTON_MS = 5000
Op = tuple[str, dict[str, Any]]


@dataclass
class Structure:
    """What the recipe proposes: operations to apply in order, and what to tell the person."""

    ops: list[Op] = field(default_factory=list)
    explanation: str = ""
    chapters: list[int] = field(default_factory=list)


def _say(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def chapter_starts(d: int, cuts: Sequence[int], quiet: Sequence[tuple[int, int]]) -> list[int]:
    """Chapter start times: 0 plus the best-spread cuts (silence middles when there are none)."""
    min_len = max(MIN_CHAPTER_MS, d // (MAX_CHAPTERS * 2))
    candidates = sorted(set(cuts)) or sorted({(a + b) // 2 for a, b in quiet})
    starts = [0]
    for t in candidates:
        if t - starts[-1] >= min_len and d - t >= min_len:
            starts.append(t)
    if len(starts) > MAX_CHAPTERS:  # keep an even spread
        step = (len(starts) - 1) / (MAX_CHAPTERS - 1)
        starts = [starts[round(i * step)] for i in range(MAX_CHAPTERS)]
    if len(starts) == 1 and d >= 2 * min_len:
        starts.append(d // 2)  # no structure found: two halves
    return starts


def interactive_structure(draft: Draft, cuts: Sequence[int] = (),
                          quiet: Sequence[tuple[int, int]] = (), *, lang: str = "en"
                          ) -> Structure:
    """Operations that make ``draft`` interactive, placed at ``cuts`` / ``quiet`` (ms)."""
    d = draft.d
    starts = chapter_starts(d, cuts, quiet)
    ops: list[Op] = []
    if interactive.items(draft) or interactive.branches(draft):
        ops.append(("remove_interactive", {"target": "all"}))
    labels = []
    for i, st in enumerate(starts, start=1):
        last = i == len(starts) and i > 1
        label = (_say(lang, "Advanced part", "进阶部分") if last
                 else _say(lang, f"Chapter {i}", f"第{i}章"))
        labels.append(label)
        ops.append(("add_chapter", {"label": label, "start_ms": st}))
    out = Structure(ops=ops, chapters=starts)
    clock = interactive.clock
    if len(starts) < 2:
        ops.append(("add_end_screen", {"label": _say(lang, "Thanks for watching", "感谢观看"),
                                       "start_ms": max(0, d - END_SCREEN_MS)}))
        out.explanation = _say(
            lang, "The video is too short for chapters or a choice; I added an end screen.",
            "视频太短，放不下章节或选择题；我加了一个结尾画面。")
        return out
    advanced = starts[-1]
    ask_at = max(0, advanced - 200)
    question = _say(lang, "Want the advanced part?", "要看进阶部分吗？")
    yes, no = _say(lang, "Yes", "要"), _say(lang, "No, finish", "不用了")
    ops.append(("add_choice", {"question": question, "at_ms": ask_at, "choices": [
        {"label": yes, "do": "jump", "t": advanced}, {"label": no, "do": "end"}]}))
    skip_end = min(starts[1], SKIP_BUTTON_MS, ask_at)
    skip = _say(lang, "Skip to the advanced part", "跳到进阶部分")
    if skip_end >= 500:
        ops.append(("add_button", {"label": skip, "start_ms": 0, "end_ms": skip_end,
                                   "pos": "bottom-right",
                                   "action": {"do": "jump", "t": advanced}}))
    end_at = max(d - END_SCREEN_MS, advanced + (d - advanced) // 2)
    ops.append(("add_end_screen", {"label": _say(lang, "Thanks for watching", "感谢观看"),
                                   "start_ms": min(end_at, d - 1)}))
    where = _say(lang, ", ", "、").join(f"{clock(st)} {label}"
                                       for st, label in zip(starts, labels, strict=True))
    source = _say(lang, "at the scene changes" if cuts else
                  "at the pauses in the sound" if quiet else "evenly",
                  f"在画面切换处把视频分成{len(starts)}章" if cuts else
                  f"在声音停顿处把视频分成{len(starts)}章" if quiet else
                  f"把视频平均分成{len(starts)}章")
    out.explanation = _say(
        lang,
        f"I split the video into {len(starts)} chapters {source} ({where}). At "
        f"{clock(ask_at)} the video pauses and asks \u201c{question}\u201d: \u201c{yes}\u201d "
        f"jumps to {clock(advanced)}, \u201c{no}\u201d goes to the end screen. A "
        f"\u201c{skip}\u201d button shows early on for viewers who already know the basics. "
        "Export as html (web page) or h5p to click through it; mp4 gives a plain video with "
        "the labels burned in.",
        f"我{source}（{where}）。在{clock(ask_at)}视频会暂停并提问"
        f"“{question}”：选“{yes}”跳到{clock(advanced)}，选“{no}”进入结尾画面。开头还有一个"
        f"“{skip}”按钮，方便已经会基础的观众。导出为 html（网页）或 h5p 即可点击互动；"
        "导出 mp4 则是把标签直接印在画面上的普通视频。")
    return out
