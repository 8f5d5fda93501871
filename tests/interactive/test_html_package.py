"""The "html" export: the zip's layout, and the player driven in headless Chromium."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.interactive.interactive_helpers import tutorial
from tests.probe import probe

from reelwright.draft.ops import apply_op
from reelwright.render.interactive import export
from reelwright.render.interactive.html_package import script_json

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "interactive"


@pytest.fixture(scope="module")
def package(clip_media, tmp_path_factory) -> Path:
    draft = apply_op(tutorial(clip_media), "add_text",
                     {"text": "Hello <there> --> you", "role": "caption", "start_ms": 200,
                      "duration_ms": 1500}, clip_media)
    out = tmp_path_factory.mktemp("html") / "tutorial.zip"
    result = export(draft, clip_media, "html", out)
    assert result.format == "html" and result.size_bytes == out.stat().st_size
    site = out.parent / "site"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(site)
    return site


def test_zip_holds_page_player_video_json_and_captions(package: Path):
    names = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert names == {"index.html", "player.js", "player.css", "interactions.json",
                     "media/video.mp4", "media/captions.vtt"}
    page = (package / "index.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://cdn" not in page  # nothing fetched from outside
    embedded = re.search(r'<script type="application/json" id="rw-data">(.*?)</script>', page,
                         re.S)
    assert embedded is not None
    data = json.loads(embedded.group(1))
    assert data == json.loads((package / "interactions.json").read_text(encoding="utf-8"))
    assert [it["kind"] for it in data["items"]] == ["hotspot", "button", "choice", "end"]
    assert [c["label"] for c in data["chapters"]] == ["Intro", "Advanced"]
    assert 'kind="captions"' in page and "media/captions.vtt" in page
    vtt = (package / "media/captions.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    assert "00:00:00.200 --> 00:00:01.700" in vtt and "Hello &lt;there> -> you" in vtt


def test_video_in_the_package_is_web_safe_and_whole(package: Path):
    facts = probe(package / "media/video.mp4")
    assert facts.vcodec == "h264" and facts.pix_fmt == "yuv420p" and facts.acodec == "aac"
    assert abs(facts.duration - 3.0) <= 0.08 and (facts.width, facts.height) == (320, 240)


def test_embedded_json_cannot_close_the_script_tag():
    text = script_json({"label": "</script><script>alert(1)</script>"})
    assert "</script" not in text and json.loads(text)["label"].startswith("</script>")


def test_player_pauses_at_the_choice_and_follows_clicks(package: Path, browser: Any):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 800, "height": 720})
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((package / "index.html").as_uri())  # file://, no server
        page.wait_for_function("document.getElementById('rw-video').readyState >= 2")
        # Keyboard: the first Tab stop is reachable and labelled.
        assert page.locator("button.rw-hotspot").get_attribute("aria-label") == "Skip ahead"
        page.screenshot(path=str(ARTIFACTS / "01-start.png"))

        page.evaluate("v => { v.muted = true; return v.play(); }",
                      page.locator("#rw-video").element_handle())
        page.wait_for_selector("#rw-dialog:not([hidden])", timeout=8000)
        paused, at = page.evaluate("[rwPlayer.video.paused, rwPlayer.video.currentTime]")
        assert paused is True and abs(at - 1.0) < 0.05
        assert page.locator("#rw-dialog h2").inner_text() == "Want the advanced part?"
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Yes"  # focus moves into the question
        page.screenshot(path=str(ARTIFACTS / "02-choice-paused.png"))

        page.keyboard.press("Enter")  # answer with the keyboard
        page.wait_for_function("rwPlayer.video.currentTime >= 2.0 && !rwPlayer.video.paused")
        page.evaluate("rwPlayer.video.pause()")  # before the end screen at 2.7 s
        assert page.locator("#rw-dialog").is_hidden()
        page.screenshot(path=str(ARTIFACTS / "03-after-yes.png"))

        page.evaluate("rwPlayer.video.pause(); rwPlayer.video.currentTime = 0.3")
        page.wait_for_function("rwPlayer.video.currentTime < 0.5")
        if page.locator("#rw-dialog").is_visible():  # a slow machine reached the end screen
            page.keyboard.press("Escape")
        # No network here: answer the link's address locally and see that it opened.
        page.context.route("https://example.com/**", lambda route: route.fulfill(
            body="<title>docs</title>", content_type="text/html"))
        with page.expect_popup() as popup:
            page.locator("button.rw-button", has_text="Docs").click()
        popup.value.wait_for_load_state()
        assert popup.value.url == "https://example.com/docs"
        popup.value.close()

        page.evaluate("rwPlayer.video.play()")
        page.locator("button.rw-hotspot").click()
        page.wait_for_function("rwPlayer.video.currentTime >= 2.5")
        log = page.evaluate("rwPlayer.state.log")
        assert log[-1]["action"] == {"do": "jump", "t": 2500}
        assert log[-1]["at"] < 2000  # clicked early on, so the jump moved it forward
        page.screenshot(path=str(ARTIFACTS / "04-after-hotspot.png"))

        page.wait_for_selector("#rw-dialog:not([hidden])", timeout=8000)
        assert page.locator("#rw-dialog h2").inner_text() == "Thanks for watching"
        assert page.evaluate("rwPlayer.video.paused")
        page.screenshot(path=str(ARTIFACTS / "05-end-screen.png"))

        page.set_viewport_size({"width": 390, "height": 760})  # a phone
        box = page.locator("#rw-dialog button").first.bounding_box()
        assert box is not None and box["height"] >= 44
        page.screenshot(path=str(ARTIFACTS / "06-end-screen-phone.png"))
    finally:
        context.close()
    assert errors == []


def test_a_scrub_during_a_jump_is_not_taken_for_the_jump(package: Path, browser: Any):
    """The viewer clicks the hotspot (a jump to 2.5 s) and, while that seek is still on its
    way, drags back to 0.3 s: that scrub is the viewer's, so the choice at 1 s still comes
    (it used to be taken for the jump's own seek, and the choice was skipped)."""
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 800, "height": 720})
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((package / "index.html").as_uri())
        page.wait_for_function("document.getElementById('rw-video').readyState >= 2")
        page.evaluate("rwPlayer.video.muted = true; rwPlayer.video.currentTime = 0.2")
        page.wait_for_function("!rwPlayer.video.seeking && rwPlayer.video.currentTime >= 0.2")
        page.evaluate("""() => {
            document.querySelector('button.rw-hotspot').click();  // jump to 2.5 s, and play
            rwPlayer.video.currentTime = 0.3;  // the viewer scrubs while that seek runs
        }""")
        page.wait_for_selector("#rw-dialog:not([hidden])", timeout=8000)
        assert page.locator("#rw-dialog h2").inner_text() == "Want the advanced part?"
        assert abs(page.evaluate("rwPlayer.video.currentTime") - 1.0) < 0.05
        assert page.evaluate("rwPlayer.state.log")[-1]["action"] == {"do": "jump", "t": 2500}
    finally:
        context.close()
    assert errors == []
