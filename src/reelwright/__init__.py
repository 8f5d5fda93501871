"""Reelwright: a self-hostable AI video maker."""

__version__ = "0.1.0"
