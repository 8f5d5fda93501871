"""Pacing: the thread that sets a render's pace keeps its core; the others yield to it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from reelwright.render import pacing

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/task"),
                                reason="pacing reads threads from /proc (Linux)")

# A stand-in for ffmpeg + x264: threads busy all the time or now and then.
# hashlib releases the GIL on large buffers, so the busy threads really use a core each.
CHILD = """
import hashlib, sys, threading, time
data = b"x" * (1 << 20)
def busy():
    while True:
        hashlib.sha256(data).digest()
def light():
    while True:
        hashlib.sha256(data[:65536]).digest()
        time.sleep(0.02)
kinds = sys.argv[1].split(",")
ids = []
for kind in kinds:
    t = threading.Thread(target={"busy": busy, "light": light}[kind], daemon=True)
    t.start()
    ids.append(str(t.native_id))
print(" ".join(ids), flush=True)
time.sleep(60)
"""


Spawn = Callable[[str], tuple[int, list[int]]]


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    started: list[subprocess.Popen[str]] = []

    def start(kinds: str) -> tuple[int, list[int]]:
        proc = subprocess.Popen([sys.executable, "-c", CHILD, kinds], stdout=subprocess.PIPE,
                                text=True)
        started.append(proc)
        assert proc.stdout is not None
        return proc.pid, [int(tid) for tid in proc.stdout.readline().split()]

    yield start
    for proc in started:
        proc.kill()
        proc.wait()


def nice_of(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


def test_the_critical_thread_is_the_clearly_busiest_one() -> None:
    window = 0.5
    assert pacing.critical_thread({1: 0.45, 2: 0.1, 3: 0.12}, window) == 1
    assert pacing.critical_thread({1: 0.45, 2: 0.3}, window) is None  # no clear leader
    assert pacing.critical_thread({1: 0.2, 2: 0.01}, window) is None  # not busy enough
    assert pacing.critical_thread({}, window) is None


def test_thread_seconds_sees_each_thread_of_a_process(spawn: Spawn) -> None:
    pid, tids = spawn("busy,light")
    threading.Event().wait(0.6)
    used = pacing.thread_seconds(pid)
    assert set(tids) <= set(used)
    assert used[tids[0]] > used[tids[1]]
    assert pacing.thread_seconds(2**22 + 12345) == {}  # no such process


def test_the_other_threads_yield_to_the_busy_one(spawn: Spawn,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    # Given a process with one thread busy all the time and two that do a little
    pid, (busy, *light) = spawn("busy,light,light")
    before = {tid: nice_of(tid) for tid in [busy, *light]}
    # When it is paced
    with caplog.at_level("DEBUG", logger="reelwright.render.pacing"):
        chosen = pacing.pace(pid, threading.Event(), give_up=10)
    # Then the busy thread is the critical one and keeps its niceness; the others yield
    assert chosen == busy
    assert nice_of(busy) == before[busy]
    for tid in light:
        assert nice_of(tid) == min(19, before[tid] + pacing.EXTRA_NICE)
    assert nice_of(pid) == min(19, before[busy] + pacing.EXTRA_NICE)  # the main thread too
    assert f"thread {busy} of ffmpeg {pid} keeps its core" in caplog.text


def test_without_a_busy_thread_nothing_changes(spawn: Spawn) -> None:
    # (two equally busy threads are the pure test's case: here the scheduler could split
    # a loaded machine's cores unevenly for half a second)
    pid, tids = spawn("light,light")
    before = {tid: nice_of(tid) for tid in tids}
    assert pacing.pace(pid, threading.Event(), give_up=1.5) is None
    assert {tid: nice_of(tid) for tid in tids} == before


def test_pacing_stops_when_the_run_ends(spawn: Spawn) -> None:
    pid, tids = spawn("light")
    done = threading.Event()
    done.set()
    assert pacing.pace(pid, done) is None
    assert pacing.pace(2**22 + 12345, threading.Event()) is None  # gone: returns at once
