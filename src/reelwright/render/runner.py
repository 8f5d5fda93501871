"""The only code in Reelwright that starts ffmpeg.

``run(plan, ...)`` writes the plan's auxiliary files into a work folder, runs the plan's short
preparation pass (stills to raw working frames) if it has one, then starts ffmpeg there
(with ``render.motion`` writing the Ken Burns lanes into named pipes it reads),
reports progress parsed from ``-progress pipe:1`` (``out_time_us`` over the plan's duration),
and stops it on cancel, on timeout, on KeyboardInterrupt or on any error. Whatever happens,
the process is killed if still running and waited for (no zombies), and both pipes are drained
by threads so a chatty ffmpeg can never block on a full pipe.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from reelwright.errors import RenderCancelled, RenderFailed, RenderTimeout
from reelwright.render import motion, pacing
from reelwright.render.plan import AuxFile, Plan, Prepare

STDERR_TAIL_LINES = 40
POLL_SECONDS = 0.05


def write_aux_files(files: tuple[AuxFile, ...], workdir: Path) -> None:
    """Put every auxiliary file in ``workdir`` (links fall back to copies)."""
    for aux in files:
        target = workdir / aux.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if aux.text is not None:
            target.write_text(aux.text, encoding="utf-8")
        elif aux.link_to is not None:
            if target.exists() or target.is_symlink():
                target.unlink()
            try:
                target.symlink_to(Path(aux.link_to).resolve())
            except OSError:
                shutil.copyfile(aux.link_to, target)


def _drain_stderr(stream: IO[bytes], tail: collections.deque[str]) -> None:
    for raw in iter(stream.readline, b""):
        tail.append(raw.decode("utf-8", "replace").rstrip())


def _read_progress(stream: IO[bytes], out: queue.Queue[float | None], frames: int,
                   total_us: int) -> None:
    """Parse ``-progress`` blocks. Video frames count when there are many (audio is encoded
    ahead of the picture, so ``out_time_us`` runs early); a single-frame output uses time."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("ascii", "replace").strip()
        key, _, value = line.partition("=")
        if not value.isdigit():
            continue
        if key == "frame" and frames > 1:
            out.put(int(value) / frames)
        elif key == "out_time_us" and frames <= 1:
            out.put(int(value) / total_us)
    out.put(None)


@contextmanager
def workdir_for(given: Path | None) -> Iterator[Path]:
    """``given`` (created if missing), or a temporary folder removed afterwards."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="reelwright-render-") as tmp:
        yield Path(tmp)


def run(plan: Plan, *, ffmpeg: str, on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None, timeout: float | None = None,
        workdir: Path | None = None, background: bool = False) -> None:
    """Run ``plan`` (its preparation runs first, if any) to completion; raise RenderFailed,
    RenderCancelled or RenderTimeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with workdir_for(workdir) as folder:
        write_aux_files(plan.files(), folder)
        for prepare in plan.prepare:
            if not prepare.lazy:
                _run_process(prepare.command(ffmpeg), folder, frames=0, total_us=1,
                             on_progress=None, cancel=cancel, deadline=deadline,
                             timeout=timeout)
        beside = _Background([one for one in plan.prepare if one.lazy], ffmpeg, folder)
        try:
            with motion.lanes(plan.motion, folder, ready=beside.wait_for,
                              nice=_nice()) as writers:
                beside.start()
                try:
                    _run_process(plan.command(ffmpeg), folder, frames=plan.frames,
                                 total_us=max(plan.duration_ms, 1) * 1000,
                                 on_progress=on_progress, cancel=cancel, deadline=deadline,
                                 timeout=timeout, background=background,
                                 pace=not background)
                except RenderFailed as exc:
                    raise motion.first_error(writers) or exc from exc
        finally:
            beside.close()
        failed = motion.first_error(writers)
        if failed is not None:  # ffmpeg may end cleanly on a lane that stopped short
            raise failed
        if on_progress is not None:
            on_progress(1.0)


class _Background:
    """Runs the lazy preparation passes (stills only motion lanes read) one after another
    while the main ffmpeg already renders; lane writers wait for their still's pass.

    Stopped (its ffmpeg killed) when the render ends for any reason; a failed pass makes
    ``wait_for`` raise, which fails the lane, which fails the render with that error."""

    def __init__(self, prepares: list[Prepare], ffmpeg: str, folder: Path) -> None:
        self.prepares = prepares
        self.ffmpeg = ffmpeg
        self.folder = folder
        self.stop = threading.Event()
        self.error: RenderFailed | None = None
        self.done = [threading.Event() for _ in prepares]
        self.by_file = {name: n for n, one in enumerate(prepares) for _, name in one.outputs}
        self.thread = threading.Thread(target=self._run, name="prepare", daemon=True)

    def start(self) -> None:
        if self.prepares:
            self.thread.start()

    def _run(self) -> None:
        for n, (prepare, done) in enumerate(zip(self.prepares, self.done, strict=True)):
            try:  # the first still holds up the first frame: only later ones run beside
                _run_process(prepare.command(self.ffmpeg), self.folder, frames=0, total_us=1,
                             on_progress=None, cancel=self.stop, deadline=None, timeout=None,
                             background=n > 0)
            except RenderCancelled:
                self.error = RenderFailed("the still preparation was stopped")
            except RenderFailed as exc:
                self.error = exc
            if self.error is not None:
                for event in self.done:
                    event.set()
                return
            done.set()

    def wait_for(self, file: str) -> None:
        """Block until ``file`` is prepared (files of eager passes are there already)."""
        index = self.by_file.get(file)
        if index is None:
            return
        while not self.done[index].wait(POLL_SECONDS):
            if self.stop.is_set():
                raise RenderFailed("the render stopped before its stills were prepared")
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)


