"""Every "Try saying" prompt on varied real uploads, then the follow-up edits people make, all
through the real service (upload, ingest, POST /run, state). A generated matrix of
workflows x inputs x languages: each turn must change the draft and say what changed, or say in
plain words why not (``seed_matrix.turn_problems``). A prompt meant for the upload (photos for a
slideshow, a clip for an interactive video, a script for an explainer) must make the video."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.agent.seed_matrix import Input, Turn, make_inputs, turn_problems
from tests.api.api_helpers import Api
from tests.conftest import run_ffmpeg

from reelwright.agent.examples import FOLLOW_UPS, SEEDS, WORKFLOWS, try_saying
from reelwright.api import create_app
from reelwright.draft.codec import from_json
from reelwright.draft.media import MediaInfo
from reelwright.draft.validate import problems as draft_problems
from reelwright.settings import Settings

INPUTS = ("1 photo", "5 photos, mixed orientation", "30 photos, mixed orientation",
          "10 s clip, no sound, no cuts", "40 s clip with sound",
          "2 min clip with cuts and sound", "60 s clip with cuts, no sound",
          "4 photos and a 10 s clip", "English script",
          "Chinese script", "script and 3 photos")
WEB_STRINGS = Path(__file__).resolve().parents[2] / "src/reelwright/web/static/i18n.js"


def _cases() -> list[Any]:
    """Each workflow's first seed in each language on every input, with the follow-ups; the
    other seeds on the inputs they are meant for."""
    out = []
    for workflow in WORKFLOWS:
        for lang in ("en", "zh"):
            for name in INPUTS:
                out.append(pytest.param(workflow, name, lang, SEEDS[workflow][lang][0], True,
                                        id=f"{workflow}-{lang}-{name}"))
            for seed in SEEDS[workflow][lang][1:]:
                for name in INPUTS:
                    out.append(pytest.param(workflow, name, lang, seed, False,
                                            id=f"{workflow}-{lang}-{name}-{seed[:24]}"))
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Input]:
    return make_inputs(tmp_path_factory.mktemp("matrix-media"), run_ffmpeg)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = Settings({"data_dir": str(tmp_path_factory.mktemp("matrix-data")),
                         "workers": 0, "public_url": "http://testserver",
                         "anon_tokens_per_ip": 0})
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def _say(api: Api, auth: dict[str, str], sid: str, text: str, lang: str
         ) -> tuple[Turn, dict[str, Any]]:
    credits = api.client.get("/api/credits/balance/simple", headers=auth).json()["data"]
    before = api.state(auth, sid).json()["data"]["state"]
    r = api.client.post("/run", headers=auth, json={
        "app_name": "nemo_agent", "user_id": "me", "session_id": sid,
        "new_message": {"role": "user", "parts": [{"text": text}]}})
    assert r.status_code == 200, (text, r.text[:500])
    last = r.json()[-1]
    delta = last["actions"]["stateDelta"]
    after = api.state(auth, sid).json()["data"]["state"]
    spent = api.client.get("/api/credits/balance/simple", headers=auth).json()["data"]
    turn = Turn(text, lang, last["content"]["parts"][0]["text"], bool(delta["draft_changed"]),
                spent["available"] < credits["available"], delta["turn"]["kind"])
    if not turn.changed:
        assert after["draft"] == before["draft"], f"{text!r} changed the stored draft silently"
    else:
        assert after["draft"] == delta["draft"], f"{text!r}: the stored draft is not the reply's"
    return turn, after


def _media(state: dict[str, Any]) -> dict[str, MediaInfo]:
    infos = [*state["video_infos"], *state.get("generated_media", [])]
    return {i["id"]: MediaInfo(id=i["id"], kind=i["kind"], path="", name=i.get("name", ""),
                               w=i.get("width") or 0, h=i.get("height") or 0,
                               duration_ms=i.get("duration_ms") or 0,
                               has_audio=bool(i.get("has_audio", i["kind"] == "audio")),
                               has_video=i["kind"] in ("image", "video"))
            for i in infos}


def _made(workflow: str, seed: str, draft: dict[str, Any], given: Input) -> list[str]:
    """What the seed prompt asked for that the draft it made lacks."""
    segs = [(t["tt"], s) for t in draft["t"] for s in t["sg"]]
    roles = [s["m"].get("role") or t.get("m", {}).get("role")
             for t in draft["t"] for s in t["sg"]]
    main = draft["t"][0]["sg"] if draft["t"] and draft["t"][0]["tt"] == 0 else []
    out: list[str] = []
    if workflow == "slideshow":
        visuals = [n for n, _ in given.files if not n.endswith(".txt")]
        if len(main) != len(visuals):
            out.append(f"{len(visuals)} uploads but {len(main)} items in the slideshow")
        if "music" not in roles:
            out.append("no music")
        if "transitions" in seed and sum(1 for s in main if s["m"].get("tr")) < len(main) - 1:
            out.append("cuts where transitions were asked for")
    elif workflow == "explainer":
        for role in ("voice", "caption", "music"):
            if role not in roles:
                out.append(f"no {role} track in the explainer")
    else:
        kinds = [s["m"].get("kind") for tt, s in segs if tt == 8]
        if kinds.count("chapter") < 2 or "choice" not in kinds or "button" not in kinds:
            out.append(f"not interactive enough: {kinds}")
        if "Watch again" in seed:
            ends = [s for tt, s in segs if tt == 8 and s["m"].get("kind") == "choice"
                    and [c["label"] for c in s["m"]["choices"]] == ["Watch again", "Finish"]]
            if not ends or ends[0]["st"] < min(draft["d"] * 0.8, draft["d"] - 3000):
                out.append("no choice between Watch again and Finish at the end")
            elif [c["do"] for c in ends[0]["m"]["choices"]] != ["jump", "end"]:
                out.append(f"the end choice leads nowhere sensible: {ends[0]['m']['choices']}")
    return out


@pytest.mark.parametrize(("workflow", "name", "lang", "seed", "follow"), _cases())
def test_seed_prompt_then_follow_ups(api: Api, inputs: dict[str, Input], workflow: str,
                                     name: str, lang: str, seed: str, follow: bool) -> None:
    # Given a new session with this upload
    given = inputs[name]
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, [(n, p.read_bytes()) for n, p in given.files])
    assert r.json()["code"] == 0 and len(r.json()["data"]["media"]) == len(given.files), r.text
    # When the person says the seed prompt, then (where the case has them) the follow-ups
    found: list[str] = []
    turn, state = _say(api, auth, sid, seed, lang)
    found += [f"{seed!r}: {p} -> {turn.reply[:300]!r}" for p in turn_problems(turn)]
    meant = workflow in given.fits
    if meant and not turn.changed:
        found.append(f"{seed!r} on {name} made nothing: {turn.reply[:300]!r}")
    elif meant:
        found += [f"{seed!r} on {name}: {p}" for p in _made(workflow, seed, state["draft"],
                                                              given)]
    for text in FOLLOW_UPS[workflow][lang] if follow and turn.changed else ():
        turn, state = _say(api, auth, sid, text, lang)
        found += [f"{text!r}: {p} -> {turn.reply[:300]!r}" for p in turn_problems(turn)]
    # Then every turn kept the contract, and the draft it left is one the renderer accepts
    if state["draft"] is not None:
        broken = draft_problems(from_json(state["draft"]), _media(state))
        found += [f"the final draft is invalid: {p}" for p in broken[:3]]
    assert not found, "\n".join(found)


def test_the_web_page_suggests_the_seed_prompts() -> None:
    source = WEB_STRINGS.read_text(encoding="utf-8")
    blocks = re.findall(r"suggestions: \[(.*?)\]", source, re.S)
    assert len(blocks) == 2
    for lang, block in zip(("en", "zh"), blocks, strict=True):
        assert re.findall(r'"((?:[^"\\]|\\.)*)"', block) == try_saying(lang)
