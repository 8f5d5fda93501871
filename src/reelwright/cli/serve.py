"""``reelwright serve``: run the HTTP service with uvicorn."""

from __future__ import annotations

from pathlib import Path

import typer

from reelwright.settings import Settings


def serve(
    host: str = typer.Option(None, "--host", help="Address to bind (default from settings)."),
    port: int = typer.Option(None, "--port", help="Port to listen on (default from settings)."),
    data_dir: Path = typer.Option(None, "--data-dir", help="Folder for database and files."),
    log_format: str | None = typer.Option(
        None, "--log-format", help="text or json (one JSON object a line)."),
) -> None:
    """Serve the HTTP API (and the web UI) until interrupted."""
    import uvicorn

    from reelwright.api.app import create_app
    from reelwright.obs import configure_logging

    if not isinstance(log_format, str):  # called as a plain function, not through typer
        log_format = None
    settings = Settings.from_env(host=host, port=port,
                                 data_dir=str(data_dir) if data_dir else None,
                                 log_format=log_format)
    configure_logging(str(settings.log_format))
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=int(settings.port), log_level="info",
                timeout_graceful_shutdown=10, timeout_keep_alive=30)
