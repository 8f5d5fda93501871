"""The explainer recipe: scenes with their spoken sentences and pictures -> a finished draft.

Pure: it reads only the facts it is given (``MediaInfo``, word timings) and returns a validated
``Draft``. Synthesis, cards and music are made by ``explainer_make.make_explainer``, which then
calls ``build_explainer``.

Timeline: an optional title scene (title card, spoken title, big title text), then one visual
per scene, cross-faded; the voice-over is one audio segment per sentence (role ``voice``), so
the renderer ducks the music under it; captions are text segments (role ``caption``) of at most
two lines, each carrying ``m.words`` (times relative to the segment) and, in the ``highlight``
style, ``m.hl`` for the word being spoken. Music (role ``music``) loops under everything and
fades out at the end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from reelwright.draft.layout import canvas_size, relayout
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.validate import validate
from reelwright.errors import OperationInvalid

CaptionStyle = Literal["classic", "highlight", "none"]
CAPTION_STYLES: tuple[str, ...] = ("classic", "highlight", "none")

TRANSITION_MS = 500
TRANSITION: dict[str, Any] = {"n": "fade", "d": TRANSITION_MS}
HEAD_MS = 300  # quiet before a scene's first word, after its transition has finished
GAP_MS = 250  # between two sentences of one scene
TAIL_MS = 350  # after a scene's last word before the next scene begins
END_MS = 1500  # after the last word: lets the music fade out
TITLE_MIN_MS = 2500
SCENE_MIN_MS = 2000
CAPTION_HOLD_MS = 350  # a caption stays this long after its last word (unless the next one starts)
MUSIC_VOLUME = 0.3
MUSIC_FADE_IN_MS, MUSIC_FADE_OUT_MS = 800, 2000
HIGHLIGHT = "#FFD23F"
CARD_KB = {"z0": 1.0, "z1": 1.08, "x0": 0.5, "y0": 0.5, "x1": 0.5, "y1": 0.46}
# Reading pace used when there is no voice: words (English) or characters (Chinese) a second.
SILENT_PACE = {"en": 2.6, "zh": 4.5}


@dataclass(frozen=True)
class Narration:
    """One sentence: its spoken text, its WAV (None with no voice-over) and word timings
    ``(start_ms, end_ms, word)`` relative to the start of the WAV."""

    text: str
    audio: MediaInfo | None = None
    duration_ms: int = 0
    words: tuple[tuple[int, int, str], ...] = ()

    @property
    def length_ms(self) -> int:
        if self.audio is not None and self.audio.duration_ms:
            return min(self.duration_ms or self.audio.duration_ms, self.audio.duration_ms)
        return self.duration_ms


@dataclass(frozen=True)
class CardLayers:
    """What a card animates on top of its background: the headline (its lines, top-left
    corner and em size as fractions of the frame) and the illustration (a transparent PNG and
    its box ``[x, y, w, h]``)."""

    headline: str = ""
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0  # em, as a fraction of the frame height
    art: MediaInfo | None = None
    art_box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class ExplainerScene:
    """A scene: its narrated sentences and what to show (a photo, a clip or a card)."""

    lines: tuple[Narration, ...]
    visual: MediaInfo
    is_card: bool = False
    layers: CardLayers | None = None


@dataclass(frozen=True)
class CaptionLayout:
    """Where and how big captions are for one canvas shape."""

    chars_per_line: int
    size: float
    pos: Any


@dataclass
class _Cue:
    st: int
    end: int
    words: list[tuple[int, int, str]] = field(default_factory=list)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def caption_layout(w: int, h: int, language: str, caption_style: str) -> CaptionLayout:
    """Caption size and place for a ``w`` x ``h`` canvas.

    Vertical video keeps the bottom fifth and the right edge clear (platform buttons and
    descriptions sit there): the caption block is centred at 45 % across and 72 % down.
    """
    zh = language == "zh"
    bigger = 1.15 if caption_style == "highlight" else 1.0
    if w >= h * 1.2:
        return CaptionLayout(18 if zh else 38, 58 * bigger, "bottom")
    if h >= w * 1.5:
        # ``size`` is in px at 1080 px height: 36 -> 64 px on a 1920 px tall canvas
        return CaptionLayout(11 if zh else 20, 36 * bigger, {"x": 0.45, "y": 0.72})
    return CaptionLayout(14 if zh else 28, 46 * bigger, {"x": 0.5, "y": 0.8})


def _join(words: Sequence[str]) -> str:
    out = ""
    for word in words:
        if out and not (_is_wide(out[-1]) and _is_wide(word[0])):
            out += " "
        out += word
    return out


def _balanced(words: Sequence[str], limit: int) -> str:
    """``words`` on one line, or two lines of similar length when they do not fit one."""
    text = _join(words)
    if len(text) <= limit or len(words) < 2:
        return text
    best, best_cost = 1, float("inf")
    for cut in range(1, len(words)):
        a, b = len(_join(words[:cut])), len(_join(words[cut:]))
        cost = max(a, b)
        if cost < best_cost:
            best, best_cost = cut, cost
    return _join(words[:best]) + "\n" + _join(words[best:])


def _cues(words: Sequence[tuple[int, int, str]], limit: int) -> list[_Cue]:
    """Words grouped into captions of at most two lines; a sentence break ends a caption."""
    cues: list[_Cue] = []
    for start, end, word in words:
        current = cues[-1] if cues else None
        if current is not None:
            text = _join([w for _, _, w in current.words] + [word])
            ends_clause = bool(re.search(r"[.!?。！？;；]$", current.words[-1][2]))
            ends_phrase = bool(re.search(r"[,，、:：]$", current.words[-1][2]))
            full = len(text) > 2 * limit or (ends_phrase and len(text) > limit * 1.3)
            if not ends_clause and not full:
                current.words.append((start, end, word))
                current.end = end
                continue
        cues.append(_Cue(start, end, [(start, end, word)]))
    return cues


def caption_segments(lines: Sequence[tuple[int, Narration]], layout: CaptionLayout,
                     caption_style: str, next_id: Any) -> list[Segment]:
    """Caption segments for narrations placed at absolute times ``(start_ms, narration)``."""
    placed: list[tuple[int, int, str]] = []
    for start, line in lines:
        placed += [(start + a, start + b, word) for a, b, word in line.words]
    cues = _cues(placed, layout.chars_per_line)
    segments: list[Segment] = []
    for i, cue in enumerate(cues):
        limit = cues[i + 1].st if i + 1 < len(cues) else cue.end + CAPTION_HOLD_MS
        end = min(limit, cue.end + CAPTION_HOLD_MS)
        text = _balanced([w for _, _, w in cue.words], layout.chars_per_line)
        m: dict[str, Any] = {
            "text": text, "role": "caption", "pos": layout.pos, "fi": 0, "fo": 0,
            "words": [[a - cue.st, b - cue.st, w] for a, b, w in cue.words]}
        if caption_style == "highlight":
            m["hl"] = HIGHLIGHT
            m["style"] = {"size": layout.size, "color": "#FFFFFF", "bg": None, "bold": True,
                          "outline": 4}
        else:
            m["style"] = {"size": layout.size, "color": "#FFFFFF", "bg": "#000000A6",
                          "bold": True, "outline": 0}
        segments.append(Segment(id=next_id(), st=cue.st, d=max(200, end - cue.st), m=m))
    return segments


def silent_words(text: str, language: str) -> tuple[tuple[int, int, str], ...]:
    """Word times at a comfortable reading pace, for captions when there is no voice."""
    pace = SILENT_PACE.get(language, SILENT_PACE["en"])
    tokens = ([ch for ch in text if ch.isalnum()] if language == "zh"
              else [t for t in text.split() if any(ch.isalnum() for ch in t)])
    step = round(1000 / pace)
    return tuple((i * step, (i + 1) * step - 40, token) for i, token in enumerate(tokens))


def _visual_segment(scene: ExplainerScene, seg_id: str, d: int, w: int, h: int,
                    variant: int) -> Segment:
    info = scene.visual
    m: dict[str, Any] = {"fit": "cover", "name": info.name or ("scene card" if scene.is_card
                                                              else info.id)}
    if info.kind == "video":
        m["mute"] = True
        clip = info.duration_ms or d
        if clip < d:
            m["speed"] = round(max(0.25, clip / d) - 0.005, 3)  # slowed to cover the scene
    elif scene.is_card and scene.layers is None:
        m["kb"] = dict(CARD_KB)  # a card whose text is baked in moves gently
    elif scene.is_card:
        pass  # its headline and illustration move instead; a zoom would pull the chip and
        # the accent bar away from the headline drawn on top
    else:
        from reelwright.draft.framing import ken_burns

        src_w, src_h = (info.w, info.h) if info.w > 0 and info.h > 0 else (w, h)
        m["kb"] = ken_burns(src_w, src_h, w / h, info.focus, variant=variant)
    return Segment(id=seg_id, src=info.id, st=0, d=d, m=m)


def _captions_off_faces(draft: Draft, captions: Sequence[Segment],
                        shots: Sequence[tuple[Segment, ExplainerScene]],
                        layout: CaptionLayout) -> None:
    """A caption over a photo whose face (or salient area) it would cover moves to the top of
    the frame (its usual place first, then the top, then the upper third)."""
    from reelwright.draft.text_place import best_spot, focus_in_frame, text_block

    vertical = draft.h >= draft.w * 1.5
    if isinstance(layout.pos, dict):
        cx, usual = float(layout.pos["x"]), float(layout.pos["y"])
    else:
        cx, usual = 0.5, 0.88
    for cap in captions:
        shot = next(((seg, scene) for seg, scene in shots if seg.st <= cap.st < seg.end), None)
        if shot is None or shot[1].is_card or not shot[1].visual.focus:
            continue
        seg, scene = shot
        avoid = focus_in_frame(draft, seg, scene.visual, cap.st, cap.end)
        if not avoid:
            continue
        text = str(cap.m.get("text", ""))
        block = text_block(text, layout.size, draft.w, draft.h, 0.78 if vertical else 0.9)
        spot = best_spot(block, avoid, draft.w, draft.h, ys=(usual, 0.16, 0.3), cx=cx)
        if abs(spot["y"] - usual) > 0.02:
            cap.m["pos"] = spot


LAYER_IN_MS = 100  # after the scene's cross-fade has finished
HEADLINE_STYLE: dict[str, Any] = {"color": "#FFFFFF", "bg": None, "bold": True, "outline": 0}


def _card_layers(layers: CardLayers, seg: Segment, index: int, last: bool, h: int,
                 art: Track, headlines: Track) -> None:
    """The headline (rising, word by word) and the illustration (sliding in) of one card,
    on while the card is fully on screen."""
    st = seg.st + (TRANSITION_MS + LAYER_IN_MS if index else LAYER_IN_MS)
    end = seg.end - (400 if last else TRANSITION_MS // 2)
    if end - st < 800:
        return
    if layers.headline:
        headlines.sg.append(Segment(id=f"h{index + 1}", st=st, d=end - st, m={
            "text": layers.headline, "role": "overlay", "anchor": "top-left", "anim": "rise",
            "pos": {"x": round(layers.x, 4), "y": round(layers.y, 4)}, "fi": 0, "fo": 0,
            "style": {**HEADLINE_STYLE, "size": round(layers.size * 1080, 1)}}))
    if layers.art is not None:
        art.sg.append(Segment(id=f"a{index + 1}", src=layers.art.id, st=st + 120,
                              d=end - st - 120, m={
            "box": [round(v, 4) for v in layers.art_box], "alpha": True, "anim": "slide",
            "fit": "contain", "fi": 350, "fo": 250, "name": layers.art.name or "illustration"}))


def _speech_ms(lines: Sequence[Narration]) -> int:
    return sum(line.length_ms for line in lines) + GAP_MS * max(0, len(lines) - 1)


def build_explainer(scenes: Sequence[ExplainerScene], *, title: str | None = None,
                    title_card: MediaInfo | None = None, title_line: Narration | None = None,
                    music: MediaInfo | None = None, music_name: str = "",
                    aspect: str = "16:9", resolution: int = 1080, language: str = "en",
                    caption_style: str = "classic", fps: int = 30,
                    meta: dict[str, Any] | None = None) -> Draft:
    """A validated explainer draft (see the module docstring for the layout).

    ``title_card`` (a plain card) and ``title_line`` (the spoken title) are used only with
    ``title``. ``meta`` is kept in the draft's ``m.explainer`` (voice, speed, ...), so a later
    edit can re-run the voice-over. Raises ``OperationInvalid`` for unusable input.
    """
    if not scenes:
        raise OperationInvalid("an explainer needs at least one scene of text")
    if caption_style not in CAPTION_STYLES:
        raise OperationInvalid(f"unknown caption style {caption_style!r}; use classic, "
                               "highlight or none")
    for scene in scenes:
        if scene.visual.kind not in ("image", "video"):
            raise OperationInvalid(f"{scene.visual.name or scene.visual.id} is "
                                   f"{scene.visual.kind}; scenes show photos, clips or cards")
    w, h = canvas_size(aspect, resolution)
    main = Track(id="v1", tt=TrackType.VISUAL)
    voice = Track(id="a_voice", tt=TrackType.AUDIO, m={"role": "voice"})
    captions = Track(id="x_captions", tt=TrackType.TEXT, m={"role": "caption"})
    titles = Track(id="x_title", tt=TrackType.TEXT, m={"role": "title"})
    draft = Draft(w=w, h=h, fps=fps, t=[main], m={"bg": "#000000", "duck": True})
    if title:
        draft.m["name"] = title

    # (scene, starts of its lines relative to the scene, scene duration); title first
    plan: list[tuple[ExplainerScene, list[int], int]] = []
    if title and title_card is not None:
        lines = (title_line,) if title_line is not None else ()
        plan.append((ExplainerScene(lines=lines, visual=title_card, is_card=True),
                     [HEAD_MS] if lines else [],
                     max(TITLE_MIN_MS, HEAD_MS + _speech_ms(lines) + TAIL_MS)))
    for i, scene in enumerate(scenes):
        head = HEAD_MS + (TRANSITION_MS if plan else 0)
        starts, cursor = [], head
        for line in scene.lines:
            starts.append(cursor)
            cursor += line.length_ms + GAP_MS
        tail = END_MS if i == len(scenes) - 1 else TAIL_MS + TRANSITION_MS
        plan.append((scene, starts, max(SCENE_MIN_MS, cursor - GAP_MS + tail)))

    for i, (scene, _, d) in enumerate(plan):
        seg = _visual_segment(scene, f"s{i + 1}", d, w, h, variant=i)
        if i > 0:
            seg.m["tr"] = dict(TRANSITION)
        main.sg.append(seg)
    relayout(draft)

    layout = caption_layout(w, h, language, caption_style)
    counter = iter(range(1, 10_000))
    spoken: list[tuple[int, Narration]] = []
    for index, ((scene, starts, _), seg) in enumerate(zip(plan, main.sg, strict=True)):
        is_title = bool(title) and title_card is not None and index == 0
        for start, line in zip(starts, scene.lines, strict=True):
            absolute = seg.st + start
            if line.audio is not None and line.length_ms > 0:
                voice.sg.append(Segment(
                    id=f"vo{len(voice.sg) + 1}", src=line.audio.id, st=absolute,
                    d=line.length_ms, m={"role": "voice", "name": "Voice-over"}))
            if not is_title:
                spoken.append((absolute, line))
    if caption_style != "none":
        captions.sg = caption_segments(spoken, layout, caption_style,
                                       lambda: f"c{next(counter)}")
        _captions_off_faces(draft, captions.sg, [(seg, scene) for (scene, _, _), seg
                                                 in zip(plan, main.sg, strict=True)], layout)
    if title and title_card is not None:
        title_seg = main.sg[0]
        size = 120 if w >= h else 84
        titles.sg.append(Segment(id="t1", st=0, d=title_seg.d, m={
            "text": title, "role": "title", "pos": "center", "fi": 400, "fo": 400,
            "style": {"size": size, "bold": True, "outline": 3, "color": "#FFFFFF"}}))
    art = Track(id="v_art", tt=TrackType.VISUAL, m={"role": "illustration"})
    headlines = Track(id="x_headline", tt=TrackType.TEXT, m={"role": "overlay"})
    for i, ((scene, _, _), seg) in enumerate(zip(plan, main.sg, strict=True)):
        if scene.layers is None:
            continue
        _card_layers(scene.layers, seg, i, i == len(plan) - 1, draft.h, art, headlines)
    if art.sg:
        draft.t.insert(1, art)
    for track in (voice, captions, titles, headlines):
        if track.sg:
            draft.t.append(track)
    if music is not None:
        draft.t.append(Track(id="a_music", tt=TrackType.AUDIO, m={"role": "music"}, sg=[Segment(
            id="m1", src=music.id, st=0, d=draft.d,
            m={"role": "music", "name": music_name or music.name or "music",
               "vol": MUSIC_VOLUME, "fi": MUSIC_FADE_IN_MS, "fo": MUSIC_FADE_OUT_MS,
               "loop": True, "fill": True})]))
    draft.m["explainer"] = {"language": language, "captions": caption_style, **(meta or {})}
    relayout(draft)
    media: dict[str, MediaInfo] = {}
    for scene, _, _ in plan:
        media[scene.visual.id] = scene.visual
        if scene.layers is not None and scene.layers.art is not None:
            media[scene.layers.art.id] = scene.layers.art
        for line in scene.lines:
            if line.audio is not None:
                media[line.audio.id] = line.audio
    if music is not None:
        media[music.id] = music
    return validate(draft, media)
