"""9:16: captions, titles, button labels and card text stay inside the zone TikTok, Reels and
Shorts leave free (clear of the bottom fifth and the right-hand button column)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from probe import frame_at
from reelwright.agent.explainer_make import make_explainer
from reelwright.draft.layout import SAFE_ZONE_9_16
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.media.cards import make_card
from reelwright.media.fonts import default_font
from reelwright.media.illustrations import rasterise
from reelwright.render import OutputSpec, render
from reelwright.render.interactive.burn_in import BUTTON_STYLE

pytestmark = pytest.mark.slow
SCRIPT = """Trailblazer Lantern

The battery lasts up to 40 hours of light on a single charge, even on the coldest nights.
Fold it flat and it fits in any backpack, next to your water bottle and your map."""


def _inside(mask: np.ndarray, what: str) -> None:
    h, w = mask.shape
    ys, xs = np.nonzero(mask)
    assert xs.size > 30, f"no {what} drawn"
    left, top, right, bottom = SAFE_ZONE_9_16
    # a pixel or two of anti-aliasing and encoding noise is allowed at the edge
    assert xs.min() >= left * w - 2 and xs.max() <= right * w + 2, (what, xs.min(), xs.max())
    assert ys.min() >= top * h - 2 and ys.max() <= bottom * h + 2, (what, ys.min(), ys.max())


def _no_text(draft: Draft) -> Draft:
    bare = draft.copy()
    bare.t = [t for t in bare.t if t.tt != TrackType.TEXT]
    return bare


def test_text_and_buttons_of_a_vertical_explainer_are_in_the_safe_zone(
        tmp_path: Path) -> None:
    result = make_explainer(SCRIPT, workdir=tmp_path / "w", cache_dir=tmp_path / "c",
                            aspect="9:16", resolution=480, voice="none", music=False)
    draft = result.draft
    # a burned-in button label, as the interactive export draws one
    draft.t.append(Track(id="x_button", tt=TrackType.TEXT, m={"role": "overlay"}, sg=[Segment(
        id="b1", st=300, d=1500,
        m={"text": "Shop now", "role": "overlay", "pos": "bottom-right", "fi": 0, "fo": 0,
           "style": dict(BUTTON_STYLE)})]))
    media = {item.id: item for item in result.generated}
    full, bare = tmp_path / "full.mp4", tmp_path / "bare.mp4"
    render(draft, media, OutputSpec(path=str(full), quality="draft"))
    render(_no_text(draft), media, OutputSpec(path=str(bare), quality="draft"))
    texts = [seg for t in draft.tracks_of(TrackType.TEXT) for seg in t.sg]
    kinds = {str(seg.m.get("role")) for seg in texts}
    assert {"title", "caption", "overlay"} <= kinds
    for seg in texts:
        t = (seg.st + min(seg.d / 2, 900)) / 1000
        diff = np.abs(frame_at(full, t).astype(np.int16) - frame_at(bare, t).astype(np.int16))
        _inside(diff.max(axis=2) > 50, f"{seg.m.get('role')} at {t:.2f}s")


def test_card_headline_and_illustration_are_in_the_safe_zone(tmp_path: Path) -> None:
    w, h = 540, 960
    common = {"w": w, "h": h, "font_path": default_font(), "variant": 2}
    plain, _ = make_card(tmp_path / "plain.png", headline="", **common)
    full, _ = make_card(tmp_path / "full.png", headline="Battery lasts up to 40 hours",
                     number=1, kicker="Trailblazer Lantern",
                     illustration=rasterise("1F50B", 270), **common)
    a = np.asarray(Image.open(plain), dtype=np.int16)
    b = np.asarray(Image.open(full), dtype=np.int16)
    _inside(np.abs(a - b).max(axis=2) > 30, "card content")
