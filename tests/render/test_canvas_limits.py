"""The canvas sizes a draft may ask for (``draft.vocab`` MIN_SIDE..MAX_SIDE, even) are the
sizes the renderer makes, and docs/draft.md says the same range."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests import probe
from tests.render.render_helpers import audio_info, do_render, draft, image_info, visual

from reelwright.draft import MediaInfo, vocab
from reelwright.draft.validate import problems

DOCS = Path(__file__).resolve().parents[2] / "docs" / "draft.md"


def test_docs_state_the_range_the_validator_enforces() -> None:
    found = re.search(r"`w`, `h`: even numbers, (\d+)\.\.(\d+)", DOCS.read_text())
    assert found, "docs/draft.md no longer states the w/h range"
    assert (int(found[1]), int(found[2])) == (vocab.MIN_SIDE, vocab.MAX_SIDE)


@pytest.mark.parametrize(("w", "h", "ok"), [
    (vocab.MIN_SIDE, vocab.MIN_SIDE, True), (vocab.MAX_SIDE, vocab.MAX_SIDE, True),
    (vocab.MIN_SIDE - 2, 720, False), (720, vocab.MAX_SIDE + 2, False), (721, 720, False),
])
def test_validator_range(w: int, h: int, ok: bool) -> None:
    found = problems(draft(w, h, 1000, []))
    assert (found == []) is ok, found
    if not ok:
        assert f"{vocab.MIN_SIDE}..{vocab.MAX_SIDE}" in "; ".join(found)


@pytest.fixture(scope="module")
def media(make_photo, make_tone) -> dict[str, MediaInfo]:  # type: ignore[no-untyped-def]
    return {"p1": image_info("p1", make_photo("lim_p1.jpg", (400, 300), seed=4)),
            "p2": image_info("p2", make_photo("lim_p2.jpg", (300, 400), seed=5)),
            "mu": audio_info("mu", make_tone("lim_mu.wav", seconds=2.0, freq=330), 2000)}


@pytest.mark.slow
@pytest.mark.parametrize(("w", "h"), [(vocab.MIN_SIDE, vocab.MIN_SIDE),
                                      (vocab.MAX_SIDE, vocab.MIN_SIDE)])
def test_the_extreme_canvases_render(media: dict[str, MediaInfo], tmp_path: Path,
                                     w: int, h: int) -> None:
    # Given the smallest canvas, and the widest banner, with motion, a transition, text, music
    d = draft(w, h, 1600, [
        visual({"id": "a", "src": "p1", "st": 0, "d": 1000,
                "m": {"kb": {"z0": 1.0, "z1": 1.2, "x0": 0.4, "y0": 0.5, "x1": 0.6, "y1": 0.5}}},
               {"id": "b", "src": "p2", "st": 600, "d": 1000,
                "m": {"fit": "blur", "tr": {"n": "fade", "d": 400}}}),
        {"id": "m", "tt": 1, "m": {"role": "music"},
         "sg": [{"id": "m1", "src": "mu", "st": 0, "d": 1600, "m": {"vol": 0.5}}]},
        {"id": "t", "tt": 7, "sg": [{"id": "t1", "st": 0, "d": 1600, "m": {
            "text": "A title long enough to wrap", "role": "title"}}]},
    ], fps=15)
    assert problems(d) == []
    # When it is rendered
    out = tmp_path / "edge.mp4"
    do_render(d, media, out)
    # Then the file is exactly that size, H.264 yuv420p, the right length, and not black
    facts = probe.probe(out)
    assert (facts.width, facts.height) == (w, h)
    assert (facts.vcodec, facts.pix_fmt) == ("h264", "yuv420p")
    assert abs(facts.duration - 1.6) <= 1 / 15
    assert facts.acodec == "aac"
    for t in (0.2, 0.8, 1.4):
        frame = probe.frame_at(out, t)
        assert frame.shape[:2] == (h, w) and frame.mean() > 20 and frame.std() > 5
