"""Agent tools for text to video: ``parse_script``, ``make_explainer``, ``remake_explainer`` and
``replace_picture``.

A chat turn that makes an explainer plans ``parse_script`` (quick: scenes, expected length,
render time and credits, said before the long work starts) then ``make_explainer`` (voice-over,
cards, music, draft). The TTS stack is imported only when one of these tools runs, so ordinary
turns stay fast. Generated media get ids salted with the session (``Workspace.scope``), voice
and music are held as credits (``Services.charges``) before they are made and dropped again
when nothing new had to be made (a cached voice, music the session already has).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelwright.agent.tools import Executor, Workspace, register_tool
from reelwright.draft.layout import ASPECTS, RESOLUTIONS
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, TrackType
from reelwright.draft.ops.address import group
from reelwright.draft.validate import validate
from reelwright.errors import OperationInvalid

if TYPE_CHECKING:
    from reelwright.agent.explainer_make import ExplainerResult

# What the service charges when it has no price table (the ``prices`` setting's defaults).
DEFAULT_PRICES = {"chat_turn": 1, "generate_tts": 2, "generate_music": 1}
MOODS = ("calm", "lofi", "upbeat", "cinematic")
RENDER_SECONDS_PER_SECOND = 2.0  # 1080p on a small machine, as explainer_make measures it

_SOURCE: dict[str, Any] = {
    "script": {"type": "string", "minLength": 1, "maxLength": 20000,
               "description": "the script text pasted in chat"},
    "script_media": {"type": "string", "minLength": 1, "maxLength": 64,
                     "description": "an uploaded .txt script (media id); default: the latest"},
}
_OPTIONS: dict[str, Any] = {
    "voice": {"type": "string", "minLength": 1, "maxLength": 40,
              "description": "voice id (joe, en-female, en-male, zh-female, zh-male), a gender "
                             "(\"female\", \"male\") or \"none\" for no voice-over"},
    "speed": {"type": "number", "minimum": 0.7, "maximum": 1.4},
    "target_seconds": {"type": "integer", "minimum": 5, "maximum": 600,
                       "description": "wanted length; long scripts are cut to fit"},
    "keep_all": {"type": "boolean", "description": "keep every scene even over the target"},
    "aspect": {"type": "string", "enum": list(ASPECTS)},
    "resolution": {"type": "integer", "enum": list(RESOLUTIONS),
                   "description": "short side in pixels"},
    "caption_style": {"type": "string", "enum": ["classic", "highlight", "none"]},
    "mood": {"type": "string", "enum": list(MOODS), "description": "library music mood"},
    "music": {"type": "boolean", "description": "false for no music"},
}
_MAKE_PARAMS = {"type": "object", "additionalProperties": False,
                "properties": {**_SOURCE, **_OPTIONS,
                               "media": {"type": "array", "maxItems": 200,
                                         "items": {"type": "string", "minLength": 1,
                                                   "maxLength": 64},
                                         "description": "photos/clips to use; default: every "
                                                        "upload in order"}}}


def _say(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _price(executor: Executor, action: str) -> int:
    charges = executor.services.charges
    return charges.price(action) if charges is not None else DEFAULT_PRICES.get(action, 0)


def _workspace(executor: Executor) -> Workspace:
    if executor.services.workspace is None:
        raise OperationInvalid("this server cannot generate voice-over or cards here")
    return executor.services.workspace


def _latest_text(media: Mapping[str, MediaInfo]) -> MediaInfo | None:
    texts = [info for info in media.values() if info.kind == "text"]
    return texts[-1] if texts else None


def script_text(media: Mapping[str, MediaInfo], args: Mapping[str, Any]) -> str:
    """The script: pasted in ``args["script"]``, else the named or latest uploaded .txt."""
    if "script" in args:
        return str(args["script"])
    media_id = args.get("script_media")
    info = media.get(str(media_id)) if media_id else _latest_text(media)
    if info is None or info.kind != "text":
        raise OperationInvalid("there is no script: paste the text after a colon, or upload "
                               "it as a .txt file")
    try:
        return Path(info.path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise OperationInvalid(f"the script {info.name or info.id} cannot be read") from exc


def _uploads(executor: Executor, args: Mapping[str, Any]) -> list[MediaInfo]:
    ids = args.get("media")
    if ids is None:
        return [info for info in executor.media.values() if info.kind in ("image", "video")
                and not info.id.startswith("gen_")]
    missing = [i for i in ids if i not in executor.media]
    if missing:
        raise OperationInvalid(f"there is no media {missing[0]!r} in this session")
    return [executor.media[i] for i in ids]


def _wants_voice(voice: Any) -> bool:
    from reelwright.media.tts import wants_no_voice

    return not wants_no_voice(voice if voice is None else str(voice))


def _cost(executor: Executor, *, voice: bool, music: bool) -> tuple[int, str, str]:
    """Credits of an explainer turn and their breakdown in English and Chinese."""
    parts = [("voice-over", "配音", _price(executor, "generate_tts") if voice else 0),
             ("music", "音乐", _price(executor, "generate_music") if music else 0),
             ("this turn", "本轮对话", _price(executor, "chat_turn"))]
    parts = [p for p in parts if p[2]]
    total = sum(p[2] for p in parts)
    return (total, ", ".join(f"{en} {n}" for en, _, n in parts),
            "、".join(f"{zh}{n}" for _, zh, n in parts))


def _render_seconds(video_seconds: float, resolution: int, aspect: str) -> float:
    from reelwright.draft.layout import canvas_size

    w, h = canvas_size(aspect, resolution)
    return video_seconds * RENDER_SECONDS_PER_SECOND * (w * h) / (1920 * 1080) + 5


def _parse_script(executor: Executor, draft: Draft | None, args: Mapping[str, Any]) -> Draft | None:
    from reelwright.agent.explainer_make import estimate
    from reelwright.agent.script import parse_script

    text = script_text(executor.media, args)
    script = parse_script(text, None)
    voice = _wants_voice(args.get("voice"))
    guess = estimate(script, voice=voice, speed=float(args.get("speed", 1.0)))
    seconds = guess.video_seconds
    if args.get("target_seconds"):
        seconds = min(seconds, float(args["target_seconds"]))
    render = _render_seconds(seconds, int(args.get("resolution", 1080)),
                             str(args.get("aspect", "16:9")))
    credits, why_en, why_zh = _cost(executor, voice=voice,
                                    music=_needs_music(executor, args, text))
    scenes = len(script.scenes)
    lang = script.language
    executor.response = {"language": lang, "scenes": scenes, "words": script.word_count,
                         "title": script.title, "video_seconds": round(seconds),
                         "render_seconds": round(render), "credits": credits}
    executor.report(_say(
        lang,
        f"Your script has {script.word_count} words in {scenes} scene"
        f"{'s' if scenes != 1 else ''}: about {seconds:.0f} s of video. Making the voice-over, "
        f"captions, pictures and music now; rendering the MP4 should take about {render:.0f} s "
        f"later, and this costs {_credits(credits)} ({why_en}; export is free).",
        f"脚本共 {script.word_count} 个字词、{scenes} 个场景，视频约 {seconds:.0f} 秒。"
        f"正在生成配音、字幕、画面和音乐；之后导出 MP4 大约需要 {render:.0f} 秒，"
        f"本次消耗 {credits} 积分（{why_zh}；导出免费）。"))
    return draft


def _needs_music(executor: Executor, args: Mapping[str, Any], text: str) -> bool:
    """Whether the explainer of ``text`` makes music the session does not have yet."""
    if not args.get("music", True):
        return False
    if not args.get("mood") and executor.uploaded_song() is not None:
        return False  # the person's own song is the music
    from reelwright.agent.explainer_make import DEFAULT_MOOD
    from reelwright.media.music import mood_for_words

    mood = args.get("mood") or mood_for_words(text) or DEFAULT_MOOD
    scope = executor.services.workspace.scope if executor.services.workspace else ""
    return _scoped_id(f"gen_music_{mood}", scope) not in executor.media


def _credits(n: int) -> str:
    return f"{n} credit{'s' if n != 1 else ''}"


def _scoped_id(media_id: str, scope: str) -> str:
    if not scope:
        return media_id
    kind = media_id.split("_")[1] if media_id.count("_") >= 2 else "media"
    digest = hashlib.sha1(f"{scope}:{media_id}".encode()).hexdigest()[:12]
    return f"gen_{kind}_{digest}"


def _adopt(executor: Executor, result: ExplainerResult,
           scope: str) -> tuple[Draft, list[MediaInfo]]:
    """The result's draft with session-scoped media ids; new media join the session."""
    ids = {info.id: _scoped_id(info.id, scope) for info in result.generated}
    draft = result.draft.copy()
    for track in draft.t:
        for seg in track.sg:
            if seg.src in ids:
                seg.src = ids[seg.src]
    infos = [replace(info, id=ids[info.id]) for info in result.generated]
    new = [info for info in infos if info.id not in executor.media]
    for info in new:
        executor.media[info.id] = info
        executor.out.generated.append(info)
    return validate(draft, executor.media), new


