"""The video files of the web exports (h5p, html): the source's resolution (never upscaled) and a
bitrate for streaming, so a minute of 720p stays under the 16 MB per file H5P hosts allow."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_ffmpeg
from tests.probe import probe

from reelwright.draft.media import MediaInfo
from reelwright.draft.model import Draft, Segment, Track, TrackType
from reelwright.draft.ops import apply_op
from reelwright.render.interactive import export
from reelwright.render.interactive.videos import RenderOptions, web_kbps, web_scale

H5P_FILE_LIMIT = 16 * 1024 * 1024  # h5p-server's default maxFileSize


def _draft(src: str, d: int, w: int = 1920, h: int = 1080) -> Draft:
    return Draft(w=w, h=h, fps=25, d=d, m={"name": "Web"},
                 t=[Track(id="v1", tt=TrackType.VISUAL, sg=[Segment(id="s1", st=0, d=d, src=src)])])


def _video(media_id: str, w: int, h: int, ms: int = 3000, path: str = "x.mp4") -> MediaInfo:
    return MediaInfo(id=media_id, kind="video", path=path, w=w, h=h, duration_ms=ms, fps=25,
                     has_video=True, has_audio=True)


def test_web_scale_follows_the_sharpest_source_video_and_never_upscales():
    assert web_scale(_draft("a", 3000), {"a": _video("a", 1280, 720)}) == 2 / 3
    assert web_scale(_draft("a", 3000), {"a": _video("a", 3840, 2160)}) == 1.0
    assert web_scale(_draft("a", 3000), {"a": _video("a", 720, 1280)}) == 1.0  # fills the height
    assert web_scale(_draft("a", 3000), {"a": _video("a", 640, 480)}) == 480 / 1080
    photo = MediaInfo(id="p", kind="image", path="p.jpg", w=640, h=480)
    assert web_scale(_draft("p", 3000), {"p": photo}) == 1.0  # no video: the canvas
    assert web_kbps(1280, 720) == 1500 and web_kbps(1920, 1080) > web_kbps(1280, 720)
    assert (web_kbps(1280, 720) + 192) * 1000 / 8 * 60 < H5P_FILE_LIMIT  # a minute of 720p


def test_a_720p_clip_stays_720p_and_within_the_web_bitrate(
        make_clip: Callable[..., Path], media_dir: Path, tmp_path: Path):
    """A hard-to-compress 720p clip on a 1080p canvas: the package's video is 1280x720 and at
    a rate where one minute stays under 16 MB."""
    clip = media_dir / "noisy720.mp4"
    run_ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=5",
               "-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-vf",
               "noise=alls=40:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12",
               "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(clip))
    media = {"m": _video("m", 1280, 720, ms=5000, path=str(clip))}
    draft = apply_op(_draft("m", 5000), "add_chapter", {"label": "Intro", "start_ms": 0}, media)
    result = export(draft, media, "h5p", tmp_path / "web.h5p",
                    options=RenderOptions(quality="low"))  # the cap is the same at any quality
    assert (result.w, result.h) == (1280, 720)  # the job reports the video's real size
    out = Path(result.path)
    with zipfile.ZipFile(out) as zf:
        video = Path(zf.extract("content/videos/video.mp4", tmp_path))
    facts = probe(video, count_frames=False)
    assert (facts.width, facts.height) == (1280, 720) and facts.vcodec == "h264"
    per_minute = video.stat().st_size / facts.duration * 60
    assert per_minute < H5P_FILE_LIMIT, f"{per_minute / 1e6:.1f} MB per minute"
    source_per_minute = clip.stat().st_size / 5 * 60
    assert source_per_minute > 2 * H5P_FILE_LIMIT  # the cap did the work, not the content
