"""Rules for text to video: making an explainer from a script, and editing one.

- ``make``: "turn this text into a short explainer video: <script>" (EN / ZH). The script is the
  text after the first colon or line break, or a long quoted passage, else the latest uploaded
  .txt. Options come from the words before it ("a 30-second video", "vertical", "in 480p",
  "female voice", "highlight the words", "no music", "calm music").
- ``edit``: on an explainer draft, voice / speed / length / caption look / music mood / shape
  changes re-run the recipe with the remembered options (``remake_explainer``); "change scene
  2's picture" swaps that scene's picture for the next unused upload or a named one.
- ``caption_style``: colour, size, boldness or position of existing captions: one ``set_text``
  per caption segment (any draft with captions, explainer or not).
"""

from __future__ import annotations

import re
from typing import Any

from reelwright.agent import lexicon, numbers
from reelwright.agent.explainer_tools import MOODS, explainer_meta
from reelwright.agent.plan import Call, Ctx, Plan
from reelwright.agent.rules_common import REMOVE_WORDS, has
from reelwright.agent.rules_text import _style_args
from reelwright.draft.model import TrackType

MAKE = (r"\bexplainer\b|text[- ]to[- ]video|"
        r"\b(?:turn|convert|transform|make|change)\b.{0,30}?\b(?:text|script|article|blog post|"
        r"post|notes|description|paragraph|words)\b.{0,40}?\b(?:into|to)\b.{0,20}?\bvideo|"
        r"\b(?:text|script|article|blog post|notes|description|paragraph)\b.{0,30}?\binto\b"
        r".{0,30}?\bvideo|"
        r"\bvideo\b.{0,40}?\b(?:from|out of|about)\b.{0,30}?\b(?:this |my |the )?"
        r"(?:text|script|article|notes|description)\b|"
        r"\bnarrated video|video with (?:an? )?(?:ai )?(?:voice-?over|narration)|"
        r"讲解视频|解说视频|口播视频|"
        r"(?:文字|文案|脚本|稿子|文章|这段话|描述).{0,12}?(?:做成|转成|变成|生成|制作|做)"
        r".{0,10}?(?:视频|短片|影片)|"
        r"(?:用|根据|把).{0,10}?(?:文字|文案|脚本|文章).{0,12}?视频")
VOICE = r"voice|narrat|speaker|reader|配音|声音|女声|男声|旁白|朗读"
FEMALE = r"\bfemale\b|\bwoman\b|\bwomen'?s\b|\bgirl\b|\blady\b|女声|女生|女性|女的"
MALE = r"\bmale\b|\bman\b|\bmen'?s\b|\bguy\b|男声|男生|男性|男的"
NO_VOICE = (r"no voice|without (?:a |the )?(?:voice|narration)|silent|mute the voice|"
            r"(?:remove|drop|turn off) the (?:voice|narration)|无配音|不要配音|去掉配音|"
            r"取消配音|不要旁白|静音配音")
HIGHLIGHT = r"highlight|karaoke|word by word|高亮|逐字|跟读"
NO_CAPTIONS = (r"no (?:captions|subtitles)|without (?:captions|subtitles)|"
               r"(?:remove|delete|drop|turn off) (?:the )?(?:captions|subtitles)|"
               r"不要字幕|去掉字幕|删除字幕|删掉字幕|关掉字幕|取消字幕")
CAPTIONS = r"\bcaptions?\b|\bsubtitles?\b|字幕"
KEEP_ALL = r"keep (?:everything|it all|all)|full version|whole script|保留全部|全部保留|完整版"
MUSIC = r"music|song|soundtrack|配乐|音乐|背景乐"
NO_MUSIC = (r"no (?:background )?music|without (?:any )?music|skip (?:the )?music|"
            r"不要(?:背景)?音乐|无音乐|不要配乐|去掉(?:背景)?音乐|去掉配乐|不(?:加|用)(?:背景)?(?:音乐|配乐)")
READING = r"\bread(?:s|ing)?\b|\bspeak|\btalk|\bnarrat|语速|读|说得?|念"
SCENE = r"\bscenes?\b|场景|第.{1,3}(?:个)?(?:画面|镜头|场)"
PICTURE = r"picture|photo|image|visual|\bpic\b|background|图片|照片|图|画面"
CHANGE = r"change|swap|replace|different|another|other|\buse\b|switch|换|替换|改|用"
SPEED_SLOW = r"slower|slow down|more slowly|慢一点|慢一些|放慢|慢点"
SPEED_FAST = r"faster|speed (?:it )?up|more quickly|quicker|快一点|快一些|加快|快点"
LENGTH_WORDS = (r"\bit\b|video|whole|total|overall|long|length|视频|整体|总|做成|改成|缩短|"
                r"控制在|时长|长度")


