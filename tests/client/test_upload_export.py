"""Uploads (several files, one multipart request, progress) and the export round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.client.fake_server import FakeServer, envelope

from reelwright import errors


def _files(tmp_path: Path) -> list[Path]:
    paths = []
    for i, size in enumerate((150_000, 70_000)):
        path = tmp_path / f"p{i}.jpg"
        path.write_bytes(b"\xff\xd8\xff" + bytes([i]) * size)
        paths.append(path)
    return paths


def test_several_files_go_in_one_request_under_the_files_field(tmp_path: Path) -> None:
    server = FakeServer()
    seen: list[tuple[int, int]] = []
    with server.client() as rw:
        result = rw.upload(_files(tmp_path), progress=lambda done, total: seen.append(
            (done, total)))
    uploads = [r for r in server.requests if "/upload-video/" in r.url.path]
    assert len(uploads) == 1
    assert uploads[0].headers["content-type"].startswith("multipart/form-data")
    assert [m.name for m in result] == ["p0.jpg", "p1.jpg"] and len(result) == 2
    total = 150_003 + 70_003
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 2


def test_export_polls_until_completed_and_downloads(tmp_path: Path) -> None:
    server = FakeServer(render_steps=[
        {"status": "queued", "progress": 0},
        {"status": "rendering", "progress": 40},
        {"status": "rendering", "progress": 80},
        {"status": "completed", "progress": 100,
         "output": {"url": "http://rw.test/api/files/out/render_1.mp4?exp=1&sig=s"}},
    ])
    fractions: list[float] = []
    received: list[tuple[int, int]] = []
    with server.client() as rw:
        path = rw.export(out_dir=tmp_path / "out", progress=fractions.append,
                         download_progress=lambda d, t: received.append((d, t)),
                         poll_interval=0)
    assert path == tmp_path / "out" / "render_1.mp4"
    assert path.read_bytes() == server.video
    assert fractions == [0.0, 0.4, 0.8, 1.0]
    assert received[-1] == (len(server.video), len(server.video))
    render_post = next(r for r in server.requests if r.url.path == "/api/render/proxy/lambda")
    body = render_post.read()
    assert b'"sessionId":"ses1"' in body.replace(b" ", b"")
    assert b'"format":"mp4"' in body.replace(b" ", b"")
    assert not list((tmp_path / "out").glob("*.part"))


def test_a_failed_render_raises_render_failed_with_the_reason(tmp_path: Path) -> None:
    server = FakeServer(render_steps=[{"status": "failed", "progress": 30,
                                       "error": "ffmpeg exited 1"}])
    with server.client() as rw, pytest.raises(errors.RenderFailed, match="ffmpeg exited 1"):
        rw.export({"v": 1}, session_id="ses9", out_dir=tmp_path, poll_interval=0)
    assert list(tmp_path.iterdir()) == []


def test_a_render_that_never_finishes_times_out(tmp_path: Path) -> None:
    server = FakeServer(render_steps=[{"status": "rendering", "progress": 10}])
    with server.client() as rw, pytest.raises(errors.RenderTimeout):
        rw.wait_render("render_1", poll_interval=0, timeout=0)


def test_export_without_a_draft_says_so(tmp_path: Path) -> None:
    server = FakeServer()
    server.fail_next("/api/state/", lambda _r: envelope(
        0, data={"state": {"draft": None, "video_infos": []}}))
    with server.client() as rw, pytest.raises(errors.BadRequest, match="no draft"):
        rw.export(out_dir=tmp_path)
    assert "/api/render/proxy/lambda" not in server.paths()
