"""Replies in plain sentences for the recipes and the music choice.

"Made a 14-second slideshow of your 6 photos with summer-song.wav." The timeline summary
(``draft.summary.summarize``) stays in the closing event's ``stateDelta`` for clients that show
a timeline; a reply names only what a person would check: how long, of what, which song.
"""

from __future__ import annotations

from collections.abc import Mapping

from reelwright.agent.replies_zh import mood_in_chinese
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, TrackType
from reelwright.draft.summary import secs

BUILT_IN_SUFFIX = " (built-in)"


def music_segment(draft: Draft) -> Segment | None:
    """The draft's first background-music segment, if any."""
    for track in draft.t:
        if track.tt != TrackType.AUDIO:
            continue
        for seg in track.sg:
            if seg.m.get("role", track.m.get("role")) == "music":
                return seg
    return None


def is_built_in(src: str | None) -> bool:
    """Generated media (library music) has ``gen_`` ids; uploads never do."""
    return bool(src) and str(src).startswith("gen_")


def _mood_label(seg: Segment, media: Mapping[str, MediaInfo]) -> str:
    info = media.get(seg.src) if seg.src else None
    name = str(seg.m.get("name") or (info.name if info else "") or "")
    return name.removesuffix(BUILT_IN_SUFFIX)


def song_name(seg: Segment, media: Mapping[str, MediaInfo]) -> str:
    """An uploaded song's file name as the person uploaded it."""
    info = media.get(seg.src) if seg.src else None
    return (info.name if info and info.name else "") or str(seg.m.get("name") or "your song")


def music_words(draft: Draft, media: Mapping[str, MediaInfo], lang: str) -> str:
    """How the reply names the music: ``summer-song.wav`` / ``built-in Upbeat music`` /
    ``no music`` (Chinese: ``summer-song.wav`` / ``内置的欢快音乐`` / ``没有配乐``)."""
    seg = music_segment(draft)
    if seg is None:
        return "没有配乐" if lang == "zh" else "no music"
    if is_built_in(seg.src):
        label = _mood_label(seg, media)
        return f"内置的{mood_in_chinese(label)}音乐" if lang == "zh" else \
            f"built-in {label} music"
    return song_name(seg, media)


def _length_en(ms: int) -> str:
    seconds = ms / 1000
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes}-minute"
    return f"{secs(ms)}-second"


def _article(spoken: str) -> str:
    """"an" before numbers said with a vowel sound: an 8-second, an 11.8-second, an 18-..."""
    whole = spoken.split("-")[0].split(".")[0]
    return "an" if whole.startswith("8") or whole in ("11", "18") else "a"


def _length_zh(ms: int) -> str:
    seconds = ms / 1000
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} 分钟"
    return f"{secs(ms)} 秒"


def _counts(draft: Draft, media: Mapping[str, MediaInfo]) -> tuple[int, int, int]:
    """Photos, clips and all items on the main track."""
    main = draft.t[0].sg if draft.t else []
    kinds = [media[s.src].kind if s.src in media else "" for s in main if s.src]
    return kinds.count("image"), kinds.count("video"), len(main)


def _items_en(draft: Draft, media: Mapping[str, MediaInfo]) -> str:
    photos, clips, items = _counts(draft, media)
    parts = []
    if photos:
        parts.append(f"{photos} photo{'s' if photos != 1 else ''}")
    if clips:
        parts.append(f"{clips} clip{'s' if clips != 1 else ''}")
    return " and ".join(parts) or f"{items} items"


def _items_zh(draft: Draft, media: Mapping[str, MediaInfo]) -> str:
    photos, clips, items = _counts(draft, media)
    parts = []
    if photos:
        parts.append(f"{photos} 张照片")
    if clips:
        parts.append(f"{clips} 个视频片段")
    return "和".join(parts) or f"{items} 个素材"


def _shape(draft: Draft, lang: str) -> str:
    if draft.h > draft.w:
        return "竖屏" if lang == "zh" else "vertical "
    if draft.h == draft.w:
        return "方形" if lang == "zh" else "square "
    return ""


def _title(draft: Draft) -> str | None:
    for track in draft.t:
        if track.tt != TrackType.TEXT:
            continue
        for seg in track.sg:
            if seg.m.get("role", track.m.get("role")) == "title" and seg.m.get("text"):
                return " ".join(str(seg.m["text"]).split())
    return None


def recipe_reply(what: str, draft: Draft, media: Mapping[str, MediaInfo], lang: str) -> str:
    """The reply to a new slideshow (``what`` = "slideshow") or product demo."""
    title = _title(draft)
    music = music_words(draft, media, lang)
    if lang == "zh":
        noun = "幻灯片" if what == "slideshow" else "产品演示视频"
        text = (f"已用你的 {_items_zh(draft, media)}做好一段 {_length_zh(draft.d)}的"
                f"{_shape(draft, lang)}{noun}")
        seg = music_segment(draft)
        text += "，没有配乐" if seg is None else f"，配上了{music}" if is_built_in(seg.src) \
            else f"，配乐是 {music}"
        if title:
            text += f"，标题是“{title}”"
        return text + "。可以继续提修改，或者说“导出”。"
    noun = "slideshow" if what == "slideshow" else "product demo"
    length = _length_en(draft.d)
    text = (f"Made {_article(length)} {length} {_shape(draft, lang)}{noun} of your "
            f"{_items_en(draft, media)} " + (f"with {music}" if music_segment(draft) is not None
                                             else "without music"))
    if title:
        text += f', titled "{title}"'
    return text + ". Ask for changes, or say \"export\" for the MP4."


def music_reply(draft: Draft, media: Mapping[str, MediaInfo], lang: str) -> str:
    """The reply to a change of music: which song plays now."""
    seg = music_segment(draft)
    if seg is None:
        return "视频现在没有背景音乐。" if lang == "zh" else "The video has no music now."
    words = music_words(draft, media, lang)
    if lang == "zh":
        return f"背景音乐换成了{'你上传的 ' if not is_built_in(seg.src) else ''}{words}。"
    own = "" if is_built_in(seg.src) else "your song "
    return f"The music is now {own}{words}."
