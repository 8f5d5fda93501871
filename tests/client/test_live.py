"""The SDK against a real server: every route, real uploads, a real export checked with PyAV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import pytest
from tests.client.live_server import LiveServer, live_server  # noqa: F401

from reelwright import errors
from reelwright.client import Attribution, Client, event_text

pytestmark = pytest.mark.slow


def _slideshow(media_ids: list[str]) -> dict[str, object]:
    segments = [{"id": f"s{i}", "src": mid, "st": i * 1000, "d": 1000, "m": {"fit": "cover"}}
                for i, mid in enumerate(media_ids)]
    return {"v": 1, "w": 320, "h": 240, "fps": 15, "d": 1000 * len(media_ids), "m": {},
            "t": [{"id": "v1", "tt": 0, "sg": segments}]}


def test_token_session_balance_and_state(live_server: LiveServer, tmp_path: Path) -> None:  # noqa: F811
    with Client(live_server.url, token_file=tmp_path / "t.json") as rw:
        rw.create_session("SDK test")
        balance = rw.balance()
        state = rw.state()
    assert balance.total == balance.available + balance.frozen and balance.available > 0
    assert state.draft is None and state.video_infos == []
    with Client(live_server.url, token_file=tmp_path / "t.json") as again:
        assert again.token == rw.token
        assert again.balance().total == balance.total


def test_bad_requests_come_back_as_typed_errors(live_server: LiveServer, tmp_path: Path,  # noqa: F811
                                                make_photo: Callable[..., Path]) -> None:
    junk = tmp_path / "notes.jpg"
    junk.write_bytes(bytes(range(256)) * 8)  # binary, and no format's signature
    with Client(live_server.url) as rw:
        with pytest.raises(errors.AuthFailed):
            Client(live_server.url, token="rwa_nonsense").balance()
        with pytest.raises(errors.SessionNotFound):
            rw.state("ses_does_not_exist")
        rw.create_session()
        with pytest.raises(errors.MediaError):
            rw.upload([junk])
        with pytest.raises(errors.DraftInvalid):
            rw.start_render({"v": 1, "w": 320, "h": 240, "fps": 15, "d": 1000,
                             "t": [{"id": "v", "tt": 0, "sg": [
                                 {"id": "s", "src": "med_not_mine", "st": 0, "d": 1000}]}]})
        with pytest.raises(errors.PlanBlocked):
            Client(live_server.url, token=rw.token,
                   attribution=Attribution("", "", "")).start_render(
                _slideshow(["med_x"]), session_id=rw.session_id)


def test_upload_export_and_download_a_real_video(live_server: LiveServer, tmp_path: Path,  # noqa: F811
                                                 make_photo: Callable[..., Path]) -> None:
    photos = [make_photo(f"sdk{i}.jpg", (320, 240), seed=i) for i in range(2)]
    fractions: list[float] = []
    with Client(live_server.url) as rw:
        rw.create_session("export test")
        uploaded = rw.upload(photos)
        assert [m.name for m in uploaded] == ["sdk0.jpg", "sdk1.jpg"]
        assert all(m.id.startswith("med_") and m.kind == "image" for m in uploaded)
        path = rw.export(_slideshow(uploaded.ids), out_dir=tmp_path / "out",
                         progress=fractions.append, poll_interval=0.2, timeout=240)
        assert rw.state().draft is not None
    assert fractions[-1] == 1.0 and fractions == sorted(fractions)
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        seconds = float(container.duration or 0) / av.time_base
    assert 1.8 <= seconds <= 2.3


def test_a_chat_turn_streams_events(live_server: LiveServer,  # noqa: F811
                                    make_photo: Callable[..., Path]) -> None:
    if not live_server.has_agent:
        pytest.skip("the agent route /run_sse is not part of the service yet")
    with Client(live_server.url) as rw:
        rw.create_session()
        rw.upload([make_photo("chat0.jpg", (320, 240), seed=3)])
        events = list(rw.run_sse("turn my photos into a slideshow video"))
    assert events, "the turn produced no events"
    assert any(event_text(e) for e in events)
