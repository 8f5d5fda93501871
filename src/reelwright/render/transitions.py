"""Transitions by name: each draft name maps to one ffmpeg ``xfade`` transition.

Register a new one with ``register(Transition(...))``; a test checks that every name in
``reelwright.draft.vocab.TRANSITIONS`` is here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    name: str
    xfade: str
    help: str = ""
    # Geometry and blending only, no colour constants: xfade can run on each plane of a 4:2:0
    # frame as a grey picture, 8x cheaper than converting both sides to 4:4:4 and back.
    # Not so for dips to black/white (chroma black is 128), noise (luma and chroma would
    # differ) or blocks (the chroma grid would not match the luma one).
    per_plane: bool = True


REGISTRY: dict[str, Transition] = {}


def register(transition: Transition) -> Transition:
    REGISTRY[transition.name] = transition
    return transition


NOT_PER_PLANE = frozenset({"dissolve", "fadeblack", "fadewhite", "pixelize"})

for _name, _xfade, _help in (
    ("fade", "fade", "cross-fade"),
    ("dissolve", "dissolve", "random-pixel dissolve"),
    ("wipeleft", "wipeleft", "wipe towards the left"),
    ("wiperight", "wiperight", "wipe towards the right"),
    ("wipeup", "wipeup", "wipe upwards"),
    ("wipedown", "wipedown", "wipe downwards"),
    ("slideleft", "slideleft", "push to the left"),
    ("slideright", "slideright", "push to the right"),
    ("slideup", "slideup", "push upwards"),
    ("slidedown", "slidedown", "push downwards"),
    ("zoomin", "zoomin", "zoom into the next shot"),
    ("circleopen", "circleopen", "iris opening"),
    ("radial", "radial", "clock wipe"),
    ("smoothleft", "smoothleft", "soft-edged wipe to the left"),
    ("fadeblack", "fadeblack", "dip to black"),
    ("fadewhite", "fadewhite", "dip to white"),
    ("pixelize", "pixelize", "pixelate through"),
):
    register(Transition(_name, _xfade, _help, per_plane=_xfade not in NOT_PER_PLANE))


def xfade_name(name: str) -> str:
    """The xfade transition for a draft transition name (KeyError if unknown)."""
    return REGISTRY[name].xfade


def xfade_per_plane(xfade: str) -> bool:
    """Whether the xfade transition ``xfade`` may run plane by plane on 4:2:0 frames."""
    return any(t.per_plane for t in REGISTRY.values() if t.xfade == xfade)
