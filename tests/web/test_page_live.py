"""The page as a first-time user meets it: their song is the music, a live preview follows each
edit in the draft's shape, an export made before the latest edit says it is out of date, replies
are sentences (no tool chips, no timeline dumps), the suggestion chips fold into one row, and
the Chinese page has no English left outside names and file names."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.test_page_chat import agent_route_exists, wait_turn_over
from tests.web.web_helpers import (
    page_identity,
    screenshot,
    upload_through_page,
    wait_export_done,
)

SLIDESHOW = "Turn my photos into a slideshow with music"
PREVIEW_TIMEOUT_MS = 60_000
TOOL_NAMES = ("make_slideshow", "set_canvas", "remove_segment", "use_music")


def send(page: Any, text: str) -> None:
    page.fill("#prompt", text)
    page.press("#prompt", "Enter")
    wait_turn_over(page)


def wait_live_preview(page: Any, *, portrait: bool | None = None, other_than: str = "") -> str:
    """Wait until the player plays a live preview (a new one when ``other_than`` is given) whose
    frames have loaded; returns its URL."""
    page.wait_for_function("""([old, portrait]) => {
        const v = document.getElementById('preview');
        if (v.hidden || v.dataset.kind !== 'live' || !v.src || v.src === old) return false;
        if (v.readyState < 2 || !v.videoWidth) return false;
        if (portrait === null) return true;
        return portrait ? v.videoHeight > v.videoWidth : v.videoWidth > v.videoHeight;
    }""", arg=[other_than, portrait], timeout=PREVIEW_TIMEOUT_MS)
    src: str = page.get_attribute("#preview", "src")
    return src


def video_facts(page: Any) -> dict[str, Any]:
    facts: dict[str, Any] = page.evaluate("""() => {
        const v = document.getElementById('preview');
        const box = document.getElementById('player').getBoundingClientRect();
        return {w: v.videoWidth, h: v.videoHeight, duration: v.duration, kind: v.dataset.kind,
                boxW: box.width, boxH: box.height};
    }""")
    return facts


def draft_seconds(page: Any) -> float:
    text = page.inner_text("#timeline-meta").split("·")[1].strip()
    return float(re.sub(r"[^\d.]", "", text))


@pytest.fixture
def chat_ready(live_server: Any) -> None:
    if not agent_route_exists(live_server.url):
        pytest.skip("the agent route POST /run_sse is not in the service yet")


def test_own_song_live_preview_and_out_of_date_export(
        new_page: Callable[..., Any], make_photo: Callable[..., Path],
        make_tone: Callable[..., Path], artifacts: Path, chat_ready: None) -> None:
    # Given a first-time visitor who added three photos and their own song
    page = new_page()
    photos = [make_photo(f"live{i}.jpg", (800, 600), seed=30 + i) for i in range(3)]
    upload_through_page(page, [*photos, make_tone("summer-song.wav", seconds=3.0)], 4)
    assert "plays here after each change" in page.inner_text("#player")

    # When they tap the slideshow suggestion
    page.locator(".chip", has_text=SLIDESHOW).click()
    wait_turn_over(page)

    # Then their song is the music, and the reply is a sentence that names it
    reply = page.locator(".msg-agent:not(.msg-intro)").last.inner_text()
    assert reply.startswith("Made a") and "3 photos" in reply and "summer-song.wav" in reply
    chat = page.inner_text("#messages")
    assert "Timeline (" not in chat and "BGM" not in chat
    assert not any(name in chat for name in TOOL_NAMES)
    assert page.locator(".call-chip").count() == 0  # tool calls stay in the event stream
    music = page.locator("#timeline .lane[data-tt='1'] .seg-name").all_inner_texts()
    assert music == ["summer-song.wav"]
    assert page.locator("#bin .bin-item").count() == 4  # no built-in track added on the side
    # and the timeline panel says what the video holds
    summary = page.inner_text("#timeline-summary")
    assert "3 photos" in summary and "music: summer-song.wav" in summary

    # And a live preview of the draft plays without anyone asking, in its 16:9 shape
    first = wait_live_preview(page, portrait=False)
    facts = video_facts(page)
    assert (facts["w"], facts["h"]) == (640, 360)
    assert facts["duration"] == pytest.approx(draft_seconds(page), abs=0.3)
    assert facts["boxW"] > facts["boxH"]
    assert page.inner_text("#player-badge") == "Preview"
    # and the suggestion chips folded into one row, so the chat keeps its room
    chips = page.evaluate("""() => [...document.querySelectorAll('#suggestions .chip')]
        .map((c) => c.getBoundingClientRect().top)""")
    assert len(chips) == 5 and max(chips) - min(chips) < 2
    assert page.evaluate("document.getElementById('suggestions').offsetHeight") < 70
    screenshot(page, artifacts / "live-preview-desktop.png")

    # When they make it vertical
    send(page, "make it vertical")

    # Then the player turns portrait at once and the new preview replaces the old one
    box = page.locator("#player").bounding_box()
    assert box is not None and box["height"] > box["width"]
    tall = wait_live_preview(page, portrait=True, other_than=first)
    facts = video_facts(page)
    assert (facts["w"], facts["h"]) == (360, 640)
    screenshot(page, artifacts / "live-preview-vertical.png")

    # When they export, the finished file plays and is not out of date
    page.select_option("#export-size", "quick")
    page.click("#export")
    wait_export_done(page)
    page.wait_for_function("document.getElementById('preview').dataset.kind === 'export'")
    assert page.is_hidden("#export-stale")
    assert page.inner_text("#player-badge") == "Export"

    # When they edit after the export
    send(page, "remove photo 2")

    # Then the export is marked out of date and the live preview of the edit takes the player
    page.wait_for_selector("#export-stale", state="visible", timeout=10_000)
    assert page.get_attribute("#export-status", "data-stale") == "true"
    assert "before your latest edit" in page.inner_text("#export-stale")
    wait_live_preview(page, portrait=True, other_than=tall)
    assert video_facts(page)["duration"] == pytest.approx(draft_seconds(page), abs=0.3)
    screenshot(page, artifacts / "export-out-of-date.png")

    # And after a reload the export is still marked out of date, the preview plays again
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_selector("#export-stale", state="visible", timeout=10_000)
    wait_live_preview(page, portrait=True)
    assert not page.console_errors, page.console_errors


# Words the Chinese page may show in Latin letters: formats, the product's name, units.
ALLOWED_LATIN = re.compile(r"\b(?:MP4|MP3|WAV|MOV|JPG|PNG|HEIC|Reelwright|OpenMoji|EN|KB|MB|GB)\b")


def english_left(page: Any, names: list[str]) -> list[str]:
    """Latin words of two letters or more the page shows (text, placeholders, titles,
    labels), once names and file names are taken out."""
    texts: list[str] = page.evaluate("""() => {
        const out = [document.body.innerText];
        for (const node of document.querySelectorAll('*')) {
            const style = getComputedStyle(node);
            if (node.closest('[hidden]') || style.display === 'none') continue;
            for (const attr of ['title', 'placeholder', 'aria-label', 'alt']) {
                const value = node.getAttribute(attr);
                if (value) out.push(value);
            }
        }
        return out;
    }""")
    found: list[str] = []
    for text in texts:
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        text = ALLOWED_LATIN.sub(" ", text)
        found += re.findall(r"[A-Za-z]{2,}", text)
    return found


def test_the_chinese_page_has_no_english_left(
        new_page: Callable[..., Any], make_photo: Callable[..., Path],
        make_tone: Callable[..., Path], tmp_path: Path, artifacts: Path,
        chat_ready: None) -> None:
    # Given a visitor whose browser prefers Chinese
    page = new_page(locale="zh-CN")
    assert english_left(page, []) == []
    # A picture over the size limit is refused in Chinese, with the limit (not English text)
    from PIL import Image

    big = tmp_path / "big.png"
    Image.new("L", (12000, 9000), 128).save(big)
    page.set_input_files("#file-input", [str(big)])
    page.wait_for_selector(".upload-error", timeout=60_000)
    refused = page.inner_text(".upload-error")
    assert refused == "文件太大了。（上限 100 百万像素）", refused
    names = ["zh0.jpg", "zh1.jpg", "zh2.jpg", "夏天.wav", "big.png"]
    photos = [make_photo(n, (640, 480), seed=50 + i) for i, n in enumerate(names[:3])]
    upload_through_page(page, [*photos, make_tone(names[3], seconds=3.0)], 4)
    assert page.locator(".upload-error").count() == 1  # the refusal stays until closed

    # When they make a slideshow with music, export it, then edit it
    page.locator(".chip", has_text="把我的照片做成配乐幻灯片").click()
    wait_turn_over(page)
    reply = page.locator(".msg-agent:not(.msg-intro)").last.inner_text()
    assert "夏天.wav" in reply and "时间线（" not in reply
    wait_live_preview(page)
    page.select_option("#export-size", "quick")
    page.click("#export")
    wait_export_done(page)
    done = page.inner_text("#export-text")
    assert done == "完成！视频已准备好。"
    send(page, "去掉第二张照片")
    page.wait_for_selector("#export-stale", state="visible", timeout=10_000)
    wait_live_preview(page)

    # Then every word on the page is Chinese, apart from names and file names
    assert page.locator("#timeline .track-role").all_inner_texts() == ["音乐"]
    assert english_left(page, names) == []
    screenshot(page, artifacts / "walk-zh.png")

    # When they switch to English and back, the export line follows the language
    page.click("#lang-toggle")
    assert page.inner_text("#export-text") == "Done! Your video is ready."
    assert "Music" in page.inner_text("#timeline") or "music" in page.inner_text("#timeline")
    page.click("#lang-toggle")
    assert page.inner_text("#export-text") == "完成！视频已准备好。"
    assert english_left(page, names) == []
    # (the browser itself logs the refused upload's 413 answer)
    errors = [e for e in page.console_errors if "status of 413" not in e]
    assert not errors, errors


def test_conversation_comes_back_after_a_reload(
        new_page: Callable[..., Any], make_photo: Callable[..., Path], live_server: Any,
        artifacts: Path, chat_ready: None) -> None:
    # Given a person who chatted twice
    page = new_page()
    upload_through_page(page, [make_photo(f"talk{i}.jpg", (640, 480), seed=70 + i)
                               for i in range(2)], 2)
    send(page, "make a slideshow of my photos")
    send(page, "make it square")
    said = page.locator(".msg:not(.msg-intro):not(.thinking)").all_inner_texts()
    assert len(said) == 4

    # When they reload the page
    page.reload()
    page.wait_for_selector("body[data-ready='true']")

    # Then the conversation is back, in order, and the chips stay folded
    token, session = page_identity(page)
    with httpx.Client(base_url=live_server.url) as http:
        state = http.get(f"/api/state/reelwright/me/{session}/latest",
                         headers={"Authorization": f"Bearer {token}"}).json()["data"]["state"]
    if "conversation" not in state:
        pytest.skip("the service does not store the conversation yet (issue 17)")
    again = page.locator(".msg:not(.msg-intro):not(.thinking)").all_inner_texts()
    assert again == said
    assert "folded" in (page.get_attribute("#suggestions", "class") or "")
    wait_live_preview(page)  # and the (square) preview plays again
    screenshot(page, artifacts / "conversation-after-reload.png")


def test_a_chinese_explainer_page_has_no_english_left(
        new_page: Callable[..., Any], tmp_path: Path, artifacts: Path,
        chat_ready: None) -> None:
    # Given a Chinese visitor who uploads a script
    page = new_page(locale="zh-CN")
    script = tmp_path / "台灯脚本.txt"
    script.write_text("极光台灯\n\n这款台灯会在日出时慢慢亮起。它让你每天早上轻松醒来。现在下单，"
                      "下周就能收到。", encoding="utf-8")
    upload_through_page(page, [script], 1)

    # When they tap the script-to-video suggestion
    page.locator(".chip", has_text="把我的脚本做成带配音和字幕的讲解视频").click()
    wait_turn_over(page)
    wait_live_preview(page)

    # Then generated cards, voice-over lines, captions and built-in music all read in Chinese
    roles = page.locator("#timeline .track-role").all_inner_texts()
    assert "配音" in roles and "字幕" in roles and "音乐" in roles, roles
    assert page.inner_text("#timeline-summary").startswith("2 张卡片 · 音乐：")
    bin_names = page.locator("#bin .bin-name").all_inner_texts()
    assert any(name.startswith("配音：") for name in bin_names), bin_names
    assert any(name.endswith("（内置）") for name in bin_names), bin_names
    left = english_left(page, [script.name])
    assert left == [], left
    screenshot(page, artifacts / "walk-zh-explainer.png")
