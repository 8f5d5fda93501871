"""A compiled render: all that ffmpeg needs, as data; ``compile_plan`` makes it, ``runner`` runs it.

The filter graph is kept as text (snapshot-tested) and travels to ffmpeg as an auxiliary file,
so a long timeline never hits the operating system's argument-length limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reelwright.render.kenburns import Move

GRAPH_FILE = "graph.txt"
BASE_ARGS = ("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1",
             "-nostats")


@dataclass(frozen=True)
class Canvas:
    """The frame the graph draws on: size and rate after preview/GIF reductions."""

    w: int
    h: int
    fps: int

    def frames(self, ms: int) -> int:
        """Whole frames covering ``ms`` milliseconds, rounded to the nearest frame."""
        return (ms * self.fps + 500) // 1000

    def seconds(self, frames: int) -> str:
        """``frames`` as seconds text, exact enough to land on the frame."""
        return f"{frames / self.fps:.6f}".rstrip("0").rstrip(".") or "0"


@dataclass(frozen=True)
class AuxFile:
    """A file the runner puts in the work folder first: ``text`` to write, or ``link_to`` a path."""

    name: str
    text: str | None = None
    link_to: str | None = None


@dataclass(frozen=True)
class Prepare:
    """A short ffmpeg run before the main one: it turns each still into one raw frame of the
    size the main graph works at (``outputs`` maps a graph label to a file in the work folder),
    so the main graph never holds a decoder, a 12 MP picture or a scaler per photo."""

    inputs: tuple[tuple[str, ...], ...]
    graph: str
    outputs: tuple[tuple[str, str], ...]
    graph_file: str = "prepare0.txt"
    lazy: bool = False  # only motion lanes read its stills: it may run beside the render

    def command(self, ffmpeg: str) -> list[str]:
        """The argv to run inside the work folder (the graph is read from ``graph_file``)."""
        argv = [ffmpeg, *BASE_ARGS]
        for one in self.inputs:
            argv.extend(one)
        argv += ["-/filter_complex", self.graph_file]
        for label, name in self.outputs:
            argv += ["-map", label, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p",
                     name]
        return argv

    def describe(self) -> list[str]:
        lines = [f"# prepare ({self.graph_file}{', beside the render' if self.lazy else ''})"]
        lines += [" ".join(one) for one in self.inputs]
        lines += self.graph.split(";\n")
        lines += [f"{label} -> {name}" for label, name in self.outputs]
        return lines


@dataclass(frozen=True)
class MotionStill:
    """A prepared still (raw 4:2:0 ``w`` x ``h`` frame in the work folder) and its move."""

    file: str
    w: int
    h: int
    move: Move
    overlap: int = 0  # first frames shared with the previous still: a linear cross-fade


@dataclass(frozen=True)
class MotionLane:
    """Ken Burns stills shown one after another, drawn by ``render.motion`` outside ffmpeg:
    the runner makes ``file`` a named pipe in the work folder and writes the moving frames
    (``w`` x ``h``, 4:2:0) into it while ffmpeg reads it as a raw video input."""

    file: str
    w: int
    h: int
    stills: tuple[MotionStill, ...]

    @property
    def frames(self) -> int:
        return sum(still.move.frames - still.overlap for still in self.stills)

    def starts(self) -> list[int]:
        """The lane frame each still starts at."""
        out, at = [], 0
        for still in self.stills:
            at -= still.overlap
            out.append(at)
            at += still.move.frames
        return out

    def describe(self) -> list[str]:
        lines = [f"# motion {self.file} {self.w}x{self.h} frames={self.frames}"]
        for still in self.stills:
            m = still.move
            fade = f" fade={still.overlap}" if still.overlap else ""
            lines.append(f"{still.file} {still.w}x{still.h} frames={m.frames}{fade} "
                         f"zoom={m.z0:g}->{m.z1:g} centre=({m.start[0]:.1f},{m.start[1]:.1f})"
                         f"->({m.end[0]:.1f},{m.end[1]:.1f})")
        return lines


@dataclass(frozen=True)
class Plan:
    """One ffmpeg invocation (after its short ``prepare`` runs, if any): inputs, the filter graph,
    output options and auxiliary files."""

    inputs: tuple[tuple[str, ...], ...]
    graph: str
    maps: tuple[str, ...]
    output_args: tuple[str, ...]
    output_path: str
    canvas: Canvas
    duration_ms: int
    frames: int
    aux_files: tuple[AuxFile, ...] = field(default_factory=tuple)
    prepare: tuple[Prepare, ...] = field(default_factory=tuple)
    motion: tuple[MotionLane, ...] = field(default_factory=tuple)

    def command(self, ffmpeg: str) -> list[str]:
        """The argv to run inside the work folder (the graph is read from ``graph.txt``)."""
        argv = [ffmpeg, *BASE_ARGS]
        for one in self.inputs:
            argv.extend(one)
        argv += ["-/filter_complex", GRAPH_FILE]
        for label in self.maps:
            argv += ["-map", label]
        argv.extend(self.output_args)
        argv.append(self.output_path)
        return argv

    def files(self) -> tuple[AuxFile, ...]:
        """Auxiliary files including the graph itself (and the preparation graphs)."""
        prepare = tuple(AuxFile(one.graph_file, text=one.graph) for one in self.prepare)
        return (AuxFile(GRAPH_FILE, text=self.graph), *prepare, *self.aux_files)

    def describe(self) -> str:
        """A readable, stable text of the whole plan: what the snapshot tests compare."""
        lines = [line for one in self.prepare for line in one.describe()]
        lines += [line for lane in self.motion for line in lane.describe()]
        lines.append("# inputs")
        lines += [" ".join(one) for one in self.inputs]
        lines.append("# graph")
        lines += self.graph.split(";\n")
        lines.append("# maps")
        lines += list(self.maps)
        lines.append("# output")
        lines.append(" ".join(self.output_args) + " " + self.output_path)
        lines.append(f"# canvas {self.canvas.w}x{self.canvas.h}@{self.canvas.fps} "
                     f"duration_ms={self.duration_ms} frames={self.frames}")
        for aux in self.aux_files:
            lines.append(f"# file {aux.name}" + (f" -> {aux.link_to}" if aux.link_to else ""))
            if aux.text is not None:
                lines += aux.text.rstrip("\n").split("\n")
        return "\n".join(lines) + "\n"
