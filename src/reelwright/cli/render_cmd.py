"""`reelwright render`: a draft (or a project file from `make --save-draft`) to a video.

A draft's `src` fields are media ids, never paths, so the files behind them come either from the
project file's `"media": {"id": "path"}` map (paths relative to the project file) or from
`--media ID=PATH` options.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import typer

from reelwright.cli.progress import console, fail, progress_bar
from reelwright.errors import ReelwrightError
from reelwright.settings import Settings


def render(
    draft_file: Path = typer.Argument(..., help="draft.json or a project file."),
    output: Path = typer.Option(Path("out.mp4"), "-o", "--output", help="Video to write."),
    media: list[str] = typer.Option([], "--media", help="ID=PATH for each media id in the draft."),
    fmt: str = typer.Option("", "--format", help="mp4, webm, gif or png (default: from -o)."),
    quality: str = typer.Option("high", "--quality", help="draft, low, medium, high or max."),
    preview: bool = typer.Option(False, "--preview", help="Fast low-resolution preview."),
) -> None:
    """Render a timeline draft to a video."""
    settings = Settings.from_env()
    try:
        raw = json.loads(draft_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{draft_file}: no such file")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{draft_file}: not a JSON draft ({exc})")
    except RecursionError:
        fail(f"{draft_file}: not a JSON draft (nested too deeply)")
    sources: dict[str, Path] = {}
    if isinstance(raw, dict) and "draft" in raw:
        for media_id, path in (raw.get("media") or {}).items():
            sources[media_id] = (draft_file.parent / path).resolve()
        raw = raw["draft"]
    for item in media:
        media_id, sep, path = item.partition("=")
        if not sep or not media_id or not path:
            fail(f"--media {item!r}: expected ID=PATH")
        sources[media_id] = Path(path)
    try:
        _render(settings, raw, sources, output, fmt or output.suffix.lstrip(".").lower() or "mp4",
                quality, preview)
    except ReelwrightError as exc:
        fail(exc.message)


def _render(settings: Settings, raw: object, sources: dict[str, Path], output: Path,
            out_format: str, quality: str, preview: bool) -> None:
    from reelwright.draft import from_json
    from reelwright.draft.media import MediaInfo
    from reelwright.media.ingest import ingest
    from reelwright.render import OutputSpec, render

    draft = from_json(raw)
    missing = sorted(draft.media_ids() - sources.keys())
    if missing:
        fail("no file given for media id(s) " + ", ".join(missing) + " (use --media ID=PATH)")
    with tempfile.TemporaryDirectory(prefix="reelwright-render-") as tmp:
        infos: dict[str, MediaInfo] = {}
        for media_id in sorted(draft.media_ids()):
            path = sources[media_id]
            if not path.is_file():
                fail(f"media {media_id}: {path} does not exist")
            infos[media_id] = ingest(path, media_id=media_id, name=path.name, out_dir=Path(tmp),
                                     analyse=False)
        output.parent.mkdir(parents=True, exist_ok=True)
        spec = OutputSpec(path=str(output), format=out_format,  # type: ignore[arg-type]
                          quality=quality, preview=preview, threads=settings.ffmpeg_threads)
        with progress_bar(f"Rendering {output.name}") as update:
            result = render(draft, infos, spec, ffmpeg=settings.ffmpeg or None,
                            font=settings.font or None, on_progress=update, workdir=Path(tmp))
    console.print(f"[green]Wrote {output}[/] ({result.w}x{result.h}, "
                  f"{result.duration_ms / 1000:.1f} s, {result.size_bytes / 1e6:.1f} MB)")
