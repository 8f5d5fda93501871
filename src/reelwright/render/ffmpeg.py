"""Where the ffmpeg binary is, found once, and never "not found" for good.

``resolve_ffmpeg(configured)`` answers the ffmpeg to run: the ``ffmpeg`` setting
(``REELWRIGHT_FFMPEG``) when it is set, else the binary the imageio-ffmpeg wheel ships. The
answer is checked (``ffmpeg -version`` must run) and remembered for the process; a failure is
never remembered: the next call looks again. imageio-ffmpeg's own look-up keeps a failed
search for the life of the process (``_get_ffmpeg_exe`` is an ``lru_cache`` that caches
``None``), so one failed check, say while the machine was out of processes, would make every
later render fail with "No ffmpeg exe could be found"; a failed look-up here clears that cache.

The service, ``reelwright worker`` and the render commands call it at start-up, so a missing
ffmpeg stops them at once with :class:`FfmpegMissing` naming what was tried, and they pass the
resolved path on to every render.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading

from reelwright.errors import FfmpegMissing

CHECK_TIMEOUT_S = 30
_found: dict[str, str] = {}  # what was asked for ("" = the wheel's) -> a path that ran
_lock = threading.Lock()


def ffmpeg_exe(explicit: str | None = None) -> str:
    """The ffmpeg to run: ``explicit`` as given, else :func:`resolve_ffmpeg`."""
    if explicit:
        return explicit
    return resolve_ffmpeg(os.environ.get("REELWRIGHT_FFMPEG", ""))


def resolve_ffmpeg(configured: str = "") -> str:
    """A checked path to ffmpeg (``configured``, or the wheel's when empty); FfmpegMissing
    says what was tried and why it failed. Successes are cached, failures never."""
    with _lock:
        cached = _found.get(configured)
        if cached is not None:
            return cached
        path = _configured(configured) if configured else _bundled()
        _check_runs(path, configured)
        _found[configured] = path
        return path


def forget() -> None:
    """Drop every remembered path (tests; a replaced binary)."""
    with _lock:
        _found.clear()


def _configured(configured: str) -> str:
    path = configured if os.path.sep in configured else shutil.which(configured)
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        raise FfmpegMissing(f"ffmpeg not found: the ffmpeg setting (REELWRIGHT_FFMPEG) names "
                            f"{configured!r}, which is not an executable file")
    return path


def _bundled() -> str:
    import imageio_ffmpeg

    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        _forget_imageio_failure()
        raise FfmpegMissing(
            f"ffmpeg not found: the imageio-ffmpeg wheel has no working binary ({exc}). "
            "Reinstall imageio-ffmpeg for this platform, or set REELWRIGHT_FFMPEG to an "
            "ffmpeg binary") from None


def _forget_imageio_failure() -> None:
    """imageio-ffmpeg caches a failed search; clear it so the next look-up really looks."""
    import imageio_ffmpeg

    utils = getattr(imageio_ffmpeg, "_utils", None)
    cached = getattr(utils, "_get_ffmpeg_exe", None)
    cache_clear = getattr(cached, "cache_clear", None)
    if callable(cache_clear):
        cache_clear()


def _check_runs(path: str, configured: str) -> None:
    where = f"{path!r}" + (" (the ffmpeg setting)" if configured else " (imageio-ffmpeg)")
    try:
        done = subprocess.run([path, "-hide_banner", "-version"], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=CHECK_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise FfmpegMissing(f"ffmpeg at {where} does not run: {exc}") from None
    if done.returncode != 0 or not done.stdout.startswith(b"ffmpeg version"):
        tail = (done.stderr or done.stdout)[-300:].decode(errors="replace").strip()
        raise FfmpegMissing(f"ffmpeg at {where} does not run (exit {done.returncode}): "
                            f"{tail or 'no output'}")
