"""A small builder for one ffmpeg ``-filter_complex`` graph: inputs, labels and chains."""

from __future__ import annotations


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

    def add_input(self, path: str, *options: str) -> int:
        """Add ``[options] -i path``; returns the input index."""
        self.inputs.append((*options, "-i", path))
        return len(self.inputs) - 1

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
