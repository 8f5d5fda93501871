"""``H5P.BranchingScenario 1.10`` parameters for a draft with branches to separate clips. Pure.

InteractiveVideo cannot switch to another video, so the main video is cut into parts
(``cut_points``): at every choice that leads to a clip, at every main-video time such a choice's
answers or a clip's ``then`` lead to, and at the first end screen. The choice is a
``H5P.BranchingQuestion`` node between the part before it and the part after it, so it comes at
its time; every answer and every clip's ``then`` leads to a node (a part, a clip, or -1: the
scenario's end screen, which is the draft's end screen).

A part without buttons, hotspots or other choices, and every clip, is a ``H5P.Video`` node that
plays by itself and, when it ends, goes straight on to the question (or offers Replay /
Continue). A part with items is an interactive video node; after it the viewer presses the
scenario's Continue. Inside a part, buttons and hotspots jump within that part; a jump beyond
it (or to the end) plays to the end of the part. Chapters are bookmarks of the part they fall
in (a plain-video part has no chapter menu).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from reelwright.draft import interactive
from reelwright.draft.model import Draft, Segment
from reelwright.render.interactive import manifest
from reelwright.render.interactive.h5p_video import (
    SHOWN_FOR,
    Part,
    escape,
    interactive_video_params,
    lib,
    sec,
    sub_id,
    words,
)

EMPTY_FEEDBACK: dict[str, Any] = {"title": "", "subtitle": ""}
"""A node's ``feedback`` group: BranchingScenario reads it on every "Proceed"."""


def clip_choices(draft: Draft) -> list[Segment]:
    """The choices with an answer that plays a separate clip, in time order."""
    clips = {name for name, b in interactive.branches(draft).items() if "src" in b}
    return [seg for seg in interactive.items(draft) if seg.m.get("kind") == "choice"
            and any(c.get("do") == "branch" and c.get("b") in clips for c in seg.m["choices"])]


def _end_st(draft: Draft) -> int | None:
    ends = [seg.st for seg in interactive.items(draft) if seg.m.get("kind") == "end"]
    return min(ends) if ends else None


def _targets(draft: Draft) -> set[int]:
    """Main-video times the scenario must be able to start from: where clip choices' answers
    and clip branches' ``then`` jump to (H5P.Video cannot start mid-file, so parts start there)."""
    branches = interactive.branches(draft)
    actions = [c for seg in clip_choices(draft) for c in seg.m["choices"]]
    actions += [b.get("then") or {} for b in branches.values() if "src" in b]
    out = set()
    for action in actions:
        if action.get("do") == "jump":
            out.add(int(action["t"]))
        elif action.get("do") == "branch" and "st" in branches.get(str(action.get("b")), {}):
            out.add(int(branches[str(action["b"])]["st"]))
    return out


def cut_points(draft: Draft) -> list[tuple[int, int]]:
    """The ``(start, end)`` ms parts of the main video the scenario plays: cut at each clip
    choice, at each time an answer or a clip's ``then`` jumps to, and at the first end screen
    (nothing after the end screen is played)."""
    end = _end_st(draft)
    edges = sorted({0, draft.d, *(seg.st for seg in clip_choices(draft)), *_targets(draft),
                    *([end] if end is not None else [])})
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False)
            if 0 <= a < b <= draft.d and (end is None or a < end)]