def _split_script(raw: str) -> tuple[str, str]:
    """(request words, pasted script): the script follows the first colon or line break, or
    is a long quoted passage; empty when the message carries none."""
    quoted = lexicon.find_quoted(raw)
    if quoted and len(quoted) >= 20:
        return raw.replace(quoted, " "), quoted
    match = re.search(r"[:：\n]", raw)
    if match is None:
        return raw, ""
    head, body = raw[:match.start()], raw[match.end():].strip().strip("\"'“”「」")
    words = len(body.split()) + len(re.findall(r"[\u4e00-\u9fff]", body))
    return (head, body) if words >= 4 else (raw, "")


def _voice_option(t: str) -> str | None:
    if has(t, NO_VOICE):
        return "none"
    if has(t, FEMALE):
        return "female"
    if has(t, MALE):
        return "male"
    return None


def _options(t: str) -> dict[str, Any]:
    """Recipe options named in the request words (normalised text)."""
    out: dict[str, Any] = {}
    if has(t, VOICE) or has(t, r"女声|男声"):
        voice = _voice_option(t)
        if voice:
            out["voice"] = voice
    if has(t, HIGHLIGHT):
        out["caption_style"] = "highlight"
    elif has(t, NO_CAPTIONS):
        out["caption_style"] = "none"
    ms = numbers.find_duration_ms(t)
    if ms is not None and has(t, r"second|\bsecs?\b|\d\s*s\b|minute|\bmins?\b|秒|分钟"):
        out["target_seconds"] = max(1, round(ms / 1000))
    aspect = lexicon.find_aspect(t)
    if aspect:
        out["aspect"] = aspect
    resolution = numbers.find_resolution(t)
    if resolution:
        out["resolution"] = resolution
    if has(t, NO_MUSIC):
        out["music"] = False
    else:
        mood = lexicon.find_mood(t) if has(t, MUSIC) else None
        if mood in MOODS:
            out["mood"] = mood
    return out


def make(ctx: Ctx, t: str, raw: str) -> Plan | None:
    """A new explainer from a pasted or uploaded script."""
    head, body = _split_script(raw)
    words = numbers.normalize(head).lower()
    if not has(words, MAKE):
        return None
    if body:
        source: dict[str, Any] = {"script": body}
    else:
        texts = [info for info in ctx.media.values() if info.kind == "text"]
        if not texts:
            return Plan.ask("explainer", ctx.say(
                "Paste your script after a colon (e.g. \"turn this text into an explainer "
                "video: ...\") or upload it as a .txt file, and I will make the video.",
                "请把文字贴在冒号后面（例如“把这段文字做成讲解视频：……”），或者上传 .txt 文件，"
                "我就开始制作。"))
        source = {"script_media": texts[-1].id}
    args = {**source, **_options(words)}
    return Plan.edit("explainer", Call("parse_script", dict(args)),
                     Call("make_explainer", dict(args)))


def _scene_number(t: str) -> int | None:
    found = re.search(r"scene\s*(\d+)|(\d+)(?:st|nd|rd|th)? scene|"
                      r"第\s*(\d+)\s*(?:个)?(?:场景|画面|镜头|场)", t)
    if found:
        return int(next(g for g in found.groups() if g))
    ordinals = numbers.find_ordinals(t)
    return ordinals[0] if ordinals else None


def _picture(ctx: Ctx, t: str, raw: str) -> Plan | None:
    if not (has(t, SCENE) and has(t, PICTURE) and has(t, CHANGE)):
        return None
    scene = _scene_number(t)
    if scene is None or scene < 1:
        return Plan.ask("explainer_picture", ctx.say(
            "Which scene's picture should change? Say e.g. \"change scene 2's picture\".",
            "要换哪个场景的图片？比如说“换第2个场景的图片”。"))
    lowered = raw.lower()
    named = [info for info in ctx.uploads("image", "video")
             if info.name and re.sub(r"\.[a-z0-9]{2,5}$", "", info.name.lower()) in lowered]
    choice = named[0] if named else next(iter(ctx.unused("image", "video")), None)
    if choice is None:
        return Plan.refuse("explainer_picture", ctx.say(
            "Every uploaded photo is already in the video. Upload another photo or clip, or name "
            "one by its file name.",
            "上传的照片都已经用上了。请再上传一张照片或一段视频，或者说出文件名。"))
    return Plan.edit("explainer_picture",
                     Call("replace_picture", {"scene": scene, "media": choice.id}))


