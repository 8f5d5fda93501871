"""The agent's tool catalog and the code that carries out a plan's calls.

The catalog is the draft operation catalog (``reelwright.draft.ops.catalog()``) plus a few
agent tools that need more than the draft: recipes that build a whole draft from the session's
media, choosing library music, undo / redo, export and describe. Every planner emits calls from
this one catalog; ``execute`` checks each call's arguments against its schema and applies them
all or none.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from reelwright.agent.lexicon import MOOD_LABELS, MOOD_WORDS
from reelwright.agent.plan import Call
from reelwright.agent.recipes.product_demo import build_product_demo
from reelwright.agent.recipes.slideshow import build_slideshow
from reelwright.draft import vocab
from reelwright.draft.history import History
from reelwright.draft.layout import ASPECTS, RESOLUTIONS
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.ops import OPERATIONS, apply_op, catalog
from reelwright.draft.ops import schema as jsonschema
from reelwright.draft.summary import summarize
from reelwright.errors import OperationInvalid

MOODS = tuple(MOOD_WORDS)
_MEDIA_LIST = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 64},
               "maxItems": 500,
               "description": "media ids in the order to use; default: every uploaded photo "
                              "and clip in upload order"}
_RECIPE_PROPS: dict[str, Any] = {
    "media": _MEDIA_LIST,
    "mood": {"type": "string", "enum": list(MOODS),
             "description": "built-in music of this mood; only when the person names a mood "
                            "or asks for built-in music (without it, their last uploaded song "
                            "is the music, else upbeat built-in music)"},
    "music_media": {"type": "string", "minLength": 1, "maxLength": 64,
                    "description": "an uploaded song to use instead of library music"},
    "music": {"type": "string", "enum": ["none"], "description": "\"none\" for no music"},
    "title": {"type": "string", "minLength": 1, "maxLength": 200},
    "aspect": {"type": "string", "enum": list(ASPECTS)},
    "resolution": {"type": "integer", "enum": list(RESOLUTIONS),
                   "description": "short side in pixels"},
    "duration_ms": {"type": "integer", "minimum": 1000, "maximum": vocab.MAX_DURATION_MS,
                    "description": "target length of the whole video"},
}
AGENT_TOOLS: dict[str, dict[str, Any]] = {
    "make_slideshow": {
        "description": "Build a new slideshow from the session's photos (taken-at order), with "
                       "Ken Burns motion, varied transitions, music and an optional title. "
                       "Replaces the current draft (undo brings it back).",
        "parameters": {"type": "object", "additionalProperties": False, "properties": {
            **_RECIPE_PROPS,
            "seconds_per_item": {"type": "number", "minimum": 0.5, "maximum": 60},
            "transition": {"type": "string",
                           "enum": list(vocab.TRANSITIONS) + ["varied", "none"]},
            "beat_sync": {"type": "boolean", "description": "cut on the music's beats"},
        }}},
    "make_product_demo": {
        "description": "Cut the session's clips into a product demo of a target length "
                       "(default 2 minutes) with a title, dissolves and music.",
        "parameters": {"type": "object", "additionalProperties": False,
                       "properties": dict(_RECIPE_PROPS)}},
    "use_music": {
        "description": "Use library music of a mood, or an uploaded song, as the background "
                       "music (replaces the current music, keeping its volume and fades).",
        "parameters": {"type": "object", "additionalProperties": False, "properties": {
            "mood": {"type": "string", "enum": list(MOODS)},
            "media": {"type": "string", "minLength": 1, "maxLength": 64}}}},
    "undo": {"description": "Take back the last edit(s).",
             "parameters": {"type": "object", "additionalProperties": False, "properties": {
                 "steps": {"type": "integer", "minimum": 1, "maximum": 20}}}},
    "redo": {"description": "Re-apply edit(s) taken back by undo.",
             "parameters": {"type": "object", "additionalProperties": False, "properties": {
                 "steps": {"type": "integer", "minimum": 1, "maximum": 20}}}},
    "export": {"description": "Explain how to export, or start an export of the current draft.",
               "parameters": {"type": "object", "additionalProperties": False, "properties": {
                   "format": {"type": "string", "enum": ["mp4", "webm", "mov", "gif"]}}}},
    "describe": {"description": "Say what is in the video now (no change).",
                 "parameters": {"type": "object", "additionalProperties": False,
                                "properties": {}}},
}
READ_ONLY_TOOLS: set[str] = {"export", "describe"}
ToolHandler = Callable[["Executor", "Draft | None", Mapping[str, Any]], Draft]
TOOL_HANDLERS: dict[str, ToolHandler] = {}


def register_tool(name: str, description: str, parameters: dict[str, Any],
                  handler: ToolHandler, *, read_only: bool = False) -> None:
    """Add an agent tool (e.g. another recipe). ``handler(executor, draft, args)`` returns the
    new draft; it may use ``executor.media`` and ``executor.services``, put facts for the
    functionResponse into ``executor.response`` and raise ``OperationInvalid``. The tool then
    appears in ``tool_catalog()`` for every planner. A ``read_only`` tool never counts as a
    change (it returns the draft it was given)."""
    if name in AGENT_TOOLS or name in OPERATIONS:
        raise ValueError(f"tool {name!r} registered twice")
    AGENT_TOOLS[name] = {"description": description, "parameters": parameters}
    TOOL_HANDLERS[name] = handler
    if read_only:
        READ_ONLY_TOOLS.add(name)


def tool_catalog() -> list[dict[str, Any]]:
    """Every tool a planner may call: draft operations, then the agent tools."""
    return catalog() + [{"name": name, **spec} for name, spec in AGENT_TOOLS.items()]


def openai_tools() -> list[dict[str, Any]]:
    """The catalog in the OpenAI chat-completions ``tools`` format."""
    return [{"type": "function", "function": tool} for tool in tool_catalog()]


def check_call(call: Call) -> None:
    """Reject an unknown tool or arguments that break its schema (``OperationInvalid``)."""
    if call.name in OPERATIONS:
        OPERATIONS[call.name].check_args(call.args)
        return
    spec = AGENT_TOOLS.get(call.name)
    if spec is None:
        raise OperationInvalid(f"there is no tool {call.name!r}")
    found = jsonschema.errors(spec["parameters"], call.args)
    if found:
        raise OperationInvalid(f"{call.name}: " + "; ".join(found),
                               data={"operation": call.name, "problems": found})


class Charges(Protocol):
    """Credits for generated media (voice-over, music), held while a turn works.

    ``hold(action)`` freezes the price-table price of ``action`` and returns a hold id (raises
    ``OperationInvalid`` in words when the credits are short); ``drop(hold_id)`` gives it back
    at once when the work turned out not to need it. The service settles the holds left open
    when the turn changes the draft and releases them otherwise."""

    def price(self, action: str) -> int: ...

    def hold(self, action: str) -> str: ...

    def drop(self, hold_id: str) -> None: ...


@dataclass(frozen=True)
class Workspace:
    """Where recipes that make media write it: ``workdir`` (this session's generated files),
    ``cache_dir`` (shared caches such as the music library) and ``scope`` (salts generated
    media ids, so two sessions never share one)."""

    workdir: Path
    cache_dir: Path
    scope: str = ""


@dataclass
class Services:
    """What the agent may ask of the service around it (all optional).

    ``library_music(mood)`` returns a session media entry for built-in music of that mood
    (the service generates or fetches it and records it as generated media);
    ``beats(info)`` returns beat times in ms; ``start_export(draft, fmt)`` starts a render and
    returns a short line for the chat (job id / where to poll); ``workspace`` lets recipes
    generate media (voice-over, cards); ``charges`` holds credits for generated media.
    """

    library_music: Callable[[str], MediaInfo] | None = None
    beats: Callable[[MediaInfo], Sequence[int]] | None = None
    start_export: Callable[[Draft, str], str] | None = None
    workspace: Workspace | None = None
    charges: Charges | None = None


@dataclass
class Outcome:
    """The state after a plan's calls: the new draft and history, media the turn generated,
    and one response per call (shown to clients as functionResponse parts)."""

    draft: Draft | None
    history: History | None
    media: dict[str, MediaInfo]
    generated: list[MediaInfo] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _items(args: Mapping[str, Any], media: Mapping[str, MediaInfo]) -> list[MediaInfo]:
    ids = args.get("media")
    if ids is None:
        return [info for info in media.values() if info.kind in ("image", "video")
                and not info.id.startswith("gen_")]
    out = []
    for media_id in ids:
        if media_id not in media:
            raise OperationInvalid(f"there is no media {media_id!r} in this session")
        out.append(media[media_id])
    return out


_DRAFT_PATH = re.compile(r"(?:(?<=^)|(?<=; ))(?:t\[\d+\]|paths)(?:\.\w+|\[\d+\])*: ")


def plain_words(message: str) -> str:
    """An operation's error as a person reads it: without the draft paths (``t[1].sg[5].m.t:``)
    that validation puts in front of each problem for programs."""
    return _DRAFT_PATH.sub("", message)


class Executor:
    """Runs calls against a working copy; nothing outside changes until ``outcome`` is read."""

    def __init__(self, draft: Draft | None, history: History | None,
                 media: Mapping[str, MediaInfo], services: Services) -> None:
        self.draft = draft.copy() if draft is not None else None
        self.history = history.copy() if history is not None else None
        self.media: dict[str, MediaInfo] = dict(media)
        self.services = services
        self.out = Outcome(None, None, self.media)
        self.response: dict[str, Any] = {}
        self.on_progress: Callable[[str, dict[str, Any] | None], None] | None = None

    def report(self, text: str, step: dict[str, Any] | None = None) -> None:
        """Tell the person how long work is going (a line of text, or a finished ``step``
        {name, args, response}) while the turn still runs; a no-op without a listener."""
        if self.on_progress is not None:
            self.on_progress(text, step)

    # --- music
    def _music(self, mood: str) -> MediaInfo:
        if self.services.library_music is None:
            raise OperationInvalid("the built-in music library is not available on this server; "
                                   "upload a song instead")
        info = self.services.library_music(mood)
        if info.id not in self.media:
            self.media[info.id] = info
            self.out.generated.append(info)
        return info

    def uploaded_song(self) -> MediaInfo | None:
        """The person's own music: the last audio file they uploaded (not generated media)."""
        songs = [info for info in self.media.values() if info.kind == "audio"
                 and info.has_audio and not info.id.startswith("gen_")]
        return songs[-1] if songs else None

    def _recipe_music(self, args: Mapping[str, Any]) -> tuple[MediaInfo | None, str]:
        if args.get("music") == "none":
            return None, ""
        if "music_media" in args:
            info = self.media.get(str(args["music_media"]))
            if info is None or not info.has_audio:
                raise OperationInvalid(f"there is no song {args['music_media']!r} in this session")
            return info, info.name
        if "mood" not in args:
            song = self.uploaded_song()
            if song is not None:
                return song, song.name or song.id
        mood = str(args.get("mood", "upbeat"))
        if self.services.library_music is None:
            self.out.notes.append("no music library on this server, so no music yet")
            return None, ""
        return self._music(mood), MOOD_LABELS[mood]

    # --- tools
    def _make_slideshow(self, args: Mapping[str, Any]) -> Draft:
        items = _items(args, self.media)
        music, music_name = self._recipe_music(args)
        beats = None
        if args.get("beat_sync") and music is not None and self.services.beats is not None:
            beats = list(self.services.beats(music))
        draft = build_slideshow(
            items, music=music, music_name=music_name, aspect=str(args.get("aspect", "16:9")),
            resolution=int(args.get("resolution", 1080)), title=args.get("title"),
            seconds_per_item=float(args.get("seconds_per_item", 3.0)),
            transition=args.get("transition"), beats_ms=beats,
            fit_to_music=bool(args.get("beat_sync")) and music is not None)
        if "duration_ms" in args:
            draft = apply_op(draft, "set_duration", {"duration_ms": args["duration_ms"]},
                             self.media)
        main = draft.t[0].sg if draft.t else []
        cut = [seg for seg in main if seg.src in self.media
               and self.media[seg.src].kind == "video"
               and (self.media[seg.src].duration_ms or 0) > seg.d + 500]
        if cut:
            first = main.index(cut[0]) + 1
            self.out.notes.append(
                f"{'a clip is' if len(cut) == 1 else f'{len(cut)} clips are'} cut to "
                f"{cut[0].d / 1000:g}s to keep the pace; say \"make clip {first} longer\" to "
                "show more of it")
        return draft

    def _make_product_demo(self, args: Mapping[str, Any]) -> Draft:
        items = _items(args, self.media)
        music, music_name = self._recipe_music(args)
        target = int(args.get("duration_ms", 120_000))
        draft = build_product_demo(
            items, target_ms=target, music=music, music_name=music_name,
            title=args.get("title"), aspect=str(args.get("aspect", "16:9")),
            resolution=int(args.get("resolution", 1080)))
        if draft.d < target - 1000:
            self.out.notes.append(f"your clips hold only {draft.d / 1000:g}s, not the "
                                  f"{target / 1000:g}s asked for; upload more to fill it")
        return draft

    def _use_music(self, draft: Draft, args: Mapping[str, Any]) -> Draft:
        if ("mood" in args) == ("media" in args):
            raise OperationInvalid("use_music needs exactly one of mood or media")
        if "mood" in args:
            info, name = self._music(str(args["mood"])), MOOD_LABELS[str(args["mood"])]
        else:
            found = self.media.get(str(args["media"]))
            if found is None:
                raise OperationInvalid(f"there is no media {args['media']!r} in this session")
            info, name = found, found.name or found.id
        has_music = any(t.tt == 1 and (s.m.get("role", t.m.get("role")) == "music")
                        for t in draft.t for s in t.sg)
        if has_music:
            return apply_op(draft, "replace_music", {"media": info.id, "name": name}, self.media)
        return apply_op(draft, "add_audio", {"media": info.id, "role": "music", "name": name},
                        self.media)

    def _history_step(self, name: str, steps: int) -> Draft:
        if self.history is None:
            raise OperationInvalid(f"there is nothing to {name}")
        draft = self.draft
        for _ in range(steps):
            draft = self.history.undo() if name == "undo" else self.history.redo()
        assert draft is not None
        return draft

    def run(self, calls: Sequence[Call], label: str) -> Outcome:
        """Apply ``calls`` in order, all or nothing; raises ``OperationInvalid`` whose ``data``
        names the step (``step``, 1-based, and ``operation``)."""
        changed = False
        history_moved = False
        for step, call in enumerate(calls, start=1):
            try:
                check_call(call)
                response = self._run_one(call)
            except OperationInvalid as exc:  # the words are the person's; data names the step
                raise OperationInvalid(plain_words(exc.message),
                                       data={"step": step, "operation": call.name,
                                             "detail": exc.data}) from exc
            self.out.responses.append(response)
            if call.name in ("undo", "redo"):
                history_moved = True
            elif call.name not in READ_ONLY_TOOLS:
                changed = True
        if changed and self.draft is not None:
            if self.history is None:
                self.history = History(self.draft, label=label)
            else:
                self.history.push(self.draft, label)
        elif history_moved and self.history is not None:
            self.draft = self.history.current
        self.out.draft, self.out.history = self.draft, self.history
        return self.out

    def _run_one(self, call: Call) -> dict[str, Any]:
        args = call.args
        if call.name == "make_slideshow":
            self.draft = self._make_slideshow(args)
        elif call.name == "make_product_demo":
            self.draft = self._make_product_demo(args)
        elif call.name in ("undo", "redo"):
            self.draft = self._history_step(call.name, int(args.get("steps", 1)))
        elif call.name in TOOL_HANDLERS:
            self.response = {}
            self.draft = TOOL_HANDLERS[call.name](self, self.draft, args)
            if self.response:
                return {"status": "ok", **self.response}
            if self.draft is None:  # a read-only tool before there is a draft
                return {"status": "ok"}
        elif call.name == "describe":
            text = summarize(self.draft, self.media) if self.draft is not None else \
                "The video is empty."
            return {"status": "ok", "summary": text}
        elif call.name == "export":
            if self.draft is None:
                raise OperationInvalid("there is nothing to export yet")
            fmt = str(args.get("format", "mp4"))
            if self.services.start_export is not None:
                return {"status": "started", "detail": self.services.start_export(
                    copy.deepcopy(self.draft), fmt)}
            return {"status": "ok", "detail": "export with POST /api/render/proxy/lambda"}
        else:
            if self.draft is None and call.name == "add_visual":
                self.draft = Draft()  # the first clip or photo starts the timeline
            if self.draft is None:
                raise OperationInvalid("the video is empty; upload photos or clips and ask for a "
                                       "slideshow first")
            if call.name == "use_music":
                self.draft = self._use_music(self.draft, args)
            else:
                self.draft = apply_op(self.draft, call.name, args, self.media)
        assert self.draft is not None
        return {"status": "ok", "duration_ms": self.draft.d}


# Registered last: these modules add their tools with ``register_tool`` defined above.
from reelwright.agent import explainer_tools  # noqa: E402,F401
