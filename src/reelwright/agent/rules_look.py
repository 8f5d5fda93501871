"""Rules for how the video looks: frame shape and size, background, transitions, Ken Burns,
fit."""

from __future__ import annotations

from typing import Any

from reelwright.agent import lexicon, numbers
from reelwright.agent.plan import Call, Ctx, Plan
from reelwright.agent.rules_common import (
    REMOVE_WORDS,
    all_items,
    check_index,
    has,
    ordinals,
    relative_factor,
    visual,
)
from reelwright.draft.layout import transition_ms

BACKGROUND = r"background(?! music| song| track)|背景(?!音乐|音|歌|乐)|底色"


def canvas(ctx: Ctx, t: str, raw: str) -> Plan | None:
    args: dict[str, Any] = {}
    aspect = lexicon.find_aspect(t)
    if aspect is not None:
        args["aspect"] = aspect
    resolution = numbers.find_resolution(t)
    if resolution is not None:
        args["resolution"] = resolution
    fps = numbers.find_fps(t)
    if fps is not None:
        args["fps"] = fps
    if has(t, BACKGROUND) and not has(t, r"blur|模糊|虚化"):
        colour = lexicon.find_colour(t)
        if colour is not None:
            args["bg"] = colour
    if not args:
        return None
    if ctx.draft is None:
        return Plan.refuse("canvas", ctx.say(
            "There is no video yet to reshape. Upload photos or clips and ask for a slideshow "
            "(you can say the shape too, e.g. \"vertical for TikTok\").",
            "还没有视频可以修改。请先上传照片或片段，让我做成幻灯片（可以同时说“竖屏”）。"))
    return Plan.edit("canvas", Call("set_canvas", args))


def _transition_targets(ctx: Ctx, t: str) -> list[Any]:
    found = ordinals(t)
    if found and not all_items(t):
        return [visual(i) for i in found]
    return ["all"]


def transitions(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, r"transition|转场|过渡|切换|cross ?-?fade|dissolve|wipe|\bslides? (?:in|left|"
                  r"right)|fade to|fade through|溶解|叠化|淡入淡出|擦除|闪白|黑场|"
                  r"hard cuts?|straight cuts?|just cuts?|直接切|硬切"):
        return None
    if len(ctx.main) < 2:
        return Plan.refuse("transition", ctx.say(
            "Transitions go between photos or clips; the video needs at least two first.",
            "转场用在两张照片或片段之间；视频里至少要有两个素材。"))
    name = lexicon.find_transition(t)
    if has(t, REMOVE_WORDS) and name in (None, "varied", "fade"):
        name = "none"  # "get rid of all the transitions", "lose the fades between photos"
    duration = numbers.find_duration_ms(t)
    targets = _transition_targets(ctx, t)
    for target in targets:
        if isinstance(target, dict) and (bad := check_index(ctx, target["index"])):
            return bad
    if name is None and duration is None:
        factor = relative_factor(t, up=r"longer|slower|\bmore\b|长|慢",
                                 down=r"shorter|faster|quicker|\bless\b|短|快")
        if factor is None:
            return Plan.ask("transition", ctx.say(
                "Which transition would you like? For example fade, dissolve, slide, wipe, "
                "zoom, or \"varied\" for a mix.",
                "想要哪种转场？例如淡入淡出、溶解、滑动、擦除、缩放，或者“多样”混合。"))
        calls = []
        for i, seg in enumerate(ctx.main[1:], start=2):
            tr = seg.m.get("tr")
            old = transition_ms(seg) or 800
            new = max(100, min(5000, round(old * factor)))
            calls.append(Call("set_transition", {"target": visual(i),
                                                 "name": tr["n"] if isinstance(tr, dict)
                                                 else "fade", "duration_ms": new}))
        return Plan.edit("transition", *calls)
    if name is None:
        # Only a length: keep each cut's current transition, or fade where there was none.
        assert duration is not None
        calls = []
        for i, seg in enumerate(ctx.main[1:], start=2):
            tr = seg.m.get("tr")
            if targets != ["all"] and visual(i) not in targets:
                continue
            calls.append(Call("set_transition", {
                "target": visual(i), "name": tr["n"] if isinstance(tr, dict) else "fade",
                "duration_ms": max(100, min(5000, duration))}))
        return Plan.edit("transition", *calls)
    calls = []
    for target in targets:
        args: dict[str, Any] = {"target": target, "name": name}
        if duration is not None and name != "none":
            args["duration_ms"] = max(100, min(5000, duration))
        calls.append(Call("set_transition", args))
    return Plan.edit("transition", *calls)


