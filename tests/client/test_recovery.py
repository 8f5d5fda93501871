"""The protocol's recovery rules: 1001 new token, 1002 new session (if allowed), 429 wait."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.client.fake_server import FakeServer, envelope

from reelwright import errors
from reelwright.client import Attribution


def test_expired_token_is_replaced_once_and_the_call_retried(tmp_path: Path) -> None:
    server = FakeServer()
    with server.client(token_file=tmp_path / "token.json") as rw:
        rw.balance()
        server.tokens.clear()  # every token the server knew is now expired
        assert rw.balance().total == 100
    assert server.paths().count("/api/auth/anonymous-token") == 2
    assert rw.token == "tok2"
    # the new token is what the token file now holds
    assert "tok2" in (tmp_path / "token.json").read_text()


def test_token_renewal_is_tried_only_once() -> None:
    server = FakeServer()
    with server.client() as rw:
        rw.balance()
        always_expired = lambda _r: envelope(1001, "Token expired", status=401)  # noqa: E731
        server.fail_next("/balance", always_expired)
        server.fail_next("/balance", always_expired)
        with pytest.raises(errors.AuthFailed):
            rw.balance()
    assert server.paths().count("/api/credits/balance/simple") == 3


def test_a_given_token_is_never_swapped_for_an_anonymous_one() -> None:
    server = FakeServer()
    with server.client(token="rwk_registered") as rw, pytest.raises(errors.AuthFailed):
        rw.balance()
    assert "/api/auth/anonymous-token" not in server.paths()


def test_token_file_keeps_token_and_client_id_between_runs(tmp_path: Path) -> None:
    server = FakeServer()
    with server.client(token_file=tmp_path / "t.json") as first:
        first.balance()
    with server.client(token_file=tmp_path / "t.json") as second:
        second.balance()
    assert server.paths().count("/api/auth/anonymous-token") == 1
    assert second.client_id == first.client_id and second.token == first.token
    assert (tmp_path / "t.json").stat().st_mode & 0o777 == 0o600


def test_lost_session_is_not_replaced_unless_allowed(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    server = FakeServer()
    with server.client() as rw:
        rw.create_session()
        server.sessions.clear()
        with pytest.raises(errors.SessionNotFound):
            rw.upload([photo])
    assert server.paths().count("/api/tasks/me/with-session/nemo_agent") == 1


def test_lost_session_is_replaced_once_when_allowed(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    server = FakeServer()
    with server.client(renew_session=True) as rw:
        rw.create_session("Trip", language="zh")
        server.sessions.clear()
        result = rw.upload([photo])
    assert rw.session_id == "ses2" and result.ids == ["med_0"]
    creates = [r for r in server.requests if "/with-session/" in r.url.path]
    assert len(creates) == 2
    assert b'"language":"zh"' in creates[1].content.replace(b" ", b"")
    uploads = [r.url.path for r in server.requests if "/upload-video/" in r.url.path]
    assert uploads == ["/api/upload-video/nemo_agent/me/ses1",
                       "/api/upload-video/nemo_agent/me/ses2"]


def test_rate_limit_waits_retry_after_then_retries_once() -> None:
    server = FakeServer()
    slept: list[float] = []
    limited = lambda _r: envelope(429, "slow down", status=429,  # noqa: E731
                                  headers={"Retry-After": "3"})
    with server.client(sleep=slept.append) as rw:
        rw.balance()
        server.fail_next("/balance", limited)
        assert rw.balance().available == 97
        server.fail_next("/balance", limited)
        server.fail_next("/balance", limited)
        with pytest.raises(errors.RateLimited):
            rw.balance()
    assert slept == [3.0, 3.0]


def test_a_retry_after_longer_than_the_cap_is_raised_at_once() -> None:
    server = FakeServer()
    slept: list[float] = []
    server.fail_next("/anonymous-token", lambda _r: envelope(
        429, "one per 7 days", status=429, headers={"Retry-After": "600000"}))
    with server.client(sleep=slept.append, max_retry_wait=30) as rw, \
            pytest.raises(errors.RateLimited):
        rw.balance()
    assert slept == []


def test_every_request_carries_attribution_and_the_client_id() -> None:
    server = FakeServer()
    who = Attribution(source="claude-skill", version="2.0", platform="claude-code")
    with server.client(attribution=who) as rw:
        rw.create_session()
        rw.balance()
    assert len(server.requests) == 3
    for request in server.requests:
        assert request.headers["X-Skill-Source"] == "claude-skill"
        assert request.headers["X-Skill-Version"] == "2.0"
        assert request.headers["X-Skill-Platform"] == "claude-code"
        assert request.headers["X-Client-Id"] == rw.client_id
    assert all(r.headers["authorization"] == "Bearer tok1" for r in server.requests[1:])
