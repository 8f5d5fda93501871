"""`reelwright make`: photos and clips in, a slideshow with Ken Burns, transitions and music out.

No server needed: files are ingested into a temporary folder, the slideshow recipe builds the
draft, and the renderer writes the video. `--save-draft` keeps a project file that
`reelwright render` can render again after editing.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import typer

from reelwright.cli.progress import console, fail, progress_bar
from reelwright.errors import ReelwrightError
from reelwright.settings import Settings

ASPECTS = ("16:9", "9:16", "1:1", "4:5")


def make(
    files: list[Path] = typer.Argument(None, help="Photos and clips, in order (a song among "
                                       "them is the music).", show_default=False),
    output: Path = typer.Option(Path("slideshow.mp4"), "-o", "--output", help="Video to write."),
    music: Path | None = typer.Option(None, "--music", help="Your own music file."),
    mood: str | None = typer.Option(None, "--mood", help="Built-in music: upbeat, calm, lofi, "
                                    "cinematic (default: your song if you give one, else calm)."),
    no_music: bool = typer.Option(False, "--no-music", help="No music at all."),
    aspect: str = typer.Option("16:9", "--aspect", help="16:9, 9:16, 1:1 or 4:5."),
    resolution: int = typer.Option(1080, "--resolution", help="Short side: 480, 720, 1080, 2160."),
    title: str | None = typer.Option(None, "--title", help="A title over the first seconds."),
    seconds: float = typer.Option(3.0, "--seconds-per-photo", help="Seconds each photo shows."),
    transition: str | None = typer.Option(None, "--transition", help="One transition for all cuts "
                                          "(default: a varied mix)."),
    beat_sync: bool = typer.Option(False, "--beat-sync", help="Fit the photos to the music and "
                                   "cut on its beats."),
    fmt: str = typer.Option("", "--format", help="mp4, webm or gif (default: from -o)."),
    quality: str = typer.Option("high", "--quality", help="draft, low, medium, high or max."),
    preview: bool = typer.Option(False, "--preview", help="Fast low-resolution preview."),
    samples: bool = typer.Option(False, "--samples", help="Use the bundled sample photos."),
    save_draft: Path | None = typer.Option(None, "--save-draft", help="Also write the project "
                                           "(draft + media) as JSON for `reelwright render`."),
) -> None:
    """Make a slideshow video from photos and clips, no server needed."""
    settings = Settings.from_env()
    if aspect not in ASPECTS:
        fail(f"unknown aspect {aspect!r}; use one of {', '.join(ASPECTS)}")
    paths = list(files or [])
    if samples:
        from reelwright.media.samples import write_samples

        paths += write_samples(settings.data_path / "samples")
    if not paths:
        fail("give some photos or clips, or --samples for the bundled sample photos")
    for path in paths:
        if not path.is_file():
            fail(f"{path}: no such file")
    if music is not None and not music.is_file():
        fail(f"{music}: no such file")
    out_format = fmt or (output.suffix.lstrip(".").lower() or "mp4")
    try:
        _make(settings, paths, output, music=music, mood=mood, no_music=no_music,
              aspect=aspect, resolution=resolution, title=title, seconds=seconds,
              transition=transition, beat_sync=beat_sync, out_format=out_format,
              quality=quality, preview=preview, save_draft=save_draft)
    except ReelwrightError as exc:
        fail(exc.message)
    except ValueError as exc:
        fail(str(exc))


def _make(settings: Settings, paths: list[Path], output: Path, *, music: Path | None,
          mood: str | None, no_music: bool = False, aspect: str, resolution: int,
          title: str | None, seconds: float,
          transition: str | None, beat_sync: bool, out_format: str, quality: str,
          preview: bool, save_draft: Path | None) -> None:
    from reelwright.agent.recipes.slideshow import build_slideshow
    from reelwright.draft import codec
    from reelwright.draft.media import MediaInfo
    from reelwright.media.beats import detect_beats
    from reelwright.media.ingest import ingest
    from reelwright.render import OutputSpec, render

    with tempfile.TemporaryDirectory(prefix="reelwright-make-") as tmp:
        work = Path(tmp)
        items: list[MediaInfo] = []
        songs: list[Path] = []
        sources: dict[str, Path] = {}
        with console.status("Reading your files..."):
            for i, path in enumerate(paths, start=1):
                try:
                    info = ingest(path, media_id=f"med{i}", name=path.name, out_dir=work)
                except ReelwrightError as exc:
                    raise type(exc)(f"{path.name}: {exc.message}") from None
                if info.kind == "audio" and info.has_audio:
                    songs.append(path)  # a song given with the photos is the music
                    continue
                if info.kind not in ("image", "video"):
                    raise ValueError(f"{path.name} is {info.kind}; give photos or clips "
                                     "(music goes in --music)")
                items.append(info)
                sources[info.id] = path
        if not items:
            raise ValueError("give some photos or clips to go with the music")
        if music is None and mood is None and songs:
            music = songs[-1]
        music_info: MediaInfo | None = None
        music_name = ""
        music_said = music.name if music is not None else "no music"
        if no_music:
            music_said = "no music"
            pass
        elif music is not None:
            music_info = ingest(music, media_id="music", name=music.name, out_dir=work)
            sources["music"] = music
            if not music_info.has_audio:
                raise ValueError(f"{music.name} has no sound")
            music_name = music.name
        else:
            from reelwright.media.music import MOODS, library_track

            mood = mood or "calm"
            if mood not in MOODS:
                raise ValueError(f"unknown mood {mood!r}; one of {', '.join(MOODS)}")
            with console.status(f"Preparing {MOODS[mood].label} music..."):
                track = library_track(mood, settings.data_path / "cache" / "music")
            music_info = ingest(track, media_id="music", name=MOODS[mood].label, out_dir=work)
            sources["music"] = track
            music_name = MOODS[mood].label
            music_said = f"built-in {music_name} music"
        beats = None
        if beat_sync and music_info is not None:
            beats = detect_beats(Path(music_info.path)).beats_ms
        draft = build_slideshow(items, music=music_info, music_name=music_name, aspect=aspect,
                                resolution=resolution, title=title, seconds_per_item=seconds,
                                transition=transition, beats_ms=beats,
                                fit_to_music=beat_sync)
        media = {info.id: info for info in items}
        if music_info is not None:
            media[music_info.id] = music_info
        if save_draft is not None:
            project = {"draft": codec.to_json(draft),
                       "media": {mid: str(path.resolve()) for mid, path in sources.items()}}
            save_draft.write_text(json.dumps(project, ensure_ascii=False, indent=1))
        output.parent.mkdir(parents=True, exist_ok=True)
        spec = OutputSpec(path=str(output), format=out_format,  # type: ignore[arg-type]
                          quality=quality, preview=preview, threads=settings.ffmpeg_threads)
        with progress_bar(f"Rendering {output.name}") as update:
            result = render(draft, media, spec, ffmpeg=settings.ffmpeg or None,
                            font=settings.font or None, on_progress=update, workdir=work)
    console.print(f"[green]Wrote {output}[/] ({result.w}x{result.h}, "
                  f"{result.duration_ms / 1000:.1f} s, {result.size_bytes / 1e6:.1f} MB, "
                  f"music: {music_said})")

