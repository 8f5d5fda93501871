"""Protocol helpers shared by the API tests (imported as a plain module)."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image

APP = "nemo_agent"
ATTRIBUTION = {"X-Skill-Source": "tests", "X-Skill-Version": "1.0", "X-Skill-Platform": "pytest"}


def jpeg_bytes(size: tuple[int, int] = (320, 240), seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([(xx * 255 // w), (yy * 255 // h), np.full_like(xx, 90 + seed * 20)], -1)
    img = np.clip(img + rng.normal(0, 8, img.shape), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(img).save(out, format="JPEG", quality=85)
    return out.getvalue()
class Api:
    """Protocol helpers over a TestClient."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.count = 0

    def token(self, client_id: str | None = None) -> dict[str, str]:
        self.count += 1
        r = self.client.post("/api/auth/anonymous-token",
                             headers={"X-Client-Id": client_id or f"client-{self.count}"})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['data']['token']}"}

    def session(self, auth: dict[str, str]) -> str:
        r = self.client.post(f"/api/tasks/me/with-session/{APP}", headers=auth,
                             json={"task_name": "t", "language": "en"})
        assert r.status_code == 200, r.text
        return str(r.json()["data"]["session_id"])

    def upload(self, auth: dict[str, str], sid: str,
               files: list[tuple[str, bytes]]) -> Any:
        return self.client.post(f"/api/upload-video/{APP}/me/{sid}", headers=auth,
                                files=[("files", (n, b, "application/octet-stream"))
                                       for n, b in files])

    def state(self, auth: dict[str, str], sid: str) -> Any:
        return self.client.get(f"/api/state/{APP}/me/{sid}/latest", headers=auth)


def slideshow(media_ids: list[str], seconds: float = 1.5) -> dict[str, Any]:
    """A hand-written draft: photos one after another on a small canvas."""
    d = int(seconds * 1000)
    return {"v": 1, "w": 320, "h": 180, "fps": 15, "d": d * len(media_ids), "m": {},
            "t": [{"id": "v1", "tt": 0, "sg": [
                {"id": f"s{i}", "src": mid, "st": i * d, "d": d, "m": {"fit": "cover"}}
                for i, mid in enumerate(media_ids)]}]}
