"""ffmpeg is found once at start-up, a missing one stops the start loudly, and a failed
look-up is never remembered (imageio-ffmpeg's own look-up keeps a failure for good)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import imageio_ffmpeg._utils as imageio_utils
import pytest

from reelwright.api import create_app
from reelwright.errors import FfmpegMissing
from reelwright.render import ffmpeg as lookup
from reelwright.settings import Settings


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("IMAGEIO_FFMPEG_EXE", raising=False)
    monkeypatch.delenv("REELWRIGHT_FFMPEG", raising=False)
    lookup.forget()
    imageio_utils._get_ffmpeg_exe.cache_clear()
    yield
    lookup.forget()
    imageio_utils._get_ffmpeg_exe.cache_clear()


def test_a_failed_lookup_is_not_remembered(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a moment when the wheel's ffmpeg cannot be run (out of processes, say)
    monkeypatch.setattr(imageio_utils, "_is_valid_exe", lambda exe: False)
    with pytest.raises(FfmpegMissing, match="imageio-ffmpeg"):
        lookup.ffmpeg_exe()
    # When it can be run again
    monkeypatch.undo()
    # Then the next look-up finds it, and so does imageio-ffmpeg's own
    found = lookup.ffmpeg_exe()
    assert os.path.isabs(found) and os.access(found, os.X_OK)
    assert imageio_ffmpeg.get_ffmpeg_exe() == found
    run = subprocess.run([found, "-version"], capture_output=True, check=True)
    assert run.stdout.startswith(b"ffmpeg version")


def test_a_success_is_looked_up_once(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    first = lookup.resolve_ffmpeg()
    calls: list[object] = []
    monkeypatch.setattr(lookup.subprocess, "run", lambda *a, **k: calls.append(a))
    assert lookup.resolve_ffmpeg() == first and calls == []


def test_the_service_stops_at_start_up_without_ffmpeg(fresh: None, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with pytest.raises(FfmpegMissing, match="no-such-ffmpeg.*not an executable file"):
        create_app(Settings({"data_dir": str(data), "ffmpeg": str(tmp_path / "no-such-ffmpeg")}))
    with pytest.raises(FfmpegMissing, match=r"does not run \(exit 1\)"):
        create_app(Settings({"data_dir": str(data), "ffmpeg": "/bin/false"}))
    assert not data.exists()  # stopped before it made anything


def test_the_service_keeps_the_path_it_found(fresh: None, tmp_path: Path) -> None:
    app = create_app(Settings({"data_dir": str(tmp_path / "data")}))
    assert app.state.ctx.settings.ffmpeg == imageio_ffmpeg.get_ffmpeg_exe()


def test_serve_says_why_and_exits(tmp_path: Path) -> None:
    env = {**os.environ, "REELWRIGHT_FFMPEG": str(tmp_path / "gone" / "ffmpeg"),
           "COLUMNS": "400"}
    done = subprocess.run([sys.executable, "-c", "from reelwright.cli.main import app; app()",
                           "serve", "--data-dir", str(tmp_path / "d"), "--port", "1"],
                          env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "ffmpeg not found" in out and "gone/ffmpeg" in out and "Traceback" not in out
