"""Envelope -> typed error: every protocol code becomes the class the server raised."""

from __future__ import annotations

import httpx
import pytest
from tests.client.fake_server import FakeServer, envelope

from reelwright import errors
from reelwright.client import Client

CASES = [
    (400, 400, errors.BadRequest, "X-Client-Id header is required"),
    (1002, 404, errors.SessionNotFound, "Session not found"),
    (2001, 402, errors.NoCredits, "Not enough credits: register at http://x/register?bind=c1"),
    (4001, 415, errors.UnsupportedMedia, "Unsupported file; supported: mp4 mov jpg png"),
    (4002, 413, errors.MediaTooLarge, "File too large; the limit is 200 MB"),
    (402, 402, errors.PlanBlocked, "Export needs the attribution headers"),
    (404, 404, errors.NotFound, "Render job 'x' not found"),
    (403, 403, errors.Forbidden, "This download link is invalid or has expired"),
    (409, 409, errors.Busy, "The session is already running a turn"),
    (5001, 500, errors.RenderFailed, "ffmpeg failed"),
]


@pytest.mark.parametrize(("code", "status", "cls", "message"), CASES)
def test_each_code_raises_its_class_with_the_servers_message(
        code: int, status: int, cls: type[errors.ReelwrightError], message: str) -> None:
    server = FakeServer()
    server.fail_next("/balance", lambda _r: envelope(code, message, {"k": 1}, status=status))
    with server.client() as rw, pytest.raises(cls) as caught:
        rw.balance()
    assert type(caught.value) is cls
    assert caught.value.message == message
    assert caught.value.code == code


def test_rate_limited_carries_retry_after_from_the_header() -> None:
    server = FakeServer()
    too_many = envelope(429, "one token per client id per 7 days", status=429,
                        headers={"Retry-After": "604000"})
    server.fail_next("/anonymous-token", lambda _r: too_many)
    with server.client() as rw, pytest.raises(errors.RateLimited) as caught:
        rw.anonymous_token()
    assert caught.value.retry_after == 604000


def test_draft_problems_survive_the_round_trip() -> None:
    server = FakeServer()
    problems = ["draft.t[0].sg[0].src: unknown media 'med_x'", "draft.d: must be > 0"]
    server.fail_next("/render/proxy/lambda", lambda _r: envelope(
        400, "invalid draft: " + "; ".join(problems), {"problems": problems}, status=400))
    with server.client() as rw, pytest.raises(errors.DraftInvalid) as caught:
        rw.start_render({"v": 1}, session_id="ses1")
    assert caught.value.problems == problems


def test_a_non_envelope_error_page_still_raises_a_typed_error() -> None:
    server = FakeServer()
    server.fail_next("/balance", lambda _r: httpx.Response(502, text="<html>Bad gateway</html>"))
    with server.client() as rw, pytest.raises(errors.ReelwrightError) as caught:
        rw.balance()
    assert "502" in caught.value.message


def test_an_http_200_with_a_nonzero_code_is_an_error() -> None:
    server = FakeServer()
    server.fail_next("/balance", lambda _r: envelope(2001, "no credits ?bind=abc"))
    with server.client() as rw, pytest.raises(errors.NoCredits, match=r"\?bind=abc"):
        rw.balance()


def test_success_results_are_typed() -> None:
    server = FakeServer()
    with server.client() as rw:
        balance = rw.balance()
        session = rw.create_session("Trip", language="zh")
    assert (balance.available, balance.frozen, balance.total) == (97, 3, 100)
    assert session.session_id == "ses1" and session.task_id == "taskses1"
    assert rw.session_id == "ses1"


def test_bad_input_fails_before_any_request(tmp_path: object) -> None:
    server = FakeServer()
    with server.client() as rw:
        with pytest.raises(errors.BadRequest, match="not a file"):
            rw.upload(["/no/such/file.jpg"], session_id="ses1")
        with pytest.raises(errors.BadRequest):
            rw.import_urls([], session_id="ses1")
    assert server.requests == []


def test_client_is_usable_without_a_transport_override() -> None:
    with Client("http://127.0.0.1:9") as rw:
        assert rw.base_url == "http://127.0.0.1:9"
