"""Chunked renders shared between Celery workers through a Redis *chunk board*.

The job's own worker sends every chunk but the first to the chunk queue, then renders chunks
itself until none is left unclaimed; each chunk is claimed with a lease, so a chunk whose
worker dies is rendered again by the job's worker, and a render never waits on a busy queue.
Sound and the join stay with the job's worker (``render.chunked``).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import redis
from celery import Celery

from reelwright.draft import Draft, MediaInfo, dumps, loads
from reelwright.errors import RenderCancelled, RenderFailed
from reelwright.jobs.celery_app import CHUNK_QUEUE, TASK_CHUNK
from reelwright.jobs.leases import Heartbeat, Lease, lease_ttl, redis_client
from reelwright.render.types import OutputSpec, RenderResult
from reelwright.settings import Settings

log = logging.getLogger(__name__)
BOARD_TTL_S = 24 * 3600
POLL_S = 0.2


class ChunkBoard:
    """Redis keys for one job attempt's chunks: claims (leases), done set, progress, failures."""

    def __init__(self, client: redis.Redis, job_id: str, attempt: int, ttl_s: int) -> None:
        self.client, self.ttl_s = client, ttl_s
        self.prefix = f"rw:chunks:{job_id}:{attempt}"

    def lease(self, index: int) -> Lease:
        return Lease(self.client, f"{self.prefix}:claim:{index}", self.ttl_s)

    def _touch(self, key: str) -> None:
        self.client.expire(key, BOARD_TTL_S)

    def done(self, index: int) -> None:
        self.client.sadd(f"{self.prefix}:done", index)
        self._touch(f"{self.prefix}:done")

    def done_set(self) -> set[int]:
        return {int(v) for v in self.client.smembers(f"{self.prefix}:done")}

    def fail(self, index: int, message: str) -> None:
        self.client.hset(f"{self.prefix}:failed", str(index), message)
        self._touch(f"{self.prefix}:failed")

    def failures(self) -> dict[int, str]:
        raw = self.client.hgetall(f"{self.prefix}:failed")
        return {int(k): v.decode() if isinstance(v, bytes) else str(v)
                for k, v in raw.items()}

    def progress(self, index: int, fraction: float) -> None:
        self.client.hset(f"{self.prefix}:progress", str(index), f"{fraction:.4f}")
        self._touch(f"{self.prefix}:progress")

    def progress_all(self) -> dict[int, float]:
        raw = self.client.hgetall(f"{self.prefix}:progress")
        return {int(k): float(v) for k, v in raw.items()}

    def cancel(self) -> None:
        self.client.set(f"{self.prefix}:cancel", 1, ex=BOARD_TTL_S)

    def cancelled(self) -> bool:
        return bool(self.client.exists(f"{self.prefix}:cancel"))


def _render_claimed_chunk(board: ChunkBoard, lease: Lease, index: int, chunk_draft: Draft,
                          media: Mapping[str, MediaInfo], output: OutputSpec,
                          settings: Settings, cancel: threading.Event, workdir: Path,
                          report: Callable[[float], None]) -> None:
    """Render a chunk this process holds the claim on; marks it done or failed on the board."""
    from reelwright.render.chunked import render_chunk

    def check() -> None:
        if board.cancelled():
            cancel.set()

    beat = Heartbeat([lease], max(0.5, board.ttl_s / 3), check)
    beat.start()
    try:
        render_chunk(chunk_draft, media, output, ffmpeg=settings.ffmpeg or None,
                     font=settings.font or None, cancel=cancel, on_progress=report,
                     timeout=float(settings.render_timeout), workdir=workdir)
        board.done(index)
    except RenderCancelled:
        raise
    except Exception as exc:
        board.fail(index, getattr(exc, "message", None) or type(exc).__name__)
        raise
    finally:
        beat.stop()
        lease.release()


def process_chunk(settings: Settings, job_id: str, attempt: int, index: int, draft_json: str,
                  media_json: dict[str, Any], spec_json: dict[str, Any], path: str,
                  workdir: str) -> str:
    """What a worker does with one chunk message: render it unless someone already has it."""
    client = redis_client(settings)
    try:
        board = ChunkBoard(client, job_id, attempt, lease_ttl(settings))
        lease = board.lease(index)
        if index in board.done_set() or board.cancelled() or not lease.acquire():
            return "skipped"
        media = {k: MediaInfo.from_json(v) for k, v in media_json.items()}
        output = OutputSpec(**{**spec_json, "path": path})
        cancel = threading.Event()
        try:
            _render_claimed_chunk(board, lease, index, loads(draft_json), media, output,
                                  settings, cancel, Path(workdir),
                                  lambda f: board.progress(index, f))
        except RenderCancelled:
            return "cancelled"
        except Exception:
            log.exception("chunk %s of job %s failed", index, job_id)
            return "failed"
        return "done"
    finally:
        client.close()