def _holds(executor: Executor, *, voice: bool, music: bool) -> dict[str, str]:
    charges = executor.services.charges
    if charges is None:
        return {}
    held: dict[str, str] = {}
    for action, wanted in (("generate_tts", voice), ("generate_music", music)):
        if wanted and charges.price(action) > 0:
            held[action] = charges.hold(action)
    return held


def _settle_holds(executor: Executor, held: Mapping[str, str], new: list[MediaInfo]) -> None:
    """Give back holds for media that did not have to be made (cached voice, known music)."""
    charges = executor.services.charges
    if charges is None:
        return
    made = {"generate_tts": any(i.id.startswith("gen_voice_") for i in new),
            "generate_music": any(i.id.startswith("gen_music_") for i in new)}
    for action, hold_id in held.items():
        if not made[action]:
            charges.drop(hold_id)


def _finish(executor: Executor, result: ExplainerResult, draft: Draft, new: list[MediaInfo],
            *, voice: bool) -> Draft:
    made_music = any(i.id.startswith("gen_music_") for i in new)
    made_voice = voice and any(i.id.startswith("gen_voice_") for i in new)
    credits, why_en, _ = _cost(executor, voice=made_voice, music=made_music)
    render = _render_seconds(draft.d / 1000, min(draft.w, draft.h),
                             _aspect(draft))
    notes = [note for note in result.notes if not note.startswith("Rendering should take")]
    notes.append(f"Rendering should take about {render:.0f} s; this turn costs "
                 f"{_credits(credits)} ({why_en}; export is free).")
    executor.out.notes.extend(notes)
    voices = [s for t in draft.t if t.tt == TrackType.AUDIO and t.m.get("role") == "voice"
              for s in t.sg]
    cards = [i for i in result.generated if i.id.startswith("gen_card_")]
    timings = {k: round(v, 2) for k, v in result.timings.items()}
    meta = draft.m.get("explainer", {})
    executor.report("", {"name": "synthesize_voice",
                         "args": {"voice": meta.get("voice"), "speed": meta.get("speed")},
                         "response": {"status": "ok", "lines": len(voices),
                                      "seconds": timings.get("tts", 0.0)}})
    executor.report("", {"name": "make_cards", "args": {"scenes": len(result.script.scenes)},
                         "response": {"status": "ok", "cards": len(cards),
                                      "music": meta.get("mood"),
                                      "seconds": timings.get("analysis", 0.0)}})
    executor.report("", {"name": "build_explainer", "args": {"captions": meta.get("captions")},
                         "response": {"status": "ok", "duration_ms": draft.d,
                                      "tracks": len(draft.t)}})
    executor.response = {"duration_ms": draft.d, "scenes": len(result.script.scenes),
                         "voice": meta.get("voice"), "new_media": len(new),
                         "credits": credits, "notes": notes}
    return draft


