"""Rules for sound: music volume, choosing or removing music, fades, clip sound."""

from __future__ import annotations

from typing import Any

from reelwright.agent import lexicon, numbers
from reelwright.agent.plan import Call, Ctx, Plan
from reelwright.agent.rules_common import REMOVE_WORDS, has

MUSIC = (r"\bmusic\b|\bsongs?\b|\bbgm\b|soundtrack|\btrack\b|\btune\b|背景音乐|音乐|配乐|歌曲|"
         r"\b歌|歌|曲子|bgm|旋律")
VOLUME = (r"volume|louder|quieter|\bloud\b|\bquiet\b|turn (?:it |the music |the song )?(?:up|down)|"
          r"\blower\b|\bsofter\b|\bmute\b|音量|大声|小声|声音|调大|调小|轻一点|轻一些|响一点|响一些|"
          r"大一点|小一点|静音|太吵|太响|太大声|听不见|听不清|听不到|太小了?|太轻了?")
MY_AUDIO = (r"\bmy\b|uploaded|\bmine\b|i (?:sent|uploaded|added)|我的|我上传|上传的|我发的|自己的|"
            r"我传的|传的那|我自己")


def _music_volume_plan(ctx: Ctx, t: str, role: str) -> Plan:
    pct = numbers.find_percent(t)
    args: dict[str, Any] = {"role": role}
    if has(t, r"\bmute\b|静音|silent|silence"):
        args["volume"] = 0.0
    elif pct is not None:
        args["volume"] = round(min(2.0, pct), 3)
    else:
        plain = [n for n in numbers.find_numbers(t) if n not in numbers.find_ordinals(t)]
        if plain and has(t, r"volume|音量|to\b|调到|调成|调为|设为|设成|改成|改为|设置"):
            value = plain[-1]
            args["volume"] = round(value / 100 if value > 2 else value, 3)
        else:
            up = has(t, r"too (?:quiet|soft|low)|can'?t hear|barely hear|louder|\bup\b|higher|"
                        r"increase|boost|太小|太轻|大声|调大|响|大一点|大一些|提高|加大|听不见|听不清|"
                        r"听不到")
            down = not up and has(t, r"too loud|quieter|softer|\bdown\b|lower|decrease|reduce|"
                                     r"小声|调小|轻|小一点|小一些|降低|太吵|太响|太大")
            if not up and not down:
                return Plan.ask("volume", ctx.say(
                    "How loud should the music be? For example \"music at 20%\", \"louder\" or "
                    "\"quieter\".", "背景音乐要多大声？比如“音量20%”、“大声一点”或“小声一点”。"))
            gentle = has(t, r"a (?:little )?bit|slightly|a little|一点|一些|稍微|稍")
            strong = has(t, r"\bmuch\b|a lot|很多|非常|太")
            if up:
                args["factor"] = 1.25 if gentle else 2.0 if strong else 1.5
            else:
                args["factor"] = 0.8 if gentle else 0.5 if strong else 0.6
    if role == "music" and not ctx.music:
        return Plan.refuse("volume", ctx.say(
            "There is no music in the video yet. Ask me to add some, e.g. \"add calm music\".",
            "视频里还没有背景音乐。可以说“加一段舒缓的音乐”。"))
    return Plan.edit("volume", Call("set_volume", args))


def volume(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, VOLUME) and not (has(t, MUSIC) and numbers.find_percent(t) is not None):
        return None
    if has(t, r"\bvoice|narration|旁白|配音|人声"):
        role = "voice"
    elif has(t, r"original sound|clip(?:'s)? (?:sound|audio)|video(?:'s)? sound|原声|视频声音|"
                r"片段声音"):
        role = "clips"
    elif has(t, MUSIC) or ctx.music:
        # "make it quieter" on a draft with music means the music.
        if has(t, r"\bsofter\b|\bquieter\b") and has(t, r"\bsong\b|\btrack\b|use|换|首") and \
                not has(t, r"volume|音量"):
            return None  # "use a softer song" picks a new song
        role = "music"
    else:
        return None
    return _music_volume_plan(ctx, t, role)


def remove_music(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, MUSIC) or not has(t, REMOVE_WORDS):
        return None
    if has(t, r"\bmute\b|静音"):
        return None
    if not ctx.music:
        return Plan.info("remove_music", ctx.say("There is no music in the video.",
                                                 "视频里没有背景音乐。"))
    calls = [Call("remove_segment", {"target": {"id": seg.id}}) for _, seg in ctx.music]
    return Plan.edit("remove_music", *calls)


def music_fades(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, MUSIC) or not has(t, r"fade|淡入|淡出|渐入|渐出|渐强|渐弱"):
        return None
    if not ctx.music:
        return Plan.refuse("music_fade", ctx.say("There is no music in the video yet.",
                                                 "视频里还没有背景音乐。"))
    ms = numbers.find_duration_ms(t) or 2000
    args: dict[str, Any] = {"target": {"track": "music", "index": 1}}
    if has(t, r"fade(?:s)? in|fade-in|淡入|渐入|渐强"):
        args["fade_in_ms"] = ms
    if has(t, r"fade(?:s)? out|fade-out|淡出|渐出|渐弱|at the end|结尾"):
        args["fade_out_ms"] = ms
    if len(args) == 1:
        args["fade_in_ms"], args["fade_out_ms"] = min(ms, 1000), ms
    return Plan.edit("music_fade", Call("set_fades", args))


def choose_music(ctx: Ctx, t: str, raw: str) -> Plan | None:
    mood = lexicon.find_mood(t)
    mentions_music = has(t, MUSIC)
    if not mentions_music and not (mood and has(t, r"\bsong\b|一首|换首")):
        return None
    mine = [info for info in ctx.unused("audio")] if has(t, MY_AUDIO) else []
    if not mine and has(t, MY_AUDIO):
        mine = [info for info in ctx.uploads("audio")
                if not any(seg.src == info.id for _, seg in ctx.music)]
    changing = has(t, r"change|replace|swap|switch|another|different|other|new|\buse\b|\bpick\b|"
                      r"\btry\b|换|改|用|替换|更换|其他|别的|另一首|选")
    adding = has(t, r"\badd\b|\bput\b|\binclude\b|\bwith\b|\bneeds?\b|"
                    r"加|添加|配上|配|来点|来一段|需要")
    if not (mood or mine or changing or adding):
        return None
    if not ctx.main:
        return Plan.refuse("music", ctx.say(
            "Music fills the video's length, so add photos or clips first.",
            "背景音乐会铺满整个视频，请先加入照片或视频片段。"))
    if not mine and mood is None and not has(t, lexicon.LIBRARY_MUSIC):
        # "add music", "pick another song": a song the person uploaded and has not used yet
        # comes before built-in music.
        mine = ctx.unused("audio")
    if mine:
        info = mine[-1]
        return Plan.edit("music", Call("use_music", {"media": info.id}))
    if mood is None:
        if ctx.music:
            labels = {label: key for key, label in lexicon.MOOD_LABELS.items()}
            current = labels.get(str(ctx.music[0][1].m.get("name", "")))
            moods = list(lexicon.MOOD_WORDS)
            mood = moods[(moods.index(current) + 1) % len(moods)] if current else None
            if mood is None:
                return Plan.ask("music", ctx.say(
                    "Which kind of music would you like: calm, upbeat, lo-fi or cinematic? Or "
                    "upload your own song.",
                    "想要什么风格的音乐：舒缓、欢快、低保真还是电影感？也可以上传你自己的歌曲。"))
        else:
            mood = "upbeat"
    return Plan.edit("music", Call("use_music", {"mood": mood}))
