"""Several things removed in one breath: "drop the title and the music", "去掉标题和音乐",
"no title and no music pls". One rule reads every named thing, so no part of the message is
left out (the single-thing rules each see only their own word)."""

from __future__ import annotations

from reelwright.agent.plan import Call, Ctx, Plan
from reelwright.agent.rules_common import REMOVE_WORDS, has
from reelwright.agent.rules_sound import MUSIC
from reelwright.agent.rules_text import TITLE
from reelwright.draft.model import TrackType

_THINGS = {
    "title": TITLE,
    "music": MUSIC,
    "transitions": r"\btransitions?\b|转场|过渡",
    "motion": r"ken ?burns|zoom(?:ing)? effect|\bzooming\b|缩放效果|动效",
    "text": r"\btext\b|\boverlays?\b|文字",
}


def removals(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if ctx.draft is None or not has(t, REMOVE_WORDS):
        return None
    named = [name for name, pattern in _THINGS.items() if has(t, pattern)]
    if len(named) < 2 or ctx.draft.m.get("explainer"):
        return None  # one thing: its own rule; an explainer remakes itself (rules_explainer)
    calls: list[Call] = []
    absent: list[str] = []
    for name in named:
        if name == "title":
            if ctx.titles:
                calls.append(Call("remove_text", {"target": "all", "role": "title"}))
            else:
                absent.append(ctx.say("there is no title", "视频里没有标题"))
        elif name == "music":
            if ctx.music:
                calls += [Call("remove_segment", {"target": {"id": seg.id}})
                          for _, seg in ctx.music]
            else:
                absent.append(ctx.say("there is no music", "视频里没有背景音乐"))
        elif name == "transitions" and len(ctx.main) > 1:
            calls.append(Call("set_transition", {"target": "all", "name": "none"}))
        elif name == "motion" and ctx.main:
            calls.append(Call("set_ken_burns", {"target": "all", "on": False}))
        elif name == "text":
            overlays = ctx.segments_with_role(TrackType.TEXT, "overlay")
            if overlays:
                calls.append(Call("remove_text", {"target": "all", "role": "overlay"}))
            else:
                absent.append(ctx.say("there is no text", "视频里没有文字"))
    if not calls:
        return Plan.info("remove", ctx.say("Nothing to remove: " + "; ".join(absent) + ".",
                                           "没有可删除的：" + "；".join(absent) + "。"))
    plan = Plan.edit("remove", *calls)
    plan.skipped.extend(absent)
    return plan