class _Scenario:
    """Builds the node list; node 0 is where the scenario starts."""

    def __init__(self, draft: Draft, clip_paths: Mapping[str, str], part_paths: list[str],
                 title: str, lang: str) -> None:
        self.draft, self.clip_paths, self.part_paths = draft, clip_paths, part_paths
        self.title, self.lang = title, lang
        self.data = manifest.build(draft)
        self.branches = interactive.branches(draft)
        self.parts = cut_points(draft)
        self.end_st = _end_st(draft)
        self.questions: dict[int, Segment] = {}
        for seg in clip_choices(draft):
            self.questions.setdefault(seg.st, seg)
        self.nodes: list[dict[str, Any]] = []
        self.ids: dict[tuple[Any, ...], int] = {}

    def _node(self, key: tuple[Any, ...], build: Callable[[], dict[str, Any]]) -> int:
        if key not in self.ids:
            self.ids[key] = len(self.nodes)
            self.nodes.append({})
            self.nodes[self.ids[key]] = build()
        return self.ids[key]

    def start(self) -> int:
        return self.main(0)

    def main(self, t: int, *, ask: bool = True) -> int:
        """The node playing the main video from ``t`` ms (a part start; -1: the end screen).
        Landing exactly on a clip choice's time asks it (as a jump onto a choice does in the
        web player) unless ``ask`` is False (going on after it)."""
        if ask and t in self.questions:
            return self.question(self.questions[t])
        if self.end_st is not None and t >= self.end_st:
            return -1
        for i, (lo, hi) in enumerate(self.parts):
            if lo <= t < hi:
                return self._node(("part", i), partial(self._part, i))
        return -1

    def _after(self, i: int) -> int:
        """What follows part ``i``: the question at its end, the next part, or the end."""
        return self.main(self.parts[i][1])

    def _part(self, i: int) -> dict[str, Any]:
        lo, hi = self.parts[i]
        asked = {seg.id for seg in self.questions.values()}
        part = Part(lo, hi, chapters=[ch for ch in self.data["chapters"] if lo <= ch["st"] < hi])
        for n, item in enumerate(self.data["items"], start=1):
            inside = lo <= item["st"] < hi if item["kind"] in ("choice", "end") \
                else item["st"] < hi and item["end"] > lo
            if not inside or item["kind"] == "end" or item["id"] in asked:
                continue
            part.items.append({**item, "_index": n + 1000 * (i + 1)})
            if item["kind"] == "choice":
                st = sec(item["st"] - lo)
                part.windows.append((st, st + SHOWN_FOR))
        nxt = self._after(i)
        if not part.items:  # a plain video: the scenario moves on by itself when it ends
            return self._plain_video(self.part_paths[i], nxt, self.title)
        params = interactive_video_params(self.draft, part, self.part_paths[i], title=self.title,
                                          lang=self.lang, autoplay=True)
        return self._video(params, nxt, self.title)

    def question(self, seg: Segment) -> int:
        def build() -> dict[str, Any]:
            alternatives = [{"text": escape(str(c["label"])), "nextContentId": self._answer(c, seg),
                             "feedback": dict(EMPTY_FEEDBACK)} for c in seg.m["choices"]]
            return {"type": {"library": lib("H5P.BranchingQuestion"),
                             "subContentId": sub_id(900_000 + len(self.nodes)),
                             "metadata": {"contentType": "Branching Question", "license": "U",
                                          "title": escape(str(seg.m["q"]))},
                             "params": {"branchingQuestion": {
                                 "question": f"<p>{escape(str(seg.m['q']))}</p>",
                                 "alternatives": alternatives}}},
                    "showContentTitle": False, "proceedButtonText": words(self.lang)["proceed"],
                    "forceContentFinished": "useBehavioural", "nextContentId": -1,
                    "feedback": dict(EMPTY_FEEDBACK), "contentBehaviour": "useBehavioural"}
        return self._node(("question", seg.id), build)

    def _answer(self, action: Mapping[str, Any], seg: Segment) -> int:
        if action.get("do") == "play":
            return self.main(seg.st, ask=False)
        return self._go(action)

    def _go(self, action: Mapping[str, Any]) -> int:
        do = action.get("do")
        if do == "jump":
            return self.main(int(action["t"]))
        if do == "branch":
            name = str(action.get("b"))
            branch = self.branches.get(name, {})
            if "src" in branch:
                return self.clip(name)
            return self.main(int(branch.get("st", 0)))
        return -1

    def clip(self, name: str) -> int:
        def build() -> dict[str, Any]:
            then = self.branches[name].get("then") or {"do": "end"}
            return self._plain_video(self.clip_paths[name], self._go(then), name)
        return self._node(("clip", name), build)

    def _node_fields(self, nxt: int, force: bool) -> dict[str, Any]:
        return {"showContentTitle": False, "proceedButtonText": words(self.lang)["proceed"],
                "forceContentFinished": "enabled" if force else "useBehavioural",
                "nextContentId": nxt, "feedback": dict(EMPTY_FEEDBACK),
                "contentBehaviour": "useBehavioural"}

    def _video(self, params: dict[str, Any], nxt: int, label: str) -> dict[str, Any]:
        """An interactive video node. Not ``forceContentFinished``: BranchingScenario 1.10's
        finish listener for InteractiveVideo throws ("this.pause is not a function"), so the
        viewer goes on with the scenario's Continue button."""
        return {"type": {"library": lib("H5P.InteractiveVideo"), "params": params,
                         "subContentId": sub_id(800_000 + len(self.nodes)),
                         "metadata": {"contentType": "Interactive Video", "license": "U",
                                      "title": escape(label)}},
                **self._node_fields(nxt, force=False)}

    def _plain_video(self, path: str, nxt: int, label: str) -> dict[str, Any]:
        """A ``H5P.Video`` node that plays by itself and, when it ends, goes straight on to a
        question or offers Replay / Continue."""
        params = {"sources": [{"path": path, "mime": "video/mp4",
                               "copyright": {"license": "U"}}],
                  "visuals": {"fit": True, "controls": True},
                  "playback": {"autoplay": True, "loop": False}}
        return {"type": {"library": lib("H5P.Video"), "params": params,
                         "subContentId": sub_id(700_000 + len(self.nodes)),
                         "metadata": {"contentType": "Video", "license": "U",
                                      "title": escape(label)}},
                **self._node_fields(nxt, force=True)}


def branching_params(draft: Draft, clip_paths: Mapping[str, str], part_paths: list[str], *,
                     title: str, lang: str) -> dict[str, Any]:
    """``H5P.BranchingScenario`` parameters: ``part_paths`` are the main video's parts
    (``cut_points``), ``clip_paths`` the clip branches' files."""
    scenario = _Scenario(draft, clip_paths, part_paths, title, lang)
    scenario.start()
    w = words(lang)
    end = next((seg for seg in interactive.items(draft) if seg.m.get("kind") == "end"), None)
    end_title = str(end.m["label"]) if end is not None else w["end"]
    end_text = str(end.m.get("text") or "") if end is not None else ""
    return {"branchingScenario": {
        "title": escape(title),
        "startScreen": {"startScreenTitle": f"<p>{escape(title)}</p>",
                        "startScreenSubtitle": ""},
        "endScreens": [{"endScreenTitle": f"<p>{escape(end_title)}</p>",
                        "endScreenSubtitle": f"<p>{escape(end_text)}</p>" if end_text else "",
                        "contentId": -1}],
        "content": scenario.nodes,
        "scoringOptionGroup": {"scoringOption": "no-score", "includeInteractionsScores": False},
        "behaviour": {"enableBackwardsNavigation": False, "forceContentFinished": False,
                      "randomizeBranchingQuestions": False},
        "l10n": {"startScreenButtonText": w["start"], "endScreenButtonText": w["again"],
                 "backButtonText": w["back"],
                 "disableProceedButtonText": "Require to complete the current module",
                 "replayButtonText": w["replay"], "scoreText": "Your score:",
                 "fullscreenAria": "Fullscreen"},
    }}
