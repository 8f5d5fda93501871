"""What a reply calls the draft's built-in names (transitions, fits, positions, moods) in
each reply language. The draft keeps the English codes (``dissolve``, ``cover``, ``top-left``);
a Chinese reply shows ``溶解``, ``铺满画面``, ``左上角``. A name without an entry is shown as
it is (an uploaded song's name, a font file)."""

from __future__ import annotations

from reelwright.draft import vocab

_ZH: dict[str, dict[str, str]] = {
    "transition": {
        "fade": "淡入淡出", "dissolve": "溶解", "wipeleft": "向左擦除", "wiperight": "向右擦除",
        "wipeup": "向上擦除", "wipedown": "向下擦除", "slideleft": "向左滑动",
        "slideright": "向右滑动", "slideup": "向上滑动", "slidedown": "向下滑动",
        "zoomin": "放大", "circleopen": "圆形展开", "radial": "径向擦除",
        "smoothleft": "向左平滑", "fadeblack": "黑场过渡", "fadewhite": "白场过渡",
        "pixelize": "像素化",
    },
    "fit": {"cover": "铺满画面", "contain": "完整显示", "blur": "完整显示加模糊背景"},
    "position": {
        "top": "顶部", "center": "居中", "bottom": "底部", "top-left": "左上角",
        "top-right": "右上角", "bottom-left": "左下角", "bottom-right": "右下角",
    },
    # the same words as the web page's mood buttons (web/static/i18n.js), by label and by code
    "mood": {"Calm": "舒缓", "Upbeat": "欢快", "Lo-fi": "低保真", "Cinematic": "电影感",
             "calm": "舒缓", "upbeat": "欢快", "lofi": "低保真", "cinematic": "电影感"},
    "caption_style": {"classic": "经典", "highlight": "逐词高亮"},
}
NAMES: dict[str, dict[str, dict[str, str]]] = {"zh": _ZH}
# Every code of the draft's closed vocabularies has a Chinese name (tests check it).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "transition": vocab.TRANSITIONS, "fit": vocab.FITS, "position": vocab.POSITIONS}


def display_name(kind: str, name: str, lang: str) -> str:
    """``name`` (a ``kind`` of built-in name) as a reply in ``lang`` shows it; English and
    unknown names stay as they are."""
    return NAMES.get(lang, {}).get(kind, {}).get(name, name)
