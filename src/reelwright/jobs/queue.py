"""The job queue interface: submit, get, cancel, join. Backends: local (default), Celery later."""

from __future__ import annotations

from typing import Protocol

from reelwright.store.models import RenderJob


class JobQueue(Protocol):
    def start(self) -> None:
        """Start workers (and re-queue jobs a previous run left mid-render)."""

    def stop(self) -> None:
        """Stop workers; a render cut short goes back to the queue, not to failed."""

    def submit(self, job_id: str) -> None:
        """Announce a job already stored with status ``queued``."""

    def get(self, job_id: str) -> RenderJob | None:
        """The stored job."""

    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop; False when it already finished."""

    def join(self, timeout: float | None = None) -> bool:
        """Wait until no job is queued or running (tests); False on timeout."""
