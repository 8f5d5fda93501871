"""Rules for whole-session requests: undo/redo, recipes, export, what is in the video, help,
and requests too vague to act on."""

from __future__ import annotations

import re
from typing import Any

from reelwright.agent import lexicon, numbers
from reelwright.agent.plan import Call, Ctx, Plan
from reelwright.agent.rules_common import has, quoted_or_after

UNDO = r"^\s*(?:please\s+)?undo\b|\bundo (?:that|it|the last|last)|撤销|撤回"
# Weaker phrasings count only when nothing more specific is asked ("change it back to 16:9").
UNDO_WEAK = (r"take (?:that|it) back|\bgo back\b|\brevert\b|change it back|put it back|回退|退回|"
             r"还原|返回上一步|回到上一步|上一步|恢复原样|改回去|改回来")
REDO = r"\bredo\b|重做|恢复撤销|恢复刚才|重新应用"

CAPABILITIES_EN = (
    "I edit this video from plain words: make a slideshow from your photos (music, transitions, "
    "title), a product demo from clips, change the shape (\"vertical for TikTok\", \"square\"), "
    "photo lengths (\"make photo 3 longer\"), order, transitions, Ken Burns motion, music "
    "(\"use a calmer song\", \"music at 20%\"), titles and captions, undo and redo. To export, "
    "say \"export\".")
CAPABILITIES_ZH = (
    "我可以用一句话修改这个视频：把照片做成带音乐、转场和标题的幻灯片，用片段做产品演示视频，改画面比例"
    "（“换成竖屏”“方形”），调整照片时长（“第三张长一点”）、顺序、转场、动效、背景音乐（“换一首舒缓的歌”"
    "“音量调到20%”）、标题和字幕，还能撤销和重做。要导出视频，请说“导出”。")


def undo_redo(ctx: Ctx, t: str, raw: str) -> Plan | None:
    redo = has(t, REDO)
    weak = has(t, UNDO_WEAK) and not (lexicon.find_aspect(t) or lexicon.find_mood(t)
                                      or lexicon.find_colour(t) or numbers.find_numbers(t))
    if not redo and not has(t, UNDO) and not weak:
        return None
    steps = 1
    match = re.search(r"(\d+)\s*(?:steps?|times|edits|changes|步|次)", t)
    if match:
        steps = max(1, min(20, int(match.group(1))))
    name = "redo" if redo else "undo"
    return Plan.edit(name, Call(name, {"steps": steps}))


SLIDESHOW = (r"slide ?show|幻灯片|相册|电子相册|photo (?:video|montage|album)|montage|"
             r"(?:photos|pictures|images|pics)\s+(?:in)?to\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?"
             r"(?:video|movie|film|reel|slideshow)|"
             r"(?:video|movie|film|reel|story|tiktok|short) (?:of|from|with|out of|using) "
             r"(?:my|these|the|all) (?:\w+ )?(?:photos|pictures|images|pics)|"
             r"(?:图片|相片).{0,8}(?:做成|生成|制作|变成|合成|剪成|弄成|转成).{0,8}(?:视频|相册|幻灯片|短片|"
             r"影片)|"
             r"(?:video|movie|film) (?:from|with|of|out of) (?:my|these|the|all)|"
             r"照片.{0,8}(?:做成|生成|制作|变成|合成|剪成|弄成|转成)|"
             r"用.{0,6}(?:照片|图片|相片).{0,6}(?:做|生成|制作|剪|弄|合成|拼)|"
             r"(?:做|生成|制作).{0,4}(?:照片|图片)视频")
DEMO = (r"product demo|demo video|product video|product showcase|promo(?:tional)? video|"
        r"产品演示|产品介绍|产品视频|演示视频|宣传视频|宣传片|产品展示")


