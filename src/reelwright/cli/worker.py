"""``reelwright worker``: a Celery worker that renders jobs (and chunks of jobs) from Redis.

Point every worker and the API at the same ``REELWRIGHT_REDIS_URL``,
``REELWRIGHT_DATABASE_URL`` and a ``REELWRIGHT_DATA_DIR`` that all of them mount.
"""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from reelwright.settings import Settings

log = logging.getLogger(__name__)


def worker(
    concurrency: int = typer.Option(1, "--concurrency", "-c", min=1,
                                    help="Jobs rendered at once (worker processes)."),
    redis_url: str = typer.Option(None, "--redis-url", help="Broker (default from settings)."),
    data_dir: Path = typer.Option(None, "--data-dir", help="Shared folder for files."),
    database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL."),
    name: str = typer.Option(None, "--name", help="Worker name (default: celery's)."),
    log_format: str = typer.Option(None, "--log-format", help="text or json."),
) -> None:
    """Render queued jobs from Redis (scale-out) until stopped."""
    from celery.signals import worker_ready

    from reelwright.cli.progress import fail
    from reelwright.errors import FfmpegMissing
    from reelwright.jobs.celery_app import CHUNK_QUEUE, RENDER_QUEUE, make_celery
    from reelwright.jobs.celery_backend import recover_orphans
    from reelwright.obs import configure_logging
    from reelwright.render.ffmpeg import resolve_ffmpeg
    from reelwright.store.db import Database

    settings = Settings.from_env(redis_url=redis_url, database_url=database_url,
                                 data_dir=str(data_dir) if data_dir else None,
                                 log_format=log_format, queue_backend="celery")
    configure_logging(str(settings.log_format))
    # found once, here: a worker without ffmpeg stops now instead of failing every job
    try:
        settings = settings.replace(ffmpeg=resolve_ffmpeg(str(settings.ffmpeg or "")))
    except FfmpegMissing as exc:
        fail(exc.message)
    db = Database.from_settings(settings)
    try:
        db.migrate()
    finally:
        db.dispose()
    app = make_celery(settings)

    def recover(**_: object) -> None:
        orphans = recover_orphans(settings, app)
        if orphans:
            log.warning("re-queued jobs a dead worker left running", extra={"jobs": orphans})
        # Credit holds whose owner is gone (a dead API replica's turn, a job that ended
        # without closing its hold) are released from here too: at start-up and periodically.
        from reelwright.store.credits import Ledger
        from reelwright.store.reaper import Reaper

        reaper_db = Database.from_settings(settings)
        Reaper(reaper_db, Ledger(reaper_db, settings),
               float(settings.reaper_interval_s)).start()

    worker_ready.connect(recover, weak=False)

    argv = ["worker", f"--concurrency={concurrency}", "--loglevel=INFO", "--pool=prefork",
            f"--queues={RENDER_QUEUE},{CHUNK_QUEUE}", "--without-gossip", "--without-mingle",
            "--without-heartbeat"]
    if name:
        argv.append(f"--hostname={name}@%h")
    app.worker_main(argv)
