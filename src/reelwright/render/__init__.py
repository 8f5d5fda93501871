"""The renderer: ``compile_plan`` (pure) turns a draft into one ffmpeg graph; ``render`` runs it.

``runner`` is the only module that starts ffmpeg.
"""

from reelwright.render.compile import compile_plan
from reelwright.render.pipeline import render, resolve_font
from reelwright.render.plan import AuxFile, Canvas, Plan
from reelwright.render.transitions import REGISTRY as TRANSITIONS
from reelwright.render.types import QUALITIES, OutputSpec, RenderResult

__all__ = [
    "QUALITIES", "TRANSITIONS", "AuxFile", "Canvas", "OutputSpec", "Plan", "RenderResult",
    "compile_plan", "render", "resolve_font",
]
