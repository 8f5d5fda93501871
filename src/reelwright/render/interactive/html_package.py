"""The "html" export: one zip a person unpacks and opens (file:// or served) to play the video
with its buttons, hotspots, choices, chapters and end screens.

Layout::

    index.html            the page; the interactions JSON is embedded in a script tag
    player.js player.css  the player (no CDN, no build step)
    interactions.json     the same JSON, for tools that read it
    media/video.mp4       the main video (H.264/AAC)
    media/branch-N.mp4    one file per clip branch
    media/captions.vtt    captions, when the draft has caption texts
"""

from __future__ import annotations

import html
import json
import tempfile
import zipfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.render.interactive import manifest
from reelwright.render.interactive.videos import (
    RenderOptions,
    atomic_zip,
    check,
    package_result,
    render_videos,
)
from reelwright.render.types import RenderResult

PLAYER_FILES = ("player.js", "player.css")


def player_asset(name: str) -> str:
    """The text of one of the player's static files."""
    return (resources.files("reelwright.render.interactive") / "player" / name).read_text(
        encoding="utf-8")


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: ``</script>`` and ``<!--`` cannot end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def index_html(data: Mapping[str, Any]) -> str:
    """The page for the player JSON ``data``."""
    title = html.escape(str(data["title"]))
    track = ""
    if data.get("captions"):
        label = "中文" if data.get("lang") == "zh" else "Captions"
        track = (f'<track kind="captions" src="{data["captions"]}" srclang="{data["lang"]}" '
                 f'label="{label}" default>')
    page = player_asset("index.html")
    for key, value in (("{{TITLE}}", title), ("{{LANG}}", html.escape(str(data["lang"]))),
                       ("{{W}}", str(int(data["w"]))), ("{{H}}", str(int(data["h"]))),
                       ("{{TRACK}}", track), ("{{DATA}}", script_json(data))):
        page = page.replace(key, value)
    return page


def build_html_package(draft: Draft, media: Mapping[str, MediaInfo], path: str | Path, *,
                       options: RenderOptions | None = None, lang: str = "en") -> RenderResult:
    """Render the videos and write the zip to ``path`` (whole or not at all).

    Raises ``DraftInvalid`` (draft or interactive rules) before anything renders, and the
    renderer's errors (``RenderFailed``, ``RenderCancelled``, ``RenderTimeout``).
    """
    options = options or RenderOptions()
    check(draft, media)
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rw-html-") as tmp:
        videos = render_videos(draft, media, Path(tmp), options, vtt=True)
        names = {name: f"media/{p.name}" for name, p in videos.branches.items()}
        data = manifest.build(draft, branch_videos=names, captions=bool(videos.cues), lang=lang)
        with atomic_zip(final) as zf:
            text = zipfile.ZIP_DEFLATED
            zf.writestr("index.html", index_html(data), compress_type=text)
            for name in PLAYER_FILES:
                zf.writestr(name, player_asset(name), compress_type=text)
            zf.writestr("interactions.json", json.dumps(data, ensure_ascii=False, indent=1),
                        compress_type=text)
            zf.write(videos.main, manifest.MAIN_VIDEO, compress_type=zipfile.ZIP_STORED)
            for name, file in videos.branches.items():
                zf.write(file, names[name], compress_type=zipfile.ZIP_STORED)
            if videos.cues:
                zf.writestr(manifest.CAPTIONS, manifest.webvtt(videos.cues), compress_type=text)
    return package_result(draft, final, "html", options, videos)
