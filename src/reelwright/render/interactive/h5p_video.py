"""``H5P.InteractiveVideo 1.28`` parameters for a draft, or for one part of its main video.

Buttons and hotspots are ``H5P.IVHotspot`` interactions (``destination``: timecode or URL, hand
cursor); choices and the end screen are ``H5P.GoToQuestion`` interactions that pause the video;
chapters are ``bookmarks``. Pure: no I/O.

Units are H5P's: times in seconds; ``x``/``y`` in percent of the video; ``width`` and ``height``
in em, where the video is 40 em wide (H5P scales a 16 px font with a 640 px width).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reelwright.draft import interactive
from reelwright.draft.model import Draft
from reelwright.render.interactive import manifest

LIBRARIES: dict[str, tuple[int, int]] = {
    "H5P.InteractiveVideo": (1, 28), "H5P.IVHotspot": (1, 2), "H5P.GoToQuestion": (1, 3),
    "H5P.Nil": (1, 0), "H5P.BranchingScenario": (1, 10), "H5P.BranchingQuestion": (1, 0),
    "H5P.Video": (1, 6),
}
"""What content.json names, at the versions InteractiveVideo 1.28 / BranchingScenario 1.10 take."""
VIDEO_EM = 40.0
"""H5P.InteractiveVideo lays interactions out in em: the video is 40 em wide."""
SHOWN_FOR = 1.0
"""InteractiveVideo shows an interaction from ``from`` until ``to + 1`` s; a pausing one pauses
the video wherever playback or a seek lands inside that window."""
PAST = 0.05
"""How far past a question's window a jump lands, so the seek does not land inside it."""
WORDS = {"en": {"again": "Watch again", "end": "The end", "start": "Start",
                "replay": "Replay the video", "proceed": "Continue", "back": "Back",
                "interaction": "Interaction", "play": "Play", "pause": "Pause",
                "bookmarks": "Chapters", "continueWithVideo": "Continue with video"},
         "zh": {"again": "重新观看", "end": "结束", "start": "开始", "replay": "重播视频",
                "proceed": "继续", "back": "返回", "interaction": "互动", "play": "播放",
                "pause": "暂停", "bookmarks": "章节", "continueWithVideo": "继续观看"}}
"""The player's own words that the export sets, in the draft's language."""


def lib(name: str) -> str:
    """``"H5P.IVHotspot 1.2"``: how content.json names a library."""
    major, minor = LIBRARIES[name]
    return f"{name} {major}.{minor}"


def sec(ms: int | float) -> float:
    return round(ms / 1000, 3)


def escape(text: str) -> str:
    """Text as H5P stores it: hosts HTML-escape every text field when they save."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def sub_id(index: int) -> str:
    """A stable subContentId (H5P expects a UUID-shaped string)."""
    return f"00000000-0000-4000-8000-{index:012d}"


def _rgb(color: Any, default: str) -> str:
    """``#RRGGBB`` as the ``rgb(r, g, b)`` H5P's colour fields hold."""
    if isinstance(color, str) and len(color) == 7 and color.startswith("#"):
        try:
            r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
        except ValueError:
            return default
        return f"rgb({r}, {g}, {b})"
    return default


def words(lang: str) -> dict[str, str]:
    return WORDS["zh" if lang == "zh" else "en"]


@dataclass
class Part:
    """A stretch ``[lo, hi)`` ms of the main video played by one interactive video (the whole
    video when there is no branching scenario). Times inside are seconds from ``lo``."""

    lo: int
    hi: int
    items: list[dict[str, Any]] = field(default_factory=list)
    chapters: list[dict[str, Any]] = field(default_factory=list)
    windows: list[tuple[float, float]] = field(default_factory=list)
    end_at: float | None = None  # the end screen's time, when this part shows it

    @property
    def length(self) -> float:
        return sec(self.hi - self.lo)

    def land(self, t_ms: int) -> float:
        """Where a jump to ``t_ms`` lands: past any question window it would land inside, or
        onto a question starting in what that skips (a jump exactly onto a question's time
        shows it); the end of the part when ``t_ms`` is outside it."""
        if not self.lo <= t_ms < self.hi:
            return self.length
        t = sec(t_ms - self.lo)
        for start, end in sorted(self.windows):
            if start < t < end:
                later = [s for s, _ in self.windows if t < s <= end]
                t = min(later) if later else round(end + PAST, 3)  # or onto the next question
        return min(t, self.length)

    def past(self, item: Mapping[str, Any]) -> float:
        """Just past ``item``'s window: where "continue" resumes."""
        return min(round(sec(item["st"] - self.lo) + SHOWN_FOR + PAST, 3), self.length)


