"""Hand-written and hostile export drafts: a missing ``d``, oversized drafts and bodies, JSON
nested absurdly deep. Each bad one answers a clear 400 envelope and queues nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.api.api_helpers import ATTRIBUTION, Api, jpeg_bytes, slideshow
from tests.api.test_render import RENDER, photos, submit, wait
from tests.probe import probe

Owned = tuple[dict[str, str], str, list[str]]


@pytest.fixture
def owned(api: Api) -> Owned:
    auth = api.token()
    sid = api.session(auth)
    return auth, sid, photos(api, auth, sid)


def _nothing_queued(api: Api, auth: dict[str, str], sid: str, job_id: str) -> None:
    assert api.client.get(f"{RENDER}/{job_id}", headers=auth).status_code == 404
    assert api.state(auth, sid).json()["data"]["state"]["draft_version"] == 0


def _refused(r: Any, words: str) -> None:
    body = r.json()
    assert (r.status_code, body["code"]) == (400, 400), body
    assert words in body["message"], body["message"]


def test_a_draft_without_d_renders_as_long_as_its_segments(api: Api, owned: Owned,
                                                           tmp_path: Path) -> None:
    auth, sid, media = owned
    draft = slideshow(media, seconds=1.0)
    del draft["d"]
    r = submit(api, auth, sid, draft, job_id="render_no_d")
    assert r.json()["code"] == 0, r.json()
    done = wait(api, auth, "render_no_d")
    assert done["status"] == "completed", done
    stored = api.state(auth, sid).json()["data"]["state"]["draft"]
    assert stored["d"] == 2000  # two photos of one second
    video = api.client.get(done["output"]["url"].replace("http://testserver", ""))
    assert video.status_code == 200
    path = tmp_path / "check.mp4"
    path.write_bytes(video.content)
    assert abs(probe(path).duration - 2.0) < 0.1


@pytest.mark.parametrize(("draft", "words"), [
    ({"v": 1, "w": 320, "h": 180, "t": [{"id": f"t{i}", "tt": 7, "sg": []}
                                        for i in range(101)]}, "101 tracks; at most 100"),
    ({"v": 1, "w": 320, "h": 180, "d": 1000, "m": {"x": "a" * 300_000}, "t": []},
     "draft.m: 292 KB of metadata; at most 256 KB"),
])
def test_oversized_drafts_are_refused(api: Api, owned: Owned, draft: dict[str, Any],
                                      words: str) -> None:
    auth, sid, _ = owned
    _refused(submit(api, auth, sid, draft, job_id="render_big"), words)
    _nothing_queued(api, auth, sid, "render_big")


def test_too_many_segments_are_refused(api: Api, owned: Owned) -> None:
    auth, sid, media = owned
    draft = slideshow(media)
    draft["t"][0]["sg"] = [{"id": f"s{i}", "src": media[0], "st": i, "d": 1}
                           for i in range(20_001)]
    _refused(submit(api, auth, sid, draft, job_id="render_many"),
             "20001 segments in all; at most 20000")
    _nothing_queued(api, auth, sid, "render_many")


def test_a_body_over_the_limit_is_refused_unread(api: Api, owned: Owned) -> None:
    auth, sid, media = owned
    draft = slideshow(media)
    draft["m"] = {"notes": "x" * (9 * 1024 * 1024)}
    r = submit(api, auth, sid, draft, job_id="render_huge")
    _refused(r, "larger than 8 MB")
    assert r.json()["data"]["limit_bytes"] == 8 * 1024 * 1024

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield json.dumps({"id": "render_huge", "sessionId": sid, "draft": "["}).encode()[:-2]
        for _ in range(100):
            yield b"x" * 100_000

    r = api.client.post(RENDER, headers={**auth, **ATTRIBUTION,
                                         "Content-Type": "application/json"}, content=chunks())
    _refused(r, "larger than 8 MB")
    _nothing_queued(api, auth, sid, "render_huge")


def test_the_limit_is_a_setting_and_uploads_are_not_bound_by_it(make_settings: Any) -> None:
    from fastapi.testclient import TestClient

    from reelwright.api import create_app

    with TestClient(create_app(make_settings(max_json_mb=0.01))) as client:
        api = Api(client)
        auth = api.token()
        sid = api.session(auth)
        photo = jpeg_bytes((640, 480))
        assert len(photo) > 0.01 * 1024 * 1024  # bigger than the JSON limit
        assert api.upload(auth, sid, [("big.jpg", photo)]).json()["code"] == 0
        draft = slideshow(["med_x"])
        draft["m"] = {"notes": "x" * 20_000}
        _refused(submit(api, auth, sid, draft), "larger than 0.01 MB")


def test_json_nested_absurdly_deep_answers_400(api: Api, owned: Owned) -> None:
    auth, sid, media = owned
    # As a JSON string inside the body (the draft may be sent as text) ...
    _refused(submit(api, auth, sid, "[" * 100_000 + "]" * 100_000, job_id="render_deep"),
             "nested too deeply")
    # ... and as the body itself.
    nest = '{"m":' * 100_000 + "{}" + "}" * 100_000
    deep = f'{{"id": "render_deep", "sessionId": "{sid}", "draft": {nest}}}'
    r = api.client.post(RENDER, headers={**auth, **ATTRIBUTION,
                                         "Content-Type": "application/json"},
                        content=deep.encode())
    _refused(r, "not valid JSON (or is nested too deeply)")
    # ... and as a URL-import body (read by the upload route itself).
    r = api.client.post(f"/api/upload-video/nemo_agent/me/{sid}",
                        headers={**auth, "Content-Type": "application/json"},
                        content=("[" * 5000 + "]" * 5000).encode())
    _refused(r, "not valid JSON (or is nested too deeply)")
    # ... and as metadata that parses but nests past the limit.
    draft = slideshow(media)
    nested: dict[str, Any] = {}
    for _ in range(40):
        nested = {"a": nested}
    draft["t"][0]["sg"][0]["m"]["extra"] = nested
    _refused(submit(api, auth, sid, draft, job_id="render_deep"),
             "draft.t[0].sg[0].m: nested too deeply (at most 16 levels)")
    _nothing_queued(api, auth, sid, "render_deep")
    assert submit(api, auth, sid, slideshow(media), job_id="render_ok").json()["code"] == 0