class CeleryChunks:
    """A ``ChunkRunner`` that shares a job's chunks between this worker and the others."""

    def __init__(self, settings: Settings, app: Celery, client: redis.Redis, job_id: str,
                 attempt: int, media: Mapping[str, MediaInfo], output: OutputSpec,
                 cancel: threading.Event) -> None:
        self.settings, self.app, self.job_id, self.attempt = settings, app, job_id, attempt
        self.media, self.output, self.cancel = media, output, cancel
        self.board = ChunkBoard(client, job_id, attempt, lease_ttl(settings))

    def __call__(self, split_: Any, paths: Sequence[str],
                 report: Callable[[int, float], None]) -> None:
        from reelwright.render.chunks import chunk_media

        spec = {"format": self.output.format, "quality": self.output.quality,
                "preview": self.output.preview, "threads": self.output.threads}
        workdir = Path(paths[0]).parent
        for chunk in split_.chunks[1:]:  # this worker starts on chunk 0 itself
            used = chunk_media(chunk.draft, self.media)
            self.app.send_task(TASK_CHUNK, queue=CHUNK_QUEUE, args=[
                self.job_id, self.attempt, chunk.index, dumps(chunk.draft),
                {k: v.to_json() for k, v in used.items()}, spec, paths[chunk.index],
                str(workdir / f"chunk-{chunk.index:03d}")])
        pending = {c.index: c for c in split_.chunks}
        try:
            while pending:
                self._raise_on_trouble()
                done = self.board.done_set()
                for index in list(pending):
                    if index in done:
                        pending.pop(index)
                        report(index, 1.0)
                took = self._take_one(pending, paths, report, workdir)
                if not took and pending:
                    for index, fraction in self.board.progress_all().items():
                        if index in pending:
                            report(index, fraction)
                    time.sleep(POLL_S)
        except BaseException:
            self.board.cancel()
            raise

    def _raise_on_trouble(self) -> None:
        if self.cancel.is_set():
            raise RenderCancelled("render cancelled")
        failures = self.board.failures()
        if failures:
            index, message = sorted(failures.items())[0]
            raise RenderFailed(f"chunk {index} failed: {message}")

    def _take_one(self, pending: dict[int, Any], paths: Sequence[str],
                  report: Callable[[int, float], None], workdir: Path) -> bool:
        """Render the first chunk nobody holds (new, or its holder died); False if none."""
        done = self.board.done_set()
        for index, chunk in sorted(pending.items()):
            lease = self.board.lease(index)
            if index in done or not lease.acquire():
                continue
            output = OutputSpec(path=paths[index], format=self.output.format,
                                quality=self.output.quality, preview=self.output.preview,
                                threads=self.output.threads)
            _render_claimed_chunk(self.board, lease, index, chunk.draft, self.media, output,
                                  self.settings, self.cancel,
                                  workdir / f"chunk-{index:03d}",
                                  functools.partial(report, index))
            pending.pop(index)
            return True
        return False


def chunked_renderer(settings: Settings, app: Celery, client: redis.Redis, job_id: str,
                     attempt: int) -> Callable[..., RenderResult] | None:
    """``render`` for this job: chunked across workers when the settings ask for it."""
    if int(settings.chunk_parts) < 2:
        return None

    def renderer(draft: Draft, media: Mapping[str, MediaInfo], output: OutputSpec,
                 **options: Any) -> RenderResult:
        from reelwright.render import render
        from reelwright.render.chunked import render_chunked

        if output.format != "mp4" or draft.d < int(settings.chunk_min_s) * 1000:
            return render(draft, media, output, **options)
        cancel = options.pop("cancel", None) or threading.Event()
        if options.get("workdir") is not None:
            # a late chunk of a cut-off attempt must never write over this attempt's files
            options["workdir"] = Path(options["workdir"]) / f"attempt-{attempt}"
        runner = CeleryChunks(settings, app, client, job_id, attempt, media, output, cancel)
        return render_chunked(draft, media, output, parts=int(settings.chunk_parts),
                              run_chunks=runner, cancel=cancel, **options)
    return renderer
