"""Control characters never become text in a video: not from chat, an export draft or a
script (C0, DEL and C1 are dropped; a line break stays where text may have lines)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.api_helpers import ATTRIBUTION, Api, jpeg_bytes

from reelwright.agent.script import parse_script
from reelwright.api import create_app
from reelwright.draft.codec import from_json, to_json
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.text_clean import clean_meta, clean_text
from reelwright.render.compile_text import ass_document
from reelwright.render.plan import Canvas
from reelwright.settings import Settings

CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # all but \n
NASTY = "\x00\x07\x1b[31m\x7f\x85\x9b"  # NUL, BEL, a terminal colour escape, DEL, C1


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


@pytest.fixture
def api(tmp_path: Any) -> Iterator[Api]:
    settings = Settings({"data_dir": str(tmp_path / "data"), "workers": 1,
                         "public_url": "http://testserver"})
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def chat(api: Api, auth: dict[str, str], sid: str, text: str) -> list[dict[str, Any]]:
    r = api.client.post("/run", headers=auth, json={
        "app_name": "nemo_agent", "user_id": "me", "session_id": sid,
        "new_message": {"role": "user", "parts": [{"text": text}]}})
    assert r.status_code == 200, r.text
    return list(r.json())


def titles(draft: dict[str, Any]) -> list[str]:
    return [s["m"]["text"] for t in draft["t"] if t["tt"] == 7 for s in t["sg"]
            if s["m"].get("role") == "title"]


def test_a_chat_title_keeps_no_control_characters(api: Api) -> None:
    # Given a session with photos
    auth = api.token()
    sid = api.session(auth)
    api.upload(auth, sid, [(f"p{i}.jpg", jpeg_bytes((160, 120), seed=i)) for i in range(3)])
    # When the title asked for in chat carries control characters
    chat(api, auth, sid, f"make a slideshow from my photos, titled 'Hi{NASTY} there'")
    draft = api.state(auth, sid).json()["data"]["state"]["draft"]
    # Then the stored draft's title is the visible text only
    assert titles(draft) == ["Hi there"], titles(draft)
    chat(api, auth, sid, "change the title to 'Holi\x00day\x08'")
    draft = api.state(auth, sid).json()["data"]["state"]["draft"]
    assert titles(draft) == ["Holiday"], titles(draft)
    assert not [s for s in strings(draft) if CONTROLS.search(s)]


def test_an_export_draft_is_cleaned_before_it_is_rendered(api: Api) -> None:
    auth = api.token()
    sid = api.session(auth)
    media = api.upload(auth, sid, [("p.jpg", jpeg_bytes((160, 120)))]).json()["data"]["media"]
    draft = {"v": 1, "w": 320, "h": 180, "fps": 15, "d": 1000, "m": {"name": f"x{NASTY}"},
             "t": [{"id": "v", "tt": 0, "sg": [{"id": "a", "src": media[0]["id"], "st": 0,
                                                 "d": 1000}]},
                   {"id": "x", "tt": 7, "sg": [{"id": "b", "st": 0, "d": 1000,
                                                 "m": {"text": f"Line\x00 one\r\nline two{NASTY}",
                                                       "role": "title"}}]}]}
    r = api.client.post("/api/render/proxy/lambda", headers={**auth, **ATTRIBUTION},
                        json={"id": "render_1", "sessionId": sid, "draft": draft,
                              "output": {"format": "mp4", "quality": "draft"}})
    assert r.json()["code"] == 0, r.json()
    stored = api.state(auth, sid).json()["data"]["state"]["draft"]
    assert titles(stored) == ["Line one\nline two"], stored
    assert stored["m"]["name"] == "x"


def test_codec_both_ways() -> None:
    seg = Segment(id="s", src=None, st=0, d=1000,
                  m={"text": f"a\tb{NASTY}\nc", "role": "title",
                     "choices": [{"label": "ok\x00\ngo"}]})
    draft = Draft(w=320, h=180, fps=15, d=1000, m={"name": "n\x00"},
                  t=[Track(id="x", tt=TrackType.TEXT, sg=[seg])])
    out = to_json(draft)
    assert out["t"][0]["sg"][0]["m"] == {"text": "a b\nc", "role": "title",
                                         "choices": [{"label": "ok go"}]}
    assert out["m"] == {"name": "n"}
    back = from_json({**out, "m": {"name": "\x9bm\x00e"}})
    assert back.m == {"name": "me"}
    clean = {"text": "fine\nlines"}
    assert clean_meta(clean) is clean  # nothing to clean: nothing copied


def test_drawn_text_and_scripts_have_none() -> None:
    seg = Segment(id="s", src=None, st=0, d=1000, m={"text": f"Hi{NASTY}!", "role": "title"})
    draft = Draft(w=320, h=180, fps=15, d=1000, m={},
                  t=[Track(id="x", tt=TrackType.TEXT, sg=[seg])])
    ass = ass_document(draft, Canvas(320, 180, 15), "Noto Sans") or ""
    assert "Hi!" in ass and not CONTROLS.search(ass.replace("\r\n", "\n"))
    script = parse_script(f"My{NASTY} title\n\nFirst\x0bscene here. Second\x0c one.\n")
    assert script.title == "My title"
    assert [s for scene in script.scenes for s in scene.sentences] == [
        "First scene here.", "Second one."]
    assert clean_text("a\r\nb\rc", newlines=True) == "a\nb\nc"
    assert clean_text("a\nb", newlines=False) == "a b"


def test_terminal_escapes_go_whole() -> None:
    assert clean_text("\x1b[1;31mRed\x1b[0m and \x1b]0;window title\x07plain") == "Red and plain"
    assert clean_text("lone \x1b escape") == "lone  escape"
