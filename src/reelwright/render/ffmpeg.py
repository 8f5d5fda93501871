"""Where the ffmpeg binary is: an explicit path, ``REELWRIGHT_FFMPEG``, else imageio-ffmpeg's."""

from __future__ import annotations

import os


def ffmpeg_exe(explicit: str | None = None) -> str:
    """The ffmpeg to run: ``explicit``, the ``REELWRIGHT_FFMPEG`` setting, or the bundled one."""
    if explicit:
        return explicit
    configured = os.environ.get("REELWRIGHT_FFMPEG")
    if configured:
        return configured
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())