def _target(action: Mapping[str, Any], draft: Draft, part: Part) -> dict[str, Any] | None:
    """An action as IVHotspot's ``destination``; None when H5P has no equivalent."""
    do = action.get("do")
    if do == "url":
        protocol, rest = str(action["url"]).split("://", 1)
        return {"type": "url", "url": {"protocol": f"{protocol.lower()}://", "url": rest}}
    if do == "jump":
        return {"type": "timecode", "time": part.land(int(action["t"]))}
    if do == "branch":
        branch = interactive.branches(draft).get(str(action.get("b")), {})
        time = part.land(int(branch["st"])) if "st" in branch else part.length
        return {"type": "timecode", "time": time}
    if do == "end":
        return {"type": "timecode",
                "time": part.end_at if part.end_at is not None else part.length}
    return None


def _geometry(box: list[float], w: int, h: int) -> dict[str, float]:
    x, y, bw, bh = box
    return {"x": round(x * 100, 3), "y": round(y * 100, 3),
            "width": round(bw * VIDEO_EM, 3), "height": round(bh * VIDEO_EM * h / w, 3)}


def _duration(item: Mapping[str, Any], part: Part, *, pause: bool) -> dict[str, float]:
    start = sec(max(item["st"], part.lo) - part.lo)
    if pause:  # shown from its time for the shortest window H5P has (SHOWN_FOR)
        return {"from": start, "to": start}
    end = sec(min(item["end"], part.hi) - part.lo)
    return {"from": start, "to": round(max(start, end - SHOWN_FOR), 3)}


def _hotspot(item: Mapping[str, Any], draft: Draft, part: Part, index: int) -> dict[str, Any]:
    """A button or hotspot: an IVHotspot with a hand cursor and its label (a plain label,
    H5P.Nil, for pause/play, which H5P has no action for)."""
    label = str(item["label"])
    button = item["kind"] == "button"
    style = item.get("style") or {}
    bg = _rgb(style.get("bg"), "rgb(255, 212, 0)") if button else "rgba(255, 212, 0, 0.25)"
    out: dict[str, Any] = {
        **_geometry(item["box"], draft.w, draft.h),
        "duration": _duration(item, part, pause=False),
        "pause": False, "displayType": "poster", "buttonOnMobile": False,
        "libraryTitle": "Navigation Hotspot",
        "visuals": {"backgroundColor": "rgba(0, 0, 0, 0)", "boxShadow": False},
    }
    destination = _target(item["action"], draft, part)
    if destination is None:
        out.update(label=escape(label), libraryTitle="Label", visuals={
            "backgroundColor": bg, "boxShadow": True})
        out["action"] = {"library": lib("H5P.Nil"), "params": {}, "subContentId": sub_id(index),
                         "metadata": {"contentType": "Label", "license": "U",
                                      "title": escape(label)}}
        return out
    out["action"] = {
        "library": lib("H5P.IVHotspot"), "subContentId": sub_id(index),
        "metadata": {"contentType": "Navigation Hotspot", "license": "U", "title": escape(label)},
        "params": {
            "destination": destination,
            "visuals": {"shape": "rounded-rectangle" if button else "rectangular",
                        "backgroundColor": bg, "pointerCursor": True, "animation": False},
            "texts": {"alternativeText": escape(label), "label": escape(label), "showLabel": True,
                      "labelColor": _rgb(style.get("color"), "rgb(17, 17, 17)")}},
    }
    return out


def _question(item: Mapping[str, Any], draft: Draft, part: Part, index: int, text: str,
              choices: list[tuple[str, float]], lang: str) -> dict[str, Any]:
    """A GoToQuestion that pauses the video at the item's time until a choice is made."""
    return {
        "x": 10.0, "y": 10.0, "width": round(0.8 * VIDEO_EM, 3),
        "height": round(0.8 * VIDEO_EM * draft.h / draft.w, 3),
        "duration": _duration(item, part, pause=True),
        "pause": True, "displayType": "poster", "buttonOnMobile": False,
        "libraryTitle": "Crossroads",
        "visuals": {"backgroundColor": "rgb(255, 255, 255)", "boxShadow": True},
        "action": {"library": lib("H5P.GoToQuestion"), "subContentId": sub_id(index),
                   "metadata": {"contentType": "Crossroads", "license": "U",
                                "title": escape(text)},
                   "params": {"text": escape(text), "continueButtonLabel": words(lang)["proceed"],
                              "choices": [{"text": escape(label), "goTo": go}
                                          for label, go in choices]}},
    }


