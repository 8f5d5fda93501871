"""Every error path answers the same envelope, with the right code and status, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from tests.api.api_helpers import APP, ATTRIBUTION, Api, jpeg_bytes, slideshow

from reelwright.api import create_app
from reelwright.settings import Settings


def assert_envelope(response: Any, code: int, status: int) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"code", "message", "data"}, body
    assert (body["code"], response.status_code) == (code, status), body
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


CASES: dict[str, tuple[Callable[[Api], Any], int, int]] = {
    "missing client id": (lambda a: a.client.post("/api/auth/anonymous-token"), 400, 400),
    "no token": (lambda a: a.client.get("/api/credits/balance/simple"), 1001, 401),
    "bad token": (lambda a: a.client.get("/api/credits/balance/simple",
                                         headers={"Authorization": "Bearer nope"}), 1001, 401),
    "unknown session": (lambda a: a.state(a.token(), "ses_doesnotexist"), 1002, 404),
    "unknown route": (lambda a: a.client.get("/api/nothing-here"), 404, 404),
    "unknown app": (lambda a: a.client.post("/api/tasks/me/with-session/evil",
                                            headers=a.token(), json={}), 404, 404),
    "wrong method": (lambda a: a.client.put("/api/credits/balance/simple"), 405, 405),
    "malformed body": (lambda a: a.client.post(f"/api/tasks/me/with-session/{APP}",
                                               headers=a.token(),
                                               json={"task_name": "x" * 400}), 400, 400),
    "unknown render": (lambda a: a.client.get("/api/render/proxy/lambda/render_1",
                                              headers=a.token()), 404, 404),
    "no attribution": (lambda a: a.client.post("/api/render/proxy/lambda", headers=a.token(),
                                               json={"id": "r", "sessionId": "s", "draft": {}}),
                       402, 402),
    "unsupported file": (lambda a: (lambda h: a.upload(h, a.session(h), [
        ("x.jpg", b"MZ\x90\x00 this is an exe" * 10)]))(a.token()), 4001, 415),
    "bad signature": (lambda a: a.client.get("/api/files/outputs/job_00000000.mp4?exp=1&sig=0"),
                      403, 403),
    "crash": (lambda a: a.client.get("/boom"), 500, 500),
}


@pytest.fixture
def crash_client(settings: Settings) -> Any:
    boom = APIRouter()

    @boom.get("/boom")
    def explode() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    with TestClient(create_app(settings, extra_routers=[boom]),
                    raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_shape(case: str, crash_client: TestClient) -> None:
    call, code, status = CASES[case]
    body = assert_envelope(call(Api(crash_client)), code, status)
    assert "secret internals" not in body["message"]


def test_rate_limit_has_retry_after(api: Api) -> None:
    api.token("same")
    r = api.client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "same"})
    assert_envelope(r, 429, 429)
    assert 0 < int(r.headers["Retry-After"]) <= 7 * 86400


def test_no_credits_when_export_is_priced(make_settings: Callable[..., Settings]) -> None:
    with TestClient(create_app(make_settings(prices="export=500"))) as c:
        api = Api(c)
        auth = api.token("poor-client")
        sid = api.session(auth)
        mid = api.upload(auth, sid, [("a.jpg", jpeg_bytes())]).json()["data"]["media"][0]["id"]
        r = c.post("/api/render/proxy/lambda", headers={**auth, **ATTRIBUTION},
                   json={"id": "render_1", "sessionId": sid, "draft": slideshow([mid])})
        body = assert_envelope(r, 2001, 402)
        assert "?bind=poor-client" in body["message"]
        assert c.get("/api/credits/balance/simple", headers=auth).json()["data"] == {
            "available": 100, "frozen": 0, "total": 100}


def test_openapi_is_published(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/render/proxy/lambda" in schema["paths"]
    assert "/api/upload-video/{app}/me/{sid}" in schema["paths"]
    assert client.get("/docs").status_code == 200


def test_a_long_id_is_not_echoed_whole(api: Api) -> None:
    # Given ids of 5000 characters (with a quote in them; a control character where a JSON
    # body carries it)
    auth = api.token()
    long_sid = "ses_" + "A" * 2000 + "'" + "B" * 2995
    body_sid = "ses_" + "A" * 2000 + "\x00" + "B" * 2995
    long_job = "render_" + "9" * 4993
    calls = {
        "state": lambda: api.state(auth, long_sid),
        "upload": lambda: api.upload(auth, long_sid, [("p.jpg", jpeg_bytes())]),
        "chat": lambda: api.client.post("/run", headers=auth, json={
            "app_name": APP, "user_id": "me", "session_id": body_sid,
            "new_message": {"parts": [{"text": "hi"}]}}),
    }
    for what, call in calls.items():
        # When they name an unknown session
        body = assert_envelope(call(), 1002, 404)
        # Then the message repeats its start only, and says how long it was
        assert len(body["message"]) < 150, (what, body["message"])
        assert "ses_AAAA" in body["message"] and "5000 characters" in body["message"], what
        assert "\x00" not in body["message"]
    body = assert_envelope(api.client.get(f"/api/render/proxy/lambda/{long_job}",
                                          headers=auth), 404, 404)
    assert len(body["message"]) < 150 and "5000 characters" in body["message"]
