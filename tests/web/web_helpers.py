"""Helpers shared by the page tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import httpx

EXPORT_TIMEOUT_MS = 150_000


def screenshot(page: Any, path: Path, *, full_page: bool = True) -> None:
    """Screenshot once web fonts (the CJK fallback) have arrived, so text is not drawn as boxes."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.screenshot(path=str(path), full_page=full_page)


def page_identity(page: Any) -> tuple[str, str]:
    token, session = page.evaluate("() => [localStorage['rw.token'], localStorage['rw.session']]")
    return token, session


def session_media(live_server: Any, page: Any) -> list[dict[str, Any]]:
    token, session = page_identity(page)
    with httpx.Client(base_url=live_server.url) as http:
        body = http.get(f"/api/state/reelwright/me/{session}/latest",
                        headers={"Authorization": f"Bearer {token}"}).json()
    assert body["code"] == 0
    media: list[dict[str, Any]] = body["data"]["state"]["video_infos"]
    return media


def upload_through_page(page: Any, files: list[Path], expect_total: int) -> None:
    page.set_input_files("#file-input", [str(f) for f in files])
    page.wait_for_selector(".upload")  # one row per file, with its own progress bar
    page.wait_for_function("(n) => document.querySelectorAll('#bin .bin-item').length >= n",
                           arg=expect_total, timeout=60_000)


def wait_export_done(page: Any) -> str:
    page.wait_for_selector("#export-status[data-status='completed'], "
                           "#export-status[data-status='failed']", timeout=EXPORT_TIMEOUT_MS)
    status = page.get_attribute("#export-status", "data-status")
    assert status == "completed", (page.inner_text("#export-status"),
                                   page.get_attribute("#export-status", "title"))
    href: str = page.get_attribute("#download", "href")
    return href


def preview_facts(page: Any) -> dict[str, float]:
    """Duration of the <video> and the mean brightness of a frame 1 s in."""
    facts: dict[str, float] = page.evaluate("""async () => {
        const video = document.getElementById('preview');
        if (video.readyState < 1) await new Promise((ok) => video.addEventListener(
            'loadedmetadata', ok, { once: true }));
        video.currentTime = Math.min(1, video.duration / 2);
        await new Promise((ok) => video.addEventListener('seeked', ok, { once: true }));
        const canvas = document.createElement('canvas');
        canvas.width = 64; canvas.height = 48;
        const g = canvas.getContext('2d');
        g.drawImage(video, 0, 0, 64, 48);
        const px = g.getImageData(0, 0, 64, 48).data;
        let sum = 0;
        for (let i = 0; i < px.length; i += 4) sum += (px[i] + px[i + 1] + px[i + 2]) / 3;
        return { duration: video.duration, brightness: sum / (px.length / 4) };
    }""")
    return facts


def download_through_page(page: Any, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.click("#download")
    target = tmp_path / "download.mp4"
    info.value.save_as(str(target))
    return target


def probe(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        return {"duration": float(container.duration or 0) / 1_000_000,
                "codec": video.codec_context.name, "w": video.width, "h": video.height,
                "audio": len(container.streams.audio)}