def _aspect(draft: Draft) -> str:
    from reelwright.draft.layout import aspect_of

    return aspect_of(draft.w, draft.h)


_MAKE_OPTIONS = ("voice", "speed", "target_seconds", "keep_all", "aspect", "resolution",
                 "caption_style", "mood", "music")


def _make_explainer(executor: Executor, draft: Draft | None, args: Mapping[str, Any]) -> Draft:
    from reelwright.agent.explainer_make import make_explainer

    space = _workspace(executor)
    text = script_text(executor.media, args)
    images = _uploads(executor, args)
    options = {key: args[key] for key in _MAKE_OPTIONS if key in args}
    voice = _wants_voice(options.get("voice"))
    song = executor.uploaded_song() if options.get("music", True) else None
    held = _holds(executor, voice=voice, music=bool(options.get("music", True))
                  and (song is None or "mood" in options))
    result = make_explainer(text, images=images, workdir=space.workdir,
                            cache_dir=space.cache_dir, song=song, **options)
    made, new = _adopt(executor, result, space.scope)
    _settle_holds(executor, held, new)
    return _finish(executor, result, made, new, voice=voice)


def explainer_meta(draft: Draft | None) -> dict[str, Any] | None:
    """The options an explainer draft remembers (``m.explainer``), or None for other drafts."""
    meta = draft.m.get("explainer") if draft is not None else None
    return meta if isinstance(meta, dict) and isinstance(meta.get("script"), str) else None


