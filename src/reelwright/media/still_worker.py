"""The worker process that decodes one big still, so the server never holds its pixels.

``read_in_worker`` (what ``reelwright.media.stills.read_still`` calls for an image too big to
decode in-process) runs ``python -m reelwright.media.still_worker`` with the job as JSON on
stdin: at most ``WORKER_SLOTS`` at once, each limited to ``WORKER_MEMORY`` bytes of data
(``RLIMIT_DATA``) and ``WORKER_TIMEOUT_S``. The child runs ``stills.read_here``, writes the
upright copy and the preview as files, and answers JSON on stdout: the facts and the files'
paths, or the media error to raise. Its memory goes back to the system when it exits.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from PIL import Image

from reelwright.errors import CorruptMedia, MediaError, MediaTooLarge, UnsupportedMedia
from reelwright.media.imaging import MAX_PIXELS
from reelwright.media.stills import Still, StillOut, read_here, save_image

WORKER_SLOTS = 2
WORKER_MEMORY = 3 << 30  # a 100 MP RGBA image turned upright holds ~1 GB
WORKER_TIMEOUT_S = 120

log = logging.getLogger(__name__)
_ERRORS: dict[str, type[MediaError]] = {
    "CorruptMedia": CorruptMedia, "UnsupportedMedia": UnsupportedMedia,
    "MediaTooLarge": MediaTooLarge}
_LIMIT = {"limit_mp": MAX_PIXELS // 1_000_000}
_slots = threading.BoundedSemaphore(WORKER_SLOTS)


def read_in_worker(path: Path, label: str, fmt: str | None, out: StillOut | None,
                   preview_side: int, every_frame: bool) -> Still:
    """``stills.read_here`` in a child process; the same answer, the same errors."""
    with tempfile.TemporaryDirectory(prefix="reelwright-still-") as tmp:
        job = {"path": str(Path(path).resolve()), "label": label, "fmt": fmt,
               "preview_side": preview_side, "every_frame": every_frame,
               "memory": WORKER_MEMORY, "media_id": out.media_id if out else None,
               "out_dir": str(out.out_dir.resolve()) if out else None,
               "preview_dir": str(out.out_dir.resolve()) if out else tmp}
        answer = _run(job, label)
        if "error" in answer:
            kind = _ERRORS.get(answer["error"])
            if kind is None:
                raise RuntimeError(f"the image worker failed on {label}: {answer['message']}")
            raise kind(answer["message"], data=answer.get("data"))
        preview_path = Path(answer["preview"]) if answer.get("preview") else None
        preview = None
        if preview_path is not None:
            with Image.open(preview_path) as small:
                preview = small.copy()
        stored = Path(answer["stored"]) if answer.get("stored") else None
        return Still(answer["facts"], stored, preview, preview_path if out else None)


def _run(job: dict[str, Any], label: str) -> dict[str, Any]:
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
    with _slots:
        try:
            done = subprocess.run([sys.executable, "-m", "reelwright.media.still_worker"],
                                  input=json.dumps(job).encode(), capture_output=True,
                                  env=env, timeout=WORKER_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:  # run() has killed and reaped it
            raise MediaTooLarge(f"{label} takes longer than {WORKER_TIMEOUT_S} s to decode; "
                                f"images may be at most {MAX_PIXELS / 1e6:.0f} MP",
                                data=_LIMIT) from None
    try:
        answer: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        log.warning("image worker for %s stopped with status %s: %s", job["path"],
                    done.returncode, done.stderr.decode(errors="replace")[-2000:])
        if done.returncode == -signal.SIGKILL:  # the kernel's out-of-memory killer
            raise _too_much_memory(label) from None
        raise CorruptMedia(f"{label} could not be decoded (the decoder stopped "
                           "unexpectedly)") from None
    return answer


def _too_much_memory(label: str) -> MediaTooLarge:
    return MediaTooLarge(f"{label} needs more memory to decode than this server allows an "
                         f"image (at most {MAX_PIXELS / 1e6:.0f} MP)", data=_LIMIT)


def _main() -> int:
    job = json.loads(sys.stdin.buffer.read())
    limit = int(job["memory"])
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    out = StillOut(Path(job["out_dir"]), job["media_id"]) if job["out_dir"] else None
    try:
        still = read_here(Path(job["path"]), job["label"], job["fmt"], out,
                          int(job["preview_side"]), bool(job["every_frame"]))
        preview = None
        if still.preview is not None:
            kind = "png" if still.preview.mode == "RGBA" else "jpg"
            preview = Path(job["preview_dir"]) / f"{job['media_id'] or 'still'}.preview.{kind}"
            preview.parent.mkdir(parents=True, exist_ok=True)
            save_image(still.preview, preview)
        answer: dict[str, Any] = {"facts": still.facts,
                                  "preview": str(preview) if preview else None,
                                  "stored": str(still.stored) if still.stored else None}
    except MediaError as exc:
        answer = {"error": type(exc).__name__, "message": exc.message, "data": exc.data}
    except MemoryError:
        too_much = _too_much_memory(job["label"])
        answer = {"error": "MediaTooLarge", "message": too_much.message, "data": too_much.data}
    except Exception as exc:  # a bug, not the user's file: the caller raises it as one
        answer = {"error": type(exc).__name__, "message": str(exc)}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
