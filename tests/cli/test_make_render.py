"""`reelwright make` and `reelwright render` as a user runs them: files in, a video out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.probe import frame_at, probe
from typer.testing import CliRunner

from reelwright.cli.main import app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REELWRIGHT_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_make_a_vertical_slideshow_with_title_and_music(
        runner: CliRunner, make_photo: Callable[..., Path], tmp_path: Path) -> None:
    # Given three photos
    photos = [make_photo(f"cli{i}.jpg", (800, 600), seed=20 + i) for i in range(3)]
    out = tmp_path / "show.mp4"
    project = tmp_path / "project.json"
    # When the user makes a vertical 480p slideshow with a title and calm music
    result = runner.invoke(app, ["make", *map(str, photos), "--aspect", "9:16", "--resolution",
                                 "480", "--seconds-per-photo", "2", "--title", "Trip",
                                 "--mood", "calm", "--quality", "draft", "-o", str(out),
                                 "--save-draft", str(project)])
    # Then a vertical H.264 video with sound comes out, as long as the draft says
    assert result.exit_code == 0, result.output
    facts = probe(out)
    draft = json.loads(project.read_text())["draft"]
    assert (facts.width, facts.height) == (480, 854)
    assert facts.vcodec == "h264" and facts.pix_fmt == "yuv420p" and facts.acodec == "aac"
    assert abs(facts.duration - draft["d"] / 1000) < 0.05
    assert frame_at(out, facts.duration / 2).mean() > 10
    # And the saved project renders again, here as a GIF
    gif = tmp_path / "show.gif"
    again = runner.invoke(app, ["render", str(project), "-o", str(gif), "--quality", "draft"])
    assert again.exit_code == 0, again.output
    assert gif.read_bytes()[:6] == b"GIF89a"


@pytest.mark.parametrize(("args", "message"), [
    (["make"], "give some photos or clips"),
    (["make", "/no/such/photo.jpg"], "no such file"),
    (["make", "--samples", "--aspect", "3:1"], "unknown aspect"),
    (["render", "/no/such/draft.json"], "no such file"),
])
def test_bad_input_exits_non_zero_with_a_plain_message(
        runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_corrupt_photo_is_named(runner: CliRunner, make_photo: Callable[..., Path],
                                  tmp_path: Path) -> None:
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(make_photo("good.jpg").read_bytes()[:300])
    result = runner.invoke(app, ["make", str(bad), "-o", str(tmp_path / "x.mp4")])
    assert result.exit_code == 1
    assert "broken.jpg" in result.output
    assert not (tmp_path / "x.mp4").exists()


def test_render_needs_a_file_for_every_media_id(runner: CliRunner, tmp_path: Path) -> None:
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"w": 320, "h": 180, "d": 1000, "t": [
        {"tt": 0, "sg": [{"id": "s", "src": "med_a", "st": 0, "d": 1000}]}]}))
    result = runner.invoke(app, ["render", str(draft), "-o", str(tmp_path / "o.mp4")])
    assert result.exit_code == 1
    assert "med_a" in result.output and "--media" in result.output


def test_a_song_among_the_files_is_the_music(
        runner: CliRunner, make_photo: Callable[..., Path], make_tone: Callable[..., Path],
        tmp_path: Path) -> None:
    # Given two photos and the person's own song, all as plain arguments
    photos = [make_photo(f"own{i}.jpg", (640, 480), seed=40 + i) for i in range(2)]
    song = make_tone("summer-song.wav", seconds=3.0)
    out = tmp_path / "own.mp4"
    project = tmp_path / "own.json"
    # When they make a slideshow without naming any music
    result = runner.invoke(app, ["make", *map(str, photos), str(song), "--resolution", "480",
                                 "--quality", "draft", "--preview", "-o", str(out),
                                 "--save-draft", str(project)])
    # Then their song is the music (not built-in music), and the output says so
    assert result.exit_code == 0, result.output
    assert "music: summer-song.wav" in result.output
    saved = json.loads(project.read_text())
    draft = json.loads(saved["draft"]) if isinstance(saved["draft"], str) else saved["draft"]
    music = [seg for track in draft["t"] if track["tt"] == 1 for seg in track["sg"]]
    assert len(music) == 1 and music[0]["m"]["name"] == "summer-song.wav"
    assert Path(saved["media"][music[0]["src"]]).name == "summer-song.wav"
    assert probe(out).acodec == "aac"
