"""A session's history and chat live in the store: undo/redo survive a restart, a new edit
after undo drops the redo branch, each version says what made it, the chat reloads from
``state.conversation``, and a turn whose base moved under it stores and charges nothing.

Real app over ASGI on SQLite; a "restart" is a second app on the same data_dir.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.agent.test_llm import Scripted, llm, text_reply  # noqa: F401 (llm: a fixture)
from tests.api.api_helpers import Api, jpeg_bytes

from reelwright.api import create_app
from reelwright.api.routes import agent as agent_route
from reelwright.settings import Settings
from reelwright.store.history import DraftHistory


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def start(data: Path, **values: Any) -> TestClient:
    settings = Settings({"data_dir": str(data), "workers": 1, "public_url": "http://testserver",
                         "anon_tokens_per_ip": 1000, **values})
    return TestClient(create_app(settings))


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with start(data_dir) as c:
        yield c


def say(client: TestClient, auth: dict[str, str], sid: str, text: str) -> dict[str, Any]:
    r = client.post("/run", headers=auth, json={
        "app_name": "nemo_agent", "user_id": "me", "session_id": sid,
        "new_message": {"role": "user", "parts": [{"text": text}]}})
    assert r.status_code == 200, r.text
    return r.json()[-1]


def state(client: TestClient, auth: dict[str, str], sid: str) -> dict[str, Any]:
    r = client.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=auth)
    assert r.status_code == 200
    return r.json()["data"]["state"]


def credits(client: TestClient, auth: dict[str, str]) -> dict[str, int]:
    data = client.get("/api/credits/balance/simple", headers=auth).json()["data"]
    assert data["total"] == data["available"] + data["frozen"]
    return data


def new_session(client: TestClient) -> tuple[dict[str, str], str]:
    api = Api(client)
    auth = api.token()
    sid = api.session(auth)
    files = [(f"p{i}.jpg", jpeg_bytes((160, 120), seed=i)) for i in range(1, 6)]
    assert api.upload(auth, sid, files).status_code == 200
    return auth, sid


def test_undo_and_redo_survive_a_restart(data_dir: Path) -> None:
    with start(data_dir) as client:
        auth, sid = new_session(client)
        say(client, auth, sid, "make a slideshow of my photos")
        wide = state(client, auth, sid)["draft"]
        say(client, auth, sid, "make it square")
        square = state(client, auth, sid)["draft"]
        assert (square["w"], square["h"]) == (1080, 1080)
        undone = say(client, auth, sid, "undo")
        assert undone["actions"]["stateDelta"]["draft"] == wide
    # Given a fresh server on the same store (nothing in memory),
    with start(data_dir) as client:
        # When the person says undo again, Then there is nothing left before the first draft,
        # and the square edit the first undo took back is not replayed.
        assert state(client, auth, sid)["draft"] == wide
        again = say(client, auth, sid, "undo")
        assert again["actions"]["stateDelta"]["draft_changed"] is False
        assert state(client, auth, sid)["draft"] == wide
        # redo brings the square back, a second redo has nothing left
        redone = say(client, auth, sid, "redo")
        assert redone["actions"]["stateDelta"]["draft"] == square
        assert say(client, auth, sid, "redo")["actions"]["stateDelta"]["draft_changed"] is False
    rows = DraftHistory(client.app.state.ctx.db).rows(sid)
    made = [(r.version, r.parent, r.kind, r.target) for r in rows]
    assert made == [(1, None, "turn", None), (2, 1, "turn", None), (3, 2, "undo", 2),
                    (4, 3, "redo", 2)]
    ops = json.loads(rows[1].operations or "[]")
    assert ops and ops[0]["name"] and rows[1].label == "make it square"


def test_a_new_edit_after_undo_drops_the_redo_branch(client: TestClient) -> None:
    auth, sid = new_session(client)
    say(client, auth, sid, "make a slideshow of my photos")
    say(client, auth, sid, "make it square")
    say(client, auth, sid, "undo")
    say(client, auth, sid, "make it vertical")
    vertical = state(client, auth, sid)["draft"]
    assert (vertical["w"], vertical["h"]) == (1080, 1920)
    assert say(client, auth, sid, "redo")["actions"]["stateDelta"]["draft_changed"] is False
    # undo goes back to the wide first draft (the undone square is gone for good)
    back = say(client, auth, sid, "undo")["actions"]["stateDelta"]["draft"]
    assert back["w"] > back["h"]


def test_an_export_snapshot_is_a_step_undo_goes_back_from(client: TestClient) -> None:
    auth, sid = new_session(client)
    say(client, auth, sid, "make a slideshow of my photos")
    first = state(client, auth, sid)["draft"]
    edited = {**first, "w": 1280, "h": 720}
    r = client.post("/api/render/proxy/lambda", headers={
        **auth, "X-Skill-Source": "t", "X-Skill-Version": "1", "X-Skill-Platform": "t"},
        json={"id": "render_1", "sessionId": sid, "draft": edited,
              "output": {"format": "mp4", "quality": "draft"}})
    assert r.status_code == 200, r.text
    assert state(client, auth, sid)["draft"]["w"] == 1280
    rows = DraftHistory(client.app.state.ctx.db).rows(sid)
    assert (rows[-1].kind, rows[-1].parent, rows[-1].undo_to) == ("export", 1, 1)
    assert say(client, auth, sid, "undo")["actions"]["stateDelta"]["draft"] == first
    client.delete("/api/render/proxy/lambda/render_1", headers=auth)  # the render is not the point
    assert client.app.state.ctx.queue.join(60)


def test_the_conversation_is_stored_and_reloads(client: TestClient) -> None:
    auth, sid = new_session(client)
    assert state(client, auth, sid)["conversation"] == []
    say(client, auth, sid, "make a slideshow of my photos")
    say(client, auth, sid, "what can you do?")
    talk = state(client, auth, sid)["conversation"]
    assert [m["role"] for m in talk] == ["user", "assistant", "user", "assistant"]
    assert talk[0]["text"] == "make a slideshow of my photos"
    assert talk[1]["text"].startswith("Made a") and "slideshow" in talk[1]["text"]
    assert all(m["at"].endswith("Z") and "T" in m["at"] for m in talk)
    # the planner reads the same talk from the store
    planner_view = client.app.state.ctx.turns.conversation.for_planner(sid)
    assert planner_view[-2] == {"role": "user", "content": "what can you do?"}


def _moving_base(client: TestClient, sid: str) -> Callable[..., Any]:
    real = agent_route.run_turn
    ctx = client.app.state.ctx

    async def turn_while_someone_exports(*args: Any, **kwargs: Any) -> Any:
        result = await real(*args, **kwargs)
        head = ctx.turns.history.head(sid)
        draft = json.loads(head.draft_json)
        await asyncio.to_thread(ctx.projects.append_draft, sid,
                                json.dumps({**draft, "w": 1280, "h": 720}), "export")
        return result
    return turn_while_someone_exports


def test_a_turn_whose_base_moved_stores_and_charges_nothing(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    auth, sid = new_session(client)
    say(client, auth, sid, "make a slideshow of my photos")
    before = credits(client, auth)
    # Given an export stores an edited draft while the turn works,
    monkeypatch.setattr(agent_route, "run_turn", _moving_base(client, sid))
    closing = say(client, auth, sid, "make it square")
    # Then the turn says nothing changed, its square draft is not stored, nothing is charged.
    delta = closing["actions"]["stateDelta"]
    assert delta["draft_changed"] is False and delta["turn"]["landed"] is False
    assert "changed elsewhere" in closing["content"]["parts"][0]["text"]
    now = state(client, auth, sid)
    assert (now["draft"]["w"], now["draft"]["h"]) == (1280, 720)
    assert delta["draft"] == now["draft"] and delta["draft_version"] == now["draft_version"]
    assert credits(client, auth) == before
    assert client.app.state.ctx.ledger.open_holds() == []


def test_the_llm_planner_reads_the_stored_chat_after_a_restart(
        data_dir: Path, llm: tuple[str, Scripted]) -> None:  # noqa: F811 (the fixture)
    url, script = llm
    values = {"llm_base_url": url, "llm_model": "scripted-model", "llm_api_key": "k1"}
    script.replies = [text_reply("Which photo do you mean?"), text_reply("The second one, then?")]
    with start(data_dir, **values) as client:
        auth, sid = new_session(client)
        say(client, auth, sid, "make that one longer")
    # Given a restarted server, When the person answers, Then the model sees the earlier talk.
    with start(data_dir, **values) as client:
        say(client, auth, sid, "the one with the dog")
    sent = [(m["role"], m["content"]) for m in script.requests[-1]["messages"]
            if m["role"] in ("user", "assistant")]
    assert sent[-3:] == [("user", "make that one longer"),
                         ("assistant", "Which photo do you mean?"),
                         ("user", "the one with the dog")]
