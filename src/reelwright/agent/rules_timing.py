"""Rules for the sequence and its timing: lengths, pace, speed, removing, moving and adding
items, fades at the start and end."""

from __future__ import annotations

import re
from typing import Any

from reelwright.agent import numbers
from reelwright.agent.plan import Call, Ctx, Plan
from reelwright.agent.rules_common import (
    REMOVE_WORDS,
    VISUAL_NOUN,
    all_items,
    ask_which,
    check_index,
    has,
    ordinals,
    relative_factor,
    visual,
)

LONGER = (r"longer|\bextend|\blengthen|\bmore time\b|"
          r"长一点|长一些|久一点|久一些|更长|加长|延长|多停|多显示")
SHORTER = (r"shorter|\bshorten|\breduce|\btrim\b|\bless time\b|"
           r"短一点|短一些|更短|缩短|减少|少停|少显示")
WHOLE = (r"\bvideo\b|\bwhole\b|\btotal\b|\boverall\b|\bentire\b|slideshow|\bmovie\b|\bfilm\b|"
         r"\bit\b|整个|总|全片|成片|视频|影片|整体")


def _delta_ms(t: str) -> tuple[int, int] | None:
    """("1 second longer" / "延长2秒") -> (sign, ms) for a change by an amount."""
    ms = numbers.find_duration_ms(t)
    if ms is None:
        return None
    if has(t, r"(?:\d|second|秒)\S*\s*(?:longer|more)|(?:延长|加长|增加)(?!到|至|为|成)|"
              r"多\D{0,3}\d|\bby\b.*longer|"
              r"\bextend.*\bby\b|\badd\b.*(?:second|秒)"):
        return 1, ms
    if has(t, r"(?:\d|second|秒)\S*\s*(?:shorter|less)|(?:缩短|减少)(?!到|至|为|成)|少\D{0,3}\d|"
              r"\bby\b.*shorter|"
              r"\bcut\b.*\bby\b|\btrim\b.*\bby\b"):
        return -1, ms
    return None


def segment_duration(ctx: Ctx, t: str, raw: str) -> Plan | None:
    per_item = numbers.find_per_item_ms(t)
    if per_item is not None and not has(t, r"transition|转场|过渡|title|标题|字幕|caption"):
        if not ctx.main:
            return check_index(ctx, 1)
        return Plan.edit("segment_duration", Call("set_segment_duration", {
            "target": "all", "duration_ms": per_item}))
    found = ordinals(t)
    every = all_items(t) and has(t, VISUAL_NOUN)
    if not found and not every:
        if has(t, VISUAL_NOUN) and has(t, LONGER + "|" + SHORTER) and \
                not has(t, r"video|视频|slideshow|幻灯片|transition|转场|title|标题"):
            if len(ctx.main) == 1:
                found = [1]
            else:
                return ask_which(ctx, "change", "调整")
        else:
            return None
    if not (numbers.find_duration_ms(t) is not None or has(t, LONGER + "|" + SHORTER)):
        return None
    if has(t, r"transition|转场|过渡|title|标题|字幕|caption"):
        return None
    targets: list[Any] = ["all"] if every and not found else [visual(i) for i in found]
    for target in targets:
        if target != "all" and (bad := check_index(ctx, target["index"])):
            return bad
    if not ctx.main:
        return check_index(ctx, 1)
    delta = _delta_ms(t)
    calls: list[Call] = []
    for target in targets:
        if delta is not None:
            segs = ctx.main if target == "all" else [ctx.main[target["index"] - 1
                                                                if target["index"] > 0
                                                                else target["index"]]]
            for seg in segs:
                new = max(100, seg.d + delta[0] * delta[1])
                calls.append(Call("set_segment_duration", {"target": {"id": seg.id},
                                                           "duration_ms": new}))
            continue
        ms = numbers.find_duration_ms(t)
        if ms is not None:
            calls.append(Call("set_segment_duration", {"target": target, "duration_ms": ms}))
            continue
        factor = relative_factor(t, up=LONGER, down=SHORTER)
        if factor is None:
            return None
        calls.append(Call("set_segment_duration", {"target": target, "factor": factor}))
    return Plan.edit("segment_duration", *calls)