def _recipe_options(ctx: Ctx, t: str, raw: str) -> dict[str, Any]:
    args: dict[str, Any] = {}
    aspect = lexicon.find_aspect(t)
    if aspect:
        args["aspect"] = aspect
    resolution = numbers.find_resolution(t)
    if resolution:
        args["resolution"] = resolution
    name = quoted_or_after(raw, r"(?:titled|called|named|with (?:the )?title|title\s*[:：]|"
                                r"call it|name it|标题是|标题为|标题叫|题目是|名字叫|名为|片名是?|"
                                r"片名叫)") \
        if has(t, r"titled|called|named|title|call it|name it|标题|题目|名字叫|名为|片名") else None
    if name:
        args["title"] = name
    if has(t, r"no music|without (?:any )?music|skip (?:the )?music|no (?:background )?music|"
              r"不要(?:背景)?(?:音乐|配乐)|无音乐|不配乐|不(?:加|用)(?:背景)?(?:音乐|配乐)"):
        args["music"] = "none"
    elif has(t, r"(?:\bmy|uploaded|我的|上传的?)\s*(?:own\s+)?(?:song|music|track|audio|歌|音乐)") \
            and ctx.uploads("audio"):
        args["music_media"] = ctx.uploads("audio")[-1].id
    else:
        # With no mood and no word for built-in music, the recipe takes the person's own
        # uploaded song when there is one (tools.Executor._recipe_music).
        mood = lexicon.find_mood(t)
        if mood:
            args["mood"] = mood
        elif has(t, lexicon.LIBRARY_MUSIC):
            args["mood"] = "upbeat"
    transition = lexicon.find_transition(t)
    if transition is not None and has(t, r"transition|转场|过渡|fade|dissolve|wipe|slide|溶解|"
                                         r"淡入淡出|cut"):
        args["transition"] = transition
    if has(t, r"\bbeats?\b|on the beat|beat ?-?sync|to the rhythm|卡点|踩点|节拍|节奏卡"):
        args["beat_sync"] = True
    per = numbers.find_per_item_ms(t)
    if per is not None:
        args["seconds_per_item"] = per / 1000
    else:
        total = numbers.find_duration_ms(t)
        if total is not None:
            args["duration_ms"] = total
    return args


def slideshow(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, SLIDESHOW):
        return None
    items = ctx.uploads("image", "video")
    if not items:
        return Plan.refuse("slideshow", ctx.say(
            "Upload your photos first (JPG, PNG, HEIC, WebP ...), then ask me again and I will "
            "turn them into a slideshow with music and transitions.",
            "请先上传照片（JPG、PNG、HEIC、WebP 等），然后再告诉我，"
            "我会把它们做成带音乐和转场的幻灯片。"))
    return Plan.edit("slideshow", Call("make_slideshow", _recipe_options(ctx, t, raw)))


def product_demo(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, DEMO):
        return None
    if not ctx.uploads("video", "image"):
        return Plan.refuse("product_demo", ctx.say(
            "Upload your product clips first, then ask again and I will cut them into a demo.",
            "请先上传产品视频片段，然后再告诉我，我会把它们剪成演示视频。"))
    args = _recipe_options(ctx, t, raw)
    args.pop("seconds_per_item", None)
    return Plan.edit("product_demo", Call("make_product_demo", args))


def export(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, r"\bexport\b|\brender\b|\bdownload\b|\bsave (?:it|the video)|give me the "
                  r"(?:video|file|mp4)|导出|渲染|下载|输出|出片|保存视频|生成视频文件"):
        return None
    if not ctx.main:
        return Plan.refuse("export", ctx.say(
            "There is nothing to export yet. Upload photos or clips and ask for a slideshow first.",
            "还没有可以导出的内容。请先上传素材并让我做成视频。"))
    fmt = "webm" if has(t, r"webm") else "gif" if has(t, r"\bgif\b") else \
        "mov" if has(t, r"\bmov\b") else "mp4"
    return Plan("info", [Call("export", {"format": fmt})], intent="export")


PUBLISH = (r"\b(?:post|upload|publish|share|send)\b\s+(?:it|this|that|the video|my video)?\s*"
           r"(?:on|to)\s+(?:my\s+)?(?:youtube|tiktok|instagram|facebook|linkedin|twitter|x|"
           r"channel|account|feed|page|wechat|weibo)|"
           r"(?:发|发布|上传|分享)(?:到|在)(?:我的)?(?:抖音|快手|朋友圈|微博|b站|小红书|视频号|youtube|"
           r"频道|账号)")