def edit(ctx: Ctx, t: str, raw: str) -> Plan | None:
    """Changes to an explainer that re-run its recipe, and picture swaps."""
    meta = explainer_meta(ctx.draft)
    if meta is None:
        return None
    picture = _picture(ctx, t, raw)
    if picture is not None:
        return picture
    changes: dict[str, Any] = {}
    if has(t, KEEP_ALL):
        changes["keep_all"] = True
    pace_only = has(t, SPEED_SLOW + "|" + SPEED_FAST) and \
        not has(t, r"music|song|transition|caption|subtitle|音乐|转场|字幕")
    if has(t, VOICE) or has(t, NO_VOICE) or has(t, READING) or pace_only:  # its pace is its voice
        voice = _voice_option(t)
        if voice is not None:
            changes["voice"] = voice
        elif has(t, SPEED_SLOW + "|" + SPEED_FAST + r"|too (?:fast|slow)|太快|太慢"):
            slow = has(t, SPEED_SLOW + r"|too fast|太快") and not has(t, r"too slow|太慢")
            speed = float(meta.get("speed") or 1.0) * (0.85 if slow else 1.15)
            changes["speed"] = round(min(1.4, max(0.7, speed)), 2)
    if has(t, HIGHLIGHT):
        changes["caption_style"] = "highlight"
    elif has(t, NO_CAPTIONS) or (has(t, CAPTIONS) and has(t, REMOVE_WORDS)
                                 and not has(t, r"\bwords\b")):
        changes["caption_style"] = "none"
    elif has(t, CAPTIONS) and has(t, r"\badd\b|bring back|turn on|加上|加字幕|恢复") and \
            meta.get("captions") == "none":
        changes["caption_style"] = "classic"
    options = _options(t)
    if "target_seconds" in options and has(t, LENGTH_WORDS) and not has(t, SCENE):
        changes["target_seconds"] = options["target_seconds"]
    for key in ("aspect", "resolution"):
        if key in options:
            changes[key] = options[key]
    if has(t, MUSIC):
        if has(t, NO_MUSIC) or has(t, REMOVE_WORDS):
            changes["music"] = False
        elif "mood" in options:
            changes["mood"] = options["mood"]
            changes["music"] = True
    if not changes:
        return None
    return Plan.edit("explainer_edit", Call("remake_explainer", changes))


def caption_style(ctx: Ctx, t: str, raw: str) -> Plan | None:
    """Colour, size, boldness or position of the captions already in the video."""
    if not has(t, CAPTIONS) or lexicon.find_quoted(raw) is not None:
        return None
    if has(t, REMOVE_WORDS) or has(t, r"\badd\b|加上|添加"):
        return None
    found = ctx.segments_with_role(TrackType.TEXT, "caption")
    if not found:
        return None
    current = found[0][1].m.get("style")
    style = _style_args(t, current if isinstance(current, dict) else {"size": 48})
    change: dict[str, Any] = {}
    if style:
        change["style"] = style
    pos = lexicon.find_position(t)
    if pos:
        change["pos"] = pos
    if not change:
        return None
    plan = Plan.edit("caption_style", *(
        Call("set_text", {"target": {"track": "caption", "index": i}, **change})
        for i in range(1, len(found) + 1)))
    en = [f"colour {style['color']}" if "color" in style else "",
          f"size {style['size']}" if "size" in style else "",
          "bold" if style.get("bold") else "", f"position {pos}" if pos else ""]
    zh = [f"颜色 {style['color']}" if "color" in style else "",
          f"大小 {style['size']}" if "size" in style else "",
          "加粗" if style.get("bold") else "", f"位置 {pos}" if pos else ""]
    count = len(found)
    plan.reply = ctx.say(
        f"Done: {'all ' if count > 1 else ''}{count} caption{'s' if count != 1 else ''} now "
        f"use {', '.join(w for w in en if w)}.",
        f"好的，已修改全部 {count} 条字幕：{'、'.join(w for w in zh if w)}。")
    return plan
