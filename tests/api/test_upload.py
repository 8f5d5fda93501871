"""Uploads: photos in, hostile names stored safely, sniffing, size limits, partial batches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from tests.api.api_helpers import Api, jpeg_bytes

from reelwright.api import create_app
from reelwright.settings import Settings


def test_photos_upload_and_show_in_state(api: Api) -> None:
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, [("a.jpg", jpeg_bytes(seed=1)), ("b.jpg", jpeg_bytes(seed=2))])
    body = r.json()
    assert r.status_code == 200 and body["code"] == 0, body
    assert [m["name"] for m in body["data"]["media"]] == ["a.jpg", "b.jpg"]
    assert body["data"]["errors"] == []
    infos = api.state(auth, sid).json()["data"]["state"]["video_infos"]
    assert [(i["kind"], i["format"], i["width"], i["height"]) for i in infos] == [
        ("image", "jpg", 320, 240)] * 2
    thumb = api.client.get(infos[0]["thumbnail"].replace("http://testserver", ""))
    assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"


def test_hostile_names_are_sanitised_and_never_used_as_paths(api: Api,
                                                              settings: Settings) -> None:
    auth = api.token()
    sid = api.session(auth)
    names = ["../../escape.jpg", "nul\x00byte.jpg", "x" * 300 + ".jpg",
             "photo\u202egpj.exe"]
    r = api.upload(auth, sid, [(n, jpeg_bytes(seed=i)) for i, n in enumerate(names)])
    media = r.json()["data"]["media"]
    assert len(media) == 4
    shown = [m["name"] for m in media]
    assert shown[0] == "escape.jpg"
    assert all("/" not in n and "\x00" not in n and "\u202e" not in n for n in shown)
    assert all(len(n) <= 120 for n in shown)
    data = settings.data_path
    assert not (data.parent / "escape.jpg").exists()
    stored = sorted(p.name for p in (data / "blobs" / "media").iterdir())
    assert stored == sorted(m["id"] for m in media)


def test_unsupported_content_lists_formats_and_stores_nothing(api: Api,
                                                              settings: Settings) -> None:
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, [("movie.mp4", b"\x7fELF" + b"\x00" * 5000)])
    body = r.json()
    assert (r.status_code, body["code"]) == (415, 4001)
    assert "mp4" in body["message"] and "heic" in body["message"] and "txt" in body["message"]
    assert api.state(auth, sid).json()["data"]["state"]["video_infos"] == []
    assert list((settings.data_path / "blobs" / "media").iterdir()) == []
    assert list((settings.data_path / "blobs" / "tmp").iterdir()) == []


def test_too_large_says_the_limit(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(max_image_mb=1)
    with TestClient(create_app(settings)) as c:
        api = Api(c)
        auth = api.token()
        sid = api.session(auth)
        big = jpeg_bytes() + b"\x00" * (1024 * 1024 + 10)
        r = api.upload(auth, sid, [("big.jpg", big)])
        body = r.json()
        assert (r.status_code, body["code"]) == (413, 4002)
        assert "1 MB" in body["message"]
        assert list((settings.data_path / "blobs" / "tmp").iterdir()) == []


def test_one_bad_file_in_a_batch_keeps_the_good_ones(api: Api) -> None:
    auth = api.token()
    sid = api.session(auth)
    r = api.upload(auth, sid, [("good.jpg", jpeg_bytes()), ("bad.png", bytes(range(256)) * 20),
                               ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 6000)])
    body = r.json()
    assert body["code"] == 0
    assert [m["name"] for m in body["data"]["media"]] == ["good.jpg"]
    assert {(e["name"], e["code"]) for e in body["data"]["errors"]} == {
        ("bad.png", 4001), ("broken.jpg", 4001)}
    infos = api.state(auth, sid).json()["data"]["state"]["video_infos"]
    assert [i["name"] for i in infos] == ["good.jpg"]


def test_text_script_upload(api: Api) -> None:
    auth = api.token()
    sid = api.session(auth)
    script = b"Welcome to the lab.\nToday we learn about volcanoes.\n"
    media = api.upload(auth, sid, [("script.txt", script)]).json()["data"]["media"]
    assert [(m["kind"], m["format"]) for m in media] == [("text", "txt")]


def test_cross_token_session_access_is_not_found(api: Api) -> None:
    alice, bob = api.token(), api.token()
    sid = api.session(alice)
    api.upload(alice, sid, [("a.jpg", jpeg_bytes())])
    for r in (api.state(bob, sid), api.upload(bob, sid, [("b.jpg", jpeg_bytes())])):
        assert (r.status_code, r.json()["code"]) == (404, 1002)
    assert len(api.state(alice, sid).json()["data"]["state"]["video_infos"]) == 1


def test_upload_without_files_or_with_wrong_type(api: Api) -> None:
    auth = api.token()
    sid = api.session(auth)
    path = f"/api/upload-video/nemo_agent/me/{sid}"
    r = api.client.post(path, headers=auth, files=[("other", ("a.jpg", jpeg_bytes()))])
    assert (r.status_code, r.json()["code"]) == (400, 400)
    r = api.client.post(path, headers={**auth, "Content-Type": "text/plain"}, content=b"hi")
    assert (r.status_code, r.json()["code"]) == (400, 400)


def test_streaming_upload_leaves_no_temp_files(api: Api, settings: Settings,
                                               tmp_path: Path) -> None:
    auth = api.token()
    sid = api.session(auth)

    def body() -> object:
        boundary = b"XyZ"
        yield b"--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"p.jpg\"\r\n"
        yield b"Content-Type: image/jpeg\r\n\r\n"
        data = jpeg_bytes()
        for i in range(0, len(data), 1000):
            yield data[i:i + 1000]
        yield b"\r\n--" + boundary + b"--\r\n"

    r = api.client.post(f"/api/upload-video/nemo_agent/me/{sid}",
                        headers={**auth, "Content-Type": "multipart/form-data; boundary=XyZ"},
                        content=body())
    assert r.json()["code"] == 0, r.json()
    assert list((settings.data_path / "blobs" / "tmp").iterdir()) == []
