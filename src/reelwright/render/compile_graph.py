"""A small builder for one ffmpeg ``-filter_complex`` graph: inputs, labels and chains."""

from __future__ import annotations

from collections.abc import Callable

from reelwright.render.plan import MotionLane, Prepare

# builds a still's filters in the preparation graph: (graph, source label) -> (label, (w, h))
StillBuilder = Callable[["Graph", str], tuple[str, tuple[int, int]]]
STILLS_PER_PREPARE = 8
LAZY_BATCH = 4  # prepared beside the render: its memory adds to the main run's


def escape_value(value: str) -> str:
    """Quote a filter option value so ``:``, ``,``, ``;``, ``[`` and ``'`` stay literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "'\\''") + "'"


def color_hex(color: str) -> str:
    """``#RRGGBB`` (or ``#RRGGBBAA``) as ffmpeg's ``0xRRGGBB``."""
    return "0x" + color.lstrip("#")[:6].upper()


class Graph:
    """Collects inputs (``-i`` arguments) and filter chains; hands out unique stream labels."""

    def __init__(self) -> None:
        self.inputs: list[tuple[str, ...]] = []
        self.chains: list[str] = []
        self._counts: dict[str, int] = {}
        self._preps: list[tuple[Graph, list[tuple[str, str]]]] = []
        self._lazy: list[tuple[Graph, list[tuple[str, str]]]] = []
        self._stills = 0
        self.motion: list[MotionLane] = []

    def add_input(self, path: str, *options: str) -> int:
        """Add ``[options] -i path``; returns the input index."""
        self.inputs.append((*options, "-i", path))
        return len(self.inputs) - 1

    def prepare_still(self, path: str, options: tuple[str, ...], build: StillBuilder,
                      lazy: bool = False) -> tuple[str, tuple[int, int]]:
        """Decode and fit a still once, in a preparation pass, into a raw 4:2:0 frame in the
        work folder; returns that file's name and its size. ``lazy`` stills (read by motion
        lanes, not by ffmpeg) are prepared in the background while the render runs.

        A photo fitted inside the main graph keeps its decoder, scaler and full-size frames
        alive until the whole render ends; one raw frame of the working size is all it needs.
        """
        batches = self._lazy if lazy else self._preps
        # lazy batches grow (1, 2, then 4 stills): the first lane frame waits for one photo only
        size = min(2 ** len(batches) // 2, LAZY_BATCH) if lazy else STILLS_PER_PREPARE
        if not batches or len(batches[-1][1]) >= max(size, 1):
            batches.append((Graph(), []))
        prep, outputs = batches[-1]
        index = prep.add_input(path, *options)
        label, wh = build(prep, f"[{index}:v]")
        name = f"still{self._stills}.yuv"
        self._stills += 1
        outputs.append((label, name))
        return name, wh

    def add_still(self, path: str, options: tuple[str, ...], build: StillBuilder,
                  fps: int) -> int:
        """``prepare_still``, then that raw frame (opened at ``fps``) as an input of this
        graph; returns the input index."""
        name, (w, h) = self.prepare_still(path, options, build)
        return self.add_raw_input(name, w, h, fps)

    def add_raw_input(self, name: str, w: int, h: int, fps: int) -> int:
        """A raw 4:2:0 video file (or named pipe) in the work folder as an input."""
        return self.add_input(name, "-f", "rawvideo", "-pix_fmt", "yuv420p",
                              "-video_size", f"{w}x{h}", "-framerate", str(fps))

    def add_motion(self, lane: MotionLane, fps: int) -> int:
        """A Ken Burns lane drawn outside ffmpeg (see ``MotionLane``); returns its input."""
        self.motion.append(lane)
        return self.add_raw_input(lane.file, lane.w, lane.h, fps)

    def prepare(self) -> tuple[Prepare, ...]:
        """The preparation runs for the stills (in batches: one ffmpeg decodes all its photos
        at once, ~20 MB each for 12 MP); those the main graph opens first, then the lazy ones
        in the order the lanes need them."""
        batches = [(batch, False) for batch in self._preps]
        batches += [(batch, True) for batch in self._lazy]
        return tuple(Prepare(tuple(prep.inputs), prep.text(), tuple(outputs),
                             graph_file=f"prepare{n}.txt", lazy=lazy)
                     for n, ((prep, outputs), lazy) in enumerate(batches))

    def label(self, prefix: str) -> str:
        n = self._counts.get(prefix, 0)
        self._counts[prefix] = n + 1
        return f"[{prefix}{n}]"

    def chain(self, sources: list[str] | str, filters: list[str], prefix: str) -> str:
        """Append ``sources`` -> ``filters`` -> a new label, and return that label."""
        out = self.label(prefix)
        ins = "".join([sources] if isinstance(sources, str) else sources)
        self.chains.append(f"{ins}{','.join(filters) or 'null'}{out}")
        return out

    def text(self) -> str:
        return ";\n".join(self.chains)
