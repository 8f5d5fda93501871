"""``reelwright serve``: run the HTTP service with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
import uvicorn

from reelwright.settings import Settings


def serve(
    host: str = typer.Option(None, "--host", help="Address to bind (default from settings)."),
    port: int = typer.Option(None, "--port", help="Port to listen on (default from settings)."),
    data_dir: Path = typer.Option(None, "--data-dir", help="Folder for database and files."),
    log_format: str | None = typer.Option(
        None, "--log-format", help="text or json (one JSON object a line)."),
) -> None:
    """Serve the HTTP API and the web page until interrupted."""
    from reelwright.api.app import create_app
    from reelwright.cli.progress import fail
    from reelwright.errors import FfmpegMissing
    from reelwright.obs import configure_logging

    if not isinstance(log_format, str):  # called as a plain function, not through typer
        log_format = None
    settings = Settings.from_env(host=host, port=port,
                                 data_dir=str(data_dir) if data_dir else None,
                                 log_format=log_format)
    configure_logging(str(settings.log_format))
    try:
        app = create_app(settings)
    except FfmpegMissing as exc:
        fail(exc.message)
    config = uvicorn.Config(app, host=settings.host, port=int(settings.port), log_level="info",
                            timeout_graceful_shutdown=10, timeout_keep_alive=30)
    AnnouncingServer(config, page_url(settings.host, int(settings.port))).run()


def page_url(host: str, port: int) -> str:
    """The address a person opens in a browser: a wildcard bind is reached on loopback."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


class AnnouncingServer(uvicorn.Server):
    """uvicorn's server, saying which address to open once it really listens."""

    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self.url = url

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print(f"\nReelwright is running. Open {self.url} in your browser "
                  "(Ctrl-C stops it).\n", flush=True)
