"""Everything a request handler needs, built once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from reelwright.api.signing import UrlSigner, load_secret
from reelwright.api.urlfetch import ImportSlots
from reelwright.jobs.local import LocalQueue
from reelwright.jobs.preview import PreviewRunner
from reelwright.jobs.queue import JobQueue
from reelwright.render.ffmpeg import resolve_ffmpeg
from reelwright.settings import Settings
from reelwright.store import Accounts, BlobStore, Database, Ledger, Projects, RetentionThread
from reelwright.store.jobs import Jobs
from reelwright.store.reaper import Reaper
from reelwright.store.turns import TurnService


def make_queue(db: Database, settings: Settings) -> JobQueue:
    """The job queue ``settings.queue_backend`` names: ``local`` threads or ``celery``."""
    if settings.queue_backend == "celery":
        from reelwright.jobs.celery_backend import CeleryQueue

        return CeleryQueue(db, settings)
    if settings.queue_backend != "local":
        raise ValueError(f"queue_backend must be 'local' or 'celery', not "
                         f"{settings.queue_backend!r}")
    return LocalQueue(db, settings)


@dataclass
class AppContext:
    settings: Settings
    db: Database
    ledger: Ledger
    accounts: Accounts
    projects: Projects
    blobs: BlobStore
    queue: JobQueue
    signer: UrlSigner
    app_names: frozenset[str]
    turns: TurnService
    jobs: Jobs
    previews: PreviewRunner
    retention: RetentionThread | None = None
    reaper: Reaper | None = None
    started: bool = field(default=False)
    url_imports: ImportSlots = field(default_factory=ImportSlots)

    @classmethod
    def build(cls, settings: Settings) -> AppContext:
        """Everything from ``settings``; ffmpeg is found here, once, and FfmpegMissing stops
        the start-up when there is none that runs (every render then uses that path)."""
        settings = settings.replace(ffmpeg=resolve_ffmpeg(str(settings.ffmpeg or "")))
        db = Database.from_settings(settings)
        ledger = Ledger(db, settings)
        blobs = BlobStore(settings.data_path / "blobs")
        names = frozenset(n.strip() for n in str(settings.app_names).split(",") if n.strip())
        signer = UrlSigner(load_secret(settings), int(settings.signed_url_ttl),
                           window=int(settings.signed_url_window))
        projects = Projects(db)
        return cls(settings=settings, db=db, ledger=ledger, accounts=Accounts(db, ledger),
                   projects=projects, blobs=blobs, queue=make_queue(db, settings),
                   signer=signer, app_names=names, previews=PreviewRunner(settings, blobs),
                   turns=TurnService(db, ledger, projects, settings), jobs=Jobs(db, ledger),
                   url_imports=ImportSlots(int(settings.url_imports_per_token),
                                           int(settings.url_imports_max)))

    def start(self) -> None:
        """Create data dirs, migrate the database, start workers, the reaper (credit holds
        whose owner is gone) and the retention thread."""
        self.blobs.ensure()
        self.db.migrate()
        self.reaper = Reaper(self.db, self.ledger, float(self.settings.reaper_interval_s))
        self.reaper.start()
        self.queue.start()
        self.retention = RetentionThread(self.db, self.blobs, int(self.settings.retention_days))
        self.retention.start()
        self.started = True

    def stop(self) -> None:
        if self.retention is not None:
            self.retention.stop()
        if self.reaper is not None:
            self.reaper.stop()
        self.queue.stop()
        self.previews.stop()
        self.turns.dispose()
        self.db.dispose()
        self.started = False

    def public_base(self, request: Request) -> str:
        return (self.settings.public_url or str(request.base_url)).rstrip("/")

    def signed_url(self, request: Request, rel: str) -> str:
        return self.public_base(request) + self.signer.sign(rel)
