"""The runner: the only place ffmpeg starts. Progress, cancel, time limit, errors, no leaks."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest
from tests.render.render_helpers import child_processes, open_fds

from reelwright.errors import RenderCancelled, RenderFailed, RenderTimeout
from reelwright.render import runner
from reelwright.render.plan import Canvas, Plan


def _plan(out: Path, seconds: float, size: str = "320x240", source: str = "testsrc2") -> Plan:
    fps = 25
    frames = int(seconds * fps)
    return Plan(
        inputs=(),
        graph=f"{source}=size={size}:rate={fps}:duration={seconds},format=yuv420p[vout0]",
        maps=("[vout0]",),
        output_args=("-c:v", "libx264", "-preset", "ultrafast", "-frames:v", str(frames),
                     "-f", "mp4"),
        output_path=str(out),
        canvas=Canvas(320, 240, fps),
        duration_ms=int(seconds * 1000),
        frames=frames,
    )


def _ffmpeg_or_zombie_children() -> list[tuple[int, str, str]]:
    # other long-lived children (the browser tests' Playwright driver) are not ours to judge
    return [c for c in child_processes() if "ffmpeg" in c[1] or c[2] == "Z"]


def _no_children_left() -> None:
    deadline = time.monotonic() + 2
    while _ffmpeg_or_zombie_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ffmpeg_or_zombie_children() == [], "an ffmpeg process (or zombie) was left behind"


def test_progress_rises_to_one(tmp_path: Path, ffmpeg_exe: str) -> None:
    seen: list[float] = []
    runner.run(_plan(tmp_path / "a.mp4", 2), ffmpeg=ffmpeg_exe, on_progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert seen == sorted(seen) and all(0 <= v <= 1 for v in seen)
    assert (tmp_path / "a.mp4").stat().st_size > 0
    _no_children_left()


def test_cancel_mid_render_kills_and_reaps(tmp_path: Path, ffmpeg_exe: str) -> None:
    # Given a long render and a cancel flag set once progress starts
    cancel = threading.Event()

    def on_progress(value: float) -> None:
        if value > 0:
            cancel.set()

    # When it runs, Then it stops early with RenderCancelled and no process remains
    started = time.monotonic()
    with pytest.raises(RenderCancelled):
        runner.run(_plan(tmp_path / "c.mp4", 600, size="640x360"), ffmpeg=ffmpeg_exe,
                   on_progress=on_progress, cancel=cancel)
    assert time.monotonic() - started < 30
    _no_children_left()


def test_time_limit_raises_render_timeout(tmp_path: Path, ffmpeg_exe: str) -> None:
    with pytest.raises(RenderTimeout):
        runner.run(_plan(tmp_path / "t.mp4", 600, size="640x360"), ffmpeg=ffmpeg_exe,
                   timeout=0.5)
    _no_children_left()


def test_keyboard_interrupt_still_reaps(tmp_path: Path, ffmpeg_exe: str) -> None:
    def interrupt(value: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runner.run(_plan(tmp_path / "k.mp4", 600, size="640x360"), ffmpeg=ffmpeg_exe,
                   on_progress=interrupt)
    _no_children_left()


def test_bad_input_raises_render_failed_with_stderr(tmp_path: Path, ffmpeg_exe: str) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"this is not a picture at all")
    plan = Plan(inputs=(("-i", str(broken)),), graph="[0:v]null[vout0]", maps=("[vout0]",),
                output_args=("-c:v", "libx264", "-f", "mp4"),
                output_path=str(tmp_path / "x.mp4"), canvas=Canvas(320, 240, 25),
                duration_ms=1000, frames=25)
    with pytest.raises(RenderFailed) as caught:
        runner.run(plan, ffmpeg=ffmpeg_exe)
    assert caught.value.command[0] == ffmpeg_exe and str(broken) in caught.value.command
    assert caught.value.stderr_tail.strip()
    assert caught.value.code == 5001
    _no_children_left()


def test_missing_ffmpeg_is_a_render_failure(tmp_path: Path) -> None:
    with pytest.raises(RenderFailed, match="cannot start ffmpeg"):
        runner.run(_plan(tmp_path / "m.mp4", 1), ffmpeg=str(tmp_path / "no-such-ffmpeg"))


def test_no_leaked_fds_or_processes_after_many_runs(tmp_path: Path, ffmpeg_exe: str) -> None:
    runner.run(_plan(tmp_path / "warm.mp4", 0.2), ffmpeg=ffmpeg_exe)  # warm caches first
    before = open_fds()
    for i in range(5):
        runner.run(_plan(tmp_path / f"ok{i}.mp4", 0.2), ffmpeg=ffmpeg_exe)
        cancel = threading.Event()
        cancel.set()
        with pytest.raises(RenderCancelled):
            runner.run(_plan(tmp_path / f"cx{i}.mp4", 60), ffmpeg=ffmpeg_exe, cancel=cancel)
    assert open_fds() <= before
    _no_children_left()


def test_aux_files_are_written_into_the_work_folder(tmp_path: Path, ffmpeg_exe: str) -> None:
    font = tmp_path / "font.otf"
    font.write_bytes(b"x")
    from reelwright.render.plan import AuxFile

    runner.write_aux_files((AuxFile("a/b.txt", text="héllo"),
                            AuxFile("fonts/f.otf", link_to=str(font))), tmp_path / "work")
    assert (tmp_path / "work/a/b.txt").read_text(encoding="utf-8") == "héllo"
    assert (tmp_path / "work/fonts/f.otf").read_bytes() == b"x"


def test_the_preparation_pass_runs_first_and_its_failure_is_a_render_failure(
        tmp_path: Path, ffmpeg_exe: str) -> None:
    # Given a plan whose main graph reads the raw frame the preparation pass writes
    from reelwright.render.plan import Prepare

    prepare = Prepare(inputs=(("-f", "lavfi", "-i", "color=c=red:s=64x32"),),
                      graph="[0:v]format=yuv420p[p0]", outputs=(("[p0]", "still0.yuv"),))
    main = dataclasses.replace(
        _plan(tmp_path / "a.mp4", 0.4), prepare=(prepare,),
        inputs=(("-f", "rawvideo", "-pix_fmt", "yuv420p", "-video_size", "64x32",
                 "-framerate", "25", "-i", "still0.yuv"),),
        graph="[0:v]loop=loop=9:size=1:start=0,setpts=N[vout0]")
    # When run, Then the output exists (the raw frame was there before the main run)
    work = tmp_path / "work"
    runner.run(main, ffmpeg=ffmpeg_exe, workdir=work)
    assert (work / "still0.yuv").stat().st_size == 64 * 32 * 3 // 2
    assert (tmp_path / "a.mp4").stat().st_size > 0
    # And a preparation pass that fails stops everything with the ffmpeg error
    broken = dataclasses.replace(main, output_path=str(tmp_path / "b.mp4"), prepare=(Prepare(
        inputs=(("-i", str(tmp_path / "missing.jpg")),), graph="[0:v]null[p0]",
        outputs=(("[p0]", "still0.yuv"),)),))
    with pytest.raises(RenderFailed) as caught:
        runner.run(broken, ffmpeg=ffmpeg_exe, workdir=tmp_path / "work2")
    assert "missing.jpg" in " ".join(caught.value.command)
    assert not (tmp_path / "b.mp4").exists()
    _no_children_left()


def _priority_while_running(tmp_path: Path, ffmpeg_exe: str,
                            background: bool) -> tuple[int, int, int, int]:
    """(session, process group, niceness, scheduling policy) of a running ffmpeg."""
    import os

    seen: list[tuple[int, int, int, int]] = []
    cancel = threading.Event()

    def on_progress(value: float) -> None:
        for pid, name, _ in child_processes():
            if "ffmpeg" in name and not seen:
                seen.append((os.getsid(pid), os.getpgid(pid),
                             os.getpriority(os.PRIO_PROCESS, pid), os.sched_getscheduler(pid)))
        cancel.set()

    with pytest.raises(RenderCancelled):
        runner.run(_plan(tmp_path / "p.mp4", 600, size="640x360"), ffmpeg=ffmpeg_exe,
                   on_progress=on_progress, cancel=cancel, background=background)
    _no_children_left()
    assert seen, "no ffmpeg seen while it ran"
    return seen[0]


def test_ffmpeg_shares_the_session_so_its_niceness_counts(tmp_path: Path, ffmpeg_exe: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Linux gives each session its own CPU share (autogroup): an ffmpeg in a session of its
    # own would take a core from the lane writers whatever its niceness
    import os

    monkeypatch.setenv("REELWRIGHT_FFMPEG_NICE", "3")
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    session, group, nice, policy = _priority_while_running(tmp_path, ffmpeg_exe, False)
    assert session == os.getsid(0)
    assert group != os.getpgid(0)  # its own group: a terminal's Ctrl-C reaches only us
    assert nice == min(19, ours + 3) and policy == os.SCHED_OTHER
    # runs beside the picture (sound, still preparation) only get CPU nobody else wants
    _, _, nice, policy = _priority_while_running(tmp_path, ffmpeg_exe, True)
    assert nice == min(19, ours + 3 + runner.BACKGROUND_NICE) and policy == os.SCHED_IDLE
