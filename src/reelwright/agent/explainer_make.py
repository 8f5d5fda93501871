"""``make_explainer``: a script in, a finished explainer draft and its generated media out.

This is the I/O half of the explainer recipe: it speaks the sentences (``media.tts``), draws
scene cards (``media.cards``), picks a music bed (``media.music``), ingests everything it
made as ``gen_...`` media, and hands the facts to the pure ``build_explainer``.

    result = make_explainer(text, images=uploads, workdir=session_dir, cache_dir=cache)
    result.draft       # validates against {**uploaded, **{m.id: m for m in result.generated}}
    result.notes       # what to tell the person: length, voice, cuts, render time, credits
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reelwright.agent.headline import headline as scene_headline
from reelwright.agent.recipes.explainer import (
    CAPTION_STYLES,
    END_MS,
    GAP_MS,
    HEAD_MS,
    TAIL_MS,
    TRANSITION_MS,
    CardLayers,
    ExplainerScene,
    Narration,
    build_explainer,
    silent_words,
)
from reelwright.agent.script import Scene, Script, count_words, keywords, parse_script
from reelwright.draft.layout import canvas_size
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.errors import OperationInvalid
from reelwright.media.cards import make_card, sticker_box
from reelwright.media.fonts import default_font
from reelwright.media.illustrations import ATTRIBUTION, Illustration
from reelwright.media.ingest import ingest
from reelwright.media.tts import SpokenLine, Voice, select_voice, speak, wants_no_voice
from reelwright.media.tts.normalize import normalize
from reelwright.media.tts.voices import MAX_SPEED, MIN_SPEED, check_speed

# Faster or slower than this starts to sound rushed or dragging: length targets stay inside.
NATURAL_FAST, NATURAL_SLOW = 1.2, 0.9
DEFAULT_MOOD = "calm"
# Seconds of render per second of 1080p video on a small machine (measured by the benchmark),
# and what the service charges for generated media (the ``prices`` setting's defaults).
RENDER_SECONDS_PER_SECOND = 2.0
TTS_CREDITS, MUSIC_CREDITS = 2, 1


@dataclass
class ExplainerResult:
    """The draft, every media item made for it (ids ``gen_...``) and notes for the reply."""

    draft: Draft
    generated: list[MediaInfo]
    notes: list[str]
    script: Script
    timings: dict[str, float] = field(default_factory=dict)
    # per scene: the OpenMoji drawing on its card (None: an upload or no good match)
    illustrations: list[Illustration | None] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)  # per scene, "" where an upload shows


@dataclass(frozen=True)
class Estimate:
    """What a person should hear before long work starts."""

    video_seconds: float
    render_seconds: float
    credits: int
    words: int


def estimate(script: Script, *, voice: bool = True, speed: float = 1.0) -> Estimate:
    """Expected length, render time (1080p) and credits of the explainer of ``script``."""
    pace = (2.6 if script.language == "en" else 4.5) * speed
    seconds = script.word_count / pace + 0.6 * len(script.sentences) + END_MS / 1000
    credits = (TTS_CREDITS if voice else 0) + MUSIC_CREDITS
    return Estimate(round(seconds, 1), round(seconds * RENDER_SECONDS_PER_SECOND + 5, 0),
                    credits, script.word_count)


def _tokens(name: str) -> set[str]:
    stem = re.sub(r"\.[A-Za-z0-9]{2,5}$", "", name)
    stem = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem)
    return {token.lower() for token in re.split(r"[^A-Za-z0-9\u4e00-\u9fff]+", stem)
            if len(token) > 2 or re.match(r"[\u4e00-\u9fff]", token)}


def assign_visuals(scenes: Sequence[Scene], images: Sequence[MediaInfo]) -> list[MediaInfo | None]:
    """A picture for each scene: by keyword match between scene text and file names first,
    then the remaining pictures in upload order; None where a card is needed."""
    usable = [item for item in images if item.kind in ("image", "video")]
    chosen: list[MediaInfo | None] = [None] * len(scenes)
    taken: set[int] = set()
    for si, scene in enumerate(scenes):
        words = set(keywords(scene.text, limit=20))
        best, best_score = None, 0
        for ii, item in enumerate(usable):
            if ii in taken:
                continue
            name_tokens = _tokens(item.name)
            score = sum(1 for token in name_tokens
                        if token in words or any(token in word for word in words if
                                                 not word.isascii()))
            if score > best_score:
                best, best_score = ii, score
        if best is not None:
            chosen[si] = usable[best]
            taken.add(best)
    rest = iter(item for ii, item in enumerate(usable) if ii not in taken)
    for si in range(len(scenes)):
        if chosen[si] is None:
            chosen[si] = next(rest, None)
    return chosen


def _headline(scene: Scene, language: str) -> str:
    """The card's headline: the scene's point in a few of its own words (``agent.headline``)."""
    return scene_headline(scene.sentences, language)


def _illustrations(scenes: Sequence[Scene], visuals: Sequence[MediaInfo | None],
                   headlines: Sequence[str]) -> list[Illustration | None]:
    """A different OpenMoji drawing for each scene that shows a card (uploads win)."""
    from reelwright.agent.embeddings import load_model
    from reelwright.media.illustrations import pick

    wanted = [i for i, visual in enumerate(visuals) if visual is None]
    out: list[Illustration | None] = [None] * len(scenes)
    if not wanted:
        return out
    texts = [" ".join(scenes[i].sentences) for i in wanted]
    picked = pick(texts, load_model(), [headlines[i] or texts[n] for n, i in enumerate(wanted)])
    for i, one in zip(wanted, picked, strict=True):
        out[i] = one
    return out


def _raster(picture: Illustration, w: int, h: int) -> Any:
    from reelwright.media.cards import illustration_box
    from reelwright.media.illustrations import rasterise

    return rasterise(picture.stem, illustration_box(w, h)[2])


def illustration_label(picture: Illustration, language: str) -> str:
    """The media bin's name for an illustration, in the script's language (the index keeps a
    Chinese name among the keywords); OpenMoji is credited by name."""
    if language == "zh":
        chinese = next((k for k in picture.keywords if re.search(r"[\u4e00-\u9fff]", k)), None)
        if chinese:
            return f"插图：{chinese}（OpenMoji）"
    return f"Illustration: {picture.name} (OpenMoji)"


def _sticker_media(picture: Illustration, raster: Any, w: int, h: int,
                   workdir: Path, language: str = "en") -> MediaInfo:
    """The illustration on its disc as a transparent PNG (credited in its text chunks)."""
    from PIL.PngImagePlugin import PngInfo

    from reelwright.media.cards import illustration_box, sticker

    media_id = _gen_id("art", picture.stem, w, h)
    path = workdir / "cards" / f"{media_id}.png"
    if not path.exists():
        info = PngInfo()
        info.add_text("Copyright", ATTRIBUTION)
        info.add_text("Title", f"OpenMoji {picture.name} ({picture.stem})")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        sticker(raster, illustration_box(w, h)[2]).save(partial, format="PNG", pnginfo=info)
        partial.replace(path)
    return _ingest(path, media_id, illustration_label(picture, language), workdir)


def _gen_id(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:10]
    return f"gen_{kind}_{digest}"


def _ingest(path: Path, media_id: str, name: str, workdir: Path) -> MediaInfo:
    return ingest(path, media_id=media_id, name=name, out_dir=workdir, analyse=False)


def _narrate(sentences: Sequence[str], voice: Voice | None, speed: float, language: str,
             workdir: Path) -> list[tuple[str, SpokenLine | None]]:
    if voice is None:
        return [(normalize(sentence, language), None) for sentence in sentences]
    lines = [speak(sentence, voice, out_dir=workdir / "tts", speed=speed)
             for sentence in sentences]
    return [(line.text, line) for line in lines]


def _spoken_ms(lines: Sequence[tuple[str, SpokenLine | None]], language: str) -> int:
    total = 0
    for text, line in lines:
        total += line.duration_ms if line is not None else len(silent_words(text, language)) * (
            round(1000 / (2.6 if language == "en" else 4.5)))
    return total


def _overhead_ms(script: Script) -> int:
    scenes = len(script.scenes) + (1 if script.title else 0)
    per_scene = HEAD_MS + TAIL_MS + TRANSITION_MS
    return scenes * per_scene + GAP_MS * len(script.sentences) + END_MS


def _fit_length(script: Script, target_ms: int, speech_ms: int,
                speed: float) -> tuple[float, list[Scene], list[str]]:
    """A voice speed within natural bounds and the scenes that fit ``target_ms``."""
    notes: list[str] = []
    budget = target_ms - _overhead_ms(script)
    total = speech_ms + _overhead_ms(script)
    if budget <= 0:
        raise OperationInvalid(f"{target_ms / 1000:.0f} seconds is too short for this script's "
                               f"{len(script.scenes)} scenes; try at least "
                               f"{(_overhead_ms(script) + speech_ms // 2) / 1000:.0f} seconds")
    wanted = speed * speech_ms / budget
    new_speed = min(NATURAL_FAST, max(NATURAL_SLOW, wanted))
    scenes = list(script.scenes)
    if wanted > NATURAL_FAST:
        natural = total / 1000
        # Keep whole scenes from the start while they fit at the fastest natural pace.
        share = [sum(count_words(s) for s in scene.sentences) for scene in scenes]
        words_total = sum(share) or 1
        per_word = speech_ms / words_total / NATURAL_FAST * speed
        kept: list[Scene] = []
        used: float = END_MS
        if script.title:
            used += HEAD_MS + TAIL_MS + TRANSITION_MS + count_words(script.title) * per_word
        for scene, words in zip(scenes, share, strict=True):
            cost = words * per_word + HEAD_MS + TAIL_MS + TRANSITION_MS + GAP_MS * len(
                scene.sentences)
            if kept and used + cost > target_ms:
                break
            kept.append(scene)
            used += cost
        cut = [scene.index for scene in scenes if scene not in kept]
        if cut:
            cut_words = sum(w for scene, w in zip(scenes, share, strict=True)
                            if scene.index in cut)
            notes.append(
                f"The script reads in about {natural:.0f} s at a natural pace, longer than the "
                f"{target_ms / 1000:.0f} s you asked for. I kept scenes 1-{len(kept)} and cut "
                f"scene{'s' if len(cut) > 1 else ''} {', '.join(str(c) for c in cut)} "
                f"({cut_words} words). Say 'keep everything' for the full version.")
        scenes = kept
        new_speed = NATURAL_FAST
    elif wanted < NATURAL_SLOW:
        notes.append(f"The script is short for {target_ms / 1000:.0f} s: even read slowly it "
                     "runs shorter; add a few sentences for the full length.")
    return round(new_speed, 3), scenes, notes


def make_explainer(script: str, *, images: Sequence[MediaInfo] = (), workdir: Path,
                   cache_dir: Path, language: str | None = None, voice: str | None = None,
                   speed: float = 1.0, target_seconds: int | None = None, aspect: str = "16:9",
                   resolution: int = 1080, caption_style: str = "classic",
                   mood: str | None = None, music: bool = True,
                   keep_all: bool = False, song: MediaInfo | None = None) -> ExplainerResult:
    """Turn ``script`` into an explainer draft with voice-over, captions, visuals and music.

    ``voice``: a voice id ("joe", "en-female", "zh-male", ...), a gender in words ("female",
    "女声"), "none" for no voice-over, or None for the language's default. ``target_seconds``
    picks the voice speed (0.9..1.2) and, when even the fastest natural pace is too long, the
    scenes that fit (``keep_all`` keeps them all and only says so). ``images`` are uploaded
    photos and clips, given to scenes by file-name keywords, then in order; scenes without one
    get a designed card. ``song``, the person's uploaded music, is the music unless a
    ``mood`` asks for built-in music. Everything generated is written under ``workdir`` and
    returned as ingested ``gen_...`` media. Raises ``OperationInvalid`` for bad options or an
    empty script.
    """
    started = time.perf_counter()
    if caption_style not in CAPTION_STYLES:
        raise OperationInvalid(f"unknown caption style {caption_style!r}; use classic, "
                               "highlight or none")
    check_speed(speed)
    if target_seconds is not None and not 5 <= target_seconds <= 600:
        raise OperationInvalid("the target length must be between 5 and 600 seconds")
    w, h = canvas_size(aspect, resolution)
    parsed = parse_script(script, language)
    lang = parsed.language
    chosen_voice = None if wants_no_voice(voice) else select_voice(lang, voice)
    if mood is not None and music:
        from reelwright.media.music import MOODS

        if mood not in MOODS:
            raise OperationInvalid(f"unknown music mood {mood!r}; one of {', '.join(MOODS)}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    timings: dict[str, float] = {}

    tts_start = time.perf_counter()
    title_texts = [parsed.title] if parsed.title else []
    narrated = _narrate(title_texts + parsed.sentences, chosen_voice, speed, lang, workdir)
    scenes = list(parsed.scenes)
    if target_seconds is not None:
        speech_ms = _spoken_ms(narrated, lang)
        new_speed, kept, fit_notes = _fit_length(parsed, target_seconds * 1000, speech_ms,
                                                 speed)
        notes += fit_notes
        if keep_all:
            kept = scenes
        new_speed = min(MAX_SPEED, max(MIN_SPEED, new_speed))
        if abs(new_speed - speed) > 0.02 or len(kept) != len(scenes):
            scenes = kept
            speed = new_speed
            sentences = [s for scene in scenes for s in scene.sentences]
            narrated = _narrate(title_texts + sentences, chosen_voice, speed, lang, workdir)
    timings["tts"] = time.perf_counter() - tts_start

    analysis_start = time.perf_counter()
    generated: dict[str, MediaInfo] = {}

    def narration(text: str, line: SpokenLine | None) -> Narration:
        if line is None:
            words = silent_words(text, lang)
            return Narration(text=text, duration_ms=words[-1][1] + 200 if words else 1500,
                             words=words)
        media_id = _gen_id("voice", line.path.name)
        info = generated.get(media_id) or _ingest(line.path, media_id,
                                                  f"Voice-over: {text[:40]}", workdir)
        generated[media_id] = info
        return Narration(text=text, audio=info, duration_ms=line.duration_ms,
                         words=tuple((w.start_ms, w.end_ms, w.text) for w in line.words))

    queue = iter(narrated)
    title_line = narration(*next(queue)) if parsed.title else None
    font = default_font()
    visuals = assign_visuals(scenes, images)
    headlines = [_headline(scene, lang) if visual is None else ""
                 for scene, visual in zip(scenes, visuals, strict=True)]
    pictures = _illustrations(scenes, visuals, headlines)
    explainer_scenes: list[ExplainerScene] = []
    for position, (scene, visual) in enumerate(zip(scenes, visuals, strict=True)):
        lines = tuple(narration(*next(queue)) for _ in scene.sentences)
        is_card = visual is None
        if visual is None:
            headline = headlines[position]
            picture = pictures[position]
            media_id = _gen_id("card", w, h, headline, position,
                               picture.stem if picture else None)
            raster = _raster(picture, w, h) if picture else None
            path, layout = make_card(workdir / "cards" / f"{media_id}.png", w=w, h=h,
                                     headline=headline, font_path=font, number=scene.index,
                                     variant=position + 1, kicker=parsed.title or "",
                                     illustration=raster, layers=True)
            visual = _ingest(path, media_id, f"Scene {scene.index} card", workdir)
            generated[media_id] = visual
            art = None
            if picture is not None and raster is not None:
                art = _sticker_media(picture, raster, w, h, workdir, lang)
                generated[art.id] = art
            layers = CardLayers(
                headline="\n".join(layout.lines) if layout else "",
                x=layout.x / w if layout else 0.0, y=layout.y / h if layout else 0.0,
                size=layout.size / h if layout else 0.0, art=art, art_box=sticker_box(w, h))
            explainer_scenes.append(ExplainerScene(lines=lines, visual=visual, is_card=True,
                                                   layers=layers))
            continue
        explainer_scenes.append(ExplainerScene(lines=lines, visual=visual, is_card=is_card))
    title_card = None
    if parsed.title:
        media_id = _gen_id("card", w, h, "title", parsed.title)
        path, _ = make_card(workdir / "cards" / f"{media_id}.png", w=w, h=h, headline="",
                            font_path=font, variant=0)
        title_card = _ingest(path, media_id, "Title card", workdir)
        generated[media_id] = title_card
    music_info = None
    mood_name = ""
    own_song = music and song is not None and mood is None and song.has_audio
    if own_song:
        music_info = song
    elif music:
        from reelwright.media.music import MOODS, library_track, mood_for_words

        mood_name = mood or mood_for_words(script) or DEFAULT_MOOD
        track = library_track(mood_name, Path(cache_dir))
        label = f"{MOODS[mood_name].label} (built-in)"
        music_info = _ingest(track, f"gen_music_{mood_name}", label, workdir)
        generated[music_info.id] = music_info
    timings["analysis"] = time.perf_counter() - analysis_start

    meta: dict[str, Any] = {
        "voice": chosen_voice.id if chosen_voice else "none", "speed": speed,
        "mood": mood_name or None, "target": target_seconds, "script": script,
        **({"song": song.id} if own_song and song is not None else {}),
        "images": [item.id for item in images]}
    draft = build_explainer(
        explainer_scenes, title=parsed.title, title_card=title_card, title_line=title_line,
        music=music_info, music_name=music_info.name if music_info else "", aspect=aspect,
        resolution=resolution, language=lang, caption_style=caption_style, meta=meta)
    if any(pictures):
        draft.m["credits"] = [ATTRIBUTION]  # written into the rendered file's metadata
    cards = sum(1 for scene in explainer_scenes if scene.is_card)
    voice_note = (f"voice {chosen_voice.label}" + (f" at {speed:g}x" if speed != 1 else "")
                  if chosen_voice else "no voice-over")
    notes.insert(0, f"{'Chinese' if lang == 'zh' else 'English'} script, "
                    f"{len(explainer_scenes)} scene{'s' if len(explainer_scenes) != 1 else ''}"
                    f"{' plus a title' if parsed.title else ''}, {voice_note}, "
                    f"{draft.d / 1000:.1f} s long.")
    if cards:
        drawn = sum(1 for picture in pictures if picture)
        notes.append(f"{cards} scene{'s' if cards != 1 else ''} had no picture, so I made "
                     "designed cards" + (f" ({drawn} with an OpenMoji illustration)"
                                         if drawn else "")
                     + "; upload photos or clips to replace them.")
    unused = [item for item in images if item not in visuals]
    if unused:
        notes.append(f"{len(unused)} upload{'s' if len(unused) != 1 else ''} not used "
                     "(more pictures than scenes).")
    render_s = draft.d / 1000 * RENDER_SECONDS_PER_SECOND * (w * h) / (1920 * 1080) + 5
    credits = (TTS_CREDITS if chosen_voice else 0) + (MUSIC_CREDITS if music_info else 0)
    notes.append(f"Rendering should take about {render_s:.0f} s; this costs {credits} credits "
                 "(export itself is free).")
    timings["total"] = time.perf_counter() - started
    return ExplainerResult(draft=draft, generated=list(generated.values()), notes=notes,
                           script=replace(parsed, scenes=tuple(scenes)), timings=timings,
                           illustrations=pictures, headlines=headlines)


def remake_explainer(draft: Draft, media: Mapping[str, MediaInfo], *, workdir: Path,
                     cache_dir: Path, **changes: Any) -> ExplainerResult:
    """Make an explainer draft again with some options changed (``voice="female"``,
    ``caption_style="highlight"``, ``target_seconds=30``, ...), using the script and uploads
    remembered in ``draft.m.explainer``. Raises ``OperationInvalid`` if the draft is not an
    explainer."""
    meta = draft.m.get("explainer")
    if not isinstance(meta, dict) or not isinstance(meta.get("script"), str):
        raise OperationInvalid("this video was not made from a script, so its voice-over "
                               "cannot be redone")
    options: dict[str, Any] = {
        "language": meta.get("language"), "voice": meta.get("voice"),
        "speed": float(meta.get("speed", 1.0)), "target_seconds": meta.get("target"),
        "caption_style": meta.get("captions", "classic"), "mood": meta.get("mood"),
        "aspect": _aspect_of(draft), "resolution": min(draft.w, draft.h)}
    if "speed" not in changes and "target_seconds" not in changes and options["target_seconds"]:
        options["speed"] = 1.0  # the target picks the speed again
    song = media.get(str(meta.get("song"))) if meta.get("song") else None
    options["song"] = None if "mood" in changes else song  # a named mood means built-in
    options.update(changes)
    images = [media[i] for i in meta.get("images", []) if i in media]
    return make_explainer(str(meta["script"]), images=images, workdir=workdir,
                          cache_dir=cache_dir, **options)


def _aspect_of(draft: Draft) -> str:
    from reelwright.draft.layout import aspect_of

    return aspect_of(draft.w, draft.h)
