"""Interactive exports of a draft with a tt 8 track: a playable web package ("html"), an H5P
package ("h5p") and a linear MP4 with the interactions burned in ("mp4").

``export(draft, media, fmt, path)`` picks the exporter; each validates the draft and the
interactive rules before anything renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.render.interactive.burn_in import burn_in_draft, render_burned_in
from reelwright.render.interactive.h5p import build_h5p
from reelwright.render.interactive.html_package import build_html_package
from reelwright.render.interactive.videos import RenderOptions
from reelwright.render.types import RenderResult

FORMATS: tuple[str, ...] = ("html", "h5p", "mp4")
EXTENSIONS: dict[str, str] = {"html": "zip", "h5p": "h5p", "mp4": "mp4"}

__all__ = ["EXTENSIONS", "FORMATS", "RenderOptions", "build_h5p", "build_html_package",
           "burn_in_draft", "export", "render_burned_in"]


def export(draft: Draft, media: Mapping[str, MediaInfo], fmt: str, path: str | Path, *,
           options: RenderOptions | None = None, lang: str = "en") -> RenderResult:
    """Write ``draft`` as ``fmt`` (html, h5p or mp4 with burned-in overlays) to ``path``."""
    if fmt == "html":
        return build_html_package(draft, media, path, options=options, lang=lang)
    if fmt == "h5p":
        return build_h5p(draft, media, path, options=options, lang=lang)
    if fmt == "mp4":
        return render_burned_in(draft, media, path, options=options)
    raise ValueError(f"unknown interactive format {fmt!r}; one of {', '.join(FORMATS)}")
