"""The OpenAI-compatible planner against a tiny scripted chat-completions server on 127.0.0.1.

The server is real HTTP (http.server in a thread); each test scripts the model's replies and
checks what the planner sent back (tool results) and what the turn did to the draft.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from tests.agent.agent_fixtures import start_state, turn

from reelwright.agent.llm import FallbackPlanner, LLMPlanner, planner_for
from reelwright.agent.planner import OfflinePlanner
from reelwright.settings import Settings


class Scripted:
    def __init__(self) -> None:
        self.replies: list[tuple[int, dict[str, Any]]] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []


@pytest.fixture
def llm() -> Iterator[tuple[str, Scripted]]:
    script = Scripted()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", 0))
            script.requests.append(json.loads(self.rfile.read(length)))
            script.headers.append(dict(self.headers))
            status, payload = script.replies.pop(0) if script.replies else (500, {})
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", script
    server.shutdown()
    server.server_close()


def tool_reply(*calls: tuple[str, dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    return 200, {"choices": [{"message": {"role": "assistant", "content": None, "tool_calls": [
        {"id": f"tc{i}", "type": "function",
         "function": {"name": name, "arguments": json.dumps(args)}}
        for i, (name, args) in enumerate(calls)]}}]}


def text_reply(text: str) -> tuple[int, dict[str, Any]]:
    return 200, {"choices": [{"message": {"role": "assistant", "content": text}}]}


def settings_for(url: str) -> Settings:
    return Settings({"llm_base_url": url, "llm_model": "scripted-model", "llm_api_key": "k1"})


def test_tool_calls_edit_the_draft_and_results_are_fed_back(llm: tuple[str, Scripted]) -> None:
    url, script = llm
    script.replies = [tool_reply(("set_canvas", {"aspect": "9:16"})),
                      text_reply("Made it vertical for TikTok.")]
    start = start_state("show")
    result = turn(start, "make it tiktok-ready", settings=settings_for(url))
    assert result.changed and (result.draft.w, result.draft.h) == (1080, 1920)  # type: ignore
    assert result.reply == "Made it vertical for TikTok."
    assert result.charged_action == "chat_turn"
    first, second = script.requests
    assert first["model"] == "scripted-model"
    assert script.headers[0]["Authorization"] == "Bearer k1"
    names = {tool["function"]["name"] for tool in first["tools"]}
    assert {"set_canvas", "set_volume", "make_slideshow", "undo"} <= names
    assert "Timeline" in first["messages"][0]["content"]
    tool_messages = [m for m in second["messages"] if m["role"] == "tool"]
    assert tool_messages == [{"role": "tool", "tool_call_id": "tc0",
                              "content": json.dumps({"status": "ok"})}]
    calls = [p["functionCall"] for e in result.events for p in e.parts if "functionCall" in p]
    assert [c["name"] for c in calls] == ["set_canvas"]


def test_invalid_operations_are_rejected_and_explained_to_the_model(
        llm: tuple[str, Scripted]) -> None:
    url, script = llm
    script.replies = [tool_reply(("set_canvas", {"aspect": "7:3"}),
                                 ("remove_segment", {"target": {"track": "visual",
                                                                "index": 12}}),
                                 ("fly_to_moon", {})),
                      tool_reply(("set_canvas", {"aspect": "1:1"})),
                      text_reply("It is square now.")]
    start = start_state("show")
    result = turn(start, "square please", settings=settings_for(url))
    errors = [json.loads(m["content"]) for m in script.requests[1]["messages"]
              if m["role"] == "tool"]
    assert "must be one of" in errors[0]["error"]
    assert "there is no photo 12" in errors[1]["error"]
    assert "no tool 'fly_to_moon'" in errors[2]["error"]
    assert (result.draft.w, result.draft.h) == (1080, 1080)  # type: ignore[union-attr]
    assert [c.name for c in result.plan.calls] == ["set_canvas"]
    assert len(result.draft.tracks_of(0)[0].sg) == 5  # type: ignore[union-attr]


def test_a_question_from_the_model_changes_nothing(llm: tuple[str, Scripted]) -> None:
    url, script = llm
    script.replies = [text_reply("Which photo do you mean?")]
    start = start_state("show")
    result = turn(start, "make that one longer", settings=settings_for(url))
    assert result.plan.kind == "ask" and not result.changed
    assert result.charged_action is None and result.draft is start.draft
    assert result.reply == "Which photo do you mean?"


def test_a_failing_endpoint_falls_back_to_the_offline_planner(
        llm: tuple[str, Scripted]) -> None:
    url, script = llm
    script.replies = [(500, {"error": "model overloaded"})]
    result = turn(start_state("show"), "换成竖屏", settings=settings_for(url))
    assert len(script.requests) == 1
    assert (result.draft.w, result.draft.h) == (1080, 1920)  # type: ignore[union-attr]
    # Nothing listening at all behaves the same.
    result = turn(start_state("show"), "make it square",
                  settings=settings_for("http://127.0.0.1:9/v1"))
    assert (result.draft.w, result.draft.h) == (1080, 1080)  # type: ignore[union-attr]


def test_planner_choice_follows_settings() -> None:
    assert isinstance(planner_for(Settings()), OfflinePlanner)
    chosen = planner_for(settings_for("http://llm.local/v1"))
    assert isinstance(chosen, FallbackPlanner) and isinstance(chosen.primary, LLMPlanner)
    assert chosen.primary.url == "http://llm.local/v1/chat/completions"
