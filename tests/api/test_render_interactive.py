"""Interactive exports over HTTP: html (web package zip), h5p, and mp4 with overlays burned in."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.api.api_helpers import Api, slideshow
from tests.api.test_render import local, photos, submit, wait
from tests.probe import probe


def interactive(media_ids: list[str]) -> dict[str, Any]:
    draft = slideshow(media_ids)
    draft["t"].append({"id": "i1", "tt": 8, "sg": [
        {"id": "q1", "st": 1000, "d": 1000, "m": {
            "kind": "choice", "q": "See the last photo?",
            "choices": [{"label": "Yes", "do": "jump", "t": 2000},
                        {"label": "No", "do": "end"}]}},
        {"id": "b1", "st": 0, "d": 1000, "m": {"kind": "button", "label": "Skip",
                                               "action": {"do": "jump", "t": 2000}}}]})
    return draft


@pytest.fixture
def owned(api: Api) -> tuple[dict[str, str], str, list[str]]:
    auth = api.token()
    sid = api.session(auth)
    return auth, sid, photos(api, auth, sid)


def test_html_export_is_a_playable_package(api: Api, owned: Any) -> None:
    # Given a slideshow with a choice point and a button
    auth, sid, media = owned
    # When it is exported as html
    r = submit(api, auth, sid, interactive(media), job_id="render_html", fmt="html")
    assert r.json()["code"] == 0, r.json()
    job = wait(api, auth, "render_html")
    assert job["status"] == "completed", job
    # Then the download is a zip with the player, the interactions and the video
    body = api.client.get(local(job["output"]["url"])).content
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        names = set(package.namelist())
        assert {"index.html", "interactions.json", "media/video.mp4"} <= names
        kinds = {item["kind"] for item in json.loads(package.read("interactions.json"))["items"]}
        assert {"choice", "button"} <= kinds


def test_h5p_export_and_burned_in_mp4(api: Api, owned: Any, tmp_path: Path) -> None:
    auth, sid, media = owned
    submit(api, auth, sid, interactive(media), job_id="render_h5p", fmt="h5p")
    submit(api, auth, sid, interactive(media), job_id="render_mp4", fmt="mp4")
    h5p = wait(api, auth, "render_h5p")
    assert h5p["status"] == "completed", h5p
    with zipfile.ZipFile(io.BytesIO(api.client.get(local(h5p["output"]["url"])).content)) as z:
        meta = json.loads(z.read("h5p.json"))
        assert meta["mainLibrary"] == "H5P.InteractiveVideo"
        assert "content/content.json" in z.namelist()
    mp4 = wait(api, auth, "render_mp4")
    assert mp4["status"] == "completed", mp4
    video = tmp_path / "linear.mp4"
    video.write_bytes(api.client.get(local(mp4["output"]["url"])).content)
    facts = probe(video)
    assert facts.vcodec == "h264" and abs(facts.duration - 3.0) < 0.1


def test_unknown_format_is_refused(api: Api, owned: Any) -> None:
    auth, sid, media = owned
    body = submit(api, auth, sid, slideshow(media), job_id="render_x", fmt="mov").json()
    assert body["code"] == 400 and "html" in body["message"] and "h5p" in body["message"]