def _remake_explainer(executor: Executor, draft: Draft | None,
                      args: Mapping[str, Any]) -> Draft:
    from reelwright.agent.explainer_make import remake_explainer

    meta = explainer_meta(draft)
    if draft is None or meta is None:
        raise OperationInvalid("this video was not made from a script; ask me to turn a "
                               "script into a video first")
    space = _workspace(executor)
    changes = {key: args[key] for key in _MAKE_OPTIONS if key in args}
    if not changes:
        raise OperationInvalid("say what to change: voice, speed, length, captions, music or "
                               "shape")
    # An explainer made without music stays without it unless music is asked for again.
    changes.setdefault("music", meta.get("mood") is not None or meta.get("song") is not None
                       or "mood" in changes)
    voice = _wants_voice(changes.get("voice", meta.get("voice")))
    music = bool(changes["music"])
    held = _holds(executor, voice=voice, music=music)
    most, why_en, why_zh = _cost(executor, voice=voice, music=music)
    executor.report(_say(
        str(meta.get("language", "en")),
        f"Making the explainer again ({', '.join(f'{k} {v}' for k, v in changes.items())}); "
        f"this costs at most {_credits(most)} ({why_en}; unchanged voice lines and music are "
        "free).",
        f"正在重新生成讲解视频；最多消耗 {most} 积分（{why_zh}；没变的配音和音乐不收费）。"))
    result = remake_explainer(draft, executor.media, workdir=space.workdir,
                              cache_dir=space.cache_dir, **changes)
    made, new = _adopt(executor, result, space.scope)
    if "caption_style" not in changes and "aspect" not in changes:
        made = _keep_caption_look(draft, made)
    pictures = meta.get("pictures") or {}
    for scene, media_id in dict(pictures).items():
        if media_id in executor.media and _scene_segment(made, int(scene)) is not None:
            made = _swap(made, int(scene), executor.media[media_id], executor.media)
    _settle_holds(executor, held, new)
    return _finish(executor, result, made, new, voice=voice)


