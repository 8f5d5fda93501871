"""The "Try saying" prompts: what the web page, the skills and the docs suggest saying for each
workflow, in English and Chinese. Each must work on any reasonable upload (tested as a matrix
of real inputs x these prompts x follow-up edits in ``tests/agent/test_seed_matrix.py``)."""

from __future__ import annotations

WORKFLOWS: tuple[str, ...] = ("slideshow", "explainer", "interactive")

SEEDS: dict[str, dict[str, tuple[str, ...]]] = {
    "slideshow": {
        "en": ("Turn my photos into a slideshow with music",
               "turn my photos into a slideshow video with music and transitions"),
        "zh": ("把我的照片做成配乐幻灯片",),
    },
    "explainer": {
        "en": ("Turn my script into a video",
               "make a short explainer video from my script with voice-over, captions and music"),
        "zh": ("把我的脚本做成带配音和字幕的讲解视频",),
    },
    "interactive": {
        "en": ("Add clickable buttons and branching choices to my tutorial video",
               "make an interactive video from my clips with a Learn more button and a choice "
               "at the end between Watch again and Finish"),
        "zh": ("给我的教程视频加上可点击的按钮和分支选择",),
    },
}
"""The prompts that start a video, per workflow and language (the first is the one shown)."""

FOLLOW_UPS: dict[str, dict[str, tuple[str, ...]]] = {
    "slideshow": {
        "en": ("Make it vertical for TikTok", "Add a title: Our Summer", "Add captions",
               'put the text "Thanks for watching" at the end', "make photo 2 longer",
               "use calmer music", "undo", "describe the video", "export"),
        "zh": ("把它换成竖屏", "加一个标题：我们的夏天", "加上字幕", "在结尾加上文字“谢谢观看”",
               "第二张照片长一点", "换一首舒缓的音乐", "撤销"),
    },
    "explainer": {
        "en": ("make it vertical", "use a female voice", "make the captions bigger",
               "make the music quieter", "undo", 'put the text "Subscribe" at the end'),
        "zh": ("换成竖屏", "换成女声", "字幕大一点", "背景音乐小声一点"),
    },
    "interactive": {
        "en": ("at 0:45 ask 'Want the advanced part?' Yes -> 1:30, No -> end",
               "add a hotspot top-right from 12s to 18s linking to https://example.com",
               "add a button at 0:05 that jumps to chapter 2",
               "the Learn more button links to https://example.com/docs", "add an end screen",
               "remove the skip button", "rename chapter 2 to Deep dive",
               "move the question to 0:03", "make the question say 'Ready for more?'",
               "add a pause button at 0:02", "make it vertical", "undo", "export as html"),
        "zh": ("在1分钟处加一个按钮跳到第二章", "加一个结尾画面", "把第1章改名为入门",
               "在0:05提问“要继续吗？” 是->0:08，否->结尾"),
    },
}
"""Edits people make next, in the order a person might try them."""


def try_saying(lang: str = "en") -> list[str]:
    """One starting prompt per workflow, then the first follow-ups: the web page's chips."""
    lang = "zh" if lang == "zh" else "en"
    return [SEEDS[w][lang][0] for w in WORKFLOWS] + list(FOLLOW_UPS["slideshow"][lang][:2])


__all__ = ["FOLLOW_UPS", "SEEDS", "WORKFLOWS", "try_saying"]
