"""SSE parsing and the streamed chat turn."""

from __future__ import annotations

import json

import pytest
from tests.client.fake_server import FakeServer, envelope

from reelwright import errors
from reelwright.client import event_function_calls, event_text, iter_messages


def test_comments_are_heartbeats_and_never_events() -> None:
    lines = [": ping", "", "data: {\"a\": 1}", "", ": keep-alive", ":", "", "data: 2", ""]
    assert [m.data for m in iter_messages(lines)] == ['{"a": 1}', "2"]


def test_multi_line_data_event_names_and_a_missing_final_blank_line() -> None:
    lines = ["event: error", "data: {\"code\": 2001,", "data:  \"message\": \"x\"}", "",
             "id: 7", "data:last"]
    first, second = list(iter_messages(lines))
    assert first.event == "error"
    assert first.json() == {"code": 2001, "message": "x"}
    assert (second.event, second.data, second.id) == ("message", "last", "7")


def test_crlf_line_endings_are_accepted() -> None:
    assert [m.data for m in iter_messages(["data: x\r", "\r"])] == ["x"]


def _event(parts: list[dict[str, object]], **extra: object) -> str:
    return "data: " + json.dumps({"author": "reelwright", "content": {"role": "model",
                                                                      "parts": parts}, **extra})


def test_run_sse_yields_adk_events_in_order_and_skips_heartbeats() -> None:
    server = FakeServer(sse_lines=[
        ": heartbeat", "",
        _event([{"functionCall": {"name": "make_slideshow", "args": {"n": 3}}}]), "",
        ": heartbeat", "",
        _event([{"text": "Your slideshow "}]), "",
        _event([{"text": "is ready."}]), "",
    ])
    with server.client() as rw:
        events = list(rw.run_sse("make a slideshow"))
    assert [event_text(e) for e in events] == ["", "Your slideshow ", "is ready."]
    assert event_function_calls(events[0]) == [{"name": "make_slideshow", "args": {"n": 3}}]
    request = server.requests[-1]
    assert request.headers["accept"] == "text/event-stream"
    body = json.loads(request.content)
    assert body["app_name"] == "nemo_agent" and body["session_id"] == "ses1"
    assert body["new_message"]["parts"] == [{"text": "make a slideshow"}]


def test_an_error_event_in_the_stream_raises_its_typed_error() -> None:
    server = FakeServer(sse_lines=[
        _event([{"text": "Working"}]), "",
        "event: error", 'data: {"code": 2001, "message": "No credits ?bind=c1"}', "",
    ])
    with server.client() as rw:
        stream = rw.run_sse("hi")
        assert event_text(next(stream)) == "Working"
        with pytest.raises(errors.NoCredits, match="bind=c1"):
            next(stream)


def test_a_refused_turn_raises_before_any_event() -> None:
    server = FakeServer()
    with server.client() as rw:
        rw.create_session()
        server.sessions.clear()
        server.fail_next("/run_sse", lambda _r: envelope(1002, "Session not found", status=404))
        with pytest.raises(errors.SessionNotFound):
            list(rw.run_sse("hi"))
