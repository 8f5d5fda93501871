"""Sound: music ducked under voice, loudness near the target, exact length, atempo steps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests import probe
from tests.render.render_helpers import (
    audio_info,
    do_render,
    draft,
    ebur128_integrated,
    image_info,
    visual,
)

from reelwright.draft import MediaInfo
from reelwright.render.compile_audio import _atempo

RATE = 48000


def _band_db(samples: np.ndarray, start: float, end: float, freq: float) -> float:
    """Level (dB) of a narrow band around ``freq`` between two times."""
    part = samples[int(start * RATE): int(end * RATE)]
    spectrum = np.abs(np.fft.rfft(part * np.hanning(part.size)))
    freqs = np.fft.rfftfreq(part.size, 1 / RATE)
    band = spectrum[(freqs > freq * 0.9) & (freqs < freq * 1.1)]
    return float(20 * np.log10(band.max() + 1e-9))


@pytest.fixture(scope="module")
def media(make_photo, make_tone) -> dict[str, MediaInfo]:  # type: ignore[no-untyped-def]
    return {
        "p": image_info("p", make_photo("a_p.jpg", (320, 180), seed=9)),
        "mu": audio_info("mu", make_tone("a_music.wav", seconds=1.5, freq=220), 1500),
        "vo": audio_info("vo", make_tone("a_voice.wav", seconds=1.0, freq=880), 1000),
    }


def _mix(media: dict[str, MediaInfo], out: Path, duck: bool) -> np.ndarray:
    tracks = [
        visual({"id": "a", "src": "p", "st": 0, "d": 3500}),
        {"id": "m", "tt": 1, "m": {"role": "music"},
         "sg": [{"id": "m1", "src": "mu", "st": 0, "d": 3500, "m": {"vol": 0.6}}]},
        {"id": "vo", "tt": 1, "m": {"role": "voice"},
         "sg": [{"id": "v1", "src": "vo", "st": 1200, "d": 1000}]},
    ]
    result = do_render(draft(320, 180, 3500, tracks, duck=duck), media, out)
    facts = probe.probe(result.path)
    assert facts.acodec == "aac" and abs(facts.duration - 3.5) <= 1 / 30
    return probe.audio_samples(result.path)


def test_music_is_ducked_while_the_voice_speaks(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ducked = _mix(media, tmp_path / "duck.mp4", duck=True)
    plain = _mix(media, tmp_path / "plain.mp4", duck=False)

    def dip(samples: np.ndarray) -> float:
        return _band_db(samples, 0.4, 1.1, 220) - _band_db(samples, 1.5, 2.1, 220)

    # the music (looped to fill 3.5 s) drops under speech only when ducking is on
    assert dip(ducked) - dip(plain) > 6
    assert abs(dip(plain)) < 3
    # and the voice itself is there in both
    assert _band_db(ducked, 1.5, 2.1, 880) > _band_db(ducked, 0.4, 1.1, 880) + 20


def test_loudness_follows_the_draft_target(media, tmp_path: Path, ffmpeg_exe: str) -> None:  # type: ignore[no-untyped-def]
    tracks = [visual({"id": "a", "src": "p", "st": 0, "d": 3000}),
              {"id": "m", "tt": 1, "sg": [{"id": "m1", "src": "mu", "st": 0, "d": 3000,
                                           "m": {"vol": 0.2}}]}]
    quiet = do_render(draft(320, 180, 3000, tracks, lufs=-24), media, tmp_path / "q.mp4")
    loud = do_render(draft(320, 180, 3000, tracks), media, tmp_path / "l.mp4")
    assert ebur128_integrated(ffmpeg_exe, Path(quiet.path)) == pytest.approx(-24, abs=2.5)
    assert ebur128_integrated(ffmpeg_exe, Path(loud.path)) == pytest.approx(-14, abs=2.5)


@pytest.mark.parametrize(("speed", "product"), [(0.25, 0.25), (0.5, 0.5), (1.5, 1.5), (4, 4)])
def test_atempo_steps_multiply_to_the_speed(speed: float, product: float) -> None:
    steps = _atempo(speed)
    values = [float(step.split("=")[1]) for step in steps]
    assert all(0.5 <= v <= 2 for v in values)
    assert np.prod(values) == pytest.approx(product)


def test_the_sound_mixed_beside_the_picture_is_muxed_in_whole(media, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Given a timeline with music; an MP4's sound is mixed by its own ffmpeg and muxed in
    tracks = [visual({"id": "a", "src": "p", "st": 0, "d": 2000}),
              {"id": "m", "tt": 1, "m": {"role": "music"},
               "sg": [{"id": "m1", "src": "mu", "st": 0, "d": 2000, "m": {"loop": True}}]}]
    seen: list[float] = []
    work = tmp_path / "work"
    from reelwright.render import OutputSpec, render

    result = render(draft(320, 180, 2000, tracks), media,
                    OutputSpec(str(tmp_path / "both.mp4"), quality="draft"),
                    on_progress=seen.append, workdir=work)
    # Then the file has both streams, the same length, the index up front (fast start) ...
    facts = probe.probe(result.path)
    assert facts.vcodec == "h264" and facts.acodec == "aac" and facts.frames == 60
    assert abs(facts.duration - 2.0) <= 1 / 30 and abs(facts.video_duration - 2.0) <= 1 / 30
    head = Path(result.path).read_bytes()[:4096]
    assert head.find(b"moov") != -1 and (head.find(b"mdat") == -1
                                         or head.find(b"moov") < head.find(b"mdat"))
    assert probe.rms_db(probe.audio_samples(result.path)) > -40  # the music is there
    # ... and the progress bar only moved forward, to the end
    assert seen == sorted(seen) and seen[-1] == 1.0
