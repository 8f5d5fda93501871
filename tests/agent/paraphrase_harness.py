"""Runs the paraphrase set (``paraphrases.py``) through the real agent turn on real tiny uploads.

The uploads are real files (Pillow photos, an ffmpeg clip with scene cuts, a song, a script)
ingested by ``reelwright.media.ingest`` as the upload route does; the start drafts are made by
real seed turns (slideshow, explainer with TTS, interactive structure from the clip's scene
cuts) once per process, and every case is one ``run_turn`` on its start state, judged only by
the draft it leaves (``suite.check`` expectations) — never by the reply's words.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from reelwright.agent.lexicon import MOOD_LABELS
from reelwright.agent.tools import Services, Workspace
from reelwright.agent.turn import TurnResult, run_turn
from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft
from reelwright.draft.validate import problems

RunFfmpeg = Callable[..., None]

SCRIPT_EN = ("Why do leaves change colour? In autumn, trees stop making chlorophyll. The green "
             "fades, and yellow and orange pigments show through. Cool nights and sunny days "
             "make the colours brighter. Next time you walk in the park, look up.")


def _photo(path: Path, size: tuple[int, int], seed: int) -> Path:
    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([(xx * 255 // w), (yy * 255 // h), np.full_like(xx, (seed * 37) % 255)], -1)
    img = np.clip(img + rng.normal(0, 10, img.shape), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(path, quality=85)
    return path


def make_files(folder: Path, run_ffmpeg: RunFfmpeg) -> dict[str, Path]:
    """The uploads: 6 photos, a 30 s clip with two hard cuts and sound, a song, a script."""
    files = {f"photo{i}.jpg": _photo(folder / f"photo{i}.jpg",
                                     ((320, 240), (240, 320), (256, 256))[i % 3], i)
             for i in range(1, 7)}
    clip = folder / "tutorial.mp4"
    args: list[str] = []
    for shot in ("testsrc2", "smptebars", "color=c=0x3050A0"):
        sep = ":" if "=" in shot else "="
        args += ["-f", "lavfi", "-i", f"{shot}{sep}size=160x90:rate=10:duration=10"]
    args += ["-f", "lavfi", "-i", "sine=frequency=440:duration=30",
             "-filter_complex", "[0][1][2]concat=n=3[v]", "-map", "[v]", "-map", "3:a",
             "-c:a", "aac", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    run_ffmpeg(*args, str(clip))
    files["tutorial.mp4"] = clip
    song = folder / "mysong.wav"
    run_ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=20", "-ac", "2", str(song))
    files["mysong.wav"] = song
    script = folder / "leaves.txt"
    script.write_text(SCRIPT_EN, encoding="utf-8")
    files["leaves.txt"] = script
    return files


@dataclass
class Start:
    draft: Draft | None
    media: dict[str, MediaInfo]


@dataclass
class World:
    """Ingested uploads, the services a session's turns get, and the start states."""

    folder: Path
    uploads: dict[str, MediaInfo]
    services: Services
    starts: dict[str, Start] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def media(self, *names: str) -> dict[str, MediaInfo]:
        return {self.uploads[n].id: self.uploads[n] for n in names}


PHOTOS = tuple(f"photo{i}.jpg" for i in range(1, 6))  # photo6 is uploaded but unused at first


def _services(folder: Path) -> Services:
    from reelwright.media.ingest import ingest
    from reelwright.media.music import library_track

    cache = folder / "cache"
    made: dict[str, MediaInfo] = {}

    def library_music(mood: str) -> MediaInfo:  # as the route's: a session copy, ingested
        if mood in made:
            return made[mood]
        track = library_track(mood, cache / "music")
        out = folder / "generated" / f"gen_{mood}"
        out.mkdir(parents=True, exist_ok=True)
        copy = out / f"music-{mood}.wav"
        shutil.copyfile(track, copy)
        info = ingest(copy, media_id=f"gen_{mood}", name=MOOD_LABELS.get(mood, mood),
                      out_dir=out, analyse=False)
        made[mood] = dataclasses.replace(info, extra={**info.extra, "mood": mood,
                                                      "generated": "music"})
        return made[mood]

    workspace = Workspace(workdir=folder / "generated", cache_dir=cache / "music",
                          scope="ses_paraphrase")
    return Services(library_music=library_music, workspace=workspace)


