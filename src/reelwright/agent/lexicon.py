"""Words for things a video has, in English and Chinese: colours, places, shapes, transitions,
music moods. Each finder takes normalised text (``numbers.normalize``) and returns a value from
the draft vocabulary, or None."""

from __future__ import annotations

import re
from collections.abc import Callable

COLOURS: dict[str, str] = {
    "white": "#FFFFFF", "白色": "#FFFFFF", "白": "#FFFFFF",
    "black": "#000000", "黑色": "#000000", "黑": "#000000",
    "red": "#E53935", "红色": "#E53935", "红": "#E53935",
    "green": "#43A047", "绿色": "#43A047", "绿": "#43A047",
    "blue": "#1E88E5", "蓝色": "#1E88E5", "蓝": "#1E88E5",
    "navy": "#1A237E", "深蓝": "#1A237E",
    "yellow": "#FDD835", "黄色": "#FDD835", "黄": "#FDD835",
    "gold": "#FFC107", "golden": "#FFC107", "金色": "#FFC107",
    "orange": "#FB8C00", "橙色": "#FB8C00", "橘色": "#FB8C00",
    "purple": "#8E24AA", "紫色": "#8E24AA", "紫": "#8E24AA",
    "pink": "#EC407A", "粉色": "#EC407A", "粉红": "#EC407A",
    "grey": "#9E9E9E", "gray": "#9E9E9E", "灰色": "#9E9E9E", "灰": "#9E9E9E",
}
_HEX = re.compile(r"#[0-9a-f]{6}\b")


def find_colour(text: str) -> str | None:
    """The first colour named in ``text`` as ``#RRGGBB`` ("red", "红色", "#ff8800")."""
    match = _HEX.search(text)
    if match:
        return match.group(0).upper()
    best: tuple[int, str] | None = None
    for word, value in COLOURS.items():
        pattern = rf"\b{word}\b" if word.isascii() else re.escape(word)
        hit = re.search(pattern, text)
        if hit and (best is None or hit.start() < best[0]):
            best = (hit.start(), value)
    return best[1] if best else None


# Longest phrases first, so "top left" wins over "top".
POSITION_WORDS: tuple[tuple[str, str], ...] = (
    ("top left", "top-left"), ("top-left", "top-left"), ("upper left", "top-left"),
    ("左上角", "top-left"), ("左上", "top-left"),
    ("top right", "top-right"), ("top-right", "top-right"), ("upper right", "top-right"),
    ("右上角", "top-right"), ("右上", "top-right"),
    ("bottom left", "bottom-left"), ("bottom-left", "bottom-left"), ("lower left", "bottom-left"),
    ("左下角", "bottom-left"), ("左下", "bottom-left"),
    ("bottom right", "bottom-right"), ("bottom-right", "bottom-right"),
    ("lower right", "bottom-right"), ("右下角", "bottom-right"), ("右下", "bottom-right"),
    ("center", "center"), ("centre", "center"), ("middle", "center"), ("中间", "center"),
    ("居中", "center"), ("正中", "center"), ("中央", "center"),
    ("top", "top"), ("顶部", "top"), ("上方", "top"), ("上面", "top"), ("顶端", "top"),
    ("bottom", "bottom"), ("底部", "bottom"), ("下方", "bottom"), ("下面", "bottom"),
    ("底端", "bottom"), ("底下", "bottom"),
)


def find_position(text: str) -> str | None:
    for word, value in POSITION_WORDS:
        pattern = rf"\b{word}\b" if word.isascii() else re.escape(word)
        if re.search(pattern, text):
            return value
    return None


