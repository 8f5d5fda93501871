"""The benchmark timeline done the MoviePy 2 way (compositing every frame in Python).

Same photos, same 3.9 s per photo with 1 s crossfades, Ken Burns zoom, a title, music at 35 %
with fades, x264 at the same preset and CRF. Used by benchmarks/slideshow.py as the comparison.
"""

from __future__ import annotations

import argparse

from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, TextClip
from moviepy.audio import fx as afx
from moviepy.video import fx as vfx

W, H, FPS = 1920, 1080, 30
PHOTO_S, XFADE_S = 3.9, 1.0


def ken_burns(path: str, zoom_in: bool) -> ImageClip:
    base = ImageClip(path)
    scale = max(W / base.w, H / base.h)
    base = base.resized(scale)  # cover-fit once; the per-frame zoom below is the costly part

    def zoom(t: float) -> float:
        progress = t / PHOTO_S
        return 1 + 0.18 * (progress if zoom_in else 1 - progress)

    moving = base.with_duration(PHOTO_S).resized(zoom)
    return moving.cropped(x_center=moving.w / 2, y_center=moving.h / 2, width=W, height=H)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("photos", nargs="+")
    parser.add_argument("--music", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--crf", default="20")
    args = parser.parse_args()
    clips = []
    for i, photo in enumerate(args.photos):
        clip = ken_burns(photo, zoom_in=i % 2 == 0).with_start(i * (PHOTO_S - XFADE_S))
        if i:
            clip = clip.with_effects([vfx.CrossFadeIn(XFADE_S)])
        clips.append(clip)
    total = len(args.photos) * PHOTO_S - (len(args.photos) - 1) * XFADE_S
    from reelwright.media.fonts import default_font

    title = (TextClip(font=str(default_font()), text="Summer Trip", font_size=96,
                      color="white", stroke_color="black", stroke_width=3)
             .with_duration(3).with_position("center")
             .with_effects([vfx.CrossFadeIn(0.3), vfx.CrossFadeOut(0.3)]))
    music = AudioFileClip(args.music).with_effects([
        afx.AudioLoop(duration=total), afx.MultiplyVolume(0.35),
        afx.AudioFadeIn(1.0), afx.AudioFadeOut(2.0)])
    video = CompositeVideoClip([*clips, title], size=(W, H)).with_duration(total)
    video = video.with_audio(music)
    video.write_videofile(args.out, fps=FPS, codec="libx264", preset=args.preset,
                          ffmpeg_params=["-crf", args.crf, "-pix_fmt", "yuv420p"],
                          audio_codec="aac", threads=2, logger=None)


if __name__ == "__main__":
    main()
