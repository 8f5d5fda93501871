"""The "h5p" export: an .h5p package (a zip) that H5P hosts (Moodle, WordPress, Drupal,
Lumi) open with their installed content-type libraries.

One video becomes ``H5P.InteractiveVideo``: buttons and hotspots are ``H5P.IVHotspot``
interactions with a ``goto`` (timecode or URL), choices are ``H5P.GoToQuestion`` interactions
that pause the video, chapters are ``bookmarks`` and end screens ``endscreens``. When branches
are separate clips the package is an ``H5P.BranchingScenario``: the main interactive video, then
a ``H5P.BranchingQuestion`` whose alternatives lead to one interactive video per clip.

Units follow H5P's player: times in seconds; ``x``/``y`` in percent of the video; ``width`` and
``height`` in em, where the video is 40 em wide (H5P scales a 16 px font with a 640 px width).
The package carries content only (``h5p.json`` + ``content/``); the libraries come from the host.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reelwright.draft import interactive
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.render.interactive import manifest
from reelwright.render.interactive.videos import (
    RenderOptions,
    atomic_zip,
    check,
    package_result,
    render_videos,
)
from reelwright.render.types import RenderResult

LIBRARIES: dict[str, tuple[int, int]] = {
    "H5P.InteractiveVideo": (1, 27), "H5P.Video": (1, 6), "H5P.IVHotspot": (1, 3),
    "H5P.GoToQuestion": (1, 3), "H5P.Nil": (1, 0), "H5P.JoubelUI": (1, 3),
    "H5P.BranchingScenario": (1, 8), "H5P.BranchingQuestion": (1, 0),
}
VIDEO_EM = 40.0
"""H5P.InteractiveVideo lays interactions out in em: the video is 40 em wide."""


def lib(name: str) -> str:
    """``"H5P.IVHotspot 1.3"``: how content.json names a library."""
    major, minor = LIBRARIES[name]
    return f"{name} {major}.{minor}"


def _sec(ms: int | float) -> float:
    return round(ms / 1000, 3)


def _end_time(draft: Draft) -> float:
    ends = [seg.st for seg in interactive.items(draft) if seg.m.get("kind") == "end"]
    return _sec(min(ends) if ends else max(0, draft.d - 1000))


def _goto(action: Mapping[str, Any], draft: Draft) -> dict[str, Any] | None:
    """An action as IV's ``goto`` (timecode or URL); None when H5P has no equivalent."""
    do = action.get("do")
    if do == "jump":
        return {"type": "timecode", "time": _sec(int(action["t"])), "visualize": True}
    if do == "branch":
        branch = interactive.branches(draft).get(str(action.get("b")), {})
        if "st" in branch:
            return {"type": "timecode", "time": _sec(int(branch["st"])), "visualize": True}
        return None
    if do == "end":
        return {"type": "timecode", "time": _end_time(draft), "visualize": True}
    if do == "url":
        url = str(action["url"])
        protocol, rest = url.split("://", 1)
        return {"type": "url", "url": {"protocol": f"{protocol.lower()}://", "url": rest},
                "visualize": True}
    return None


def _geometry(box: list[float], w: int, h: int) -> dict[str, float]:
    x, y, bw, bh = box
    return {"x": round(x * 100, 3), "y": round(y * 100, 3),
            "width": round(bw * VIDEO_EM, 3), "height": round(bh * VIDEO_EM * h / w, 3)}


def _hotspot(item: Mapping[str, Any], draft: Draft, index: int) -> dict[str, Any]:
    goto = _goto(item["action"], draft)
    label = str(item["label"])
    out: dict[str, Any] = {
        **_geometry(item["box"], draft.w, draft.h),
        "duration": {"from": _sec(item["st"]), "to": _sec(item["end"])},
        "pause": False, "displayType": "poster", "buttonOnMobile": False,
        "label": f"<p>{_html(label)}</p>", "libraryTitle": "Navigation Hotspot",
        "visuals": {"backgroundColor": "rgba(255, 212, 0, 0.25)" if item["kind"] == "hotspot"
                    else "rgb(255, 212, 0)", "boxShadow": True},
    }
    if goto is None:  # pause / play have no H5P counterpart: a plain label
        out["action"] = {"library": lib("H5P.Nil"), "params": {},
                         "subContentId": _sub(index), "metadata": {"title": label}}
        out["libraryTitle"] = "Label"
        return out
    out["goto"] = goto
    out["action"] = {
        "library": lib("H5P.IVHotspot"), "subContentId": _sub(index),
        "metadata": {"contentType": "Navigation Hotspot", "license": "U", "title": label},
        "params": {"destination": {k: v for k, v in goto.items() if k != "visualize"},
                   "visuals": {"shape": "rectangular",
                               "backgroundColor": out["visuals"]["backgroundColor"]},
                   "texts": {"label": label, "alternativeText": label, "showLabel": True}},
    }
    return out


