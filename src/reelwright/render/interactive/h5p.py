"""The "h5p" export: an .h5p package (a zip) that H5P hosts (Moodle, WordPress, Drupal,
Lumi, hosts on h5p-server) open with the content-type libraries the H5P Hub serves today:
``H5P.InteractiveVideo 1.28`` and ``H5P.BranchingScenario 1.10`` with what they depend on.

Every field written is one those libraries' ``semantics.json`` allows, so a host that saves the
content (and drops what its semantics do not know) keeps all of it.

One video (no separate clips) becomes an interactive video: buttons and hotspots are
``H5P.IVHotspot`` interactions (``destination``: timecode or URL, hand cursor), choices and the end
screen are ``H5P.GoToQuestion`` interactions that pause the video, chapters are ``bookmarks``.
Branches to separate clips need ``H5P.BranchingScenario``: the main video is cut at each choice
that leads to a clip (and at the end screen) and each part is an interactive video; the choice is
a ``H5P.BranchingQuestion`` between the parts, each clip an interactive video of its own
(``h5p_branching``).

Units are H5P's: times in seconds; ``x``/``y`` in percent of the video; ``width`` and ``height``
in em, where the video is 40 em wide (H5P scales a 16 px font with a 640 px width).
The package carries content only (``h5p.json`` + ``content/``); the libraries come from the host.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.render.interactive import manifest
from reelwright.render.interactive.h5p_branching import branching_params, cut_points
from reelwright.render.interactive.h5p_video import (
    LIBRARIES,
    VIDEO_EM,
    interactive_video_params,
    lib,
    single_part,
)
from reelwright.render.interactive.videos import (
    RenderOptions,
    atomic_zip,
    check,
    package_result,
    render_parts,
    render_videos,
)
from reelwright.render.types import RenderResult

__all__ = ["LIBRARIES", "VIDEO_EM", "build_h5p", "package_json"]


def _dependencies(content: Mapping[str, Any], main: str) -> list[dict[str, Any]]:
    """The main library and every library named in ``content``, for h5p.json."""
    text = json.dumps(content)
    used = [main] + sorted(name for name in LIBRARIES
                           if name != main and f'"{lib(name)}"' in text)
    return [{"machineName": name, "majorVersion": LIBRARIES[name][0],
             "minorVersion": LIBRARIES[name][1]} for name in used]


def package_json(draft: Draft, *, branch_videos: Mapping[str, str], lang: str,
                 part_videos: list[str] | None = None,
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(h5p.json, content/content.json)`` for ``draft``; pure. With ``branch_videos`` (clip
    branches) the package is a branching scenario playing the main video's parts
    (``cut_points``; by default ``videos/part-N.mp4``)."""
    title = manifest.title_of(draft)
    if branch_videos:
        main = "H5P.BranchingScenario"
        if part_videos is None:
            part_videos = [f"videos/part-{i}.mp4" for i in range(len(cut_points(draft)))]
        content = branching_params(draft, branch_videos, part_videos, title=title, lang=lang)
    else:
        main = "H5P.InteractiveVideo"
        content = interactive_video_params(draft, single_part(draft), "videos/video.mp4",
                                           title=title, lang=lang)
    h5p_json = {"title": title, "language": lang, "mainLibrary": main,
                "embedTypes": ["iframe"], "license": "U", "defaultLanguage": lang,
                "preloadedDependencies": _dependencies(content, main)}
    return h5p_json, content


def build_h5p(draft: Draft, media: Mapping[str, MediaInfo], path: str | Path, *,
              options: RenderOptions | None = None, lang: str = "en") -> RenderResult:
    """Render the videos and write the .h5p package to ``path`` (whole or not at all)."""
    options = options or RenderOptions()
    check(draft, media)
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rw-h5p-") as tmp:
        videos = render_videos(draft, media, Path(tmp), options, vtt=False)
        names = {name: f"videos/{p.name}" for name, p in videos.branches.items()}
        h5p_json, content = package_json(draft, branch_videos=names, lang=lang)
        text = json.dumps(content)
        files = {f"content/{names[name]}": p for name, p in videos.branches.items()
                 if f'"{names[name]}"' in text}  # the clips the scenario reaches
        if names:  # the parts of the main video that the scenario plays
            used = {f"part-{i}.mp4": cut for i, cut in enumerate(cut_points(draft))
                    if f'"videos/part-{i}.mp4"' in text}
            w, h = videos.size
            info = MediaInfo(id="rw_main", kind="video", path=str(videos.main), w=w, h=h,
                             duration_ms=draft.d, fps=draft.fps, has_video=True,
                             has_audio=True)
            for name, file in render_parts(info, used, Path(tmp), options).items():
                files[f"content/videos/{name}"] = file
        else:
            files["content/videos/video.mp4"] = videos.main
        with atomic_zip(final, zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("h5p.json", json.dumps(h5p_json, ensure_ascii=False, indent=1))
            zf.writestr("content/content.json", json.dumps(content, ensure_ascii=False))
            for arcname, file in files.items():
                zf.write(file, arcname, compress_type=zipfile.ZIP_STORED)
    return package_result(draft, final, "h5p", options, videos)
