"""URL import: SSRF targets refused (also after redirects); an allow-listed server works."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from tests.api.api_helpers import Api, jpeg_bytes

from reelwright.api import create_app
from reelwright.api.urlfetch import host_allowed, is_public
from reelwright.settings import Settings

PHOTO = jpeg_bytes(seed=5)


class Handler(BaseHTTPRequestHandler):
    other_port = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/photo.jpg":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PHOTO)))
            self.end_headers()
            self.wfile.write(PHOTO)
        elif self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/to/"):].replace("PORT",
                                                                          str(self.other_port)))
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    other = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.other_port = other.server_address[1]
    threads = [threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True)
               for s in (httpd, other)]
    for t in threads:
        t.start()
    yield int(httpd.server_address[1])
    for s in (httpd, other):
        s.shutdown()
        s.server_close()


@pytest.fixture
def url_api(make_settings: Callable[..., Settings], server: int) -> Iterator[Api]:
    with TestClient(create_app(make_settings(url_allow_hosts=f"127.0.0.1:{server}"))) as c:
        yield Api(c)


def import_urls(api: Api, auth: dict[str, str], sid: str, urls: list[str]) -> object:
    return api.client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=auth,
                           json={"urls": urls, "source_type": "url"})


def test_allowed_local_server_import(url_api: Api, server: int) -> None:
    auth = url_api.token()
    sid = url_api.session(auth)
    r = import_urls(url_api, auth, sid, [f"http://127.0.0.1:{server}/photo.jpg"])
    body = r.json()
    assert body["code"] == 0, body
    assert [(m["name"], m["kind"], m["width"]) for m in body["data"]["media"]] == [
        ("photo.jpg", "image", 320)]
    assert len(url_api.state(auth, sid).json()["data"]["state"]["video_infos"]) == 1


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://10.0.0.1/x.jpg", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://localhost/", "http://0.0.0.0/",
    "http://192.168.1.1/", "http://[fe80::1]/", "http://224.0.0.1/",
    "file:///etc/passwd", "ftp://example.com/a.jpg", "gopher://127.0.0.1/",
])
def test_ssrf_targets_are_refused(url_api: Api, url: str) -> None:
    auth = url_api.token()
    sid = url_api.session(auth)
    r = import_urls(url_api, auth, sid, [url])
    assert (r.status_code, r.json()["code"]) == (400, 400), r.json()
    assert url_api.state(auth, sid).json()["data"]["state"]["video_infos"] == []


@pytest.mark.parametrize("target", ["http://127.0.0.1:PORT/photo.jpg",
                                    "http://localhost:PORT/photo.jpg",
                                    "http://169.254.169.254/latest/meta-data/"])
def test_redirect_from_allowed_server_to_private_is_refused(url_api: Api, server: int,
                                                            target: str) -> None:
    auth = url_api.token()
    sid = url_api.session(auth)
    r = import_urls(url_api, auth, sid, [f"http://127.0.0.1:{server}/to/{target}"])
    body = r.json()
    assert (r.status_code, body["code"]) == (400, 400), body
    assert "private" in body["message"] or "reserved" in body["message"]


def test_a_refused_url_does_not_spoil_the_good_one(url_api: Api, server: int) -> None:
    auth = url_api.token()
    sid = url_api.session(auth)
    body = import_urls(url_api, auth, sid, ["http://10.0.0.1/a.jpg",
                                            f"http://127.0.0.1:{server}/photo.jpg"]).json()
    assert body["code"] == 0
    assert len(body["data"]["media"]) == 1
    assert [e["code"] for e in body["data"]["errors"]] == [400]


def test_malformed_url_bodies(url_api: Api) -> None:
    auth = url_api.token()
    sid = url_api.session(auth)
    for payload in ({"urls": []}, {"urls": "http://x"}, {"urls": ["http://x"],
                                                         "source_type": "s3"}):
        r = url_api.client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=auth,
                                json=payload)
        assert (r.status_code, r.json()["code"]) == (400, 400)


def test_address_classification() -> None:
    public = ["8.8.8.8", "2606:4700:4700::1111", "93.184.216.34"]
    private = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254",
               "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1",
               "::ffff:127.0.0.1", "2002:7f00:1::1", "ff02::1", "240.0.0.1"]
    assert all(is_public(ipaddress.ip_address(a)) for a in public)
    assert not any(is_public(ipaddress.ip_address(a)) for a in private)
    assert host_allowed("127.0.0.1", 8080, {"127.0.0.1:8080"})
    assert not host_allowed("127.0.0.1", 8081, {"127.0.0.1:8080"})
    assert host_allowed("files.local", 9, {"files.local"})
