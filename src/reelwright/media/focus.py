"""Where the interesting part of a photo is: faces first, then the most salient region.

``find_focus(image)`` answers ``FocusBox`` values normalised to 0..1 of the upright image:
every face found (best first), then one ``saliency`` box. Ken Burns aims at them, and the
crop of a landscape photo into 9:16 or 1:1 keeps them, so heads are not cut off.

Detection runs on a copy no larger than 640 px on its long side, so a 12 MP photo takes
tens of milliseconds.

The default face detector is OpenCV's Haar cascades shipped inside the opencv wheel
(frontal, plus profile faces looking either way). They need no download and are fine for
clear, front-lit faces, but miss small, tilted or dim ones. To use a better model, put a
YuNet ONNX file (OpenCV Zoo's ``face_detection_yunet_2023mar.onnx``, 300 kB) on the server
and point the setting at it::

    REELWRIGHT_FACE_MODEL=/models/face_detection_yunet_2023mar.onnx

The app then builds ``load_face_detector(settings.face_model)`` once and passes it to
``ingest(..., face_detector=...)``. Anything with a ``detect(bgr) -> list[RawFace]`` method
(see :class:`FaceDetector`) can be plugged in the same way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from reelwright.draft.media import FocusBox

ANALYSIS_SIDE = 640
_MIN_FACE_FRACTION = 0.04  # of the shorter side: smaller "faces" are texture, not people
_OVERLAP_IOU = 0.3
_SALIENCY_BLUR_SIGMA = 0.012  # of the longer side


@dataclass(frozen=True)
class RawFace:
    """A face in pixels of the image it was found in; ``score`` is in 0..1."""

    x: float
    y: float
    w: float
    h: float
    score: float


class FaceDetector(Protocol):
    """Finds faces in a BGR uint8 image (OpenCV's layout)."""

    def detect(self, bgr: NDArray[np.uint8]) -> list[RawFace]: ...


class HaarFaceDetector:
    """OpenCV's Haar cascades from the wheel: frontal faces and profiles (both directions)."""

    def __init__(self) -> None:
        root = Path(cv2.data.haarcascades)  # type: ignore[attr-defined]
        self._frontal = _cascade(root / "haarcascade_frontalface_default.xml")
        self._profile = _cascade(root / "haarcascade_profileface.xml")

    def detect(self, bgr: NDArray[np.uint8]) -> list[RawFace]:
        gray = cv2.equalizeHist(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
        side = max(24, int(min(gray.shape) * _MIN_FACE_FRACTION))
        found = _run_cascade(self._frontal, gray, side, boost=0.0)
        width = gray.shape[1]
        # the profile cascade only knows faces turned one way: run it on the mirror too
        found += _run_cascade(self._profile, gray, side, boost=-0.1)
        for face in _run_cascade(self._profile, cv2.flip(gray, 1), side, boost=-0.1):
            found.append(RawFace(width - face.x - face.w, face.y, face.w, face.h, face.score))
        return found


class YuNetFaceDetector:
    """OpenCV's DNN face detector (YuNet, an ONNX file): better on small and turned faces."""

    def __init__(self, model_path: Path, *, min_score: float = 0.6) -> None:
        if not model_path.is_file():
            raise FileNotFoundError(f"face model not found: {model_path}")
        try:
            self._net = cv2.FaceDetectorYN.create(str(model_path), "", (320, 320), min_score)
        except cv2.error as exc:
            raise ValueError(f"{model_path} is not a YuNet ONNX face model: {exc}") from exc

    def detect(self, bgr: NDArray[np.uint8]) -> list[RawFace]:
        h, w = bgr.shape[:2]
        self._net.setInputSize((w, h))
        _, faces = self._net.detect(bgr)
        if faces is None:
            return []
        return [RawFace(float(f[0]), float(f[1]), float(f[2]), float(f[3]), float(f[-1]))
                for f in faces]


def load_face_detector(model_path: str | Path = "") -> FaceDetector:
    """The detector a setting names: a YuNet ONNX path, or empty for the Haar cascades."""
    if str(model_path).strip():
        return YuNetFaceDetector(Path(model_path).expanduser())
    return _default_detector()


@functools.cache
def _default_detector() -> HaarFaceDetector:
    return HaarFaceDetector()


def _cascade(path: Path) -> cv2.CascadeClassifier:
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise FileNotFoundError(f"OpenCV cascade missing or unreadable: {path}")
    return cascade


def _run_cascade(cascade: cv2.CascadeClassifier, gray: NDArray[Any], side: int,
                 boost: float) -> list[RawFace]:
    boxes, _, weights = cascade.detectMultiScale3(
        gray, scaleFactor=1.1, minNeighbors=5, minSize=(side, side), outputRejectLevels=True
    )
    faces = []
    for (x, y, w, h), weight in zip(boxes, np.ravel(weights), strict=False):
        # the last stage's margin: ~0 is borderline, 5+ is a clear face
        score = float(np.clip(0.5 + float(weight) / 10 + boost, 0.05, 1.0))
        faces.append(RawFace(float(x), float(y), float(w), float(h), score))
    return faces


def find_focus(image: Image.Image, *, detector: FaceDetector | None = None,
               saliency: bool = True) -> tuple[FocusBox, ...]:
    """Faces (best first, overlaps merged), then one saliency box; all normalised 0..1."""
    bgr = _analysis_copy(image)
    h, w = bgr.shape[:2]
    if w < 8 or h < 8:
        return ()
    faces = _merge((detector or _default_detector()).detect(bgr))
    boxes = [_normalise(f.x, f.y, f.w, f.h, w, h, f.score, "face") for f in faces]
    if saliency:
        region = _salient_region(bgr)
        if region is not None:
            boxes.append(region)
    return tuple(boxes)


def _analysis_copy(image: Image.Image) -> NDArray[np.uint8]:
    small = image.convert("RGB")
    if max(small.size) > ANALYSIS_SIDE:
        small = small.copy()
        small.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE), Image.Resampling.BILINEAR)
    rgb = np.asarray(small, dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _merge(faces: list[RawFace]) -> list[RawFace]:
    kept: list[RawFace] = []
    for face in sorted(faces, key=lambda f: f.score, reverse=True):
        if all(_iou(face, other) < _OVERLAP_IOU for other in kept):
            kept.append(face)
    return kept


def _iou(a: RawFace, b: RawFace) -> float:
    ix = max(0.0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0.0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    inter = ix * iy
    union = a.w * a.h + b.w * b.h - inter
    return inter / union if union > 0 else 0.0


def _normalise(x: float, y: float, bw: float, bh: float, w: int, h: int, score: float,
               kind: str) -> FocusBox:
    x0, y0 = max(0.0, x / w), max(0.0, y / h)
    x1, y1 = min(1.0, (x + bw) / w), min(1.0, (y + bh) / h)
    return FocusBox(round(x0, 4), round(y0, 4), round(x1 - x0, 4), round(y1 - y0, 4),
                    round(score, 3), kind)


def _salient_region(bgr: NDArray[np.uint8]) -> FocusBox | None:
    """The connected region carrying the most spectral-residual saliency."""
    if float(bgr.std()) < 2.0:
        return None  # a flat image has nothing to aim at; its saliency map is only noise
    detector = cv2.saliency.StaticSaliencySpectralResidual_create()  # type: ignore[attr-defined]
    ok, heat = detector.computeSaliency(bgr)
    if not ok or heat is None:
        return None
    h, w = heat.shape[:2]
    sigma = max(1.0, max(w, h) * _SALIENCY_BLUR_SIGMA)
    heat = cv2.GaussianBlur(heat.astype(np.float32), (0, 0), sigma)
    spread = float(heat.std())
    if spread < 1e-6:
        return None
    mask = (heat > float(heat.mean()) + 2 * spread).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count < 2:
        return None
    mass = np.bincount(labels.ravel(), weights=heat.ravel(), minlength=count)
    best = 1 + int(np.argmax(mass[1:]))
    x, y, bw, bh = (int(v) for v in stats[best, :4])
    score = float(mass[best] / mass[1:].sum())
    return _normalise(x, y, bw, bh, w, h, score, "saliency")