def _run_process(command: list[str], folder: Path, *, frames: int, total_us: int,
                 on_progress: Callable[[float], None] | None, cancel: threading.Event | None,
                 deadline: float | None, timeout: float | None,
                 background: bool = False, pace: bool = False) -> None:
    """Start one ffmpeg in ``folder`` and see it through: it is killed and reaped whatever
    happens, and a non-zero exit becomes RenderFailed with the stderr tail. With ``pace``
    its critical thread gets the CPU first (``render.pacing``)."""
    tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
    progress: queue.Queue[float | None] = queue.Queue()
    try:
        proc = subprocess.Popen(command, cwd=folder, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                process_group=0,
                                preexec_fn=_child_setup(_nice(BACKGROUND_NICE if background
                                                              else 0), background))
    except OSError as exc:
        raise RenderFailed(f"cannot start ffmpeg: {exc}", command=command) from exc
    assert proc.stdout is not None and proc.stderr is not None
    readers = [
        threading.Thread(target=_drain_stderr, args=(proc.stderr, tail), daemon=True),
        threading.Thread(target=_read_progress, daemon=True,
                         args=(proc.stdout, progress, frames, total_us)),
    ]
    for reader in readers:
        reader.start()
    ended = threading.Event()
    if pace:
        pacing.start(proc.pid, ended)
    try:
        _watch(proc, progress, on_progress, cancel, deadline, timeout)
    finally:
        ended.set()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for reader in readers:
            reader.join(timeout=5)
        proc.stdout.close()
        proc.stderr.close()
    if proc.returncode != 0:
        stderr_tail = "\n".join(tail)
        last = tail[-1] if tail else f"exit status {proc.returncode}"
        raise RenderFailed(f"ffmpeg failed: {last}", command=command,
                           stderr_tail=stderr_tail)


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except OSError:
        return None


_PRCTL = _load_prctl()  # looked up before any fork: the child only calls it
_PR_SET_PDEATHSIG = 1


BACKGROUND_NICE = 5  # added for runs beside the picture (sound, still preparation)


def _nice(extra: int = 0) -> int:
    """``REELWRIGHT_FFMPEG_NICE`` (default 5): how much ffmpeg yields the CPU to this process
    (the API, the Ken Burns lane writers that feed it), plus ``extra`` for runs beside the
    picture. Read before any fork."""
    try:
        base = int(os.environ.get("REELWRIGHT_FFMPEG_NICE", DEFAULT_NICE))
    except ValueError:
        base = DEFAULT_NICE
    return max(0, min(19, base + extra))


DEFAULT_NICE = 5


def _child_setup(nice: int, idle: bool = False) -> Callable[[], None]:
    def setup() -> None:
        """In the forked child: have the kernel SIGKILL ffmpeg if the server dies outright
        (SIGKILL, OOM), so no render keeps running as an orphan; then lower its priority
        (``idle``: it only gets CPU time no other thread wants)."""
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if nice:
            os.nice(nice)
        if idle and hasattr(os, "SCHED_IDLE"):
            with contextlib.suppress(OSError):
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))

    return setup


def _watch(proc: subprocess.Popen[bytes], progress: queue.Queue[float | None],
           on_progress: Callable[[float], None] | None, cancel: threading.Event | None,
           deadline: float | None, timeout: float | None) -> None:
    """Wait for ffmpeg to end, relaying progress; raise (the caller kills) on cancel/timeout."""
    last = -1.0
    while True:
        try:
            value = progress.get(timeout=POLL_SECONDS)
        except queue.Empty:
            value = -1.0
        if value is None:
            break
        if value >= 0 and on_progress is not None:
            fraction = min(max(value, 0.0), 0.999)
            if fraction > last:
                last = fraction
                on_progress(fraction)
        if cancel is not None and cancel.is_set():
            raise RenderCancelled("render cancelled")
        if deadline is not None and time.monotonic() > deadline:
            raise RenderTimeout(f"render took longer than {timeout:g} s and was stopped")
    while proc.poll() is None:
        if cancel is not None and cancel.is_set():
            raise RenderCancelled("render cancelled")
        if deadline is not None and time.monotonic() > deadline:
            raise RenderTimeout(f"render took longer than {timeout:g} s and was stopped")
        time.sleep(POLL_SECONDS)


__all__ = ["run", "workdir_for", "write_aux_files"]
