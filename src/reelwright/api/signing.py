"""Signed, expiring download URLs: HMAC-SHA256 over ``path`` and ``expiry``.

The key is ``settings.secret_key`` or one generated once and kept in ``<data_dir>/secret.key``.
Expiries snap to a grid of ``window`` seconds (aligned to the Unix epoch), so every answer
inside one window carries the same link for a file, whichever process signs it: a link is
valid at least ``ttl`` and at most ``ttl + window`` seconds (docs/api.md, *Downloads*).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from urllib.parse import quote

from reelwright.settings import Settings

FILES_PREFIX = "/api/files/"


def load_secret(settings: Settings) -> bytes:
    if settings.secret_key:
        return str(settings.secret_key).encode()
    path: Path = settings.data_path / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def snap_window(ttl: int, window: int) -> int:
    """The window in use: ``window``, at most a tenth of ``ttl``, never under one second."""
    if window < 0:
        raise ValueError(f"signed_url_window must be 0 or more seconds, not {window}")
    return max(1, min(window, ttl // 10))


class UrlSigner:
    def __init__(self, key: bytes, ttl: int, window: int = 3600) -> None:
        self._key = key
        self.ttl = ttl
        self.window = snap_window(ttl, window)

    def _sig(self, rel: str, expires: int) -> str:
        return hmac.new(self._key, f"{rel}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def expiry(self, ttl: int | None = None, now: float | None = None) -> int:
        """``ttl`` seconds after the end of the current window: the same all window long."""
        clock = time.time() if now is None else now
        window_end = (int(clock // self.window) + 1) * self.window
        return window_end + (self.ttl if ttl is None else ttl)

    def sign(self, rel: str, ttl: int | None = None, now: float | None = None) -> str:
        """``/api/files/<rel>?exp=<unix>&sig=<hex>`` for a blob path relative to the store."""
        expires = self.expiry(ttl, now)
        return f"{FILES_PREFIX}{quote(rel)}?exp={expires}&sig={self._sig(rel, expires)}"

    def verify(self, rel: str, exp: str, sig: str, now: float | None = None) -> bool:
        try:
            expires = int(exp)
        except ValueError:
            return False
        good = hmac.compare_digest(self._sig(rel, expires), sig)
        return good and expires >= (time.time() if now is None else now)
