""".h5p exports in a real H5P host built from H5P's own code (see ``h5p_host_driver``): the
host uploads, validates and saves each package without an error or a dropped field, and H5P's
player plays it in headless Chromium as the draft means it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.interactive.h5p_host_driver import Host, h5p_host
from tests.interactive.interactive_helpers import base_draft, clip_info, tutorial

from reelwright.agent.examples import SEEDS
from reelwright.agent.interactive_rules import plan_interactive
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.ops import apply_ops
from reelwright.render.interactive import export

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "h5p"
SEED_MS = 8000


@pytest.fixture(scope="module")
def host() -> Host:
    return h5p_host(browser=False)


@pytest.fixture(scope="module")
def player() -> Host:
    return h5p_host(browser=True)


@pytest.fixture(scope="module")
def seed_media(make_clip: Callable[..., Path]) -> dict[str, MediaInfo]:
    return {"med_a": clip_info(make_clip("h5p_seed.mp4", seconds=SEED_MS / 1000), ms=SEED_MS)}


def seed_draft(media: dict[str, MediaInfo]) -> Draft:
    """What the interactive seed prompt makes of an 8 s tutorial clip."""
    ops = plan_interactive(SEEDS["interactive"]["en"][0], base_draft(d=SEED_MS), media)
    assert isinstance(ops, list)
    return apply_ops(base_draft(d=SEED_MS), ops, media)


def branch_draft(media: dict[str, MediaInfo]) -> Draft:
    """A choice at 1 s between a separate clip (then back to 2 s) and the end screen, and a
    URL button and a pause button (a label in H5P) after the clip."""
    return apply_ops(base_draft(), [
        ("add_chapter", {"label": "Intro", "start_ms": 0}),
        ("add_button", {"label": "Docs", "start_ms": 2000, "duration_ms": 700,
                        "action": {"do": "url", "url": "https://example.com/docs"}}),
        ("add_button", {"label": "Pause", "start_ms": 2000, "duration_ms": 700, "pos": "top-left",
                        "action": {"do": "pause"}}),
        ("add_branch", {"name": "bonus", "media_id": "med_b", "then": {"do": "jump", "t": 2000}}),
        ("add_choice", {"question": "See the bonus?", "at_ms": 1000, "choices": [
            {"label": "Yes", "do": "branch", "b": "bonus"}, {"label": "No", "do": "end"}]}),
        ("add_end_screen", {"label": "Thanks for watching", "start_ms": 2700}),
    ], media)


@pytest.fixture(scope="module")
def packages(clip_media: dict[str, MediaInfo], seed_media: dict[str, MediaInfo],
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("h5p_host")
    out = {}
    for name, draft, media in (("tutorial", tutorial(clip_media), clip_media),
                               ("seed", seed_draft(seed_media), seed_media),
                               ("branch", branch_draft(clip_media), clip_media)):
        out[name] = Path(export(draft, media, "h5p", folder / f"{name}.h5p").path)
    return out


def _renamed_file(change: dict[str, Any]) -> bool:
    """The host stores uploaded files under new names: same folder and extension."""
    before, after = str(change["before"]), str(change["after"])
    return (change["path"].endswith("/path") and before.rsplit("/", 1)[0] ==
            after.rsplit("/", 1)[0] and before.rsplit(".", 1)[1] == after.rsplit(".", 1)[1])


@pytest.mark.parametrize("name", ["tutorial", "seed", "branch"])
def test_host_uploads_validates_and_saves_without_dropping_a_field(
        host: Host, packages: dict[str, Path], name: str) -> None:
    report = host.validate(packages[name])
    assert report["ok"], report.get("error")
    assert report["dropped"] == [] and report["added"] == []
    assert report["invalid"] == []  # nor would H5P core's PHP validator (Moodle, WordPress)
    assert [c for c in report["changed"] if not _renamed_file(c)] == []
    assert report["installedLibraries"] == []  # content only: the host's libraries play it
    main = "H5P.BranchingScenario 1.10" if name == "branch" else "H5P.InteractiveVideo 1.28"
    assert report["mainLibrary"] == main
    assert {"H5P.InteractiveVideo 1.28", "H5P.IVHotspot 1.2"} <= set(report["dependencies"])
    if name == "branch":
        assert {"H5P.BranchingQuestion 1.0", "H5P.Video 1.6"} <= set(report["dependencies"])
    else:
        assert "H5P.GoToQuestion 1.3" in report["dependencies"]


def _tampered(package: Path, out: Path, change: Callable[[str], str]) -> Path:
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "content/content.json":
                data = change(data.decode()).encode()
            dst.writestr(item, data)
    return out


def test_the_host_checks_do_see_what_the_semantics_do_not_allow(
        host: Host, packages: dict[str, Path], tmp_path: Path) -> None:
    """The checks above can fail, on the old export's mistakes: ``preventSkipping`` is no
    InteractiveVideo field (H5P core's validator removes it), and InteractiveVideo 1.28 takes no
    ``H5P.IVHotspot 1.3`` (the host cannot save it; a PHP host deletes the skip button)."""
    old_field = host.validate(_tampered(packages["tutorial"], tmp_path / "a.h5p", lambda text: (
        text.replace('"override": {', '"override": {"preventSkipping": false, '))))
    assert old_field["ok"]
    assert old_field["invalid"] == ["override/preventSkipping: not in semantics"]
    old_hotspot = host.validate(_tampered(packages["tutorial"], tmp_path / "b.h5p", lambda text: (
        text.replace('"H5P.IVHotspot 1.2"', '"H5P.IVHotspot 1.3"'))))
    assert not old_hotspot["ok"] and "H5P.IVHotspot-1.3" in old_hotspot["error"]
    assert "interactiveVideo/assets/interactions/0/action/library: H5P.IVHotspot 1.3 not an " \
           "option" in old_hotspot["invalid"]


def _play(player: Host, package: Path, steps: list[dict[str, Any]], name: str
          ) -> list[dict[str, Any]]:
    result = player.play(package, steps, ARTIFACTS / name)
    record = result["record"]
    assert result["errors"] == [] and record.get("failed") is None, (
        result["errors"], record.get("failed"))
    assert len(record["steps"]) == len(steps)
    return list(record["steps"]), record


def test_tutorial_plays_in_h5p_buttons_hotspots_choice_and_end_screen(
        player: Host, packages: dict[str, Path]) -> None:
    steps, record = _play(player, packages["tutorial"], [
        {"do": "wait", "until": "loaded"},                                          # 0
        {"do": "play"},
        {"do": "wait", "until": "hotspot", "arg": "Docs"},                          # 2
        {"do": "popup", "selector": ".h5p-interaction a", "text": "Docs"},          # 3
        {"do": "wait", "until": "question", "arg": "Want the advanced part?"},      # 4
        {"do": "shot", "name": "01-question"},
        {"do": "click", "selector": ".h5p-gotoquestion-button", "text": "No"},
        {"do": "wait", "until": "question", "arg": "Thanks for watching"},          # 7
        {"do": "shot", "name": "02-end-screen"},
        {"do": "click", "selector": ".h5p-gotoquestion-button", "text": "Watch again"},
        {"do": "wait", "until": "noQuestion"},                                      # 10
        {"do": "wait", "until": "question", "arg": "Want the advanced part?"},
        {"do": "click", "selector": ".h5p-gotoquestion-button", "text": "Yes"},
        {"do": "wait", "until": "noQuestion"},                                      # 13
        {"do": "click", "selector": ".h5p-interaction a", "text": "Skip ahead"},
        {"do": "look", "ms": 150},                                                  # 15
        {"do": "wait", "until": "question", "arg": "Thanks for watching"},          # 16
    ], "tutorial")
    assert steps[0]["width"] == 320 and steps[0]["src"].endswith(".mp4")  # the video loaded
    buttons = {h["label"]: h for h in steps[2]["hotspots"]}
    assert set(buttons) == {"Docs", "Skip ahead"}
    assert all(h["cursor"] == "pointer" for h in buttons.values())  # a hand, not an arrow
    assert all(h["labelColor"] != "rgba(0, 0, 0, 0)" for h in buttons.values())
    assert buttons["Docs"]["href"] == "https://example.com/docs"
    assert buttons["Docs"]["target"] == "_blank"
    assert steps[3]["url"] == "https://example.com/docs"  # the URL button opened its page
    # Each interaction appeared at its time (seconds of video when first on screen).
    seen = record["seen"]
    assert seen["Skip aheadSkip ahead. Skip ahead"] < 0.3 and seen["DocsDocs. Docs"] < 0.3
    assert 1.0 <= seen["Want the advanced part?YesNo"] < 1.5
    assert 2.7 <= seen["Thanks for watching \u2014 See youWatch againIntroAdvanced"] < 3.0
    question = steps[4]
    assert question["paused"] and 1.0 <= question["t"] < 1.5
    assert question["questions"] == [{"text": "Want the advanced part?", "choices": ["Yes", "No"]}]
    end = steps[7]  # "No" went to the end screen, which paused the video
    assert end["paused"] and 2.7 <= end["t"] < 3.0
    assert end["questions"] == [{"text": "Thanks for watching \u2014 See you",
                                 "choices": ["Watch again", "Intro", "Advanced"]}]
    assert steps[10]["t"] < 0.9 and not steps[10]["paused"]  # Watch again: from the start
    after_yes = steps[13]  # Yes: 2.0 s, playing, the question gone
    assert 2.0 <= after_yes["t"] < 2.7 and after_yes["questions"] == []
    assert 2.5 <= steps[15]["t"] <= 2.8  # the hotspot jumped to 2.5 s
    assert steps[16]["paused"] and steps[16]["questions"][0]["text"].startswith("Thanks")


def test_seed_prompt_export_skips_past_the_question_and_ends_on_the_end_screen(
        player: Host, packages: dict[str, Path]) -> None:
    steps, record = _play(player, packages["seed"], [
        {"do": "wait", "until": "loaded"},
        {"do": "play"},
        {"do": "wait", "until": "hotspot", "arg": "Skip to the advanced part"},
        {"do": "click", "selector": ".h5p-interaction a", "text": "Skip to the advanced part"},
        {"do": "look", "ms": 700},                                                  # 4
        {"do": "shot", "name": "seed-after-skip"},
        {"do": "wait", "until": "question", "arg": "Thanks for watching"},          # 6
        {"do": "click", "selector": ".h5p-gotoquestion-button", "text": "Watch again"},
        {"do": "wait", "until": "question", "arg": "Want the advanced part?"},      # 8
        {"do": "click", "selector": ".h5p-gotoquestion-button", "text": "No, finish"},
        {"do": "wait", "until": "question", "arg": "Thanks for watching"},          # 10
    ], "seed")
    skipped = steps[4]  # landed past the question's window: playing the advanced part
    assert not skipped["paused"] and skipped["questions"] == [] and skipped["t"] >= 4.0
    assert record["pauses"][0] >= 6.0  # the first stop is the end screen, not the question
    assert steps[6]["paused"] and 6.0 <= steps[6]["t"] < 6.5
    assert steps[8]["paused"] and 3.8 <= steps[8]["t"] < 4.3
    assert steps[10]["paused"] and 6.0 <= steps[10]["t"] < 6.4  # "No, finish": the end screen
    assert steps[10]["questions"][0]["choices"] == ["Watch again", "Chapter 1", "Advanced part"]


def test_branching_scenario_plays_to_the_clip_and_back_to_the_end_screen(
        player: Host, packages: dict[str, Path]) -> None:
    steps, _ = _play(player, packages["branch"], [
        {"do": "wait", "until": "startScreen"},
        {"do": "click", "selector": ".h5p-start-button"},                           # 1
        {"do": "wait", "until": "branchingQuestion", "arg": "See the bonus?"},      # 2
        {"do": "shot", "name": "branch-question"},
        {"do": "click", "selector": ".h5p-branching-question-alternative", "text": "Yes"},
        {"do": "wait", "until": "source", "arg": "branch"},                         # 5
        {"do": "wait", "until": "ended"},                                           # 6
        {"do": "click", "selector": ".h5p-nav-button-proceed", "text": "Continue"},
        {"do": "wait", "until": "source", "arg": "part"},                           # 8
        {"do": "wait", "until": "hotspot", "arg": "Docs"},                          # 9
        {"do": "shot", "name": "branch-after-clip"},
        {"do": "wait", "until": "ended"},                                           # 11
        {"do": "click", "selector": ".h5p-proceed-button", "text": "Continue"},
        {"do": "wait", "until": "endScreen", "arg": "Thanks for watching"},         # 13
        {"do": "shot", "name": "branch-end-screen"},
    ], "branch")
    question = steps[2]  # the first part (0-1 s) played and ended: the choice, at its time
    assert question["src"].startswith("part") and question["ended"]
    assert abs(question["t"] - 1.0) < 0.1
    assert question["branchingQuestion"]["choices"] == ["Yes", "No"]
    assert steps[5]["src"].startswith("branch")  # Yes: the separate clip plays
    assert abs(steps[6]["t"] - 1.0) < 0.1  # the whole 1 s clip
    back = steps[11]  # then back to the main video from 2 s to the end screen at 2.7 s
    assert back["src"].startswith("part") and back["src"] != question["src"]
    assert abs(back["t"] - 0.7) < 0.1
    assert steps[9]["hotspots"][0]["href"] == "https://example.com/docs"  # its button
    assert "Thanks for watching" in steps[13]["endScreen"]
