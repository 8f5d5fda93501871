"""The measuring pass: its plan, how its report is read, and the gain it yields."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from tests.render.render_helpers import audio_info, draft, ebur128_integrated, image_info, visual

from reelwright.draft import MediaInfo
from reelwright.render import loudness

REPORT = """frame:0    pts:0       pts_time:0
lavfi.r128.M=-120.7
lavfi.r128.I=-70.000
lavfi.r128.true_peak=0.010
frame:1    pts:4800    pts_time:0.1
lavfi.r128.M=-21.753
lavfi.r128.I=-23.500
lavfi.r128.true_peaks_ch0=0.5
lavfi.r128.true_peak=0.500
"""


def test_report_gives_the_last_integrated_loudness_and_true_peak() -> None:
    measured = loudness.parse_report(REPORT)
    assert measured.integrated == -23.5
    assert measured.true_peak == pytest.approx(20 * math.log10(0.5))


def test_gain_reaches_the_target_and_leaves_silence_alone() -> None:
    assert loudness.gain_db(loudness.Loudness(-23.5, -6), -14) == pytest.approx(9.5)
    assert loudness.gain_db(loudness.Loudness(-8, -0.5), -14) == pytest.approx(-6)
    assert loudness.gain_db(loudness.Loudness(-math.inf, -math.inf), -14) == 0
    assert loudness.gain_db(loudness.Loudness(-69, -50), -14) == loudness.MAX_GAIN_DB


def test_silent_draft_needs_no_measuring(make_photo) -> None:  # type: ignore[no-untyped-def]
    media = {"p": image_info("p", make_photo("l_p.jpg", (64, 36), seed=1))}
    silent = draft(64, 36, 1000, [visual({"id": "a", "src": "p", "st": 0, "d": 1000})])
    assert loudness.measure_plan(silent, media) is None


def test_measured_gain_matches_what_ffmpeg_hears(make_photo, make_tone, ffmpeg_exe: str,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    media: dict[str, MediaInfo] = {
        "p": image_info("p", make_photo("l_p2.jpg", (64, 36), seed=2)),
        "mu": audio_info("mu", make_tone("l_music.wav", seconds=2.0, freq=330), 2000)}
    quiet = draft(64, 36, 2000, [
        visual({"id": "a", "src": "p", "st": 0, "d": 2000}),
        {"id": "m", "tt": 1, "sg": [{"id": "m1", "src": "mu", "st": 0, "d": 2000,
                                     "m": {"vol": 0.1}}]}])
    level = loudness.measure(quiet, media, ffmpeg=ffmpeg_exe, workdir=tmp_path / "m")
    gain = level.gain
    report = loudness.parse_report((tmp_path / "m" / loudness.REPORT_FILE).read_text())
    assert gain == pytest.approx(-14 - report.integrated)
    # the mix is kept for the second pass, as long as the draft
    assert level.mix_file is not None and level.mix_file.stat().st_size > 2 * 48000 * 4 * 1.9
    assert gain > 10  # a quiet tone at 10 % needs raising
    # the tone file itself, measured by ffmpeg, is 20 dB louder than at 10 % volume
    wav = Path(media["mu"].path)
    assert ebur128_integrated(ffmpeg_exe, wav) - report.integrated == pytest.approx(20, abs=1)


def _peaky_wav(path: Path, seconds: float = 4.0, rate: int = 48000) -> Path:
    """A quiet tone with sharp loud clicks: the gain to -14 LUFS drives the clicks far over
    the ceiling, so the limiter works and a plain linear gain would land too quiet."""
    import wave

    t = np.arange(int(seconds * rate)) / rate
    signal = 0.05 * np.sin(2 * np.pi * 300 * t)
    for at in np.arange(0.2, seconds, 0.25):
        i = int(at * rate)
        signal[i:i + 480] += 0.9 * np.sin(2 * np.pi * 2000 * t[:480]) * np.hanning(480)
    pcm = (np.clip(signal, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def test_limited_mix_still_reaches_the_target(make_photo, ffmpeg_exe: str,  # type: ignore[no-untyped-def]
                                              tmp_path: Path) -> None:
    from tests.render.render_helpers import do_render, true_peak

    media: dict[str, MediaInfo] = {
        "p": image_info("p", make_photo("l_p3.jpg", (64, 36), seed=3)),
        "vo": audio_info("vo", _peaky_wav(tmp_path / "peaky.wav"), 4000)}
    peaky = draft(320, 180, 4000, [
        visual({"id": "a", "src": "p", "st": 0, "d": 4000}),
        {"id": "vo", "tt": 1, "m": {"role": "voice"},
         "sg": [{"id": "v1", "src": "vo", "st": 0, "d": 4000}]}])
    out = do_render(peaky, media, tmp_path / "peaky.mp4")
    assert ebur128_integrated(ffmpeg_exe, Path(out.path)) == pytest.approx(-14, abs=0.6)
    assert true_peak(ffmpeg_exe, Path(out.path)) <= -1.0
