"""Ken Burns lanes drawn outside ffmpeg: a warp writing raw frames into a named pipe.

ffmpeg's only sub-pixel warp, ``perspective``, rebuilds a coordinate table and resamples
through it for every frame: about 16 ms of CPU per 1080p frame, as much as x264 spends
encoding it. A Ken Burns move is just a zoom and a pan: the native warp (``_warp.c``, SSSE3,
built at install) draws it bilinearly in about 0.6 ms per 4:2:0 1080p frame,
``cv2.warpAffine`` (the fallback) in about 4 ms. Each lane of a plan (``plan.MotionLane``)
gets a named pipe in the work folder that ffmpeg reads as a ``rawvideo`` input, and a thread
here that loads each prepared still once, draws its moving frames (blending the cross-fades
between stills in the same pass) and splices them into the pipe by reference; the pipe's
back-pressure keeps it in step with the encoder, so memory stays at two stills and a
pipe-full (1 MiB) plus two frames per lane.

The motion itself (zoom, pan, clamping to the picture) is ``kenburns.view_at``, pure; this
module only draws it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import numpy as np

from reelwright.errors import RenderFailed
from reelwright.render import pacing
from reelwright.render.kenburns import View, view_at
from reelwright.render.plan import MotionLane

_warp: ModuleType | None
try:  # the optional C extension (setup.py); OpenCV draws the same frames without it
    _warp = importlib.import_module("reelwright.render._warp")
except ImportError:  # pragma: no cover - exercised on installs without a C compiler
    _warp = None

F_SETPIPE_SZ = 1031  # fcntl.F_SETPIPE_SZ, named in Python >= 3.10 on Linux only
F_GETPIPE_SZ = 1032
PIPE_BYTES = 1 << 20  # the default 64 KiB means 50 wake-ups per 1080p frame
OPEN_POLL_SECONDS = 0.005
JOIN_SECONDS = 5.0

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]


def plane_sizes(w: int, h: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(luma, chroma) plane shapes (rows, columns) of a 4:2:0 frame."""
    return (h, w), ((h + 1) // 2, (w + 1) // 2)


def split_planes(buffer: np.ndarray, w: int, h: int) -> Planes:
    """Y, U, V views into one contiguous 4:2:0 frame buffer."""
    (yh, yw), (ch, cw) = plane_sizes(w, h)
    luma, chroma = yh * yw, ch * cw
    y = buffer[:luma].reshape(yh, yw)
    u = buffer[luma:luma + chroma].reshape(ch, cw)
    v = buffer[luma + chroma:luma + 2 * chroma].reshape(ch, cw)
    return y, u, v


def frame_bytes(w: int, h: int) -> int:
    (yh, yw), (ch, cw) = plane_sizes(w, h)
    return yh * yw + 2 * ch * cw


def load_still(path: Path, w: int, h: int) -> Planes:
    """A prepared still (one raw 4:2:0 frame of ``w`` x ``h``) as its three planes."""
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as exc:
        raise RenderFailed(f"prepared still {path.name} cannot be read: {exc}") from exc
    if data.size != frame_bytes(w, h):
        raise RenderFailed(f"prepared still {path.name} has {data.size} bytes, "
                           f"expected {frame_bytes(w, h)} for {w}x{h}")
    return split_planes(data, w, h)


def plane_views(view: View) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where output sample (0, 0) of the luma and of the chroma planes lies in the still's
    sample grid for ``view`` (the continuous window ``left``, ``top``, ``step`` per pixel).

    Pixel centres line up, so a centred zoom keeps the centre of the picture still. Chroma
    is sited as MPEG-2/H.264 4:2:0 says: on even luma columns (left-sited) and between two
    luma rows, so its map has the same step and a shifted origin."""
    left, top, step = view.left, view.top, view.step
    luma = (left + 0.5 * step - 0.5, top + 0.5 * step - 0.5)
    chroma = (left / 2 + 0.25 * step - 0.25, top / 2 + 0.5 * step - 0.5)
    return luma, chroma


def native() -> bool:
    """Whether the native warp (``render._warp``, built at install time) is here."""
    return _warp is not None


def warp(still: Planes, view: View, out: Planes, *, use_native: bool = True,
         weight: float | None = None) -> None:
    """Draw ``view`` of ``still`` into ``out`` (all 4:2:0 planes), bilinear, sub-pixel: the
    centre of output pixel (X, Y) shows the still at (left + (X + .5) * step, top + ...).
    With ``weight`` (0..1) the drawing is blended into what ``out`` holds instead:
    ``out * (1 - weight) + view * weight``, a cross-fade frame in one pass.

    The native SSSE3 warp draws it when it was built and this CPU has SSSE3; OpenCV's
    ``warpAffine`` (1/32-pixel steps, ~8x the CPU) otherwise."""
    inv = view.step
    origins = plane_views(view)
    planes = list(zip(still, out, (origins[0], origins[1], origins[1]), strict=True))
    if use_native and _warp is not None:
        extra = () if weight is None else (weight,)
        planes = [(source, target, (left, top)) for source, target, (left, top) in planes
                  if not _warp.zoom(source, target, left, top, inv, *extra)]
    if not planes:
        return
    import cv2

    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    for source, target, (left, top) in planes:
        matrix = np.array([[inv, 0.0, left], [0.0, inv, top]])
        drawn = target if weight is None else np.empty_like(target)
        cv2.warpAffine(source, matrix, (target.shape[1], target.shape[0]), dst=drawn,
                       flags=flags, borderMode=cv2.BORDER_REPLICATE)
        if weight is not None:
            cv2.addWeighted(target, 1.0 - weight, drawn, weight, 0.0, dst=target)


Ready = Callable[[str], None]


def _always_ready(file: str) -> None:
    del file


def lane_frames(lane: MotionLane, folder: Path, ready: Ready = _always_ready,
                slots: Sequence[np.ndarray] | None = None) -> Iterator[np.ndarray]:
    """Every frame of ``lane`` in order, each a contiguous 4:2:0 buffer: frame N is drawn
    into ``slots[N % len(slots)]`` (one new buffer if none are given), so it stays as it is
    while the next ``len(slots) - 1`` frames are drawn. ``ready(file)`` blocks until a
    still's file is prepared.

    Where a still overlaps the previous one (``overlap`` frames) the two are cross-faded
    linearly, as ``xfade=fade`` does: frame k of n shows k/n of the newer still."""
    if not slots:
        slots = [np.empty(frame_bytes(lane.w, lane.h), dtype=np.uint8)]
    planes = [split_planes(slot, lane.w, lane.h) for slot in slots]
    starts = lane.starts()
    loaded: dict[int, Planes] = {}
    shown: list[tuple[int, View] | None] = [None] * len(slots)  # a slot's plain view

    def still(k: int) -> Planes:
        if k not in loaded:
            one = lane.stills[k]
            ready(one.file)
            loaded[k] = load_still(folder / one.file, one.w, one.h)
        return loaded[k]

    def view(k: int, frame: int) -> View:
        one = lane.stills[k]
        return view_at(one.move, frame - starts[k], one.w, one.h, lane.w, lane.h)

    for frame in range(lane.frames):
        n = frame % len(slots)
        active = [k for k, one in enumerate(lane.stills)
                  if starts[k] <= frame < starts[k] + one.move.frames]
        for gone in [k for k in loaded if k < active[0]]:
            del loaded[gone]
        older, newer = active[0], active[-1]
        seen = (older, view(older, frame))
        if len(active) == 1:
            if shown[n] != seen:  # a still without motion is drawn once per slot
                warp(still(older), seen[1], planes[n])
                shown[n] = seen
        else:
            warp(still(older), seen[1], planes[n])
            weight = (frame - starts[newer]) / lane.stills[newer].overlap
            warp(still(newer), view(newer, frame), planes[n], weight=weight)
            shown[n] = None
        yield slots[n]


def _write_all(fd: int, data: memoryview) -> None:
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _sender(fd: int, frame: int) -> tuple[Callable[[int, memoryview], None], int]:
    """How to put frames into the pipe ``fd`` and how many frame slots that needs.

    With the native module, frames are spliced (``vmsplice``): the pipe takes references to
    the frame's pages, not a copy, which saves the writer about a third of its CPU. A slot is
    then drawn again only after more than a pipe-full of later frames went in, by which time
    ffmpeg has read it. Otherwise frames are written (copied), and one slot is enough; so
    also where a sandbox refuses ``vmsplice`` (it then fails before writing anything)."""
    splice = getattr(_warp, "splice", None)
    if splice is None:
        return _write_all, 1
    try:
        pipe = fcntl.fcntl(fd, F_GETPIPE_SZ)
    except OSError:
        return _write_all, 1
    refused = [False]

    def send(fd: int, data: memoryview) -> None:
        if not refused[0]:
            try:
                splice(fd, data)
                return
            except OSError as exc:
                if exc.errno not in _SPLICE_REFUSED:
                    raise
                refused[0] = True
        _write_all(fd, data)

    return send, 2 + pipe // frame


_SPLICE_REFUSED = {errno.ENOSYS, errno.EPERM, errno.EINVAL, errno.EOPNOTSUPP}


class LaneWriter:
    """Feeds one lane's frames into its named pipe from a thread.

    The pipe is opened without blocking, polling until ffmpeg opens the other end (so a
    ffmpeg that fails early never leaves this thread stuck); a reader that goes away (ffmpeg
    done with a poster frame, killed on cancel) ends it quietly. Any other failure is kept in
    ``error`` for the runner to report.
    """

    def __init__(self, lane: MotionLane, folder: Path, ready: Ready = _always_ready,
                 nice: int = 0) -> None:
        self.lane = lane
        self.nice = nice
        self.folder = folder
        self.ready = ready
        self.path = folder / lane.file
        self.error: BaseException | None = None
        self.slots: list[np.ndarray] = []  # kept until ffmpeg is done: the pipe may read them
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"motion-{lane.file}",
                                       daemon=True)
        if self.path.exists() or self.path.is_symlink():
            self.path.unlink()
        os.mkfifo(self.path)

    def start(self) -> None:
        self.thread.start()

    def _open(self) -> int | None:
        while not self.stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                    raise
                time.sleep(OPEN_POLL_SECONDS)
                continue
            os.set_blocking(fd, True)
            # above /proc/sys/fs/pipe-max-size the default size still works, only slower
            with contextlib.suppress(OSError):
                fcntl.fcntl(fd, F_SETPIPE_SZ, PIPE_BYTES)
            return fd
        return None

    def _run(self) -> None:
        fd: int | None = None
        try:
            fd = self._open()
            if fd is None:
                return
            _be_nicer(self.nice)
            size = frame_bytes(self.lane.w, self.lane.h)
            send, count = _sender(fd, size)
            self.slots = [np.empty(size, dtype=np.uint8) for _ in range(count)]
            for frame in lane_frames(self.lane, self.folder, self.ready, self.slots):
                if self.stop.is_set():
                    return
                send(fd, frame.data)
        except BrokenPipeError:
            return  # ffmpeg stopped reading: it is done, or it was stopped
        except BaseException as exc:  # noqa: BLE001 - reported by the runner
            self.error = exc
        finally:
            if fd is not None:
                os.close(fd)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=JOIN_SECONDS)


def _be_nicer(nice: int) -> None:
    """Make the calling thread ``nice`` nicer (Linux: niceness is per thread there)."""
    if nice > 0 and sys.platform.startswith("linux"):
        pacing.make_nicer(threading.get_native_id(), nice)


@contextmanager
def lanes(motion: Sequence[MotionLane], folder: Path, ready: Ready = _always_ready,
          nice: int = 0) -> Iterator[list[LaneWriter]]:
    """Named pipes and writer threads for ``motion``, each thread ``nice`` nicer than this
    process (as nice as the ffmpeg it feeds: a peer of x264's critical thread, below the
    API); stopped and joined on exit."""
    if motion:  # OpenCV blends the cross-fades (and warps without the native warp)
        import cv2

        cv2.setNumThreads(1)  # one thread per lane: x264 beside it has the other cores
    writers = [LaneWriter(lane, folder, ready, nice) for lane in motion]
    try:
        for writer in writers:
            writer.start()
        yield writers
    finally:
        for writer in writers:
            writer.close()


def first_error(writers: Sequence[LaneWriter]) -> RenderFailed | None:
    """The first lane failure as a RenderFailed, if any lane failed."""
    for writer in writers:
        if writer.error is None:
            continue
        if isinstance(writer.error, RenderFailed):
            return writer.error
        return RenderFailed(f"Ken Burns frames for {writer.lane.file} failed: {writer.error}")
    return None


__all__ = ["LaneWriter", "first_error", "lane_frames", "lanes", "load_still", "warp"]