def _choice(item: Mapping[str, Any], draft: Draft, index: int) -> dict[str, Any]:
    choices = []
    for c in item["choices"]:
        if c.get("do") == "play":
            go = _sec(item["end"])
        else:
            goto = _goto(c, draft)
            go = goto["time"] if goto is not None and goto["type"] == "timecode" else \
                _sec(item["end"])
        choices.append({"text": str(c["label"]), "goTo": go, "ifChosenText": ""})
    return {
        "x": 10.0, "y": 10.0, "width": round(0.8 * VIDEO_EM, 3),
        "height": round(0.8 * VIDEO_EM * draft.h / draft.w, 3),
        "duration": {"from": _sec(item["st"]), "to": _sec(item["end"])},
        "pause": True, "displayType": "poster", "buttonOnMobile": False,
        "label": "", "libraryTitle": "Crossroads",
        "action": {"library": lib("H5P.GoToQuestion"), "subContentId": _sub(index),
                   "metadata": {"contentType": "Crossroads", "license": "U",
                                "title": str(item["q"])},
                   "params": {"text": str(item["q"]), "choices": choices,
                              "continueButtonLabel": "Continue"}},
    }


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sub(index: int) -> str:
    """A stable subContentId (H5P expects a UUID-shaped string)."""
    return f"00000000-0000-4000-8000-{index:012d}"


def interactive_video_params(draft: Draft, video_path: str, *, title: str, lang: str,
                             with_items: bool = True) -> dict[str, Any]:
    """``H5P.InteractiveVideo`` parameters for ``draft`` playing ``video_path``."""
    data = manifest.build(draft)
    interactions = []
    if with_items:
        for i, item in enumerate(data["items"], start=1):
            if item["kind"] in ("button", "hotspot"):
                interactions.append(_hotspot(item, draft, i))
            elif item["kind"] == "choice":
                interactions.append(_choice(item, draft, i))
    return {
        "interactiveVideo": {
            "video": {
                "startScreenOptions": {"title": title[:60], "hideStartTitle": False},
                "textTracks": {"videoTrack": []},
                "files": [{"path": video_path, "mime": "video/mp4",
                           "copyright": {"license": "U"}}],
            },
            "assets": {
                "interactions": interactions,
                "bookmarks": [{"time": _sec(ch["st"]), "label": ch["label"]}
                              for ch in data["chapters"]] if with_items else [],
                "endscreens": [{"time": _sec(it["st"]), "label": it["label"]}
                               for it in data["items"] if it["kind"] == "end"]
                if with_items else [],
            },
            "summary": {"displayAt": 3},
        },
        "override": {"autoplay": False, "loop": False, "showBookmarksmenuOnLoad": False,
                     "showRewind10": False, "preventSkipping": False,
                     "deactivateSound": False},
        "l10n": {"interaction": "Interaction", "play": "Play", "pause": "Pause",
                 "bookmarks": "Bookmarks", "endscreen": "End screen",
                 "continueWithVideo": "Continue with video"},
    }