ASPECT_WORDS: tuple[tuple[str, str], ...] = (
    (r"(?<![\d.])9\s*[:x/×]\s*16(?!\d)|9比16", "9:16"),
    (r"(?<![\d.])16\s*[:x/×]\s*9(?!\d)|16比9", "16:9"),
    (r"(?<![\d.])1\s*[:x/×]\s*1(?!\d)|1比1", "1:1"),
    (r"(?<![\d.])4\s*[:x/×]\s*5(?!\d)|4比5", "4:5"),
    (r"instagram (?:reel|story|stories)|\breels?\b|\bstor(?:y|ies)\b|tik ?tok|\bshorts\b|"
     r"douyin|抖音|快手|视频号|竖屏|竖版|竖的|竖向|\bvertical\b|\bportrait\b|\bphone\b|"
     r"\bupright\b", "9:16"),
    (r"instagram feed|instagram portrait|4比5|小红书", "4:5"),
    (r"\bsquare\b|方形|正方|instagram post|\binstagram\b|\bins\b|朋友圈", "1:1"),
    (r"\bhorizontal\b|\blandscape\b|widescreen|wide screen|youtube|\btv\b|横屏|横版|宽屏|"
     r"横的|横向|b站|bilibili|西瓜视频", "16:9"),
)


def find_aspect(text: str) -> str | None:
    """An aspect named by shape or platform: "vertical for TikTok" -> 9:16, "竖屏" -> 9:16."""
    for pattern, value in ASPECT_WORDS:
        if re.search(pattern, text):
            return value
    return None


TRANSITION_WORDS: tuple[tuple[str, str], ...] = (
    (r"fade to black|fade through black|黑场|渐黑", "fadeblack"),
    (r"fade to white|flash|白场|闪白|渐白", "fadewhite"),
    (r"cross ?-?fade|cross ?-?dissolve|dissolve|溶解|叠化|交叉", "dissolve"),
    (r"\bfades?\b|淡入淡出|渐变|淡化|渐隐|淡出", "fade"),
    (r"wipe|擦除|擦拭|划变", "wipeleft"),
    (r"\bslides?\b|\bpush\b|滑动|推移|滑入|推入", "slideleft"),
    (r"\bzoom\b|缩放|放大转场|变焦", "zoomin"),
    (r"circle|iris|圆形|圆圈", "circleopen"),
    (r"radial|clock|径向|时钟", "radial"),
    (r"pixel|像素|马赛克", "pixelize"),
    (r"smooth|平滑|丝滑", "smoothleft"),
)
VARIED_WORDS = re.compile(r"\bvaried\b|\bvariety\b|\bmix(?:ed)?\b|\brandom\b|\bdifferent\b|"
                          r"\bvarious\b|\bassorted\b|随机|多样|各种|不同的?|多种|丰富")
NO_TRANSITION_WORDS = re.compile(r"no transitions?|without transitions?|remove (?:the |all )?"
                                 r"transitions?|hard cuts?|straight cuts?|just cut|"
                                 r"不要转场|去掉转场|取消转场|无转场|删除转场|直接切|硬切")


def find_transition(text: str) -> str | None:
    """A transition name of the draft vocabulary, "varied", "none", or None."""
    if NO_TRANSITION_WORDS.search(text):
        return "none"
    for pattern, value in TRANSITION_WORDS:
        if re.search(pattern, text):
            return value
    if VARIED_WORDS.search(text):
        return "varied"
    return None


# The built-in music library's moods (reelwright.media.music.MOODS) and words that pick them.
MOOD_WORDS: dict[str, tuple[str, ...]] = {
    "calm": ("calm", "peaceful", "soft", "gentle", "quiet", "relaxing", "slow", "soothing",
             "mellow", "平静", "舒缓", "安静", "轻柔", "柔和", "温柔", "慢", "宁静", "温馨"),
    "upbeat": ("upbeat", "happy", "energetic", "fun", "cheerful", "lively", "joyful", "bright",
               "party", "dance", "exciting", "faster song", "欢快", "活力", "动感", "快乐", "开心",
               "愉快", "热闹", "轻快", "节奏感", "激情"),
    "lofi": ("lo-fi", "lofi", "lo fi", "chill", "relaxed", "laid-back", "jazzy", "cozy",
             "低保真", "放松", "慵懒", "爵士", "惬意"),
    "cinematic": ("cinematic", "epic", "dramatic", "emotional", "inspiring", "grand", "moving",
                  "电影感", "史诗", "大气", "震撼", "感人", "煽情", "励志", "壮丽"),
}
# "built-in music", "library music": the person asks for Reelwright's own music, not their song.
LIBRARY_MUSIC = (r"built[- ]?in|\blibrary\b|\bstock\b|royalty[- ]free|your (?:own )?music|"
                 r"内置|自带|系统(?:的)?(?:音乐|配乐)|曲库|素材库")
