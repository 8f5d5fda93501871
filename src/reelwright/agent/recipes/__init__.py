"""Recipes: whole drafts built in one go from a person's media (slideshow, explainer, ...).

Each recipe is a pure function of ``MediaInfo`` facts and options, returning a validated draft.
The explainer's I/O half (speech, cards, music) is ``explainer_make.make_explainer``, imported
only where it is used so the TTS stack never loads with this package.
"""

from __future__ import annotations

from collections.abc import Callable

from reelwright.agent.recipes.explainer import build_explainer
from reelwright.agent.recipes.slideshow import build_slideshow
from reelwright.draft.model import Draft

RECIPES: dict[str, Callable[..., Draft]] = {"slideshow": build_slideshow,
                                            "explainer": build_explainer}

__all__ = ["RECIPES", "build_explainer", "build_slideshow", "recipe"]


def recipe(name: str) -> Callable[..., Draft]:
    """The recipe registered as ``name``; KeyError lists the known ones."""
    try:
        return RECIPES[name]
    except KeyError:
        raise KeyError(f"unknown recipe {name!r}; known: {', '.join(sorted(RECIPES))}") from None
