"""Chat through the page: streamed replies (tool calls not shown), the draft the agent builds,
then a quick-preview export of it and the download."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.web_helpers import (
    download_through_page,
    probe,
    screenshot,
    upload_through_page,
    wait_export_done,
)

SLIDESHOW = "Turn my photos into a slideshow with music"
TURN_TIMEOUT_MS = 90_000


def agent_route_exists(base_url: str) -> bool:
    with httpx.Client(base_url=base_url) as http:
        answer = http.post("/run_sse", json={})
    return answer.status_code != 404 and answer.status_code != 405


def wait_turn_over(page: Any) -> None:
    page.wait_for_function("() => !document.getElementById('send').disabled && "
                           "!document.querySelector('.thinking')", timeout=TURN_TIMEOUT_MS)


def canvas_size(page: Any) -> tuple[int, int]:
    match = re.match(r"(\d+)×(\d+)", page.inner_text("#timeline-meta"))
    assert match, page.inner_text("#timeline-meta")
    return int(match.group(1)), int(match.group(2))


def test_chat_builds_video_then_export(new_page: Callable[..., Any], live_server: Any,
                                       make_photo: Callable[..., Path],
                                       make_tone: Callable[..., Path],
                                       tmp_path: Path, artifacts: Path) -> None:
    if not agent_route_exists(live_server.url):
        pytest.skip("the agent route POST /run_sse is not in the service yet")
    # Given a visitor who dropped two photos and a tune
    page = new_page()
    streams: list[str] = []
    page.on("request", lambda r: r.url.endswith("/run_sse") and streams.append(
        r.headers.get("accept", "")))
    photos = [make_photo("chat-a.jpg", (640, 480), seed=7),
              make_photo("chat-b.jpg", (640, 480), seed=8)]
    upload_through_page(page, [*photos, make_tone("chat-tone.wav", seconds=2.0)], 3)

    # When they tap the suggested prompt
    page.locator(".chip", has_text=SLIDESHOW).click()

    # Then their message shows, the reply streams in, and tool calls are not shown
    assert page.locator(".msg-user").last.inner_text() == SLIDESHOW
    wait_turn_over(page)
    assert streams == ["text/event-stream"]
    replies = [t for t in page.locator(".msg-agent:not(.msg-intro)").all_inner_texts() if t]
    assert replies, "no streamed reply text"
    assert page.locator(".call-chip").count() == 0  # tool calls stay in the stream, unshown
    assert page.locator(".msg-error").count() == 0, page.locator(".msg-error").all_inner_texts()

    # And the timeline shows the slideshow, and the turn cost credits
    visual = page.locator("#timeline .lane[data-tt='0'] .seg")
    assert visual.count() >= 2
    assert page.locator("#timeline .lane[data-tt='1'] .seg").count() >= 1
    credits = int(re.sub(r"\D", "", page.inner_text("#credits-text")))
    assert credits < 100
    screenshot(page, artifacts / "chat-desktop.png")

    # When they ask, in Chinese, for a vertical video (typing, then Enter)
    page.fill("#prompt", "把它换成竖屏")
    page.press("#prompt", "Enter")
    wait_turn_over(page)

    # Then the canvas is portrait
    width, height = canvas_size(page)
    assert height > width, page.inner_text("#messages")

    # When they export a quick preview
    page.select_option("#export-size", "quick")
    page.click("#export")
    wait_export_done(page)

    # Then the file is the portrait video of the draft's length, and the player is portrait
    facts = probe(download_through_page(page, tmp_path))
    assert facts["codec"] == "h264"
    assert facts["h"] > facts["w"]
    player = page.locator("#player").bounding_box()
    assert player is not None and player["height"] > player["width"]
    assert canvas_size(page) == (width, height)  # a quick look does not change the project
    draft_seconds = float(page.inner_text("#timeline-meta").split("·")[1].strip().rstrip("s"))
    assert facts["duration"] == pytest.approx(draft_seconds, abs=0.6)
    screenshot(page, artifacts / "chat-exported-desktop.png")
