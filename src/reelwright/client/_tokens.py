"""Keeping an anonymous token (and its client id) between runs, one entry per server URL."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class TokenFile:
    """A small JSON file ``{base_url: {"token", "client_id"}}``, written atomically, mode 0600."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()

    def _all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, base_url: str) -> tuple[str | None, str | None]:
        """(token, client_id) saved for this server, either may be ``None``."""
        entry = self._all().get(base_url)
        if not isinstance(entry, dict):
            return None, None
        token, client_id = entry.get("token"), entry.get("client_id")
        return (token if isinstance(token, str) else None,
                client_id if isinstance(client_id, str) else None)

    def save(self, base_url: str, *, token: str | None, client_id: str) -> None:
        data = self._all()
        data[base_url] = {"token": token, "client_id": client_id}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".token-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
