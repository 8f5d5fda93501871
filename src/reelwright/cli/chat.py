"""``reelwright chat``: an interactive session that behaves like the agent skills describe.

Upload, export, balance and status are answered here by keyword (English and Chinese), without
spending an agent turn; everything else is one turn of the agent over ``/run_sse``, its text
streamed as it arrives. Reads stdin line by line when it is not a terminal, so it is scriptable:
``printf 'upload a.jpg\\nmake a slideshow\\nexport\\n' | reelwright chat``.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from reelwright.client import (
    Client,
    NoCredits,
    ReelwrightError,
    default_base_url,
    event_function_calls,
    event_function_responses,
    event_text,
)

STILL_WORKING = "⏳ Still working..."
QUIT = {"exit", "quit", "bye", "q", ":q", "退出", "再见"}
_EXPORT = re.compile(r"\b(export|download)\b|send me the (video|file)|give me the video|导出|下载",
                     re.IGNORECASE)
_BALANCE = re.compile(r"\b(credits?|balance)\b|积分|余额", re.IGNORECASE)
_STATUS = re.compile(r"\bstatus\b|^\s*state\s*$|show (me )?(the )?(tracks|timeline)|状态|时间线",
                     re.IGNORECASE)
_UPLOAD = re.compile(r"^\s*(upload|上传)\s*[:：]?\s*", re.IGNORECASE)


def default_token_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "reelwright" / "token.json"


@dataclass(frozen=True)
class Command:
    """What one typed line asks for: ``kind`` is upload / export / balance / status / quit /
    agent / empty; ``paths`` for uploads; ``text`` for the agent."""

    kind: str
    text: str = ""
    paths: tuple[str, ...] = ()


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def route(line: str, cwd: Path | None = None) -> Command:
    """Decide locally what a line means; only ``agent`` commands cost a turn."""
    text = line.strip()
    if not text:
        return Command("empty")
    if text.lower() in QUIT:
        return Command("quit")
    base = cwd or Path.cwd()
    upload = _UPLOAD.match(text)
    if upload:
        return Command("upload", text, tuple(_split(text[upload.end():])))
    words = _split(text)
    if words and all((base / Path(w).expanduser()).is_file() for w in words):
        return Command("upload", text, tuple(words))
    if _EXPORT.search(text):
        return Command("export", text)
    if _BALANCE.search(text):
        return Command("balance", text)
    if _STATUS.search(text):
        return Command("status", text)
    return Command("agent", text)


def _describe_call(call: dict[str, Any]) -> str:
    args: dict[str, Any] = call["args"] if isinstance(call.get("args"), dict) else {}
    shown = ", ".join(f"{k}={v!r}" for k, v in list(args.items())[:4])
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"{call.get('name', '?')}({shown})"


class ChatSession:
    """The loop behind ``reelwright chat``; ``handle(line)`` runs one line, returning False
    when the user asked to leave."""

    def __init__(self, client: Client, console: Console, *, out_dir: Path,
                 still_working_every: float = 120.0) -> None:
        self.client = client
        self.console = console
        self.out_dir = out_dir
        self.still_working_every = still_working_every

    # --- lines
    def handle(self, line: str) -> bool:
        command = route(line)
        if command.kind == "quit":
            return False
        try:
            if command.kind == "upload":
                self.upload(command.paths)
            elif command.kind == "export":
                self.export()
            elif command.kind == "balance":
                self.balance()
            elif command.kind == "status":
                self.status()
            elif command.kind == "agent":
                self.turn(command.text)
        except NoCredits as exc:
            self.console.print(f"[bold yellow]Out of credits:[/] {escape(exc.message)}")
        except ReelwrightError as exc:
            self.console.print(f"[bold red]error:[/] {escape(exc.message)}")
        except httpx.HTTPError as exc:
            self.console.print(f"[bold red]connection problem:[/] {escape(str(exc))}")
        return True

    def upload(self, paths: tuple[str, ...]) -> None:
        if not paths:
            self.console.print("Say which files: upload ./a.jpg ./b.jpg")
            return
        files = [Path(p).expanduser() for p in paths]
        missing = [str(p) for p in files if not p.is_file()]
        if missing:
            self.console.print(f"[bold red]error:[/] not a file: {escape(', '.join(missing))}")
            return
        columns = (TextColumn("Uploading"), BarColumn(), DownloadColumn())
        with Progress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task("upload", total=sum(p.stat().st_size for p in files))
            result = self.client.upload(files, progress=lambda done, _t: bar.update(
                task, completed=done))
        names = ", ".join(m.name or m.id for m in result.media)
        self.console.print(f"Uploaded {len(result.media)} file(s): {escape(names)}")
        for problem in result.errors:
            self.console.print(f"[yellow]Skipped {escape(str(problem.get('name')))}:[/] "
                               f"{escape(str(problem.get('message')))}")

    def export(self) -> None:
        state = self.client.state()
        if state.draft is None:
            self.console.print("Nothing to export yet: upload photos or clips and tell me "
                               "what to make.")
            return
        self.console.print("Exporting...")
        columns = (TextColumn("[bold]{task.description}"), BarColumn(),
                   TextColumn("{task.percentage:>3.0f}%"))
        with Progress(*columns, console=self.console, transient=True) as bar:
            render = bar.add_task("Rendering", total=100)
            fetch = bar.add_task("Downloading", total=100, visible=False)

            def on_download(done: int, total: int) -> None:
                bar.update(fetch, visible=True, completed=done * 100 / total if total else 0)

            path = self.client.export(
                state.draft, out_dir=self.out_dir,
                progress=lambda f: bar.update(render, completed=f * 100),
                download_progress=on_download)
        self.console.print(f"✅ Saved {escape(str(path))}")

    def balance(self) -> None:
        b = self.client.balance()
        self.console.print(f"Credits: {b.available} available, {b.frozen} frozen, "
                           f"{b.total} total")

    def status(self) -> None:
        state = self.client.state()
        uploads = state.video_infos if isinstance(state.video_infos, list) else []
        self.console.print(f"{len(uploads)} file(s) uploaded.")
        if state.draft is None:
            self.console.print("No timeline yet.")
            return
        self.console.print(escape(_summary(state.draft)))

    # --- an agent turn
    def _events(self, text: str) -> Iterator[tuple[str, Any]]:
        """The turn's events from a worker thread, with ``("silence", None)`` whenever
        ``still_working_every`` seconds pass without one."""
        inbox: queue.Queue[tuple[str, Any]] = queue.Queue()

        def pump() -> None:
            try:
                for event in self.client.run_sse(text):
                    inbox.put(("event", event))
                inbox.put(("end", None))
            except BaseException as exc:  # handed to the main thread, which raises it
                inbox.put(("error", exc))

        threading.Thread(target=pump, name="reelwright-chat-turn", daemon=True).start()
        while True:
            try:
                kind, item = inbox.get(timeout=self.still_working_every)
            except queue.Empty:
                yield "silence", None
                continue
            if kind == "error":
                raise item
            if kind == "end":
                return
            yield kind, item

    def turn(self, text: str) -> None:
        before = self._draft_or_none()
        said = streamed = False
        for kind, event in self._events(text):
            if kind == "silence":
                self._end_line(streamed)
                streamed = False
                self.console.print(STILL_WORKING)
                continue
            for call in event_function_calls(event):
                self._end_line(streamed)
                streamed = False
                self.console.print(f"[dim]→ {escape(_describe_call(call))}[/]")
            if event_function_responses(event):
                continue
            words = event_text(event)
            if not words:
                continue
            if event.get("partial"):
                streamed = True
            elif streamed:
                # The final event repeats what the partial ones already streamed.
                self._end_line(True)
                streamed, said = False, True
                continue
            self.console.print(words, end="" if event.get("partial") else "\n",
                               markup=False, highlight=False, soft_wrap=True)
            said = True
        self._end_line(streamed)
        if not said:
            self._say_what_changed(before)

    def _end_line(self, streamed: bool) -> None:
        if streamed:
            self.console.print()

    def _draft_or_none(self) -> dict[str, Any] | None:
        try:
            return self.client.state().draft
        except (ReelwrightError, httpx.HTTPError):
            return None

    def _say_what_changed(self, before: dict[str, Any] | None) -> None:
        after = self._draft_or_none()
        if after is None:
            self.console.print("Done, but there is no timeline yet.")
        elif before is None:
            self.console.print("Done. " + escape(_summary(after)))
        else:
            self.console.print("Done: " + escape(_change(before, after)))


def _summary(draft: dict[str, Any]) -> str:
    from reelwright.draft import from_json, summarize

    try:
        return summarize(from_json(draft))
    except ReelwrightError:
        return f"Timeline ({len(draft.get('t') or [])} tracks, {draft.get('d', 0) / 1000:g}s)"


def _change(before: dict[str, Any], after: dict[str, Any]) -> str:
    from reelwright.draft import describe_change, from_json

    try:
        return describe_change(from_json(before), from_json(after))
    except ReelwrightError:
        return "the timeline changed" if before != after else "no changes"


def _lines(console: Console) -> Iterator[str]:
    if sys.stdin.isatty():
        while True:
            try:
                yield console.input("[bold cyan]> [/]")
            except EOFError:
                return
    else:
        for line in sys.stdin:
            yield line.rstrip("\n")


def chat(
    url: str = typer.Option(None, "--url", help="Server base URL [default: REELWRIGHT_URL "
                            "or http://127.0.0.1:8000]."),
    token_file: Path = typer.Option(None, "--token-file", help="Keep the anonymous token "
                                    "here between runs [default: ~/.config/reelwright/"
                                    "token.json]."),
    language: str = typer.Option("en", "--language", help="Language the agent answers in "
                                 "(en, zh, ...)."),
    out_dir: Path = typer.Option(Path("."), "--out-dir", help="Where exports are saved."),
    session: str = typer.Option(None, "--session", help="Continue an existing session id."),
    app_name: str = typer.Option("reelwright", "--app", help="Agent app name in routes."),
    still_working_every: float = typer.Option(120.0, "--still-working-every", hidden=True,
                                              help="Seconds of silence before a reminder."),
) -> None:
    """Chat with Reelwright: upload files, describe the video, export it."""
    console = Console(soft_wrap=True)
    client = Client(url or default_base_url(), token_file=token_file or default_token_file(),
                    app=app_name, language=language)
    try:
        console.print("Connecting...")
        try:
            client.ensure_token()
            if session:
                client.use_session(session)
                client.state()
            else:
                client.create_session("Chat", language=language)
        except httpx.HTTPError as exc:
            console.print(f"[bold red]error:[/] cannot reach {escape(client.base_url)}: "
                          f"{escape(str(exc))}")
            raise typer.Exit(1) from None
        except ReelwrightError as exc:
            console.print(f"[bold red]error:[/] {escape(exc.message)}")
            raise typer.Exit(1) from None
        console.print("Ready! Upload files (upload ./a.jpg), say what to make, then 'export'.")
        repl = ChatSession(client, console, out_dir=out_dir,
                           still_working_every=still_working_every)
        for line in _lines(console):
            if not repl.handle(line):
                break
    except KeyboardInterrupt:
        console.print()
    finally:
        client.close()
    console.print("Bye!")
