"""The page itself: served offline, talks only to its own server, bilingual, phone-sized,
recovers its token, and its SSE parser copes with chunked streams."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from tests.web.web_helpers import screenshot

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def non_local(urls: list[str]) -> list[str]:
    return [u for u in urls if urlsplit(u).scheme not in ("data", "blob")
            and urlsplit(u).hostname not in LOCAL_HOSTS]


def test_static_files_served_and_confined(live_server: Any) -> None:
    # Given the running service
    with httpx.Client(base_url=live_server.url) as http:
        # When the page and its assets are fetched
        page = http.get("/")
        script = http.get("/static/app.js")
        escape = http.get("/static/../routes/web.py")
        missing = http.get("/static/nope.css")
    # Then the page comes with its app name filled in and a same-origin-only policy
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'content="reelwright"' in page.text and "{{" not in page.text
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    # And nothing outside the static folder can be read
    for response in (escape, missing):
        assert response.status_code == 404
        assert response.json()["code"] == 404


def test_first_visit_gets_token_session_and_credits(new_page: Any, artifacts: Path) -> None:
    # Given a visitor with empty storage
    page = new_page()
    # Then the page made a client id, got a token and a session, and shows the free credits
    storage = page.evaluate("() => ({...localStorage})")
    assert len(storage["rw.clientId"]) >= 16
    assert storage["rw.token"].startswith("rwa_")
    assert storage["rw.session"]
    assert page.inner_text("#credits-text") == "100 credits"
    # And the first screen says what to do: add files, then say what to make
    intro = page.inner_text(".msg-intro")
    assert "Add some photos, clips or music" in intro and "tell me" in intro
    # And the empty state invites a drop, with suggested prompts and export disabled
    assert "Drop photos, clips or music here" in page.inner_text("#dropzone")
    chips = page.locator(".chip").all_inner_texts()
    assert "Turn my photos into a slideshow with music" in chips
    assert page.is_disabled("#export")
    # And every request went to our own server: no CDN, no web fonts
    assert page.requests_seen and not non_local(page.requests_seen)
    assert not page.console_errors
    screenshot(page, artifacts / "empty-desktop.png")


def test_reload_keeps_identity(new_page: Any) -> None:
    page = new_page()
    before = page.evaluate("() => [localStorage['rw.token'], localStorage['rw.session']]")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    after = page.evaluate("() => [localStorage['rw.token'], localStorage['rw.session']]")
    assert after == before


def test_bad_token_is_replaced(new_page: Any, live_server: Any) -> None:
    # Given a stored token the server does not know (1001) and a client id never used
    page = new_page()
    page.evaluate("""() => { localStorage['rw.token'] = 'rwa_forged';
                             localStorage['rw.clientId'] = 'fresh-client-' + Date.now(); }""")
    # When the page loads again
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    # Then it got a real token and a new session, and works as before
    token, session = page.evaluate("() => [localStorage['rw.token'], localStorage['rw.session']]")
    assert token != "rwa_forged" and token.startswith("rwa_")
    with httpx.Client(base_url=live_server.url) as http:
        state = http.get(f"/api/state/reelwright/me/{session}/latest",
                         headers={"Authorization": f"Bearer {token}"}).json()
    assert state["code"] == 0
    assert page.inner_text("#credits-text") == "100 credits"
    assert page.is_hidden("#banner")


def test_chinese_by_default_for_chinese_browsers_and_toggle(new_page: Any,
                                                             artifacts: Path) -> None:
    # Given a browser that prefers Chinese
    page = new_page(locale="zh-CN")
    # Then the page speaks Chinese
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert "把照片、视频或音乐拖到这里" in page.inner_text("#dropzone")
    assert "把它换成竖屏" in page.locator(".chip").all_inner_texts()
    assert page.inner_text("#credits-text") == "剩余 100 积分"
    screenshot(page, artifacts / "empty-desktop-zh.png")
    # When the language toggle is pressed
    page.click("#lang-toggle")
    # Then it switches to English and remembers the choice
    assert "Drop photos, clips or music here" in page.inner_text("#dropzone")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert page.inner_text("#export") == "Export video"


def test_phone_layout(new_page: Any, artifacts: Path) -> None:
    # Given a phone-sized screen
    page = new_page(viewport=(390, 844), is_mobile=True, has_touch=True, device_scale_factor=2)
    # Then nothing overflows sideways and the panels stack in one column
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = [page.locator(sel).bounding_box() for sel in
             (".media-panel", ".chat-panel", ".stage-panel")]
    assert all(b is not None for b in boxes)
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(abs(b["x"] - boxes[0]["x"]) < 1 for b in boxes)
    # And the main controls are large enough to tap
    for selector in ("#add-files", "#export", "#send", "#lang-toggle", ".chip >> nth=0"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["height"] >= 36, selector
    screenshot(page, artifacts / "empty-phone.png")


def test_sse_parser_handles_split_chunks_and_heartbeats(new_page: Any) -> None:
    page = new_page()
    messages = page.evaluate("""async () => {
        const { SseParser } = await import('/static/sse.js');
        const parser = new SseParser();
        const out = [];
        const stream = ': ping\\n\\ndata: {"a":\\r\\ndata: 1}\\r\\n\\r\\n'
                     + 'data: {"b": "x\\\\ny"}\\n\\ndata: {"c": 3}';
        for (let i = 0; i < stream.length; i += 3) out.push(...parser.push(stream.slice(i, i + 3)));
        out.push(...parser.end());
        return out.map((m) => JSON.parse(m));
    }""")
    assert messages == [{"a": 1}, {"b": "x\ny"}, {"c": 3}]


def test_drop_a_file_onto_the_page(new_page: Any) -> None:
    # Given an empty project
    page = new_page()
    # When a PNG made in the page is dragged over and dropped anywhere on it
    overlay_shown = page.evaluate("""async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 320; canvas.height = 240;
        const g = canvas.getContext('2d');
        g.fillStyle = '#3a7'; g.fillRect(0, 0, 320, 240);
        g.fillStyle = '#fc4'; g.fillRect(40, 40, 120, 90);
        const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/png'));
        const data = new DataTransfer();
        data.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
        const fire = (type) => window.dispatchEvent(new DragEvent(type, {
            dataTransfer: data, bubbles: true, cancelable: true }));
        fire('dragenter');
        const shown = !document.getElementById('drop-overlay').hidden;
        fire('drop');
        return shown && document.getElementById('drop-overlay').hidden;
    }""")
    # Then the overlay came and went, and the photo lands in the media bin with its thumbnail
    assert overlay_shown
    page.wait_for_selector("#bin .bin-item img", timeout=30_000)
    assert page.inner_text("#bin") == "dropped.png"


def test_error_codes_read_as_sentences(new_page: Any) -> None:
    page = new_page()
    said = page.evaluate("""async () => {
        const { friendlyError } = await import('/static/i18n.js');
        return {
            unsupported: friendlyError('en', { code: 4001, message: 'unsupported: x.bin' }),
            unsupportedZh: friendlyError('zh', { code: 4001, message: 'unsupported' }),
            credits: friendlyError('en', { code: 2001, message: 'Top up at /register?bind=abc' }),
            odd: friendlyError('en', { code: 999, message: 'teapot' }),
            offline: friendlyError('en', { code: 'network', message: 'Failed to fetch' }),
        };
    }""")
    assert said["unsupported"].startswith("That file type isn't supported. Try JPG, PNG, MP4")
    assert "x.bin" not in said["unsupported"]
    assert said["unsupportedZh"].startswith("不支持这种文件类型")
    assert said["credits"] == "You're out of credits. Top up at /register?bind=abc"
    assert said["odd"] == "Something went wrong. Please try again. (teapot)"
    assert "Failed to fetch" not in said["offline"]


def test_ruler_labels_never_overlap_in_a_narrow_timeline(new_page: Any) -> None:
    # Given the timeline panel at a phone's width, in English and in Chinese
    page = new_page()
    overlaps = page.evaluate("""async () => {
        const { renderTimeline } = await import('/static/timeline.js');
        const { STRINGS } = await import('/static/i18n.js');
        const found = [];
        for (const lang of ['en', 'zh']) {
          for (const d of [5000, 14000, 31000, 95000, 600000]) {
            const root = document.createElement('div');
            root.className = 'timeline';
            root.style.width = '340px';
            document.body.append(root);
            renderTimeline(root, {d, t: []}, {names: {}, thumbs: {}, words: STRINGS[lang], lang});
            const boxes = [...root.querySelectorAll('.tick')].map((t) => t.getBoundingClientRect());
            if (boxes.length < 2) found.push(`${lang} ${d}: ${boxes.length} labels`);
            const edge = root.querySelector('.ruler').getBoundingClientRect().right;
            if (boxes.at(-1).right > edge + 1) found.push(`${lang} ${d}: spills past the end`);
            for (let i = 1; i < boxes.length; i++) {
              if (boxes[i].left < boxes[i - 1].right) {
                const spans = boxes.map((b) => `${Math.round(b.left)}-${Math.round(b.right)}`);
                found.push(`${lang} ${d}: label ${i} overlaps (${spans})`);
              }
            }
            root.remove();
          }
        }
        return found;
    }""")
    # Then every label stands clear of the next, and none spills past the ruler's end
    assert overlaps == []