def _choice(item: Mapping[str, Any], draft: Draft, part: Part, index: int,
            lang: str) -> dict[str, Any]:
    choices = []
    for c in item["choices"]:
        if c.get("do") == "play":
            go = part.past(item)
        else:
            target = _target(c, draft, part)
            go = float(target["time"]) if target and "time" in target else part.past(item)
        choices.append((str(c["label"]), go))
    return _question(item, draft, part, index, str(item["q"]), choices, lang)


def _end_screen(item: Mapping[str, Any], draft: Draft, part: Part, index: int,
                lang: str) -> dict[str, Any]:
    """The end screen: its title (and line), Watch again and the chapters, as the web player."""
    say = words(lang)
    text = str(item["label"]) + (f" \u2014 {item['text']}" if item.get("text") else "")
    choices = [(say["again"], part.land(part.lo))]
    choices += [(str(ch["label"]), part.land(int(ch["st"]))) for ch in part.chapters]
    if len(choices) < 2:  # GoToQuestion needs two
        choices.append((say["end"], part.length))
    return _question(item, draft, part, index, text, choices, lang)


def _hide_questions_first(interactions: list[dict[str, Any]]) -> None:
    """After a jump back (Watch again), InteractiveVideo hides what is on screen in order of
    ``to`` and stops at the first one still visible at the new time; a button ending just
    before a question would keep the question on screen. Such buttons end just after it."""
    asks = [it["duration"]["from"] for it in interactions if it["pause"]]
    for it in interactions:
        if it["pause"]:
            continue
        span = it["duration"]
        for q in asks:
            if span["from"] <= q and q - SHOWN_FOR < span["to"] <= q:
                span["to"] = round(q + 0.001, 3)


def interactive_video_params(draft: Draft, part: Part, video_path: str, *, title: str,
                             lang: str, start_at: float = 0.0, autoplay: bool = False
                             ) -> dict[str, Any]:
    """``H5P.InteractiveVideo`` parameters for ``part`` of ``draft`` playing ``video_path``."""
    interactions = []
    for i, item in enumerate(part.items, start=1):
        index = int(item.get("_index", i))
        if item["kind"] in ("button", "hotspot"):
            interactions.append(_hotspot(item, draft, part, index))
        elif item["kind"] == "choice":
            interactions.append(_choice(item, draft, part, index, lang))
        elif item["kind"] == "end":
            interactions.append(_end_screen(item, draft, part, index, lang))
    _hide_questions_first(interactions)
    override: dict[str, Any] = {
        "autoplay": autoplay, "loop": False, "hasNoAutoPause": False, "retryButton": "off",
        "showBookmarksmenuOnLoad": False, "showRewind10": False, "preventSkippingMode": "none",
        "deactivateSound": False}
    if start_at > 0:
        override["startVideoAt"] = start_at
    return {
        "interactiveVideo": {
            "video": {
                "startScreenOptions": {"title": escape(title)[:60], "hideStartTitle": False},
                "textTracks": {"videoTrack": []},
                "files": [{"path": video_path, "mime": "video/mp4",
                           "copyright": {"license": "U"}}],
            },
            "assets": {
                "interactions": interactions,
                "bookmarks": [{"time": sec(ch["st"] - part.lo), "label": escape(ch["label"])}
                              for ch in part.chapters],
                "endscreens": [],
            },
            "summary": {"displayAt": 3},
        },
        "override": override,
        "l10n": {key: words(lang)[key] for key in
                 ("interaction", "play", "pause", "bookmarks", "continueWithVideo")},
    }


def single_part(draft: Draft) -> Part:
    """The whole video as one part, with every item (no branching scenario)."""
    data = manifest.build(draft)
    part = Part(0, draft.d, chapters=data["chapters"])
    for i, item in enumerate(data["items"], start=1):
        part.items.append({**item, "_index": i})
        if item["kind"] in ("choice", "end"):
            st = sec(item["st"])
            part.windows.append((st, st + SHOWN_FOR))
    ends = [it for it in part.items if it["kind"] == "end"]
    if ends:
        part.end_at = sec(ends[0]["st"])
    return part
