"""A rich progress bar fed by the renderer's 0..1 progress callback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

console = Console(stderr=True)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[float], None]]:
    columns = (TextColumn("[bold]{task.description}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(label, total=100)

        def update(fraction: float) -> None:
            progress.update(task, completed=max(0.0, min(1.0, fraction)) * 100)

        yield update
        progress.update(task, completed=100)


def fail(message: str) -> NoReturn:
    """Print a plain error and exit non-zero (CLI only; library code raises)."""
    import typer

    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(1)
