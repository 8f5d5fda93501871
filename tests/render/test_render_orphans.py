"""A server killed outright (SIGKILL, OOM) must not leave its ffmpeg running as an orphan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PIL import Image
    from reelwright.draft import MediaInfo, from_json
    from reelwright.render import OutputSpec, render

    work = Path(sys.argv[1])
    Image.new("RGB", (320, 240), (200, 120, 40)).save(work / "p.jpg")
    media = {"p": MediaInfo(id="p", kind="image", path=str(work / "p.jpg"), w=320, h=240)}
    draft = from_json({"w": 640, "h": 360, "fps": 30, "d": 600000, "t": [{"tt": 0, "sg": [
        {"id": "s", "src": "p", "st": 0, "d": 600000,
         "m": {"kb": {"z0": 1, "z1": 1.5, "x0": .5, "y0": .5, "x1": .4, "y1": .4}}}]}]})
    render(draft, media, OutputSpec(path=str(work / "long.mp4"), quality="max"), workdir=work)
""")


def test_sigkilled_parent_takes_its_ffmpeg_along(tmp_path: Path) -> None:
    # Given a process in the middle of a ten-minute render
    parent = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)])
    try:
        deadline = time.monotonic() + 60
        ffmpeg: list[psutil.Process] = []
        while not ffmpeg and time.monotonic() < deadline:
            time.sleep(0.2)
            ffmpeg = [p for p in psutil.Process(parent.pid).children(recursive=True)
                      if "ffmpeg" in p.name()]
        assert ffmpeg, "the render never started ffmpeg"
        # When the parent is killed outright
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        # Then its ffmpeg is gone too
        gone, alive = psutil.wait_procs(ffmpeg, timeout=10)
        assert not alive, f"ffmpeg outlived its parent: {[p.pid for p in alive]}"
    finally:
        if parent.poll() is None:
            parent.kill()
