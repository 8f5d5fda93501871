"""POST /run_sse and /run through the real app (ASGI, SQLite, ingest, music library).

Covers the ADK event stream, the prompt-suite subset marked "api", credits, ownership (1002),
Busy (409), heartbeats and a client that goes away mid-turn.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.agent.suite import Observed, cases, failures
from tests.api.api_helpers import Api, jpeg_bytes

from reelwright.api import create_app
from reelwright.api.routes import agent as agent_route
from reelwright.draft.codec import from_json
from reelwright.settings import Settings

# How an API case's start state is reached by chat (the pure suite builds the same by code).
API_STARTS = {
    "photos_only": [],
    "clips_only": [],
    "show": ["make a slideshow from my photos with upbeat music, titled 'Summer'"],
}


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("agent-data")
    settings = Settings({"data_dir": str(data), "workers": 1,
                         "public_url": "http://testserver", "anon_tokens_per_ip": 1000})
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from tests.conftest import run_ffmpeg

    path = tmp_path_factory.mktemp("song") / "song.wav"
    run_ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=4", str(path))
    return path.read_bytes()


@pytest.fixture(scope="module")
def api(app_client: TestClient) -> Api:
    return Api(app_client)


def body(sid: str, text: str) -> dict[str, Any]:
    return {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"role": "user", "parts": [{"text": text}]}}


def sse_events(client: TestClient, auth: dict[str, str], sid: str, text: str
               ) -> tuple[list[dict[str, Any]], list[str]]:
    events: list[dict[str, Any]] = []
    comments: list[str] = []
    with client.stream("POST", "/run_sse", json=body(sid, text),
                       headers={**auth, "Accept": "text/event-stream"}) as resp:
        assert resp.status_code == 200, resp.read()
        assert resp.headers["content-type"].startswith("text/event-stream")
        for line in resp.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
            elif line.startswith(":"):
                comments.append(line)
    return events, comments


def balance(api: Api, auth: dict[str, str]) -> int:
    r = api.client.get("/api/credits/balance/simple", headers=auth)
    data = r.json()["data"]
    assert data["total"] == data["available"] + data["frozen"]
    return int(data["available"])


def new_session(api: Api, song: bytes, *, clips: bool = False) -> tuple[dict[str, str], str]:
    auth = api.token()
    sid = api.session(auth)
    files = [(f"p{i}.jpg", jpeg_bytes((160, 120), seed=i)) for i in range(1, 6)]
    files.append(("song.wav", song))
    r = api.upload(auth, sid, files)
    assert r.status_code == 200, r.text
    return auth, sid


def test_stream_is_adk_events_ending_in_text(api: Api, song: bytes) -> None:
    # Given a session with photos, When the person asks for a slideshow over /run_sse,
    auth, sid = new_session(api, song)
    before = balance(api, auth)
    events, _ = sse_events(api.client, auth, sid,
                           "turn my photos into a slideshow video with music and transitions")
    # Then the stream holds a functionCall, its functionResponse, and a closing text event
    call = events[0]["content"]["parts"][0]["functionCall"]
    assert call["name"] == "make_slideshow" and call["id"]
    response = events[1]["content"]["parts"][0]["functionResponse"]
    assert response["id"] == call["id"] and response["response"]["status"] == "ok"
    last = events[-1]
    assert last["turnComplete"] is True and last["partial"] is False
    assert last["author"] == "reelwright" and last["invocationId"] == events[0]["invocationId"]
    assert {"id", "timestamp", "content", "actions"} <= set(last)
    assert "slideshow" in last["content"]["parts"][0]["text"]
    delta = last["actions"]["stateDelta"]
    assert delta["draft_changed"] is True and delta["draft_version"] == 1
    # And the stored state is that draft, its music is the uploaded song (the reply names it,
    # no built-in music was made), one credit spent
    state = api.state(auth, sid).json()["data"]["state"]
    assert state["draft"] == delta["draft"] and state["draft_version"] == 1
    music_ids = [s["src"] for t in state["draft"]["t"] if t["tt"] == 1 for s in t["sg"]]
    songs = {v["id"] for v in state["video_infos"] if v["name"] == "song.wav"}
    assert music_ids and music_ids[0] in songs and not state["generated_media"]
    assert "song.wav" in last["content"]["parts"][0]["text"]
    assert balance(api, auth) == before - 1


def test_run_returns_the_same_events_as_a_list(api: Api, song: bytes) -> None:
    auth, sid = new_session(api, song)
    api.client.post("/run", json=body(sid, "make a slideshow of my photos"), headers=auth)
    r = api.client.post("/run", json=body(sid, "换成竖屏"), headers=auth)
    assert r.status_code == 200
    events = r.json()
    assert [list(e["content"]["parts"][0])[0] for e in events] == \
        ["functionCall", "functionResponse", "text"]
    assert events[-1]["actions"]["stateDelta"]["draft"]["h"] == 1920


@pytest.mark.parametrize("case", [c for c in cases() if c.get("api")],
                         ids=lambda c: c["msg"][:40])
def test_prompt_suite_subset_through_run_sse(api: Api, song: bytes,
                                             case: dict[str, Any]) -> None:
    if case["start"] not in API_STARTS:
        pytest.skip(f"start state {case['start']} is only built by code")
    auth, sid = new_session(api, song)
    for setup in API_STARTS[case["start"]]:
        r = api.client.post("/run", json=body(sid, setup), headers=auth)
        assert r.json()[-1]["actions"]["stateDelta"]["draft_changed"], r.json()[-1]
    raw_before = api.state(auth, sid).json()["data"]["state"]["draft"]
    credits = balance(api, auth)
    events, _ = sse_events(api.client, auth, sid, case["msg"])
    last = events[-1]
    delta = last["actions"]["stateDelta"]
    obs = Observed(delta["turn"]["kind"], from_json(raw_before) if raw_before else None,
                   from_json(delta["draft"]) if delta.get("draft") else None,
                   delta["draft_changed"], balance(api, auth) == credits - 1,
                   last["content"]["parts"][0]["text"])
    # The suite names media as the code-built states do; map them to this session's ids.
    ids = {f"med_{Path(v['name']).stem}": v["id"]
           for v in api.state(auth, sid).json()["data"]["state"]["video_infos"]}
    expect = [" ".join(ids.get(word, word) for word in line.split(" "))
              for line in case["expect"]]
    broken = failures({**case, "expect": expect}, obs)
    assert not broken, (broken, obs.reply)


def test_someone_elses_session_is_not_found(api: Api, song: bytes) -> None:
    _, sid = new_session(api, song)
    stranger = api.token()
    r = api.client.post("/run_sse", json=body(sid, "make a slideshow"), headers=stranger)
    assert r.status_code == 404 and r.json()["code"] == 1002
    r = api.client.post("/run", json=body(sid, "make a slideshow"), headers={})
    assert r.json()["code"] == 1001


def test_empty_message_is_a_bad_request(api: Api, song: bytes) -> None:
    auth, sid = new_session(api, song)
    r = api.client.post("/run", json={**body(sid, ""), "new_message": {"parts": []}},
                        headers=auth)
    assert r.status_code == 400 and r.json()["code"] == 400


def test_questions_and_failures_cost_nothing(api: Api, song: bytes) -> None:
    auth, sid = new_session(api, song)
    api.client.post("/run", json=body(sid, "make a slideshow of my photos"), headers=auth)
    credits = balance(api, auth)
    version = api.state(auth, sid).json()["data"]["state"]["draft_version"]
    for text in ("make it better", "remove photo 9", "what is the capital of France?"):
        events = api.client.post("/run", json=body(sid, text), headers=auth).json()
        assert events[-1]["content"]["parts"][0]["text"]
        assert events[-1]["actions"]["stateDelta"]["draft_changed"] is False
    assert balance(api, auth) == credits
    assert api.state(auth, sid).json()["data"]["state"]["draft_version"] == version


def test_undo_over_http_restores_the_previous_version(api: Api, song: bytes) -> None:
    auth, sid = new_session(api, song)
    api.client.post("/run", json=body(sid, "make a slideshow of my photos"), headers=auth)
    first = api.state(auth, sid).json()["data"]["state"]["draft"]
    api.client.post("/run", json=body(sid, "make it square"), headers=auth)
    events = api.client.post("/run", json=body(sid, "撤销"), headers=auth).json()
    assert events[-1]["actions"]["stateDelta"]["draft"] == first
    assert api.state(auth, sid).json()["data"]["state"]["draft"] == first


def _slow_run_turn(delay: float) -> Callable[..., Any]:
    real = agent_route.run_turn

    async def slow(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(delay)
        return await real(*args, **kwargs)
    return slow


def test_busy_session_and_heartbeats(app_client: TestClient, api: Api, song: bytes,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    auth, sid = new_session(api, song)
    api.client.post("/run", json=body(sid, "make a slideshow of my photos"), headers=auth)
    monkeypatch.setattr(agent_route, "HEARTBEAT_S", 0.2)
    monkeypatch.setattr(agent_route, "run_turn", _slow_run_turn(1.5))
    app = app_client.app
    credits = balance(api, auth)

    async def both() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            first = asyncio.create_task(c.post("/run_sse", json=body(sid, "make it square"),
                                               headers=auth))
            deadline = time.monotonic() + 10  # a loaded machine may take a while to get there
            while sid not in app.state.ctx.turns.active and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            second = await c.post("/run", json=body(sid, "make it vertical"), headers=auth)
            return await first, second

    first, second = asyncio.run(both())
    # The second turn is refused while the first works; the first streams heartbeats.
    assert second.status_code == 409 and second.json()["code"] == 409
    assert ": heartbeat" in first.text
    assert '"draft_changed": true' in first.text
    assert balance(api, auth) == credits - 1


@pytest.fixture
def live_server(app_client: TestClient) -> Iterator[str]:
    """The same app behind a real uvicorn socket, so a client can really hang up."""
    import socket
    import threading

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app_client.app, host="127.0.0.1", port=port,
                                           lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


def test_client_that_leaves_cancels_the_turn(live_server: str, api: Api, song: bytes,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    auth, sid = new_session(api, song)
    api.client.post("/run", json=body(sid, "make a slideshow of my photos"), headers=auth)
    version = api.state(auth, sid).json()["data"]["state"]["draft_version"]
    credits = balance(api, auth)
    monkeypatch.setattr(agent_route, "HEARTBEAT_S", 0.1)
    monkeypatch.setattr(agent_route, "run_turn", _slow_run_turn(2.0))
    # Given a slow turn, When the person closes the connection after the first heartbeat,
    with httpx.Client(base_url=live_server, timeout=10) as c, \
            c.stream("POST", "/run_sse", json=body(sid, "make it square"), headers=auth) as resp:
        for line in resp.iter_lines():
            if line.startswith(":"):
                break
    # Then nothing is stored, nothing is charged, and the session is free again.
    deadline = time.monotonic() + 5
    while sid in api.client.app.state.ctx.turns.active and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(2.2)  # past the moment the turn would have finished
    assert api.state(auth, sid).json()["data"]["state"]["draft_version"] == version
    assert balance(api, auth) == credits
    monkeypatch.setattr(agent_route, "run_turn", _slow_run_turn(0))
    r = api.client.post("/run", json=body(sid, "make it square"), headers=auth)
    assert r.status_code == 200 and r.json()[-1]["actions"]["stateDelta"]["draft"]["w"] == 1080


def test_no_credits_answers_2001(api: Api, song: bytes, app_client: TestClient) -> None:
    auth, sid = new_session(api, song)
    ctx = app_client.app.state.ctx  # type: ignore[attr-defined]
    user = ctx.accounts.resolve(auth["Authorization"].split()[1]).user_id
    available = balance(api, auth)
    for _ in range(available):
        ctx.ledger.charge(user, "chat_turn", ref="drain")
    r = api.client.post("/run", json=body(sid, "make a slideshow"), headers=auth)
    assert r.status_code == 402 and r.json()["code"] == 2001
    assert "bind" in r.json()["message"]


def without_link_expiry(value: Any) -> Any:
    """A state answer with each signed download link cut to the file it names.

    Links carry ``?exp=&sig=``, which move on to a new window now and then (signing.py); the
    file a link names, and everything else in the state, must not change.
    """
    if isinstance(value, dict):
        return {k: without_link_expiry(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_link_expiry(v) for v in value]
    if isinstance(value, str) and "/api/files/" in value:
        return value.split("?", 1)[0]
    return value


def test_questions_and_refusals_stay_free_at_zero_credits(api: Api, song: bytes,
                                                           app_client: TestClient) -> None:
    # Given a person with a slideshow and no credits left
    auth, sid = new_session(api, song)
    assert api.client.post("/run", json=body(sid, "make a slideshow"), headers=auth).json()
    ctx = app_client.app.state.ctx  # type: ignore[attr-defined]
    user = ctx.accounts.resolve(auth["Authorization"].split()[1]).user_id
    for _ in range(balance(api, auth)):
        ctx.ledger.charge(user, "chat_turn", ref="drain")
    # When they ask something out of scope, Then they get an answer, free
    r = api.client.post("/run", json=body(sid, "what's the weather like?"), headers=auth)
    assert r.status_code == 200
    assert "outside" in r.json()[-1]["content"]["parts"][-1]["text"]
    # And an edit still answers 2001, changing nothing
    before = api.client.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=auth).json()
    r = api.client.post("/run", json=body(sid, "make it square"), headers=auth)
    assert r.json()["code"] == 2001
    after = api.client.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=auth).json()
    assert before["data"]["state"]["draft_version"] > 0
    assert without_link_expiry(after) == without_link_expiry(before)
    assert balance(api, auth) == 0


def test_product_demo_from_uploaded_clips(api: Api, make_clip: Callable[..., Path]) -> None:
    # Given two short real clips, When the person asks for a 2-minute 1080p demo,
    auth = api.token()
    sid = api.session(auth)
    clips = [make_clip(f"demo{i}.mp4", seconds=2.0, size="320x240") for i in (1, 2)]
    r = api.upload(auth, sid, [(p.name, p.read_bytes()) for p in clips])
    assert r.status_code == 200, r.text
    events, _ = sse_events(api.client, auth, sid,
                           "create a 2-minute product demo video into a 1080p MP4, "
                           "titled 'Gadget'")
    # Then both clips play whole at 1920x1080 with a title and music, and the reply says the
    # material was shorter than asked.
    delta = events[-1]["actions"]["stateDelta"]
    draft = from_json(delta["draft"])
    main = draft.t[0].sg
    assert (draft.w, draft.h) == (1920, 1080) and len(main) == 2
    assert 3000 <= draft.d <= 4000
    assert any(t.tt == 7 and t.sg[0].m["text"] == "Gadget" for t in draft.t)
    assert any(t.tt == 1 for t in draft.t)
    assert "only" in events[-1]["content"]["parts"][0]["text"]
