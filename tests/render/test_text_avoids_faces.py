"""Titles stay off faces: a slideshow's title box never covers a face the detector finds in
the rendered frame, in 16:9 and 9:16; on 9:16 it also stays inside the platforms' safe zone."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from tests.media import media_samples as samples

from probe import frame_at
from reelwright.agent.recipes.slideshow import build_slideshow
from reelwright.draft.layout import SAFE_ZONE_9_16
from reelwright.draft.model import Draft, TrackType
from reelwright.media.focus import find_focus
from reelwright.media.ingest import ingest
from reelwright.render import OutputSpec, render

pytestmark = pytest.mark.slow
TITLE = "Summer in the Alps"


def _without_text(draft: Draft) -> Draft:
    bare = draft.copy()
    bare.t = [t for t in bare.t if t.tt != TrackType.TEXT]
    return bare


def _box(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    assert xs.size > 50, "no title drawn"
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


@pytest.fixture(scope="module")
def portrait(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("faces")
    path = root / "portrait.jpg"
    # a face right in the middle, where a centred title would go
    samples.face_picture((1280, 720), 300, (490, 190)).save(path, quality=92)
    info = ingest(path, media_id="med_face", name="portrait.jpg", out_dir=root)
    assert any(box.kind == "face" for box in info.focus), "the detector should see the face"
    return root, info


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_title_box_does_not_cover_a_detected_face(portrait, aspect: str) -> None:  # type: ignore[no-untyped-def]
    root, info = portrait
    draft = build_slideshow([info], aspect=aspect, resolution=480, title=TITLE,
                            seconds_per_item=4.0)
    with_title, bare = root / f"t{aspect[0]}.mp4", root / f"b{aspect[0]}.mp4"
    render(draft, {info.id: info}, OutputSpec(path=str(with_title), quality="draft"))
    render(_without_text(draft), {info.id: info}, OutputSpec(path=str(bare), quality="draft"))
    shown = frame_at(with_title, 1.5).astype(np.int16)
    plain = frame_at(bare, 1.5)
    # faces as the detector sees them in the rendered frame (without the title on top)
    faces = [box for box in find_focus(Image.fromarray(plain)) if box.kind == "face"]
    assert faces, "the face should still be visible in the frame"
    h, w = plain.shape[:2]
    title = _box(np.abs(shown - plain.astype(np.int16)).max(axis=2) > 40)
    for face in faces:
        face_px = (int(face.x * w), int(face.y * h), int((face.x + face.w) * w),
                   int((face.y + face.h) * h))
        assert _overlap(title, face_px) == 0, (title, face_px)
    # a centred title would have covered it: the test can fail
    assert any(face.x < 0.5 < face.x + face.w and face.y < 0.5 < face.y + face.h
               for face in faces)
    if aspect == "9:16":
        left, top, right, bottom = SAFE_ZONE_9_16
        assert title[0] >= left * w and title[2] <= right * w
        assert title[1] >= top * h and title[3] <= bottom * h
