"""The "h5p" export: package layout and the JSON fields H5P's libraries read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from tests.interactive.interactive_helpers import H, W, base_draft, clip_info, tutorial
from tests.probe import probe

from reelwright.draft.ops import apply_ops
from reelwright.render.interactive import export
from reelwright.render.interactive.h5p import VIDEO_EM, package_json
from reelwright.render.interactive.h5p_branching import cut_points

DEP_KEYS = {"machineName", "majorVersion", "minorVersion"}


def _read(path: Path) -> tuple[dict, dict, set[str]]:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        return (json.loads(zf.read("h5p.json")), json.loads(zf.read("content/content.json")),
                names)


@pytest.fixture(scope="module")
def single(clip_media, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("h5p") / "tutorial.h5p"
    export(tutorial(clip_media), clip_media, "h5p", out)
    return out


def test_h5p_json_names_title_language_main_library_and_dependencies(single: Path):
    h5p, _, _ = _read(single)
    assert h5p["title"] == "Tutorial" and h5p["language"] == "en"
    assert h5p["mainLibrary"] == "H5P.InteractiveVideo"
    assert h5p["embedTypes"] == ["iframe"]
    deps = h5p["preloadedDependencies"]
    assert all(set(d) == DEP_KEYS and isinstance(d["majorVersion"], int) for d in deps)
    names = {d["machineName"] for d in deps}
    assert {"H5P.InteractiveVideo", "H5P.IVHotspot", "H5P.GoToQuestion"} <= names
    versions = {d["machineName"]: (d["majorVersion"], d["minorVersion"]) for d in deps}
    assert versions["H5P.InteractiveVideo"] == (1, 28) and versions["H5P.IVHotspot"] == (1, 2)


def test_video_is_under_content_videos_and_plays(single: Path, tmp_path: Path):
    _, content, names = _read(single)
    files = content["interactiveVideo"]["video"]["files"]
    assert files == [{"path": "videos/video.mp4", "mime": "video/mp4",
                      "copyright": {"license": "U"}}]
    assert "content/videos/video.mp4" in names
    with zipfile.ZipFile(single) as zf:
        zf.extract("content/videos/video.mp4", tmp_path)
    facts = probe(tmp_path / "content/videos/video.mp4", count_frames=False)
    assert facts.vcodec == "h264" and abs(facts.duration - 3.0) < 0.1


def test_interactions_hotspots_choices_bookmarks_and_end_screen(single: Path):
    _, content, _ = _read(single)
    assets = content["interactiveVideo"]["assets"]
    by_lib: dict[str, list[dict]] = {}
    for it in assets["interactions"]:
        by_lib.setdefault(it["action"]["library"], []).append(it)
        assert {"x", "y", "width", "height", "duration", "libraryTitle", "action", "pause",
                "displayType"} <= set(it)
        assert 0 <= it["x"] <= 100 and 0 <= it["y"] <= 100
        assert it["duration"]["from"] <= it["duration"]["to"]
    assert set(by_lib) == {"H5P.IVHotspot 1.2", "H5P.GoToQuestion 1.3"}
    hotspot, button = by_lib["H5P.IVHotspot 1.2"]
    # place "top-right" = [0.67, 0.04, 0.3, 0.3] of the picture
    assert (hotspot["x"], hotspot["y"]) == (67.0, 4.0)
    assert hotspot["width"] == pytest.approx(0.3 * VIDEO_EM)
    assert hotspot["height"] == pytest.approx(0.3 * VIDEO_EM * H / W)
    params = hotspot["action"]["params"]
    assert params["destination"] == {"type": "timecode", "time": 2.5}
    assert params["visuals"]["pointerCursor"] is True  # a hand over every button and hotspot
    assert button["action"]["params"]["visuals"]["pointerCursor"] is True
    # shown until to + 1 s in H5P; it ends just after the end screen's time so a jump back
    # hides the end screen first
    assert hotspot["duration"] == {"from": 0.0, "to": 2.701}
    assert button["action"]["params"]["destination"] == {
        "type": "url", "url": {"protocol": "https://", "url": "example.com/docs"}}
    question, end = by_lib["H5P.GoToQuestion 1.3"]
    assert question["pause"] is True and question["duration"] == {"from": 1.0, "to": 1.0}
    params = question["action"]["params"]
    assert params["text"] == "Want the advanced part?"
    # Yes -> 2.0 s (just past the question's window); No -> the end screen's own time
    assert [(c["text"], c["goTo"]) for c in params["choices"]] == [("Yes", 2.0), ("No", 2.7)]
    assert end["pause"] is True and end["duration"]["from"] == 2.7
    assert end["action"]["params"]["text"] == "Thanks for watching \u2014 See you"
    assert [(c["text"], c["goTo"]) for c in end["action"]["params"]["choices"]] == [
        ("Watch again", 0.0), ("Intro", 0.0), ("Advanced", 2.0)]
    assert assets["bookmarks"] == [{"time": 0.0, "label": "Intro"},
                                   {"time": 2.0, "label": "Advanced"}]
    assert assets["endscreens"] == []  # IV's submit screen only opens for scored questions
    assert content["override"]["preventSkippingMode"] == "none"
    assert "preventSkipping" not in content["override"]


def test_jumps_land_past_a_question_window_or_onto_the_next_question():
    """H5P shows a pausing interaction from its time until one second later; a jump landing
    inside that window would stop on the question it was meant to skip."""
    media = {"med_a": clip_info(Path("long.mp4"), ms=8000)}  # pure: no file is read
    draft = apply_ops(base_draft(d=8000), [
        ("add_choice", {"question": "Advanced?", "at_ms": 3800, "choices": [
            {"label": "Yes", "do": "jump", "t": 4000}, {"label": "Go on", "do": "play"}]}),
        ("add_button", {"label": "Skip", "start_ms": 0, "end_ms": 3800,
                        "action": {"do": "jump", "t": 4000}}),
        ("add_choice", {"question": "Again?", "at_ms": 6000, "choices": [
            {"label": "Yes", "do": "jump", "t": 5500}, {"label": "No", "do": "play"}]}),
    ], media)
    _, content = package_json(draft, branch_videos={}, lang="en")
    button, first, second = content["interactiveVideo"]["assets"]["interactions"]
    assert button["action"]["params"]["destination"]["time"] == 4.85  # 3.8 + 1 s + 0.05
    assert [c["goTo"] for c in first["action"]["params"]["choices"]] == [4.85, 4.85]
    assert [c["goTo"] for c in second["action"]["params"]["choices"]] == [5.5, 7.05]


def test_clip_branches_make_a_branching_scenario(clip_media, tmp_path: Path):
    draft = apply_ops(base_draft(), [
        ("add_branch", {"name": "bonus", "media_id": "med_b", "then": {"do": "jump", "t": 2000}}),
        ("add_choice", {"question": "See the bonus?", "at_ms": 1000, "choices": [
            {"label": "Yes", "do": "branch", "b": "bonus"}, {"label": "No", "do": "end"}]}),
        ("add_button", {"label": "Docs", "start_ms": 2000, "duration_ms": 500,
                        "action": {"do": "url", "url": "https://example.com"}}),
    ], clip_media)
    h5p, content, names = _read(export(draft, clip_media, "h5p", tmp_path / "b.h5p").path)
    assert h5p["mainLibrary"] == "H5P.BranchingScenario"
    assert [(d["machineName"], d["minorVersion"]) for d in h5p["preloadedDependencies"]] == [
        ("H5P.BranchingScenario", 10), ("H5P.BranchingQuestion", 0), ("H5P.IVHotspot", 2),
        ("H5P.InteractiveVideo", 28), ("H5P.Video", 6)]
    nodes = content["branchingScenario"]["content"]
    # the main video up to the choice, the question, the clip, the main video from 2 s
    assert [n["type"]["library"] for n in nodes] == [
        "H5P.Video 1.6", "H5P.BranchingQuestion 1.0", "H5P.Video 1.6",
        "H5P.InteractiveVideo 1.28"]
    assert all(n["feedback"] == {"title": "", "subtitle": ""} for n in nodes)
    assert [n["nextContentId"] for n in nodes] == [1, -1, 3, -1]
    alternatives = nodes[1]["type"]["params"]["branchingQuestion"]["alternatives"]
    assert [(a["text"], a["nextContentId"]) for a in alternatives] == [("Yes", 2), ("No", -1)]
    assert all(a["feedback"] == {"title": "", "subtitle": ""} for a in alternatives)
    files = [nodes[0]["type"]["params"]["sources"][0]["path"],
             nodes[2]["type"]["params"]["sources"][0]["path"],
             nodes[3]["type"]["params"]["interactiveVideo"]["video"]["files"][0]["path"]]
    assert {f"content/{f}" for f in files} == {n for n in names if n.endswith(".mp4")}
    part0 = probe(_extract(tmp_path / "b.h5p", f"content/{files[0]}", tmp_path),
                  count_frames=False)
    part3 = probe(_extract(tmp_path / "b.h5p", f"content/{files[2]}", tmp_path),
                  count_frames=False)
    assert abs(part0.duration - 1.0) < 0.08 and abs(part3.duration - 1.0) < 0.08  # 0-1, 2-3 s
    button = nodes[3]["type"]["params"]["interactiveVideo"]["assets"]["interactions"][0]
    assert button["duration"]["from"] == 0.0  # at 2 s of the main video = 0 s of its part
    assert content["branchingScenario"]["endScreens"][0]["contentId"] == -1


def _extract(package: Path, name: str, folder: Path) -> Path:
    with zipfile.ZipFile(package) as zf:
        return Path(zf.extract(name, folder))


def test_package_json_is_pure_and_matches_draft_language(clip_media):
    h5p, content = package_json(tutorial(clip_media), branch_videos={}, lang="zh")
    assert h5p["language"] == "zh" and "interactiveVideo" in content
    end = content["interactiveVideo"]["assets"]["interactions"][-1]
    assert end["action"]["params"]["choices"][0]["text"] == "重新观看"
    assert content["l10n"]["play"] == "播放"


def test_text_is_stored_html_escaped_as_hosts_store_it(clip_media):
    draft = apply_ops(base_draft(), [("add_choice", {
        "question": "Tom & Jerry <3?", "at_ms": 1000,
        "choices": [{"label": "Yes", "do": "jump", "t": 2500}, {"label": "No", "do": "end"}]})],
        clip_media)
    _, content = package_json(draft, branch_videos={}, lang="en")
    params = content["interactiveVideo"]["assets"]["interactions"][0]["action"]["params"]
    assert params["text"] == "Tom &amp; Jerry &lt;3?"


def test_cut_points_and_nodes_for_two_clip_choices():
    """Parts start wherever the scenario must start playing the main video; every answer and
    clip ``then`` leads to a node that exists."""
    media = {"med_a": clip_info(Path("long.mp4"), ms=10000),
             "med_b": clip_info(Path("b.mp4"), "med_b", 1000)}
    draft = apply_ops(base_draft(d=10000), [
        ("add_branch", {"name": "one", "media_id": "med_b", "then": {"do": "jump", "t": 3000}}),
        ("add_branch", {"name": "two", "media_id": "med_b", "then": {"do": "end"}}),
        ("add_choice", {"question": "First?", "at_ms": 2000, "choices": [
            {"label": "Clip", "do": "branch", "b": "one"}, {"label": "On", "do": "play"}]}),
        ("add_choice", {"question": "Second?", "at_ms": 6000, "choices": [
            {"label": "Clip", "do": "branch", "b": "two"},
            {"label": "Back", "do": "jump", "t": 0}]}),
        ("add_end_screen", {"label": "Bye", "start_ms": 9000}),
    ], media)
    assert cut_points(draft) == [(0, 2000), (2000, 3000), (3000, 6000), (6000, 9000)]
    _, content = package_json(draft, branch_videos={"one": "videos/b1.mp4",
                                                    "two": "videos/b2.mp4"}, lang="en")
    nodes = content["branchingScenario"]["content"]
    ids = range(len(nodes))
    for node in nodes:
        assert node["nextContentId"] == -1 or node["nextContentId"] in ids
        for alt in node["type"]["params"].get("branchingQuestion", {}).get("alternatives", []):
            assert alt["nextContentId"] == -1 or alt["nextContentId"] in ids

    def video(node: dict) -> str:
        params = node["type"]["params"]
        return params["sources"][0]["path"] if "sources" in params else \
            params["interactiveVideo"]["video"]["files"][0]["path"]

    first = nodes[0]
    assert video(first) == "videos/part-0.mp4"
    question = nodes[first["nextContentId"]]["type"]["params"]["branchingQuestion"]
    clip, on = (nodes[a["nextContentId"]] for a in question["alternatives"])
    assert video(clip) == "videos/b1.mp4" and video(nodes[clip["nextContentId"]]) == \
        "videos/part-2.mp4"  # the clip's then: back to 3 s
    assert video(on) == "videos/part-1.mp4" and video(nodes[on["nextContentId"]]) == \
        "videos/part-2.mp4"
    second = nodes[nodes[on["nextContentId"]]["nextContentId"]]["type"]["params"]
    clip2, back = (a["nextContentId"] for a in second["branchingQuestion"]["alternatives"])
    assert nodes[clip2]["nextContentId"] == -1 and back == 0  # back to the start node


def test_a_clip_that_returns_onto_its_choice_asks_it_again_and_continue_goes_on():
    media = {"med_a": clip_info(Path("a.mp4"), ms=4000),
             "med_b": clip_info(Path("b.mp4"), "med_b", 1000)}
    draft = apply_ops(base_draft(d=4000), [
        ("add_branch", {"name": "tip", "media_id": "med_b", "then": {"do": "jump", "t": 1000}}),
        ("add_choice", {"question": "A tip?", "at_ms": 1000, "choices": [
            {"label": "Tip", "do": "branch", "b": "tip"}, {"label": "Go on", "do": "play"}]}),
    ], media)
    _, content = package_json(draft, branch_videos={"tip": "videos/tip.mp4"}, lang="en")
    nodes = content["branchingScenario"]["content"]
    question = nodes[nodes[0]["nextContentId"]]
    tip, go_on = (a["nextContentId"] for a in
                  question["type"]["params"]["branchingQuestion"]["alternatives"])
    assert nodes[tip]["nextContentId"] == nodes[0]["nextContentId"]  # back onto the question
    assert nodes[go_on]["type"]["params"]["sources"][0]["path"] == "videos/part-1.mp4"
