"""Shared fixtures: tiny generated media (Pillow photos, ffmpeg testsrc clips, tones)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

FFMPEG = os.environ.get("REELWRIGHT_FFMPEG") or imageio_ffmpeg.get_ffmpeg_exe()


def need(available: bool, reason: str) -> None:
    """Skip on a laptop without the tool; fail in CI, so CI never goes green by skipping."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def need_binary(name: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"{name} is not installed")
    assert path is not None
    return path


def run_ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


CHROMIUM = os.environ.get("REELWRIGHT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright's sync API, one per test module.

    A fixture (not per test) because the sync API cannot be started twice at once in a thread;
    module-scoped because while it runs it holds an asyncio loop in the main thread, which
    would break later tests that call asyncio.run().
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed (pip install playwright)")
    need(Path(CHROMIUM).exists(), f"chromium is not installed at {CHROMIUM}")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def ffmpeg_exe() -> str:
    return FFMPEG


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


def _photo(path: Path, size: tuple[int, int], seed: int) -> Path:
    """A photo-like image: smooth gradient, shapes and noise (not flat, not black)."""
    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = rng.uniform(40, 200, 3)
    img = np.stack([
        base[0] + 50 * np.sin(xx / (w / 3) + seed),
        base[1] + 50 * np.cos(yy / (h / 2) + seed),
        base[2] + 40 * np.sin((xx + yy) / (w / 4)),
    ], axis=-1)
    for _ in range(6):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(h / 12, h / 4)
        mask = (xx - cx) ** 2 + (yy - cy) ** 2 < r * r
        img[mask] = rng.uniform(0, 255, 3)
    img += rng.normal(0, 6, img.shape)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
    return path


@pytest.fixture(scope="session")
def make_photo(media_dir: Path) -> Callable[..., Path]:
    def make(name: str = "photo.jpg", size: tuple[int, int] = (640, 480), seed: int = 1) -> Path:
        return _photo(media_dir / name, size, seed)
    return make


@pytest.fixture(scope="session")
def make_clip(media_dir: Path) -> Callable[..., Path]:
    def make(name: str = "clip.mp4", seconds: float = 2.0, size: str = "320x240",
             fps: int = 25, audio: bool = True) -> Path:
        path = media_dir / name
        args = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={seconds}"]
        if audio:
            args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                     "-c:a", "aac", "-shortest"]
        run_ffmpeg(*args, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast",
                   str(path))
        return path
    return make


@pytest.fixture(scope="session")
def make_tone(media_dir: Path) -> Callable[..., Path]:
    def make(name: str = "tone.wav", seconds: float = 3.0, freq: int = 330) -> Path:
        path = media_dir / name
        run_ffmpeg("-f", "lavfi", "-i", f"sine=frequency={freq}:duration={seconds}", str(path))
        return path
    return make
