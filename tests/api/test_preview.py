"""The live preview over HTTP: after an edit, a fast low-resolution render of the latest draft
in its shape, free of credits, replaced (and cancelled) by a newer edit's."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from tests.api.api_helpers import APP, Api, jpeg_bytes
from tests.probe import frame_at, probe

PREVIEW = f"/api/preview/{APP}/me/{{sid}}"


def run(api: Api, auth: dict[str, str], sid: str, text: str) -> dict[str, Any]:
    r = api.client.post("/run", headers=auth, json={
        "app_name": APP, "user_id": "me", "session_id": sid,
        "new_message": {"role": "user", "parts": [{"text": text}]}})
    assert r.status_code == 200, r.text
    events: list[dict[str, Any]] = r.json()
    delta: dict[str, Any] = events[-1]["actions"]["stateDelta"]
    assert delta["draft_changed"], events[-1]
    return delta


def wait_preview(api: Api, auth: dict[str, str], sid: str, version: int,
                 timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data: dict[str, Any] = api.client.get(PREVIEW.format(sid=sid),
                                              headers=auth).json()["data"]
        if data["draft_version"] == version and data["status"] in ("completed", "failed"):
            return data
        time.sleep(0.1)
    raise AssertionError(f"no preview of version {version}")


def credits(api: Api, auth: dict[str, str]) -> int:
    return int(api.client.get("/api/credits/balance/simple", headers=auth)
               .json()["data"]["available"])


def download(client: TestClient, url: str, path: Any) -> Any:
    parts = urlsplit(url)
    r = client.get(f"{parts.path}?{parts.query}")
    assert r.status_code == 200
    path.write_bytes(r.content)
    return path


def test_preview_after_an_edit_is_small_fast_free_and_in_the_draft_shape(
        api: Api, tmp_path: Any) -> None:
    # Given a session with photos and a slideshow made by chat
    auth = api.token()
    sid = api.session(auth)
    api.upload(auth, sid, [(f"p{i}.jpg", jpeg_bytes((640, 480), seed=i)) for i in range(3)])
    delta = run(api, auth, sid, "make a slideshow of my photos without music")
    before = credits(api, auth)
    state = api.state(auth, sid).json()["data"]["state"]

    # When the page asks for the preview
    r = api.client.post(PREVIEW.format(sid=sid), headers=auth)
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    assert r.json()["data"]["status"] in ("queued", "rendering", "completed")
    done = wait_preview(api, auth, sid, state["draft_version"])

    # Then a 640x360 H.264 file of the draft's length plays, at a low frame rate
    assert done["status"] == "completed", done
    facts = probe(download(api.client, done["url"], tmp_path / "live.mp4"))
    assert (facts.width, facts.height) == (640, 360)
    assert facts.vcodec == "h264" and facts.pix_fmt == "yuv420p"
    assert facts.fps is not None and facts.fps <= 15
    assert abs(facts.duration - delta["draft"]["d"] / 1000) < 0.15
    assert frame_at(tmp_path / "live.mp4", facts.duration / 2).mean() > 10
    # and it cost nothing and added no draft version
    assert credits(api, auth) == before
    assert api.state(auth, sid).json()["data"]["state"]["draft_version"] == \
        state["draft_version"]
    # Asking again for the same version answers the same file without rendering again
    again = api.client.post(PREVIEW.format(sid=sid), headers=auth).json()["data"]
    assert again["status"] == "completed" and again["draft_version"] == done["draft_version"]

    # When the project turns vertical, the next preview is vertical too
    run(api, auth, sid, "make it vertical")
    version = api.state(auth, sid).json()["data"]["state"]["draft_version"]
    api.client.post(PREVIEW.format(sid=sid), headers=auth)
    vertical = wait_preview(api, auth, sid, version)
    facts = probe(download(api.client, vertical["url"], tmp_path / "tall.mp4"))
    assert (facts.width, facts.height) == (360, 640)


def test_a_newer_edit_cancels_the_preview_still_rendering(api: Api, client: TestClient) -> None:
    # Given a 30-photo slideshow whose preview is rendering
    auth = api.token()
    sid = api.session(auth)
    api.upload(auth, sid, [(f"q{i}.jpg", jpeg_bytes((320, 240), seed=i)) for i in range(30)])
    run(api, auth, sid, "make a slideshow of my photos")
    first = api.client.post(PREVIEW.format(sid=sid), headers=auth).json()["data"]
    runner = client.app.state.ctx.previews  # type: ignore[attr-defined]
    old = runner.get(sid)
    assert old is not None and old.version == first["draft_version"]

    # When a newer edit arrives and its preview is asked for
    run(api, auth, sid, "make it square")
    version = api.state(auth, sid).json()["data"]["state"]["draft_version"]
    api.client.post(PREVIEW.format(sid=sid), headers=auth)

    # Then the old render stops, and only the newest preview is kept
    newest = wait_preview(api, auth, sid, version)
    assert newest["status"] == "completed"
    assert old.status == "cancelled"
    files = sorted(p.name for p in runner.folder(sid).glob("*.mp4"))
    assert files == [f"v{version}.mp4"]


def test_preview_errors_are_envelopes(api: Api) -> None:
    auth = api.token()
    sid = api.session(auth)
    r = api.client.post(PREVIEW.format(sid=sid), headers=auth)
    assert (r.status_code, r.json()["code"]) == (400, 400)
    assert "nothing to preview" in r.json()["message"] or "no draft" in r.json()["message"]
    assert api.client.get(PREVIEW.format(sid=sid), headers=auth).json()["data"]["status"] == \
        "none"
    other = api.token()
    r = api.client.post(PREVIEW.format(sid=sid), headers=other)
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    r = api.client.get(PREVIEW.format(sid=sid), headers=other)
    assert r.json()["code"] == 1002


def test_the_finished_preview_is_found_again_after_a_restart(tmp_path: Any) -> None:
    from reelwright.api import create_app
    from reelwright.settings import Settings

    settings = Settings({"data_dir": str(tmp_path / "data"), "workers": 1,
                         "public_url": "http://testserver"})
    # Given a preview made before the server stopped
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        auth = api.token()
        sid = api.session(auth)
        api.upload(auth, sid, [(f"r{i}.jpg", jpeg_bytes((320, 240), seed=i)) for i in range(2)])
        run(api, auth, sid, "make a slideshow of my photos without music")
        version = api.state(auth, sid).json()["data"]["state"]["draft_version"]
        api.client.post(PREVIEW.format(sid=sid), headers=auth)
        assert wait_preview(api, auth, sid, version)["status"] == "completed"
    # When a new server process starts on the same data
    with TestClient(create_app(settings)) as client:
        again = client.get(PREVIEW.format(sid=sid), headers=auth).json()["data"]
        # Then the preview is there, and asking for it renders nothing new
        assert again["status"] == "completed" and again["draft_version"] == version
        asked = client.post(PREVIEW.format(sid=sid), headers=auth).json()["data"]
        assert asked["status"] == "completed" and asked["seconds"] == 0.0
        parts = urlsplit(again["url"])
        assert client.get(f"{parts.path}?{parts.query}").status_code == 200
