"""A first-time user's `reelwright --help`: every command listed, each on one line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from reelwright.cli.main import app
from reelwright.cli.serve import page_url


def _help_text() -> str:
    script = Path(sys.executable).parent / "reelwright"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "reelwright.cli.main"]
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, env=env,
                          timeout=60, check=True)
    return done.stdout


def test_help_lists_every_command_with_a_one_line_description() -> None:
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert {"make", "render", "serve", "worker", "chat", "admin"} <= set(names)
    text = _help_text()
    rows = [re.sub(r"^[│|\s]+|[│|\s]+$", "", line) for line in text.splitlines()]
    start = next(i for i, row in enumerate(rows) if "Commands" in row)
    body = [row for row in rows[start + 1:] if row and not row.startswith(("╰", "+", "-"))]
    described = {row.split()[0]: row for row in body if row.split()[0] in names}
    assert set(described) == set(names), text
    assert len(body) == len(names), f"a description wraps onto a second line:\n{text}"
    for name, row in described.items():
        assert len(row.split()) >= 4, f"{name} has no real description: {row!r}"


def test_the_address_to_open_is_reachable() -> None:
    assert page_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert page_url("127.0.0.1", 9000) == "http://127.0.0.1:9000/"
    assert page_url("::1", 8000) == "http://[::1]:8000/"