def _photo_target(ctx: Ctx, t: str) -> tuple[Any, Plan | None]:
    """The main-track item the text names ("photo 2"), else "all"; or the refusal when the
    timeline has no such item."""
    if not ctx.main:
        return None, check_index(ctx, 1)
    found = ordinals(t)
    target: Any = visual(found[0]) if found and not all_items(t) else "all"
    if isinstance(target, dict) and (bad := check_index(ctx, target["index"])):
        return None, bad
    return target, None


KB_WORDS = (r"ken ?burns|pan and zoom|pan & zoom|zoom(?:ing)? (?:effect|motion|in|out)|"
            r"\bmotion\b|\bmovement\b|\bmoving\b|\banimate|\bstatic\b|\bstill\b|"
            r"动效|缩放效果|推拉|运镜|镜头移动|镜头运动|静止|不要动|别动|动起来|放大效果|缩小效果")


def ken_burns(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, KB_WORDS):
        return None
    target, bad = _photo_target(ctx, t)
    if bad is not None:
        return bad
    if has(t, REMOVE_WORDS + r"|\bstop\b|\bstatic\b|\bstill\b|静止|别动|不要动"):
        return Plan.edit("ken_burns", Call("set_ken_burns", {"target": target, "on": False}))
    args: dict[str, Any] = {"target": target, "on": True}
    pct = numbers.find_percent(t)
    if pct is not None and 0 < pct <= 1:
        args["zoom"] = round(1 + pct, 3)
    elif has(t, r"stronger|more|bigger|dramatic|更强|明显|大一点|更大"):
        args["zoom"] = 1.25
    elif has(t, r"subtle|gentle|less|slight|softer|轻微|柔和|小一点|弱一点"):
        args["zoom"] = 1.08
    if has(t, r"zoom(?:ing)? out|缩小|拉远"):
        args["direction"] = "out"
    elif has(t, r"zoom(?:ing)? in\b|放大|推近"):
        args["direction"] = "in"
    elif has(t, r"\bpan|平移|横移"):
        args["direction"] = "pan"
    return Plan.edit("ken_burns", Call("set_ken_burns", args))


def fit(ctx: Ctx, t: str, raw: str) -> Plan | None:
    mode = None
    if has(t, r"blur(?:red|ry)? (?:background|bars|sides|edges|fill)|模糊背景|背景模糊|虚化背景|"
              r"背景虚化|模糊填充"):
        mode = "blur"
    elif has(t, r"letterbox|don'?t crop|do not crop|no crop|without crop|not cropped|stop cropping|"
                r"show the whole|show all of|fit (?:the )?whole|fit inside|whole (?:photo|picture|"
                r"image)|完整显示|不要裁剪|不裁剪|别裁|不要切|显示完整|完整的|加黑边|留黑边"):
        mode = "contain"
    elif has(t, r"fill the (?:screen|frame)|crop to fill|full ?screen|no black bars|"
                r"remove (?:the )?black bars|铺满|填满|全屏|去掉黑边|不要黑边|裁剪填充"):
        mode = "cover"
    if mode is None:
        return None
    target, bad = _photo_target(ctx, t)
    if bad is not None:
        return bad
    return Plan.edit("fit", Call("set_fit", {"target": target, "fit": mode}))
