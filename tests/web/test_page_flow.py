"""Through the real page against the real server: upload, chat, timeline, export, download."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from tests.web.web_helpers import (
    download_through_page,
    page_identity,
    preview_facts,
    probe,
    screenshot,
    session_media,
    upload_through_page,
    wait_export_done,
)

UNSUPPORTED_SENTENCE = "That file type isn't supported."


def small_draft(photos: list[str], tone: str) -> dict[str, Any]:
    """Every track type on a 320x240 canvas: two photos, music, a title and a button."""
    return {"v": 1, "w": 320, "h": 240, "fps": 15, "d": 3000, "m": {"name": "Web test"},
            "t": [
                {"id": "v1", "tt": 0, "sg": [
                    {"id": "p1", "src": photos[0], "st": 0, "d": 1500, "m": {"fit": "cover"}},
                    {"id": "p2", "src": photos[1], "st": 1500, "d": 1500, "m": {"fit": "cover"}}]},
                {"id": "a1", "tt": 1, "m": {"role": "music"}, "sg": [
                    {"id": "m1", "src": tone, "st": 0, "d": 3000, "m": {"vol": 0.5}}]},
                {"id": "x1", "tt": 7, "m": {"role": "title"}, "sg": [
                    {"id": "t1", "st": 0, "d": 1000, "m": {"text": "Hello"}}]},
                {"id": "i1", "tt": 8, "sg": [
                    {"id": "b1", "st": 2000, "d": 1000,
                     "m": {"kind": "button", "label": "Go", "action": {"do": "jump", "t": 0}}}]},
            ]}


def test_upload_export_download(new_page: Callable[..., Any], live_server: Any,
                                make_photo: Callable[..., Path], make_tone: Callable[..., Path],
                                tmp_path: Path, artifacts: Path) -> None:
    # Given a fresh visitor
    page = new_page()
    export_headers: list[dict[str, str]] = []
    page.on("request", lambda r: r.method == "POST" and r.url.endswith(
        "/api/render/proxy/lambda") and export_headers.append(r.headers))
    photos = [make_photo("web-a.jpg", (320, 240), seed=3),
              make_photo("web-b.jpg", (320, 240), seed=4)]
    tone = make_tone("web-tone.wav", seconds=3.0)

    # When they drop two photos and a tune
    upload_through_page(page, [*photos, tone], expect_total=3)

    # Then the media bin shows real thumbnails for the photos
    loaded = page.evaluate("""() => [...document.querySelectorAll('#bin img')]
        .filter((img) => img.complete && img.naturalWidth > 0).length""")
    assert loaded >= 2
    media = session_media(live_server, page)
    ids = {m["kind"]: [] for m in media}
    for m in media:
        ids[m["kind"]].append(m["id"])
    assert len(ids["image"]) == 2 and len(ids["audio"]) == 1

    # When they add a file that is not media
    junk = tmp_path / "notes.bin"
    junk.write_bytes(bytes(range(256)) * 64)
    page.set_input_files("#file-input", str(junk))
    page.wait_for_selector(".upload.failed .upload-error")

    # Then it says so in a plain sentence, and nothing was added
    assert UNSUPPORTED_SENTENCE in page.inner_text(".upload.failed .upload-error")
    assert page.locator("#bin .bin-item").count() == 3

    # Given the session's draft has one track of every type (what the agent would write)
    _, session = page_identity(page)
    draft = small_draft(ids["image"], ids["audio"][0])
    live_server.ctx.projects.append_draft(session, json.dumps(draft), "test")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")

    # Then the timeline draws every track, widths in proportion to durations
    lanes = page.locator("#timeline .lane")
    assert [lanes.nth(i).get_attribute("data-tt") for i in range(lanes.count())] == \
        ["0", "1", "7", "8"]
    lane_width = lanes.nth(0).bounding_box()["width"]
    title = page.locator(".seg-text").bounding_box()
    button = page.locator(".seg-interactive").bounding_box()
    assert title["width"] == pytest.approx(lane_width / 3, rel=0.05)
    assert button["x"] - lanes.nth(3).bounding_box()["x"] == pytest.approx(lane_width * 2 / 3,
                                                                             rel=0.05)
    assert "Go" in page.inner_text(".seg-interactive")
    assert page.inner_text("#timeline-meta").startswith("320×240")

    # When they export
    page.select_option("#export-size", "full")
    page.click("#export")
    page.wait_for_selector("#export-status:not([hidden])")
    href = wait_export_done(page)

    # Then the export carried the attribution headers and the player shows the video
    assert export_headers and export_headers[0]["x-skill-source"] == "reelwright-web"
    assert export_headers[0]["x-skill-platform"] == "web"
    assert urlsplit(href).hostname == "127.0.0.1"
    facts = preview_facts(page)
    assert facts["duration"] == pytest.approx(3.0, abs=0.15)
    assert facts["brightness"] > 20  # photos, not a black frame
    screenshot(page, artifacts / "exported-desktop.png")

    # And the download link gives the MP4
    video = download_through_page(page, tmp_path)
    facts_file = probe(video)
    assert facts_file["codec"] == "h264" and facts_file["audio"] == 1
    assert (facts_file["w"], facts_file["h"]) == (320, 240)
    assert facts_file["duration"] == pytest.approx(3.0, abs=0.15)

    # And the phone view of the same project holds together
    phone = new_page(viewport=(390, 844), is_mobile=True, has_touch=True, device_scale_factor=2,
                     storage_state=page.context.storage_state())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("#timeline .lane").count() == 4
    screenshot(phone, artifacts / "project-phone.png")