def publish(ctx: Ctx, t: str, raw: str) -> Plan | None:
    """Posting to a platform for the person: not something this agent does (it can shape the
    video for the platform, and export it)."""
    if not has(t, PUBLISH):
        return None
    return Plan.refuse("publish", ctx.say(
        "I can't post to other sites for you. I can shape the video for the platform (e.g. "
        "\"vertical for TikTok\") and export the MP4 for you to upload.",
        "我不能替你发布到其他平台。我可以按平台调整画面（比如“改成竖屏”），导出 MP4 后由你上传。"))


INSIDE_PICTURE = (r"\b(?:person|people|man|woman|guy|girl|someone|object|thing|logo|watermark|"
                  r"dog|cat|car|sky)s?\b.{0,12}\b(?:from|in|out of|inside)\b\s+(?:the\s+|this\s+|"
                  r"my\s+)?(?:photo|picture|pic|image|shot|clip|video)s?|"
                  r"(?:照片|图片|图|画面|视频)(?:里|中)的?(?:人|东西|物体|水印|logo|背景)|"
                  r"make (?:the )?(?:people|person|them) (?:dance|move|talk|smile)|"
                  r"让.{0,8}人.{0,4}(?:跳舞|动起来|说话)")


def inside_picture(ctx: Ctx, t: str, raw: str) -> Plan | None:
    """Editing what is inside a picture (removing a person, making people dance): not an edit
    of the timeline, so it is refused in words instead of changing the nearest thing."""
    if not has(t, INSIDE_PICTURE):
        return None
    return Plan.refuse("inside_picture", ctx.say(
        "I can't change what is inside a photo or clip (remove or animate people or objects). "
        "I can remove, reorder, crop-fit or retime whole photos and clips.",
        "我不能修改照片或视频里面的内容（比如抠掉或让人物动起来）。我可以删除、调整顺序、适配画面或调整整张照片和片段的时长。"))


def describe(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if has(t, r"\b(?:called|named|titled|labell?ed|add|put|rename)\b|叫|名为|命名"):
        return None  # "add a chapter called Summary" names something; it asks for no summary
    if not has(t, r"what(?:'s| is) in (?:my|the) video|describe (?:my|the|this) video|"
                  r"^\s*describe(?: it)?\W*$|^\s*(?:summary|status)\W*$|描述一下|show (?:me )?the "
                  r"timeline|\bsummary\b|\bsummarize\b|what does (?:it|the video) look like|"
                  r"how long is (?:it|the video)|现在.{0,6}(?:什么样|怎么样|有什么|多长)|"
                  r"视频.{0,4}多长|"
                  r"总结一下|概况|时间线"):
        return None
    return Plan("info", [Call("describe", {})], intent="describe")


def help_(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, r"^\s*help\b|what can you do|how does this work|how do i use|你能做什么|你会什么|"
                  r"怎么用|^\s*帮助|需要帮助|求助|能干什么|可以做什么"):
        return None
    if lexicon.find_quoted(raw) or has(t, r"https?://|按钮|button"):
        return None  # a "帮助" button, a link to /help: names, not a request for help
    return Plan.info("help", ctx.say(CAPABILITIES_EN, CAPABILITIES_ZH))


def vague(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not has(t, r"make it (?:better|nicer|cooler|good|pretty|awesome|pop|great|perfect)|"
                  r"\bimprove\b|^change it|^fix it|^edit it|^do something|^make changes|"
                  r"改一下|优化一下|好看一点|弄好看|更好看|调整一下|修改一下|改改|弄一下|美化|高级一点|"
                  r"^change (?:the|this) (?:video|photo|picture|clip)$|^edit (?:the )?video$|"
                  r"^make it (?:longer|shorter)$"):
        return None
    if has(t, r"^make it (?:longer|shorter)$") and ctx.main:
        return None
    return Plan.ask("vague", ctx.say(
        "Happy to help. What should change: the music, the length, the shape (vertical, "
        "square), the transitions, or a title?",
        "好的。具体想改哪里：音乐、时长、画面比例（竖屏、方形）、转场，还是标题？"))