def _keep_caption_look(old: Draft, new: Draft) -> Draft:
    """Caption colour, size and position edits made in chat survive a remake (same caption
    style and shape, so the old look is the recipe's default plus those edits)."""
    before = group(old, "caption")
    if not before:
        return new
    look = {k: v for k, v in before[0][1].m.items() if k in ("style", "pos")}
    out = new.copy()
    for _, seg in group(out, "caption"):
        seg.m.update({k: dict(v) if isinstance(v, dict) else v for k, v in look.items()})
    return out


CARD_LAYER_TRACKS = ("x_headline", "v_art")


def _scene_segment(draft: Draft, scene: int) -> int | None:
    """Index in the main track of scene ``scene`` (1-based; the title card is not a scene)."""
    index = scene - 1 + (1 if group(draft, "title") else 0)
    return index if scene >= 1 and index < len(group(draft, "visual")) else None


def _swap(draft: Draft, scene: int, info: MediaInfo, media: Mapping[str, MediaInfo]) -> Draft:
    from reelwright.agent.recipes.explainer import ExplainerScene, _visual_segment

    index = _scene_segment(draft, scene)
    if index is None:
        count = len(group(draft, "visual")) - (1 if group(draft, "title") else 0)
        raise OperationInvalid(f"there is no scene {scene}; the video has {count} scene"
                               f"{'s' if count != 1 else ''}")
    if info.kind not in ("image", "video"):
        raise OperationInvalid(f"{info.name or info.id} is not a photo or clip")
    out = draft.copy()
    _, seg = group(out, "visual")[index]
    fresh = _visual_segment(ExplainerScene(lines=(), visual=info, is_card=False), seg.id,
                            seg.d, out.w, out.h, variant=index)
    keep = {k: v for k, v in seg.m.items() if k in ("tr", "fi", "fo")}
    seg.src, seg.in_ = info.id, 0
    seg.m = {**fresh.m, **keep}
    # the card's animated headline and illustration go with the card: the photo shows alone
    for track in out.t:
        if track.id in CARD_LAYER_TRACKS:
            track.sg = [one for one in track.sg if not seg.st <= one.st < seg.end]
    out.t = [t for t in out.t if t.id not in CARD_LAYER_TRACKS or t.sg]
    meta = out.m.get("explainer")
    if isinstance(meta, dict):
        meta["pictures"] = {**(meta.get("pictures") or {}), str(scene): info.id}
    return validate(out, media)


def _replace_picture(executor: Executor, draft: Draft | None, args: Mapping[str, Any]) -> Draft:
    if draft is None:
        raise OperationInvalid("the video is empty; make one first")
    info = executor.media.get(str(args["media"]))
    if info is None:
        raise OperationInvalid(f"there is no media {args['media']!r} in this session")
    return _swap(draft, int(args["scene"]), info, executor.media)


register_tool(
    "parse_script",
    "Read a script (pasted, or an uploaded .txt) and say its scenes, the expected video "
    "length, render time and credit cost, before anything is generated. Changes nothing.",
    {"type": "object", "additionalProperties": False,
     "properties": {**_SOURCE, **_OPTIONS}},
    _parse_script, read_only=True)  # type: ignore[arg-type]
register_tool(
    "make_explainer",
    "Turn a script into an explainer video: voice-over, word-timed captions, the session's "
    "photos/clips (or designed cards) per scene and background music. Replaces the current "
    "draft (undo brings it back).", _MAKE_PARAMS, _make_explainer)
register_tool(
    "remake_explainer",
    "Make the current explainer again with some options changed (voice, speed, length, "
    "caption style, music mood, shape), keeping its script and pictures.",
    {"type": "object", "additionalProperties": False, "properties": dict(_OPTIONS)},
    _remake_explainer)
register_tool(
    "replace_picture",
    "Show another uploaded photo or clip in one scene of an explainer (scene 1 is the first "
    "after the title).",
    {"type": "object", "additionalProperties": False, "required": ["scene", "media"],
     "properties": {"scene": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "media": {"type": "string", "minLength": 1, "maxLength": 64}}},
    _replace_picture)
