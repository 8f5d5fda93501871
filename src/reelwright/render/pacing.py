"""Keep the critical thread of a render on the CPU.

At the fast presets x264 is paced by one thread: its lookahead, which decides frame types
and runs the macroblock tree serially, and which does about four times the work of any of
the frame threads encoding beside it. On a machine with few cores every other thread of the
render (x264's frame threads, ffmpeg's demuxer and filter graph, the lane writers) competes
with it, and each moment it waits for a core holds the whole pipeline up: measured on two
cores, it waited three times as long for a core inside a render as in a bare encode.

``pace`` watches the threads of one ffmpeg. Once one thread has kept a core at least half
busy over the last half second and used at least ``LEAD`` times as much CPU as any other,
it is taken to be that critical thread and every other thread of the process is made
``EXTRA_NICE`` nicer: they still run at full speed on an idle core, and yield to it when
there is none. A render with no such thread (a slow
preset, where the frame threads do the work) is left as it is. Raising niceness needs no
privilege; nothing is ever made less nice. Linux only (``/proc``); elsewhere a no-op.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path

SAMPLE_SECONDS = 0.25
WINDOW_SAMPLES = 2  # threads are judged on the CPU they used over the last half second
BUSY = 0.5  # the critical thread kept a core busy at least half that time
LEAD = 2.0  # and used at least twice as much as any other thread
EXTRA_NICE = 5  # added to the niceness of the other threads
GIVE_UP_SECONDS = 20.0  # a run without a critical thread is not watched for ever
log = logging.getLogger(__name__)
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100  # /proc's CPU time unit


def thread_seconds(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each thread of ``pid``; empty when the
    process is gone or this system has no ``/proc``."""
    used: dict[int, float] = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return used
    for tid in tids:
        try:
            stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        except OSError:
            continue
        # fields after the ")" that closes the thread's name: utime, stime are 12 and 13
        fields = stat[stat.rfind(")") + 2:].split()
        used[int(tid)] = (int(fields[11]) + int(fields[12])) / TICK
    return used


def critical_thread(used: dict[int, float], window: float) -> int | None:
    """The thread that sets the pace, if one clearly does: ``used`` is the CPU each thread
    used over the last ``window`` seconds; the busiest must have been busy at least
    ``BUSY`` of it and used ``LEAD`` times as much as any other."""
    if not used:
        return None
    busiest = max(used, key=lambda tid: used[tid])
    rest = max((cpu for tid, cpu in used.items() if tid != busiest), default=0.0)
    if used[busiest] < BUSY * window or used[busiest] < LEAD * rest:
        return None
    return busiest


def make_nicer(tid: int, by: int) -> None:
    """Make thread ``tid`` (Linux: niceness is per thread) ``by`` nicer than it is, up to 19;
    a thread that ended meanwhile is let be."""
    with contextlib.suppress(OSError):
        nice = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, nice + by))


def yield_to(others: list[int]) -> None:
    """Make the threads ``others`` EXTRA_NICE nicer than they are."""
    for tid in others:
        make_nicer(tid, EXTRA_NICE)


def pace(pid: int, done: threading.Event, give_up: float = GIVE_UP_SECONDS) -> int | None:
    """Watch ``pid`` until its critical thread is clear (then the others yield to it),
    ``done`` is set or ``give_up`` seconds passed. Returns the critical thread, if found."""
    samples = [thread_seconds(pid)]
    waited = 0.0
    while not done.wait(SAMPLE_SECONDS) and waited < give_up:
        waited += SAMPLE_SECONDS
        samples = [*samples[-WINDOW_SAMPLES:], thread_seconds(pid)]
        if not samples[-1]:
            return None  # ended
        first, last = samples[0], samples[-1]
        used = {tid: cpu - first.get(tid, 0.0) for tid, cpu in last.items()}
        busiest = critical_thread(used, SAMPLE_SECONDS * (len(samples) - 1))
        if busiest is not None:
            yield_to([tid for tid in last if tid != busiest])
            log.debug("pacing: thread %d of ffmpeg %d keeps its core; %d others yield",
                      busiest, pid, len(last) - 1,
                      extra={"ffmpeg_pid": pid, "critical_thread": busiest})
            return busiest
    return None


def start(pid: int, done: threading.Event) -> threading.Thread | None:
    """``pace`` on a daemon thread, where threads can be watched (Linux)."""
    if not os.path.isdir(f"/proc/{pid}/task"):
        return None
    thread = threading.Thread(target=pace, args=(pid, done), name="pacing", daemon=True)
    thread.start()
    return thread


__all__ = ["critical_thread", "make_nicer", "pace", "start", "thread_seconds", "yield_to"]