MOOD_LABELS = {"calm": "Calm", "upbeat": "Upbeat", "lofi": "Lo-fi", "cinematic": "Cinematic"}
_MOOD_COMPARATIVES = {"calmer": "calm", "quieter song": "calm", "softer": "calm",
                      "gentler": "calm", "slower": "calm", "happier": "upbeat",
                      "livelier": "upbeat", "more upbeat": "upbeat", "more energetic": "upbeat",
                      "more fun": "upbeat", "chiller": "lofi", "more relaxed": "lofi",
                      "more dramatic": "cinematic", "more epic": "cinematic",
                      "more emotional": "cinematic"}


def find_mood(text: str) -> str | None:
    """The library mood a message asks for ("use a calmer song" -> calm, "欢快的音乐" ->
    upbeat), preferring the shared ``media.music.mood_for_words`` when it is installed."""
    for word, mood in _MOOD_COMPARATIVES.items():
        if word in text:
            return mood
    best: tuple[int, str] | None = None
    for mood, words in MOOD_WORDS.items():
        for word in words:
            pattern = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
            hit = re.search(pattern, text)
            if hit and (best is None or hit.start() < best[0]):
                best = (hit.start(), mood)
    if best:
        return best[1]
    try:
        from reelwright.media.music import mood_for_words
    except ImportError:
        return None
    found = mood_for_words(text)
    return found if isinstance(found, str) and found in MOOD_WORDS else None


_QUOTES = (re.compile(r"“([^”]{1,200})”"), re.compile(r'"([^"]{1,200})"'),
           re.compile(r"「([^」]{1,200})」"), re.compile(r"『([^』]{1,200})』"),
           re.compile(r"《([^》]{1,200})》"), re.compile(r"‘([^’]{1,200})’"),
           # A straight apostrophe pair only at word edges, so "don't ... it's" is no quote.
           re.compile(r"(?:^|(?<=[\s:：(]))'([^']{1,200})'(?=$|[\s.,!?;:)，。！？])"))


def mask_quoted(text: str) -> str:
    """``text`` with the words inside quotes replaced by an ellipsis, so that a keyword in a
    quoted phrase ('add the text "after the kill"', '"no music" as the title') is never read as
    a request. The rules take the quoted words themselves from the message as typed."""
    for pattern in _QUOTES:
        text = pattern.sub(lambda m: m.group(0).replace(m.group(1), "…"), text)
    return text


def hold_quoted(text: str) -> tuple[str, Callable[[str], str]]:
    """``text`` with every quoted phrase (quotes included) replaced by a token that no splitter
    or rule matches, and the function that puts the phrases back into a piece of it: a message
    is cut into requests without cutting 'add the text "me and you"' in two."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(0))
        return f"\x00{len(held) - 1}\x00"

    for pattern in _QUOTES:
        text = pattern.sub(hold, text)

    def restore(piece: str) -> str:
        for _ in _QUOTES:  # a phrase held by a later pattern may hold an earlier one
            piece = re.sub(r"\x00(\d+)\x00",
                           lambda m: held[int(m.group(1))] if int(m.group(1)) < len(held)
                           else m.group(0), piece)
        return piece

    return text, restore


def find_quoted(text: str) -> str | None:
    """Text in quotes of any kind: 'Summer', "Summer", “夏天”, 「夏天」, 《夏天》."""
    hits = [m for pattern in _QUOTES if (m := pattern.search(text))]
    if not hits:
        return None
    value = min(hits, key=lambda m: m.start()).group(1).strip()
    return value or None
