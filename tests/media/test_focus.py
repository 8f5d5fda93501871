"""Focus boxes: faces first (best first), then the most salient region, normalised 0..1.

No photograph of a person ships in any installed wheel, and nothing may be downloaded, so
the face tests use a shaded drawing of a face (samples.face_picture). It carries the light
pattern the Haar features look for (dark brows and eyes over a lit forehead and cheeks, a
lit nose bridge), and the real cascade finds it at several sizes; a grey photo with no
face must give no face, so the tests can fail both ways.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from tests.media import media_samples as samples

from reelwright.draft.media import FocusBox
from reelwright.media.focus import (
    HaarFaceDetector,
    RawFace,
    YuNetFaceDetector,
    find_focus,
    load_face_detector,
)


def contains(box: FocusBox, x0: float, y0: float, x1: float, y1: float, slack: float = 0.02
             ) -> bool:
    return (box.x <= x0 + slack and box.y <= y0 + slack
            and box.x + box.w >= x1 - slack and box.y + box.h >= y1 - slack)


def overlap(box: FocusBox, x0: float, y0: float, x1: float, y1: float) -> float:
    ix = max(0.0, min(box.x + box.w, x1) - max(box.x, x0))
    iy = max(0.0, min(box.y + box.h, y1) - max(box.y, y0))
    inter = ix * iy
    return inter / (box.w * box.h + (x1 - x0) * (y1 - y0) - inter)


@pytest.mark.parametrize("face_side,at", [(100, (60, 300)), (160, (300, 120)),
                                          (240, (380, 40))])
def test_face_is_found_where_it_is(face_side: int, at: tuple[int, int]) -> None:
    picture = samples.face_picture((640, 480), face_side, at)
    boxes = find_focus(picture)
    faces = [b for b in boxes if b.kind == "face"]
    assert faces, boxes
    truth = (at[0] / 640, at[1] / 480, (at[0] + face_side) / 640, (at[1] + face_side) / 480)
    assert overlap(faces[0], *truth) > 0.4
    assert 0 < faces[0].score <= 1


def test_faces_come_first_best_first_then_one_saliency_box() -> None:
    picture = samples.face_picture((960, 540), 200, (80, 150))
    small = samples.face_picture((300, 300), 120, (90, 90))
    picture.paste(small.crop((80, 80, 220, 220)), (700, 200))
    boxes = find_focus(picture)
    kinds = [b.kind for b in boxes]
    assert kinds.count("saliency") == 1 and kinds[-1] == "saliency"
    assert kinds[:-1] == ["face"] * (len(kinds) - 1) and len(kinds) >= 3
    scores = [b.score for b in boxes[:-1]]
    assert scores == sorted(scores, reverse=True)


def test_no_face_in_a_photo_without_one(make_photo: Callable[..., Path]) -> None:
    with Image.open(make_photo("focus_noface.jpg", (640, 480), seed=3)) as photo:
        boxes = find_focus(photo)
    assert [b.kind for b in boxes if b.kind == "face"] == []


def test_saliency_box_contains_a_bright_object_on_dark() -> None:
    picture = Image.new("RGB", (800, 600), (18, 18, 22))
    ImageDraw.Draw(picture).ellipse([520, 120, 640, 240], fill=(250, 240, 200))
    boxes = find_focus(picture)
    assert [b.kind for b in boxes] == ["saliency"]
    box = boxes[0]
    assert contains(box, 520 / 800, 120 / 600, 640 / 800, 240 / 600)
    assert box.w < 0.6 and box.h < 0.7  # it points at the object, not the whole frame


def test_boxes_are_normalised_for_any_size() -> None:
    picture = samples.face_picture((640, 480), 160, (300, 120)).resize((4000, 3000))
    started = time.perf_counter()
    boxes = find_focus(picture)
    assert time.perf_counter() - started < 3.0  # analysed on a <= 640 px copy
    assert boxes
    for box in boxes:
        assert 0 <= box.x <= 1 and 0 <= box.y <= 1
        assert 0 < box.w <= 1 - box.x + 1e-6 and 0 < box.h <= 1 - box.y + 1e-6


def test_flat_or_tiny_images_have_no_focus() -> None:
    assert find_focus(Image.new("RGB", (300, 200), (90, 90, 90))) == ()
    assert find_focus(Image.new("RGB", (1, 1))) == ()


def test_a_plugged_in_detector_is_used() -> None:
    class Fixed:
        def detect(self, bgr: np.ndarray) -> list[RawFace]:
            h, w = bgr.shape[:2]
            return [RawFace(w / 4, h / 4, w / 10, h / 10, 0.9)]

    boxes = find_focus(Image.new("RGB", (400, 200), (90, 90, 90)), detector=Fixed())
    assert boxes[0] == FocusBox(0.25, 0.25, 0.1, 0.1, 0.9, "face")


def test_default_detector_and_model_loading() -> None:
    assert isinstance(load_face_detector(""), HaarFaceDetector)
    with pytest.raises(FileNotFoundError, match="face model not found"):
        load_face_detector("/nonexistent/yunet.onnx")


def test_a_file_that_is_not_an_onnx_model_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "yunet.onnx"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="not a YuNet ONNX face model"):
        YuNetFaceDetector(bogus)
