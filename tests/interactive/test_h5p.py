"""The "h5p" export: package layout and the JSON fields H5P's libraries read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from tests.interactive.interactive_helpers import H, W, base_draft, tutorial
from tests.probe import probe

from reelwright.draft.ops import apply_ops
from reelwright.render.interactive import export
from reelwright.render.interactive.h5p import VIDEO_EM, package_json

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


def test_interactions_hotspots_choices_bookmarks_endscreens(single: Path):
    _, content, _ = _read(single)
    assets = content["interactiveVideo"]["assets"]
    by_lib = {}
    for it in assets["interactions"]:
        by_lib.setdefault(it["action"]["library"], []).append(it)
        assert {"x", "y", "width", "height", "duration", "libraryTitle", "action", "pause",
                "displayType"} <= set(it)
        assert 0 <= it["x"] <= 100 and 0 <= it["y"] <= 100
        assert it["duration"]["from"] < it["duration"]["to"]
    hotspot, button = by_lib["H5P.IVHotspot 1.3"]
    # place "top-right" = [0.67, 0.04, 0.3, 0.3] of the picture
    assert (hotspot["x"], hotspot["y"]) == (67.0, 4.0)
    assert hotspot["width"] == pytest.approx(0.3 * VIDEO_EM)
    assert hotspot["height"] == pytest.approx(0.3 * VIDEO_EM * H / W)
    assert hotspot["goto"] == {"type": "timecode", "time": 2.5, "visualize": True}
    assert hotspot["duration"] == {"from": 0.0, "to": 3.0}
    assert button["goto"]["type"] == "url"
    assert button["goto"]["url"] == {"protocol": "https://", "url": "example.com/docs"}
    (question,) = by_lib["H5P.GoToQuestion 1.3"]
    assert question["pause"] is True and question["duration"]["from"] == 1.0
    params = question["action"]["params"]
    assert params["text"] == "Want the advanced part?"
    assert [(c["text"], c["goTo"]) for c in params["choices"]] == [("Yes", 2.0), ("No", 2.7)]
    assert assets["bookmarks"] == [{"time": 0.0, "label": "Intro"},
                                   {"time": 2.0, "label": "Advanced"}]
    assert assets["endscreens"] == [{"time": 2.7, "label": "Thanks for watching"}]


def test_clip_branches_make_a_branching_scenario(clip_media, tmp_path: Path):
    draft = apply_ops(base_draft(), [
        ("add_branch", {"name": "bonus", "media_id": "med_b"}),
        ("add_choice", {"question": "See the bonus?", "at_ms": 2000, "choices": [
            {"label": "Yes", "do": "branch", "b": "bonus"}, {"label": "No", "do": "end"}]}),
    ], clip_media)
    h5p, content, names = _read(export(draft, clip_media, "h5p", tmp_path / "b.h5p").path)
    assert h5p["mainLibrary"] == "H5P.BranchingScenario"
    assert "H5P.BranchingQuestion" in {d["machineName"] for d in h5p["preloadedDependencies"]}
    nodes = content["branchingScenario"]["content"]
    assert [n["type"]["library"].split()[0] for n in nodes] == [
        "H5P.InteractiveVideo", "H5P.BranchingQuestion", "H5P.InteractiveVideo"]
    alternatives = nodes[1]["type"]["params"]["branchingQuestion"]["alternatives"]
    assert [(a["text"], a["nextContentId"]) for a in alternatives] == [("Yes", 2), ("No", -1)]
    clip_file = nodes[2]["type"]["params"]["interactiveVideo"]["video"]["files"][0]["path"]
    assert f"content/{clip_file}" in names and nodes[2]["nextContentId"] == -1
    assert content["branchingScenario"]["endScreens"][0]["contentId"] == -1


def test_package_json_is_pure_and_matches_draft_language(clip_media):
    h5p, content = package_json(tutorial(clip_media), branch_videos={}, lang="zh")
    assert h5p["language"] == "zh" and "interactiveVideo" in content
