"""Exports over HTTP: validation, ownership, idempotency, a real render, signed downloads."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.api.api_helpers import ATTRIBUTION, Api, jpeg_bytes, slideshow
from tests.probe import frame_at, probe

from reelwright.api import create_app
from reelwright.settings import Settings

RENDER = "/api/render/proxy/lambda"


def photos(api: Api, auth: dict[str, str], sid: str, n: int = 2) -> list[str]:
    r = api.upload(auth, sid, [(f"p{i}.jpg", jpeg_bytes(seed=i + 1)) for i in range(n)])
    return [m["id"] for m in r.json()["data"]["media"]]


def submit(api: Api, auth: dict[str, str], sid: str, draft: Any, job_id: str = "render_1",
           fmt: str = "mp4", headers: dict[str, str] | None = None) -> Any:
    return api.client.post(RENDER, headers={**auth, **(ATTRIBUTION if headers is None
                                                       else headers)},
                           json={"id": job_id, "sessionId": sid, "draft": draft,
                                 "output": {"format": fmt, "quality": "draft"}})


def wait(api: Api, auth: dict[str, str], job_id: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data: dict[str, Any] = api.client.get(f"{RENDER}/{job_id}", headers=auth).json()["data"]
        if data["status"] in ("completed", "failed"):
            return data
        time.sleep(0.1)
    raise AssertionError(f"render {job_id} did not finish")


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def owned(api: Api) -> tuple[dict[str, str], str, list[str]]:
    auth = api.token()
    sid = api.session(auth)
    return auth, sid, photos(api, auth, sid)


def test_attribution_headers_are_required(api: Api, owned: Any) -> None:
    auth, sid, media = owned
    r = submit(api, auth, sid, slideshow(media), headers={"X-Skill-Source": "x"})
    body = r.json()
    assert (r.status_code, body["code"]) == (402, 402)
    assert "X-Skill-Version" in body["message"]
    assert api.client.get(f"{RENDER}/render_1", headers=auth).status_code == 404


@pytest.mark.parametrize("src,why", [
    ("/etc/passwd", "not a path or URL"), ("https://evil.example/x.jpg", "not a path or URL"),
    ("../media/x", "not a path or URL"), ("med_0000000000000000", "unknown media id"),
])
def test_draft_sources_must_be_media_of_the_session(api: Api, owned: Any, src: str,
                                                    why: str) -> None:
    auth, sid, media = owned
    draft = slideshow([media[0], src])
    r = submit(api, auth, sid, draft)
    body = r.json()
    assert (r.status_code, body["code"]) == (400, 400), body
    assert "draft.t[0].sg[1].src" in body["message"] and why in body["message"]
    assert api.client.get(f"{RENDER}/render_1", headers=auth).json()["code"] == 404


def test_another_sessions_media_is_refused(api: Api, owned: Any) -> None:
    auth, sid, media = owned
    other_sid = api.session(auth)
    r = submit(api, auth, other_sid, slideshow(media))
    assert (r.status_code, r.json()["code"]) == (400, 400)
    assert "unknown media id" in r.json()["message"]
    bob = api.token()
    r = submit(api, bob, sid, slideshow(media))
    assert (r.status_code, r.json()["code"]) == (404, 1002)
    bob_sid = api.session(bob)
    r = submit(api, bob, bob_sid, slideshow(media))  # alice's media ids in bob's session
    assert (r.status_code, r.json()["code"]) == (400, 400)
    assert "unknown media id" in r.json()["message"]


def test_bad_output_and_malformed_draft(api: Api, owned: Any) -> None:
    auth, sid, media = owned
    r = submit(api, auth, sid, slideshow(media), fmt="exe")
    assert r.json()["code"] == 400 and "output.format" in r.json()["message"]
    r = submit(api, auth, sid, {"v": 1, "w": 320})
    assert r.status_code == 400 and "draft" in r.json()["message"]
    r = submit(api, auth, sid, "{not json")
    assert r.status_code == 400


def test_render_completes_and_downloads_with_ranges(api: Api, owned: Any,
                                                    tmp_path: Path) -> None:
    auth, sid, media = owned
    first = submit(api, auth, sid, slideshow(media)).json()
    assert first["code"] == 0 and first["data"]["status"] in ("queued", "rendering")
    again = submit(api, auth, sid, slideshow(media[:1])).json()  # same id: same job
    assert again["data"]["id"] == "render_1"
    gif = submit(api, auth, sid, slideshow(media), job_id="render_2", fmt="gif").json()
    assert gif["code"] == 0

    done = wait(api, auth, "render_1")
    assert done["status"] == "completed" and done["progress"] == 100, done
    url = local(done["output"]["url"])
    assert "/outputs/" in url and sid not in url
    full = api.client.get(url)
    assert full.status_code == 200 and full.headers["accept-ranges"] == "bytes"
    out = tmp_path / "out.mp4"
    out.write_bytes(full.content)
    facts = probe(out)
    assert facts.vcodec == "h264" and (facts.width, facts.height) == (320, 180)
    assert abs(facts.duration - 3.0) < 0.15
    assert frame_at(out, 0.7).mean() > 20  # not black

    part = api.client.get(url, headers={"Range": "bytes=10-109"})
    assert part.status_code == 206 and part.content == full.content[10:110]
    assert part.headers["content-range"] == f"bytes 10-109/{len(full.content)}"
    tail = api.client.get(url, headers={"Range": "bytes=-5"})
    assert tail.status_code == 206 and tail.content == full.content[-5:]
    bad = api.client.get(url, headers={"Range": f"bytes={len(full.content) + 5}-"})
    assert bad.status_code == 416 and bad.json()["code"] == 416
    assert bad.headers["content-range"] == f"bytes */{len(full.content)}"

    gif_done = wait(api, auth, "render_2")
    assert gif_done["status"] == "completed"
    assert local(gif_done["output"]["url"]) != url
    assert api.client.get(local(gif_done["output"]["url"])).content[:6] == b"GIF89a"

    state = api.state(auth, sid).json()["data"]["state"]
    assert state["draft"]["t"][0]["sg"][0]["src"] == media[0]

    # Given another token: the job id is not theirs, and the URL cannot be bent.
    bob = api.token()
    assert api.client.get(f"{RENDER}/render_1", headers=bob).json()["code"] == 404
    assert api.client.delete(f"{RENDER}/render_1", headers=bob).json()["code"] == 404
    path, query = url.split("?")
    forged = path.replace("outputs/", "outputs/x") + "?" + query
    assert api.client.get(forged).json()["code"] == 403
    sig = parse_qs(query)["sig"][0]
    tampered = url.replace(sig, sig[:-1] + ("0" if sig[-1] != "0" else "1"))
    assert api.client.get(tampered).status_code == 403
    later = url.replace(f"exp={parse_qs(query)['exp'][0]}", "exp=9999999999")
    assert api.client.get(later).status_code == 403

    # Cancelling a finished job changes nothing.
    r = api.client.delete(f"{RENDER}/render_1", headers=auth).json()
    assert r["data"]["cancelled"] is False and r["data"]["status"] == "completed"


def test_same_job_id_for_two_owners_is_two_jobs(api: Api, owned: Any) -> None:
    auth, sid, media = owned
    bob = api.token()
    bob_sid = api.session(bob)
    bob_media = photos(api, bob, bob_sid, 1)
    a = submit(api, auth, sid, slideshow(media), job_id="render_same").json()["data"]
    b = submit(api, bob, bob_sid, slideshow(bob_media), job_id="render_same").json()["data"]
    assert a["sessionId"] == sid and b["sessionId"] == bob_sid
    assert wait(api, auth, "render_same")["status"] == "completed"
    assert wait(api, bob, "render_same")["status"] == "completed"


def test_expired_signed_url(api: Api, settings: Settings) -> None:
    signer = api.client.app.state.ctx.signer  # type: ignore[attr-defined]
    thumb_dir = settings.data_path / "blobs" / "outputs"
    (thumb_dir / "job_0123456789abcdef.mp4").write_bytes(b"x" * 10)
    rel = "outputs/job_0123456789abcdef.mp4"
    assert api.client.get(signer.sign(rel)).status_code == 200
    # Signed long enough ago that even the window's slack has run out
    r = api.client.get(signer.sign(rel, now=time.time() - signer.ttl - signer.window - 1))
    assert (r.status_code, r.json()["code"]) == (403, 403)


def test_attribution_can_be_turned_off(make_settings: Any) -> None:
    with TestClient(create_app(make_settings(require_attribution=False))) as c:
        api = Api(c)
        auth = api.token()
        sid = api.session(auth)
        r = submit(api, auth, sid, slideshow(photos(api, auth, sid, 1)), headers={})
        assert r.json()["code"] == 0
        assert wait(api, auth, "render_1")["status"] == "completed"