def whole_duration(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if ordinals(t) or (all_items(t) and has(t, VISUAL_NOUN)):
        return None
    ms = numbers.find_duration_ms(t)
    relative = has(t, LONGER + "|" + SHORTER)
    if ms is None and not relative:
        return None
    if not (has(t, WHOLE) or has(t, r"^make it|^改成|^缩短|^延长|^shorten|^lengthen|\blong\b|"
                                    r"\btotal\b|\bin all\b|总长|总共|一共|左右|"
                                    r"^(?:about |around |roughly )?[\d.]+\s*"
                                    r"(?:s|secs?|seconds?|mins?|minutes?|秒)\W*$")):
        return None
    if has(t, r"transition|转场|过渡|title|标题|字幕|caption|fade|淡"):
        return None
    if not ctx.main:
        return check_index(ctx, 1)
    assert ctx.draft is not None
    delta = _delta_ms(t)
    if delta is not None:
        target = ctx.draft.d + delta[0] * delta[1]
    elif ms is not None:
        target = ms
    else:
        factor = relative_factor(t, up=LONGER, down=SHORTER)
        if factor is None:
            return None
        target = round(ctx.draft.d * factor)
    return Plan.edit("duration", Call("set_duration", {"duration_ms": max(1000, target)}))


def pace(ctx: Ctx, t: str, raw: str) -> Plan | None:
    """ "faster" / "节奏快一点" on a slideshow: shorter photos (clips keep their length)."""
    if not has(t, r"faster|slower|quicker|speed (?:it )?up|slow (?:it )?down|\bpace\b|\bpacing\b|"
                  r"节奏|快一点|慢一点|快一些|慢一些|加快|放慢|更快|更慢"):
        return None
    if has(t, r"\bclip|片段|视频片段|speed of|倍速|慢动作|slow motion|transition|转场|music|音乐"):
        return None
    if not ctx.main:
        return check_index(ctx, 1)
    faster = has(t, r"faster|quicker|speed (?:it )?up|快|加快")
    gentle = has(t, r"a (?:little )?bit|slightly|a little|一点|一些|稍")
    factor = (0.8 if gentle else 0.67) if faster else (1.25 if gentle else 1.5)
    return Plan.edit("pace", Call("set_segment_duration", {"target": "all", "factor": factor}))


def speed(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, r"\bspeed\b|slow ?-?mo(?:tion)?|\bfaster\b|\bslower\b|\d(?:\.\d+)?\s*x\b|倍速|"
                  r"加速|减速|慢动作|快进|慢放|快放"):
        return None
    clips = [i for i, seg in enumerate(ctx.main, start=1) if ctx.kind_of(seg) == "video"]
    found = ordinals(t)
    if found:
        index = found[0]
    elif len(clips) == 1:
        index = clips[0]
    elif clips and has(t, r"\bclip|片段"):
        return ask_which(ctx, "speed up or slow down", "调整速度")
    else:
        return None
    if bad := check_index(ctx, index):
        return bad
    seg = ctx.main[index - 1 if index > 0 else index]
    if ctx.kind_of(seg) != "video":
        return Plan.refuse("speed", ctx.say(
            "Speed only changes video clips; for photos I can make them show longer or shorter.",
            "速度只能调整视频片段；照片可以调整显示时长。"))
    old = float(seg.m.get("speed", 1))
    match = re.search(r"(\d+(?:\.\d+)?)\s*(?:x\b|倍)", t)
    if match:
        new = float(match.group(1))
    elif has(t, r"slow ?-?mo|慢动作|慢放|half speed"):
        new = 0.5
    elif has(t, r"normal speed|正常速度|原速"):
        new = 1.0
    elif has(t, r"faster|speed (?:it )?up|加速|快进|快放|快"):
        new = old * 1.5
    elif has(t, r"slower|slow (?:it )?down|减速|慢"):
        new = old / 1.5
    else:
        return Plan.ask("speed", ctx.say("How fast should it play? For example 2x or slow motion.",
                                         "要多快？比如2倍速或者慢动作。"))
    return Plan.edit("speed", Call("set_speed", {"target": visual(index),
                                                 "speed": round(max(0.25, min(4.0, new)), 3)}))


def remove(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, REMOVE_WORDS):
        return None
    if has(t, r"title|标题|text|文字|字幕|caption|music|音乐|song|歌|transition|转场|ken ?burns|"
              r"动效|fade|淡"):
        return None
    found = ordinals(t)
    if not found:
        if has(t, VISUAL_NOUN):
            return ask_which(ctx, "remove", "删除")
        return None
    calls = []
    for index in found:
        if bad := check_index(ctx, index):
            return bad
    # Remove from the back so earlier positions stay valid.
    count = len(ctx.main)
    for index in sorted((i if i > 0 else count + 1 + i for i in found), reverse=True):
        calls.append(Call("remove_segment", {"target": visual(index)}))
    if len(calls) >= count:
        return Plan.refuse("remove", ctx.say(
            "That would remove everything; the video needs at least one photo or clip.",
            "这样会删掉全部内容；视频里至少要保留一个素材。"))
    return Plan.edit("remove", *calls)


def _destination(ctx: Ctx, t: str, rest: list[int]) -> int | None:
    if has(t, r"to the (?:start|beginning|front)|to the first|first place|\bfirst\b.*position|"
              r"开头|最前|第一个位置|放在最前|移到前面|最开始"):
        return 1
    if has(t, r"to the end|to the back|last place|to last|at the end|最后面|末尾|最后|结尾"):
        return -1
    match = re.search(r"(?:after|behind|之后|后面)\s*(?:the\s+)?(?:photo|clip|item|第)?\s*(\d+)",
                      t) or re.search(r"第\s*(\d+)\s*(?:张|个|段)?\s*(?:之后|后面|后边)", t)
    if match:
        return int(match.group(1)) + 1
    match = re.search(r"第\s*(\d+)\s*(?:张|个|段)?\s*(?:之前|前面|前边)", t)
    if match:
        return int(match.group(1))
    match = re.search(r"(?:before|in front of|之前|前面)\s*(?:the\s+)?(?:photo|clip|item|第)?\s*"
                      r"(\d+)", t)
    if match:
        return int(match.group(1))
    return rest[0] if rest else None


def move(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if has(t, r"reverse|flip the order|opposite order|backwards? order|order backwards|"
              r"倒序|反过来|顺序反|倒过来|颠倒|倒着|反一下|倒一下"):
        count = len(ctx.main)
        if count < 2:
            return check_index(ctx, 2)
        return Plan.edit("move", *[Call("move_segment", {"from": count, "to": i})
                                   for i in range(1, count)])
    swap = has(t, r"\bswap\b|\bswitch\b|exchange|trade places|调换|交换|对调|互换|"
                  r"换一下|换个位置|换位置|位置换")
    if not (swap or has(t, r"\bmove\b|\bput\b|\bplace\b|\bmake\b.*\bcome\b|移到|放到|挪到|移动到|"
                           r"放在|挪|移|放(?=最|开头|前面|后面|第|末尾|结尾)")):
        return None
    found = ordinals(t)
    if swap and not found and has(t, r"first (?:2|two)|前(?:2|两)(?:张|个|段)"):
        found = [1, 2]
    if not found:
        return None
    for index in found:
        if bad := check_index(ctx, index):
            return bad
    count = len(ctx.main)
    if swap:
        if len(found) < 2:
            # "swap photo 1 and 2": the second number needs no noun of its own.
            extra = [int(n) for n in numbers.find_numbers(t) if n.is_integer()
                     and int(n) not in found]
            found = found + extra[:1]
        if len(found) < 2:
            return ask_which(ctx, "swap it with", "交换")
        for index in found:
            if bad := check_index(ctx, index):
                return bad
        a, b = sorted(i if i > 0 else count + 1 + i for i in found[:2])
        if a == b:
            return None
        calls = [Call("move_segment", {"from": a, "to": b})]
        if b - 1 != a:
            calls.append(Call("move_segment", {"from": b - 1, "to": a}))
        return Plan.edit("move", *calls)
    # The first ordinal not inside a destination phrase is the item being moved.
    source = found[0]
    dest = _destination(ctx, t, found[1:])
    if dest is None:
        return Plan.ask("move", ctx.say("Where should it go? For example \"to the start\" or "
                                        "\"after photo 4\".",
                                        "要移到哪里？比如“最前面”或“第4张后面”。"))
    if dest != -1 and (bad := check_index(ctx, min(dest, count))):
        return bad
    dest = min(dest, count) if dest > 0 else dest
    src = source if source > 0 else count + 1 + source
    if dest > src and has(t, r"after|behind|之后|后面"):
        dest -= 1
    return Plan.edit("move", Call("move_segment", {"from": src, "to": dest}))


def add_media(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, r"\badd\b|\binclude\b|\binsert\b|\bput in\b|\bappend\b|加上|加入|添加|放进|插入|"
                  r"加进|也放|补上|用上"):
        return None
    if not has(t, VISUAL_NOUN + r"|new|uploaded|上传|新"):
        return None
    if has(t, r"title|标题|text|文字|字幕|caption|music|音乐|song|歌|transition|转场"):
        return None
    fresh = ctx.unused("image", "video")
    if not fresh:
        return Plan.refuse("add", ctx.say(
            "Every uploaded photo and clip is already in the video. Upload more and ask again.",
            "上传的照片和片段都已经在视频里了。请先上传新的素材。"))
    args_index: dict[str, Any] = {}
    match = re.search(r"(?:at|to) (?:position|the position)?\s*(\d+)|(?:after)\s*(?:photo|clip|"
                      r"item)?\s*(\d+)|第\s*(\d+)\s*(?:张|个)?(?:之后|后面)", t)
    if match:
        at = int(match.group(1) or 0) or int(match.group(2) or match.group(3)) + 1
        args_index["index"] = at
    elif has(t, r"at the (?:start|beginning)|开头|最前"):
        args_index["index"] = 1
    calls = []
    for n, info in enumerate(fresh):
        args: dict[str, Any] = {"media": info.id}
        if "index" in args_index:
            args["index"] = args_index["index"] + n
        calls.append(Call("add_visual", args))
    return Plan.edit("add", *calls)


def fades(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, r"fade|淡入|淡出|渐入|渐出|渐隐|渐显"):
        return None
    if has(t, r"transition|转场|between|之间|淡入淡出转场"):
        return None
    if not ctx.main:
        return check_index(ctx, 1)
    ms = numbers.find_duration_ms(t) or 1000
    off = has(t, REMOVE_WORDS)
    fade_in = has(t, r"fade(?:s)? in|fade-in|fade from|淡入|渐入|渐显|开头|start|beginning")
    fade_out = has(t, r"fade(?:s)? out|fade-out|fade to|淡出|渐出|渐隐|结尾|\bend\b")
    if not fade_in and not fade_out:
        fade_in = fade_out = True
    first, last = ctx.main[0], ctx.main[-1]
    calls = []
    if fade_in:
        calls.append(Call("set_fades", {"target": {"id": first.id},
                                        "fade_in_ms": 0 if off else min(ms, first.d)}))
    if fade_out:
        calls.append(Call("set_fades", {"target": {"id": last.id},
                                        "fade_out_ms": 0 if off else min(ms, last.d)}))
    return Plan.edit("fades", *calls)
