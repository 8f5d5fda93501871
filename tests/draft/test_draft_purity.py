"""The draft package stays pure: no disk, network, process or database access."""

from __future__ import annotations

import ast
from pathlib import Path

import reelwright.agent.recipes
import reelwright.draft

FORBIDDEN_MODULES = {"os", "sys", "io", "subprocess", "pathlib", "shutil", "socket", "tempfile",
                     "glob", "httpx", "requests", "urllib", "http", "sqlalchemy", "sqlite3",
                     "asyncio", "threading", "multiprocessing", "random", "time", "datetime",
                     "logging", "imageio_ffmpeg", "av", "PIL", "cv2", "numpy"}
FORBIDDEN_CALLS = {"open", "exec", "eval", "__import__", "input", "print"}
ALLOWED_PROJECT = ("reelwright.draft", "reelwright.errors")


def sources(package: object) -> list[Path]:
    root = Path(package.__file__).parent  # type: ignore[attr-defined]
    return sorted(root.rglob("*.py"))


def offences(path: Path, allowed_project: tuple[str, ...]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in FORBIDDEN_MODULES:
                found.append(f"{path.name}: imports {name}")
            if top == "reelwright" and not name.startswith(allowed_project):
                found.append(f"{path.name}: imports {name}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in FORBIDDEN_CALLS):
            found.append(f"{path.name}:{node.lineno}: calls {node.func.id}()")
    return found


def test_draft_sources_import_nothing_impure() -> None:
    files = sources(reelwright.draft)
    assert len(files) >= 10  # the scan really sees the package
    assert [o for f in files for o in offences(f, ALLOWED_PROJECT)] == []


def test_recipes_are_pure_too() -> None:
    files = sources(reelwright.agent.recipes)
    allowed = ALLOWED_PROJECT + ("reelwright.agent.recipes",)
    assert files and [o for f in files for o in offences(f, allowed)] == []


def test_the_scan_catches_an_impure_module(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom reelwright.store import x\ndata = open('f').read()\n")
    assert offences(bad, ALLOWED_PROJECT) == [
        "bad.py: imports os", "bad.py: imports reelwright.store", "bad.py:3: calls open()"]
