"""Signed, expiring download URLs: HMAC-SHA256 over ``path`` and ``expiry``.

The key is ``settings.secret_key`` or one generated once and kept in ``<data_dir>/secret.key``.
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


class UrlSigner:
    def __init__(self, key: bytes, ttl: int) -> None:
        self._key = key
        self.ttl = ttl

    def _sig(self, rel: str, expires: int) -> str:
        return hmac.new(self._key, f"{rel}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def sign(self, rel: str, ttl: int | None = None, now: float | None = None) -> str:
        """``/api/files/<rel>?exp=<unix>&sig=<hex>`` for a blob path relative to the store."""
        expires = int((now or time.time()) + (self.ttl if ttl is None else ttl))
        return f"{FILES_PREFIX}{quote(rel)}?exp={expires}&sig={self._sig(rel, expires)}"

    def verify(self, rel: str, exp: str, sig: str, now: float | None = None) -> bool:
        try:
            expires = int(exp)
        except ValueError:
            return False
        good = hmac.compare_digest(self._sig(rel, expires), sig)
        return good and expires >= (now or time.time())
