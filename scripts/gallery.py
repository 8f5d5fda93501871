"""Stills of each workflow for docs/gallery.md, made from the bundled samples only.

Renders small drafts (480 p, quality "draft") of: a slideshow of the bundled sample photos
(16:9 and 9:16 with a title), an English explainer (16:9) and a Chinese one (9:16) from short
scripts with no uploads (cards with headlines and OpenMoji illustrations), and an interactive
video's burned-in export (a chapter title, a button), then pulls JPEG stills from the MP4s with
ffmpeg into docs/gallery/. Run it after a change to how videos look:

    python scripts/gallery.py            # about a minute on a small machine
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from reelwright.agent.explainer_make import make_explainer
from reelwright.agent.recipes.slideshow import build_slideshow
from reelwright.draft.model import Segment, Track, TrackType
from reelwright.media.ingest import ingest
from reelwright.media.samples import write_samples
from reelwright.render import OutputSpec, render
from reelwright.render.ffmpeg import ffmpeg_exe
from reelwright.render.interactive.burn_in import burn_in_draft

OUT = Path(__file__).resolve().parents[1] / "docs" / "gallery"
EN_SCRIPT = """Trailblazer Lantern

The battery lasts up to 40 hours of light on a single charge.
It survives 2 m drops onto concrete and keeps working in heavy rain.
Fold it flat and it fits in any backpack, next to your map."""
ZH_SCRIPT = """极光台灯

它的电池可以连续使用四十小时，充一次电就够一周。
手机应用让你在几秒钟内选择颜色和声音。
现在下单，每月只需三十元。"""


def still(video: Path, seconds: float, name: str, width: int) -> Path:
    """One JPEG frame of ``video`` at ``seconds``, ``width`` px wide, into docs/gallery."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    subprocess.run([ffmpeg_exe(None), "-v", "error", "-y", "-ss", f"{seconds:.3f}",
                    "-i", str(video), "-frames:v", "1", "-vf", f"scale={width}:-2",
                    "-q:v", "5", str(path)], check=True)
    return path


def slideshows(work: Path) -> list[Path]:
    photos = write_samples(work / "samples", count=4, size=(1600, 1066))
    media = [ingest(p, media_id=f"med_{i}", name=p.name, out_dir=work / "media")
             for i, p in enumerate(photos)]
    by_id = {m.id: m for m in media}
    out = []
    for aspect, name in (("16:9", "slideshow-16x9.jpg"), ("9:16", "slideshow-9x16.jpg")):
        draft = build_slideshow(media, aspect=aspect, resolution=480, title="Four Seasons",
                                seconds_per_item=2.5)
        video = work / f"slideshow-{aspect.replace(':', 'x')}.mp4"
        render(draft, by_id, OutputSpec(path=str(video), quality="draft"))
        out.append(still(video, 1.6, name, 640 if aspect == "16:9" else 270))
    return out


def explainers(work: Path) -> list[Path]:
    out = []
    for script, aspect, prefix in ((EN_SCRIPT, "16:9", "explainer-en"),
                                   (ZH_SCRIPT, "9:16", "explainer-zh")):
        result = make_explainer(script, workdir=work / prefix, cache_dir=work / "cache",
                                aspect=aspect, resolution=480, caption_style="highlight")
        media = {m.id: m for m in result.generated}
        video = work / f"{prefix}.mp4"
        render(result.draft, media, OutputSpec(path=str(video), quality="draft"))
        scenes = result.draft.t[0].sg
        width = 640 if aspect == "16:9" else 270
        out.append(still(video, 1.2, f"{prefix}-title.jpg", width))
        for n, seg in enumerate(scenes[1:3], start=1):
            out.append(still(video, (seg.st + seg.d * 0.6) / 1000, f"{prefix}-scene{n}.jpg",
                             width))
        # the first card's entrance: words fading in, the illustration gliding in
        layer = next(t for t in result.draft.tracks_of(TrackType.TEXT) if t.id == "x_headline")
        out.append(still(video, (layer.sg[0].st + 180) / 1000, f"{prefix}-entrance.jpg", width))
    return out


def interactive(work: Path) -> list[Path]:
    photos = write_samples(work / "samples", count=2, size=(1600, 1066))
    media = [ingest(p, media_id=f"med_i{i}", name=p.name, out_dir=work / "media")
             for i, p in enumerate(photos)]
    draft = build_slideshow(media, aspect="16:9", resolution=480, seconds_per_item=4.0)
    draft.t.append(Track(id="i1", tt=TrackType.INTERACTIVE, sg=[
        Segment(id="c1", st=0, d=draft.d, m={"kind": "chapter", "label": "1. The valley"}),
        Segment(id="b1", st=1000, d=3000, m={"kind": "button", "label": "Skip the intro",
                                            "action": {"do": "jump", "t": 4000}})]))
    video = work / "interactive.mp4"
    render(burn_in_draft(draft), {m.id: m for m in media},
           OutputSpec(path=str(video), quality="draft"))
    return [still(video, 1.8, "interactive-burned-in.jpg", 640)]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="reelwright-gallery-"))
    try:
        made = slideshows(work) + explainers(work) + interactive(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for path in made:
        print(f"{path.relative_to(OUT.parent.parent)}  {path.stat().st_size // 1024} KiB",
              file=sys.stderr)


if __name__ == "__main__":
    main()
