"""Text to video through the real app: POST /run_sse makes and edits explainers (real TTS,
cards, music, SQLite ledger), and one explainer is exported and probed.

Media stay tiny: 160x120 photos, 480p explainers of a few sentences.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.api_helpers import ATTRIBUTION, Api, jpeg_bytes
from tests.probe import audio_samples, frame_at, probe, rms_db

from reelwright.api import create_app
from reelwright.settings import Settings
from reelwright.store.credits import parse_prices

SCRIPT = ("Meet Aurora, the lamp that wakes you gently every morning. It glows like a soft "
          "sunrise. Set it once and forget the alarm. Your team will love the calm start. "
          "Aurora ships next week.")
LONG_SCRIPT = " ".join([
    "Our new bakery opens on Main Street this Saturday morning.",
    "Every loaf is baked by hand before sunrise with flour from local farms.",
    "We make sourdough, rye, seeded rolls and sweet cinnamon buns every single day.",
    "The first hundred visitors get a free coffee and a warm croissant.",
    "Bring your friends, bring your family, and bring your appetite.",
    "We cannot wait to meet all of our new neighbours this weekend."])
PRICES = parse_prices(Settings({}).prices)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    data = tmp_path_factory.mktemp("explainer-data")
    settings = Settings({"data_dir": str(data), "workers": 1,
                         "public_url": "http://testserver", "anon_tokens_per_ip": 1000})
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def body(sid: str, text: str) -> dict[str, Any]:
    return {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"role": "user", "parts": [{"text": text}]}}


def chat(api: Api, auth: dict[str, str], sid: str, text: str) -> list[dict[str, Any]]:
    """One turn over /run_sse, as a client reads it: the events in stream order."""
    events = []
    with api.client.stream("POST", "/run_sse", json=body(sid, text),
                           headers={**auth, "Accept": "text/event-stream"}) as resp:
        assert resp.status_code == 200, resp.read()
        for line in resp.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert events[-1]["turnComplete"] is True
    return events


def calls(events: list[dict[str, Any]]) -> list[str]:
    return [p["functionCall"]["name"] for e in events for p in e["content"]["parts"]
            if "functionCall" in p]


def reply(events: list[dict[str, Any]]) -> str:
    return str(events[-1]["content"]["parts"][0]["text"])


def balance(api: Api, auth: dict[str, str]) -> dict[str, int]:
    data: dict[str, int] = api.client.get("/api/credits/balance/simple",
                                          headers=auth).json()["data"]
    assert data["total"] == data["available"] + data["frozen"]
    return data


def state(api: Api, auth: dict[str, str], sid: str) -> dict[str, Any]:
    result: dict[str, Any] = api.state(auth, sid).json()["data"]["state"]
    return result


def segments(draft: dict[str, Any], tt: int, role: str) -> list[dict[str, Any]]:
    return [s for t in draft["t"] if t["tt"] == tt for s in t["sg"]
            if (s.get("m") or {}).get("role", (t.get("m") or {}).get("role")) == role]


def new_session(api: Api, files: list[tuple[str, bytes]]) -> tuple[dict[str, str], str]:
    auth = api.token()
    sid = api.session(auth)
    if files:
        r = api.upload(auth, sid, files)
        assert r.status_code == 200 and not r.json()["data"]["errors"], r.text
    return auth, sid


@pytest.fixture(scope="module")
def made(api: Api) -> dict[str, Any]:
    """A session with three photos whose script was pasted in chat (made once per module)."""
    photos = [(name, jpeg_bytes((160, 120), seed=i)) for i, name in
              enumerate(("aurora_lamp.jpg", "team.jpg", "spare.jpg"), start=1)]
    auth, sid = new_session(api, photos)
    before = balance(api, auth)
    events = chat(api, auth, sid, "turn this text into a short explainer video with visuals "
                                  f"and music in 480p: {SCRIPT}")
    return {"auth": auth, "sid": sid, "before": before, "events": events,
            "after": balance(api, auth), "state": state(api, auth, sid)}


def test_a_pasted_script_becomes_an_explainer_with_stored_media(made: dict[str, Any]) -> None:
    events, draft = made["events"], made["state"]["draft"]
    # The steps show as tool calls; the estimate (time and cost) comes before the long work.
    assert calls(events)[:2] == ["parse_script", "make_explainer"]
    assert {"synthesize_voice", "make_cards", "build_explainer"} <= set(calls(events))
    texts = [i for i, e in enumerate(events[:-1]) if "text" in e["content"]["parts"][0]]
    made_at = next(i for i, e in enumerate(events) if any(
        p.get("functionResponse", {}).get("name") == "make_explainer"
        for p in e["content"]["parts"]))
    assert texts and texts[0] < made_at
    estimate = events[texts[0]]["content"]["parts"][0]["text"]
    assert "credits" in estimate and "rendering the MP4 should take about" in estimate
    assert len({e["invocationId"] for e in events}) == 1
    # The draft has voice, captions, pictures and music at the asked size.
    assert (draft["w"], draft["h"]) == (854, 480)
    voices = segments(draft, 1, "voice")
    captions = segments(draft, 7, "caption")
    assert len(voices) == 5 and captions and segments(draft, 1, "music")
    assert {s["src"] for s in draft["t"][0]["sg"]} & {
        v["id"] for v in made["state"]["video_infos"]}
    # Every generated source is stored as the session's generated media.
    generated = {g["id"] for g in made["state"]["generated_media"]}
    srcs = {s["src"] for t in draft["t"] for s in t["sg"] if s.get("src")}
    uploads = {v["id"] for v in made["state"]["video_infos"]}
    assert srcs <= generated | uploads and srcs & generated
    # Charged as priced: the turn, the voice-over and the music; nothing left frozen.
    cost = PRICES["chat_turn"] + PRICES["generate_tts"] + PRICES["generate_music"]
    assert made["before"]["available"] - made["after"]["available"] == cost
    assert made["after"]["frozen"] == 0
    text = reply(events)
    assert "English script" in text and f"costs {cost} credits" in text
    assert "Rendering should take about" in text


def test_a_female_voice_redoes_only_the_voice(api: Api, made: dict[str, Any]) -> None:
    auth, sid = made["auth"], made["sid"]
    before = state(api, auth, sid)["draft"]
    credits = balance(api, auth)["available"]
    events = chat(api, auth, sid, "use a female voice")
    after = state(api, auth, sid)["draft"]
    assert calls(events)[0] == "remake_explainer"
    old = [s["src"] for s in segments(before, 1, "voice")]
    new = [s["src"] for s in segments(after, 1, "voice")]
    assert len(new) == len(old) and not set(new) & set(old)
    assert after["m"]["explainer"]["voice"] == "en-female"
    assert segments(after, 1, "music")[0]["src"] == segments(before, 1, "music")[0]["src"]
    # A new voice-over is charged; the music the session already had is not.
    assert credits - balance(api, auth)["available"] == \
        PRICES["chat_turn"] + PRICES["generate_tts"]


def test_captions_turn_yellow_in_chinese(api: Api, made: dict[str, Any]) -> None:
    auth, sid = made["auth"], made["sid"]
    before = state(api, auth, sid)["draft"]
    credits = balance(api, auth)["available"]
    events = chat(api, auth, sid, "字幕改成黄色")
    after = state(api, auth, sid)["draft"]
    assert set(calls(events)) == {"set_text"}
    colours = {s["m"]["style"]["color"] for s in segments(after, 7, "caption")}
    assert len(colours) == 1 and colours != {"#FFFFFF"}
    colour = colours.pop()
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    assert red > 200 and green > 150 and blue < 100  # yellow
    assert [s["m"]["text"] for s in segments(after, 7, "caption")] == \
        [s["m"]["text"] for s in segments(before, 7, "caption")]
    assert credits - balance(api, auth)["available"] == PRICES["chat_turn"]
    # A later remake (slower voice) keeps the yellow captions.
    chat(api, auth, sid, "make the voice a bit slower")
    remade = state(api, auth, sid)["draft"]
    assert remade["m"]["explainer"]["speed"] < 1
    assert {s["m"]["style"]["color"] for s in segments(remade, 7, "caption")} == {colour}


def test_scene_two_gets_the_unused_upload(api: Api, made: dict[str, Any]) -> None:
    auth, sid = made["auth"], made["sid"]
    st = state(api, auth, sid)
    spare = next(v["id"] for v in st["video_infos"] if v["name"] == "spare.jpg")
    assert spare not in {s.get("src") for t in st["draft"]["t"] for s in t["sg"]}
    chat(api, auth, sid, "change scene 2's picture")
    main = state(api, auth, sid)["draft"]["t"][0]["sg"]
    assert main[1]["src"] == spare and main[1]["d"] == st["draft"]["t"][0]["sg"][1]["d"]
    # The swap survives a remake of the whole explainer.
    chat(api, auth, sid, "highlight the words")
    after = state(api, auth, sid)["draft"]
    assert after["m"]["explainer"]["captions"] == "highlight"
    assert after["t"][0]["sg"][1]["src"] == spare


def test_the_explainer_exports_to_a_watchable_mp4(api: Api, made: dict[str, Any],
                                                  tmp_path: Path) -> None:
    auth, sid = made["auth"], made["sid"]
    draft = state(api, auth, sid)["draft"]
    r = api.client.post("/api/render/proxy/lambda", headers={**auth, **ATTRIBUTION},
                        json={"id": "render_explainer", "sessionId": sid, "draft": draft,
                              "output": {"format": "mp4", "quality": "draft"}})
    assert r.json()["code"] == 0, r.text
    deadline = time.monotonic() + 120
    while True:
        job = api.client.get("/api/render/proxy/lambda/render_explainer",
                             headers=auth).json()["data"]
        if job["status"] in ("completed", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert job["status"] == "completed", job
    url = job["output"]["url"].removeprefix("http://testserver")
    out = tmp_path / "explainer.mp4"
    out.write_bytes(api.client.get(url).content)
    facts = probe(out, count_frames=False)
    assert facts.vcodec == "h264" and facts.acodec == "aac"
    assert (facts.width, facts.height) == (854, 480)
    assert abs(facts.duration - draft["d"] / 1000) < 0.15
    assert rms_db(audio_samples(out)) > -45  # the voice-over is audible
    voice = segments(draft, 1, "voice")[0]
    assert frame_at(out, (voice["st"] + 300) / 1000).mean() > 15  # not black


def test_an_uploaded_txt_script_is_used(api: Api) -> None:
    script = "Bees visit flowers all summer.\n\nThey make honey for the long winter.\n"
    auth, sid = new_session(api, [("bees.txt", script.encode())])
    events = chat(api, auth, sid, "turn this text into a video in 480p")
    draft = state(api, auth, sid)["draft"]
    assert calls(events)[:2] == ["parse_script", "make_explainer"]
    assert segments(draft, 1, "voice") and segments(draft, 7, "caption")
    words = " ".join(s["m"]["text"] for s in segments(draft, 7, "caption"))
    assert "honey" in words and "designed cards" in reply(events)


def test_a_chinese_script_gets_a_chinese_voice_and_reply(api: Api) -> None:
    auth, sid = new_session(api, [])
    events = chat(api, auth, sid, "把这段文字做成一个讲解视频，480p：蜜蜂整个夏天都在采花。"
                                  "它们为漫长的冬天酿造蜂蜜。")
    draft = state(api, auth, sid)["draft"]
    assert draft["m"]["explainer"]["voice"] == "zh-female"
    assert "讲解视频做好了" in reply(events) and "积分" in reply(events)


def test_a_script_too_long_for_the_target_is_cut_and_the_reply_says_so(api: Api) -> None:
    auth, sid = new_session(api, [])
    events = chat(api, auth, sid, f"make a 10-second explainer video in 480p: {LONG_SCRIPT}")
    draft = state(api, auth, sid)["draft"]
    text = reply(events)
    assert "longer than the 10 s you asked for" in text and "keep everything" in text
    assert draft["d"] <= 14_000 and draft["m"]["explainer"]["target"] == 10


def test_asking_without_a_script_asks_and_costs_nothing(api: Api) -> None:
    auth, sid = new_session(api, [])
    credits = balance(api, auth)
    events = chat(api, auth, sid, "make me an explainer video")
    assert events[-1]["actions"]["stateDelta"]["draft_changed"] is False
    assert "txt" in reply(events)
    assert balance(api, auth) == credits


def test_ordinary_turns_do_not_load_the_voice_engines() -> None:
    import subprocess
    import sys

    code = ("import sys, asyncio\n"
            "from reelwright.agent.turn import run_turn\n"
            "from reelwright.agent.intents import route\n"
            "from reelwright.agent.plan import Ctx\n"
            "route(Ctx(None, {}), 'make it vertical')\n"
            "print(sorted(m for m in sys.modules if m.startswith('reelwright.media.tts') "
            "or m == 'onnxruntime'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_short_of_credits_for_the_voice_changes_nothing_and_keeps_the_credits(
        api: Api) -> None:
    # Given a user with just enough credits for a chat turn and the voice, not the music,
    auth, sid = new_session(api, [])
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    user = ctx.accounts.resolve(auth["Authorization"].split(" ", 1)[1]).user_id
    spare = balance(api, auth)["available"] - PRICES["chat_turn"] - PRICES["generate_tts"]
    for _ in range(spare):
        ctx.ledger.freeze(user, "chat_turn", "test")  # price 1: parks one credit each
    before = balance(api, auth)
    # When an explainer is asked for,
    events = chat(api, auth, sid, f"turn this text into an explainer video: {SCRIPT}")
    # Then the reply names the shortfall, nothing is stored and no credit is spent or held.
    assert events[-1]["actions"]["stateDelta"]["draft_changed"] is False
    assert "Not enough credits" in reply(events)
    assert state(api, auth, sid)["draft"] is None
    assert balance(api, auth) == before


@pytest.mark.parametrize("message,claimed", [
    ("turn this text into a short explainer video with visuals and music: One. Two. Three.",
     True),
    ("make a short explainer video from my script with voice-over, captions and music", True),
    ("convert my notes to a video", True),
    ("把这段文字做成一个讲解视频：蜜蜂采花。它们酿蜜。", True),
    ("用这篇文案生成视频", True),
    ("add text \"Day one\" to the video", False),
    ("put these words into the video: hello there my friends", False),
    ("把标题文字做成红色", False),
    ("make a slideshow of my photos", False),
    ("add the caption 'Day one' on photo 1", False),
])
def test_only_requests_for_an_explainer_are_read_as_one(message: str, claimed: bool) -> None:
    from reelwright.agent.plan import Ctx
    from reelwright.agent.rules_explainer import make
    from reelwright.draft.media import MediaInfo

    script = MediaInfo(id="med_script", kind="text", path="", name="notes.txt")
    plan = make(Ctx(None, {script.id: script}), message, message)
    assert (plan is not None) == claimed, plan


def test_an_uploaded_song_is_the_explainers_music(api: Api) -> None:
    # Given a session with the person's own song
    from tests.conftest import run_ffmpeg

    song = Path(api.client.app.state.ctx.settings.data_path) / "own-song.wav"  # type: ignore
    run_ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=4", str(song))
    auth, sid = new_session(api, [("own-song.wav", song.read_bytes())])
    before = balance(api, auth)
    # When they turn a script into a video with music (no voice-over, to keep it short)
    events = chat(api, auth, sid, "turn this text into a video with music, no voice-over, "
                                  f"in 480p: {SCRIPT}")
    draft = state(api, auth, sid)["draft"]
    # Then their song is the music, the reply names it, and no music was made or charged
    music = segments(draft, 1, "music")
    uploads = {v["id"]: v["name"] for v in state(api, auth, sid)["video_infos"]}
    assert [uploads.get(s["src"]) for s in music] == ["own-song.wav"], reply(events)
    assert "own-song.wav" in reply(events)
    assert not any(g["id"].startswith("gen_music_")
                   for g in state(api, auth, sid)["generated_media"])
    assert before["available"] - balance(api, auth)["available"] == PRICES["chat_turn"]
