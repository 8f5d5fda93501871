"""Drives the H5P host the .h5p tests use: H5P's own code, not ours.

- ``validate``: ``@lumieducation/h5p-server`` uploads the package (its package validation:
  zip, h5p.json, file whitelist, 16 MB per file, libraries installed), saves it (its
  SemanticsEnforcer drops what the libraries' semantics.json does not allow) and renders it for
  the player (dependency resolution). Returns what was dropped or changed.
- ``play``: ``h5p-standalone`` plays the extracted package with the libraries in headless
  Chromium (``playwright-core`` driving Debian's chromium) through the steps of
  ``h5p_host/steps.cjs`` and returns what the viewer saw, plus every JavaScript error.

The npm packages are installed by ``scripts/setup_h5p_host.sh`` into ``.cache/h5p-host``
(git-ignored; reused when present). The content-type libraries are test data in
``<repo root>/../shared/h5p`` (never copied into the repository). Without node, the libraries
or Chromium the tests skip with the reason; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import CHROMIUM, need

REPO = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent / "h5p_host"
LIBRARIES = Path(os.environ.get("REELWRIGHT_H5P_LIBRARIES") or REPO.parent / "shared" / "h5p")
HOST = Path(os.environ.get("REELWRIGHT_H5P_HOST") or REPO / ".cache" / "h5p-host")


@dataclass(frozen=True)
class Host:
    node: str
    host: Path
    libraries: Path  # a profile: libraries-hub

    def validate(self, package: Path) -> dict[str, Any]:
        """Upload, validate and save ``package``; what the host reported."""
        folder = package.with_suffix(".json.d")
        folder.mkdir(exist_ok=True)
        with zipfile.ZipFile(package) as zf:
            (folder / "content.json").write_bytes(zf.read("content/content.json"))
            (folder / "h5p.json").write_bytes(zf.read("h5p.json"))
        return self._node("validate.cjs", str(package), str(folder / "content.json"),
                          timeout=120)

    def play(self, package: Path, steps: list[dict[str, Any]],
             artifacts: Path | None = None) -> dict[str, Any]:
        """Play ``package`` through ``steps``; ``{"errors": [...], "record": {...}}``."""
        folder = package.with_suffix("")
        shutil.rmtree(folder, ignore_errors=True)
        with zipfile.ZipFile(package) as zf:
            zf.extractall(folder)
        steps_file = package.with_suffix(".steps.json")
        steps_file.write_text(json.dumps(steps), encoding="utf-8")
        if artifacts is not None:
            artifacts.mkdir(parents=True, exist_ok=True)
        args = [str(folder), str(steps_file)] + ([str(artifacts)] if artifacts else [])
        return self._node("play.cjs", *args, timeout=180)

    def _node(self, script: str, *args: str, timeout: float) -> dict[str, Any]:
        done = subprocess.run([self.node, str(HARNESS / script), str(self.host),
                               str(self.libraries), *args], capture_output=True, text=True,
                              timeout=timeout, check=False,
                              env={**os.environ, "REELWRIGHT_CHROMIUM": CHROMIUM})
        assert done.returncode == 0 and done.stdout, (
            f"{script} failed ({done.returncode}): {done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout)
        return result


def h5p_host(*, browser: bool) -> Host:
    """The host, installed on first use (skips locally / fails in CI when it cannot be)."""
    node = shutil.which("node")
    need(node is not None, "node is not installed (Node 20 runs the H5P host)")
    assert node is not None
    need((LIBRARIES / "libraries-hub").is_dir(),
         f"H5P's content-type libraries are not at {LIBRARIES} (see docs/interactive.md)")
    if not (HOST / "node_modules" / "@lumieducation" / "h5p-server").is_dir():
        need(shutil.which("npm") is not None, "npm is not installed")
        setup = subprocess.run(["bash", str(REPO / "scripts" / "setup_h5p_host.sh")],
                               capture_output=True, text=True, timeout=600, check=False,
                               env={**os.environ, "REELWRIGHT_H5P_HOST": str(HOST)})
        need(setup.returncode == 0,
             f"scripts/setup_h5p_host.sh could not install the H5P host: {setup.stderr[-500:]}")
    if browser:
        need(Path(CHROMIUM).exists(), f"chromium is not installed at {CHROMIUM}")
    return Host(node=node, host=HOST, libraries=LIBRARIES / "libraries-hub")