def _branching(draft: Draft, clip_paths: Mapping[str, str], *, title: str,
               lang: str) -> dict[str, Any]:
    """``H5P.BranchingScenario`` parameters: main video, the question, one node per clip."""
    names = interactive.branches(draft)
    clip_names = list(clip_paths)
    node_of = {name: 2 + i for i, name in enumerate(clip_names)}
    question = next(
        (seg for seg in interactive.items(draft) if seg.m.get("kind") == "choice"
         and any(c.get("do") == "branch" and c.get("b") in node_of for c in seg.m["choices"])),
        None)

    def next_of(action: Mapping[str, Any]) -> int:
        if action.get("do") == "branch" and action.get("b") in node_of:
            return node_of[str(action["b"])]
        if action.get("do") == "jump":
            return 0
        return -1  # the end screen

    def video_node(params: dict[str, Any], nxt: int, label: str) -> dict[str, Any]:
        return {"type": {"library": lib("H5P.InteractiveVideo"), "params": params,
                         "subContentId": _sub(900 + len(nodes)),
                         "metadata": {"title": label, "license": "U"}},
                "showContentTitle": False, "proceedButtonText": "Proceed",
                "nextContentId": nxt, "forceContentFinished": "useBehavioural",
                "contentBehaviour": "useBehavioural"}

    nodes: list[dict[str, Any]] = []
    nodes.append(video_node(interactive_video_params(draft, "videos/video.mp4", title=title,
                                                     lang=lang), 1 if question else -1, title))
    alternatives = []
    if question is not None:
        for c in question.m["choices"]:
            alternatives.append({"text": str(c["label"]), "nextContentId": next_of(c),
                                 "feedback": {"title": "", "subtitle": ""}})
    nodes.append({"type": {"library": lib("H5P.BranchingQuestion"), "subContentId": _sub(899),
                           "metadata": {"title": str(question.m["q"]) if question else "",
                                        "license": "U"},
                           "params": {"branchingQuestion": {
                               "question": f"<p>{_html(str(question.m['q']))}</p>"
                               if question else "", "alternatives": alternatives}}},
                  "showContentTitle": False})
    for name in clip_names:
        then = names[name].get("then") or {"do": "end"}
        nodes.append(video_node(interactive_video_params(
            draft, clip_paths[name], title=name, lang=lang, with_items=False),
            next_of(then), name))
    end_label = next((str(seg.m["label"]) for seg in interactive.items(draft)
                      if seg.m.get("kind") == "end"), "The end")
    return {"branchingScenario": {
        "title": title, "content": nodes,
        "startScreen": {"startScreenTitle": f"<p>{_html(title)}</p>",
                        "startScreenSubtitle": ""},
        "endScreens": [{"endScreenTitle": f"<p>{_html(end_label)}</p>",
                        "endScreenSubtitle": "", "contentId": -1}],
        "behaviour": {"enableBackwardsNavigation": True, "forceContentFinished": False},
        "scoringOptionGroup": {"scoringOption": "no-score", "includeInteractionsScores": False},
    }}


def _dependencies(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every library named anywhere in ``content`` (plus what they preload), for h5p.json."""
    text = json.dumps(content)
    used = {name for name in LIBRARIES if f'"{lib(name)}"' in text}
    if "H5P.InteractiveVideo" in used:
        used |= {"H5P.Video"}
    if "H5P.GoToQuestion" in used:
        used |= {"H5P.JoubelUI"}
    return [{"machineName": name, "majorVersion": LIBRARIES[name][0],
             "minorVersion": LIBRARIES[name][1]} for name in sorted(used)]


def package_json(draft: Draft, *, branch_videos: Mapping[str, str], lang: str,
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(h5p.json, content/content.json)`` for ``draft``; pure."""
    title = manifest.title_of(draft)
    if branch_videos:
        main = "H5P.BranchingScenario"
        content = _branching(draft, branch_videos, title=title, lang=lang)
    else:
        main = "H5P.InteractiveVideo"
        content = interactive_video_params(draft, "videos/video.mp4", title=title, lang=lang)
    deps = _dependencies(content)
    if not any(d["machineName"] == main for d in deps):
        deps.insert(0, {"machineName": main, "majorVersion": LIBRARIES[main][0],
                        "minorVersion": LIBRARIES[main][1]})
    h5p_json = {"title": title, "language": lang, "mainLibrary": main,
                "embedTypes": ["iframe"], "license": "U", "defaultLanguage": lang,
                "preloadedDependencies": deps}
    return h5p_json, content


def build_h5p(draft: Draft, media: Mapping[str, MediaInfo], path: str | Path, *,
              options: RenderOptions | None = None, lang: str = "en") -> RenderResult:
    """Render the videos and write the .h5p package to ``path`` (whole or not at all)."""
    options = options or RenderOptions()
    check(draft, media)
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rw-h5p-") as tmp:
        videos = render_videos(draft, media, Path(tmp), options, vtt=False)
        names = {name: f"videos/{p.name}" for name, p in videos.branches.items()}
        h5p_json, content = package_json(draft, branch_videos=names, lang=lang)
        with atomic_zip(final, zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("h5p.json", json.dumps(h5p_json, ensure_ascii=False, indent=1))
            zf.writestr("content/content.json", json.dumps(content, ensure_ascii=False))
            zf.write(videos.main, "content/videos/video.mp4", compress_type=zipfile.ZIP_STORED)
            for name, file in videos.branches.items():
                zf.write(file, f"content/{names[name]}", compress_type=zipfile.ZIP_STORED)
    return package_result(draft, final, "h5p", options)