def turn(start: Start, message: str, services: Services) -> TurnResult:
    return asyncio.run(run_turn(start.draft, start.media, None, message, services=services))


def _made(world: World, name: str, media: dict[str, MediaInfo], message: str) -> Start:
    began = time.perf_counter()
    result = turn(Start(None, media), message, world.services)
    world.seconds[name] = time.perf_counter() - began
    assert result.changed and result.draft is not None, (name, result.reply)
    table = {**media, **{g.id: g for g in result.generated}}
    return Start(result.draft, table)


START_NAMES = ("photos", "show", "script", "explainer", "clip", "tutorial")


def build_world(folder: Path, run_ffmpeg: RunFfmpeg, needed: Iterable[str] = START_NAMES
                ) -> World:
    """Ingest the uploads and make the start states the cases name (each made once)."""
    from reelwright.media.ingest import ingest

    files = make_files(folder, run_ffmpeg)
    uploads: dict[str, MediaInfo] = {}
    for n, (name, path) in enumerate(files.items(), start=1):
        out = folder / "media" / f"med_{n:02d}"
        out.mkdir(parents=True, exist_ok=True)
        uploads[name] = ingest(path, media_id=f"med_{n:02d}{'0' * 6}", name=name, out_dir=out)
    world = World(folder, uploads, _services(folder))
    photos = world.media(*PHOTOS, "photo6.jpg", "mysong.wav")
    needed = set(needed)
    if needed & {"photos", "show"}:
        world.starts["photos"] = Start(None, photos)
    if "show" in needed:
        # A made slideshow of five photos with library music and a title; photo 6 unused.
        made = _made(world, "show", world.media(*PHOTOS, "mysong.wav"),
                     "make a slideshow from my photos with upbeat music, titled 'Summer'")
        made.media.update(world.media("photo6.jpg"))
        world.starts["show"] = made
    if needed & {"script", "explainer"}:
        world.starts["script"] = Start(None, world.media("leaves.txt"))
    if "explainer" in needed:
        world.starts["explainer"] = _made(world, "explainer", world.media("leaves.txt"),
                                          "turn my script into an explainer video in 480p")
    if needed & {"clip", "tutorial"}:
        world.starts["clip"] = Start(None, world.media("tutorial.mp4"))
    if "tutorial" in needed:
        world.starts["tutorial"] = _made(world, "tutorial", world.media("tutorial.mp4"),
                                         "add clickable buttons and branching choices to my "
                                         "tutorial video")
    return world


def temporary_world(run_ffmpeg: RunFfmpeg, needed: Iterable[str] = START_NAMES
                    ) -> tuple[World, Callable[[], None]]:
    folder = Path(tempfile.mkdtemp(prefix="reelwright-paraphrases-"))
    return build_world(folder, run_ffmpeg, needed), lambda: shutil.rmtree(folder, True)


@dataclass
class Verdict:
    case: dict[str, Any]
    passed: bool
    broken: list[str]
    reply: str
    seconds: float


def judge(world: World, case: dict[str, Any]) -> Verdict:
    """One case: its turn on its start state, judged by the draft it leaves."""
    from tests.agent.suite import Observed, failures

    start = world.starts[case["start"]]
    began = time.perf_counter()
    result = turn(start, case["msg"], world.services)
    spent = time.perf_counter() - began
    obs = Observed(result.plan.kind, start.draft, result.draft, result.changed,
                   result.charged_action is not None, result.reply)
    broken = failures(case, obs)
    if result.draft is not None and result.changed:
        table = {**start.media, **{g.id: g for g in result.generated}}
        broken += [f"invalid draft: {p}" for p in problems(result.draft, table)[:3]]
    return Verdict(case, not broken, broken, result.reply, spent)
