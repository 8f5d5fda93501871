"""Recipes: whole drafts built in one go from a person's media (slideshow, ...).

Each recipe is a pure function of ``MediaInfo`` facts and options, returning a validated draft.
"""

from __future__ import annotations

from collections.abc import Callable

from reelwright.agent.recipes.slideshow import build_slideshow
from reelwright.draft.model import Draft

RECIPES: dict[str, Callable[..., Draft]] = {"slideshow": build_slideshow}

__all__ = ["RECIPES", "build_slideshow", "recipe"]


def recipe(name: str) -> Callable[..., Draft]:
    """The recipe registered as ``name``; KeyError lists the known ones."""
    try:
        return RECIPES[name]
    except KeyError:
        raise KeyError(f"unknown recipe {name!r}; known: {', '.join(sorted(RECIPES))}") from None
