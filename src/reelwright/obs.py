"""Operations: structured logs (JSON lines) and Prometheus metrics read from the database.

Metrics are computed at scrape time from the job table (and the queue's own depth), so every
API replica reports the same numbers no matter which worker ran a job, and nothing has to be
shared between processes:

- ``reelwright_queue_depth``: jobs waiting (``queued``), and broker messages for Celery;
- ``reelwright_jobs``: jobs by status;
- ``reelwright_job_duration_seconds``: histogram of finished jobs' render times;
- ``reelwright_job_failures_total``: failed jobs.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from reelwright.settings import Settings
from reelwright.store.credits import Ledger
from reelwright.store.db import Database, as_utc
from reelwright.store.jobs import Jobs, JobStatus

DURATION_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
STATUSES = tuple(status.value for status in JobStatus)
# LogRecord attributes that are not ``extra=`` fields
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, msg, and every ``extra=`` field."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created).astimezone().isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                out[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    """Send ``reelwright`` (and Celery) logs to stderr as text or JSON lines."""
    if fmt not in ("text", "json"):
        raise ValueError(f"log_format must be 'text' or 'json', not {fmt!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_reelwright", False):
            root.removeHandler(old)
    handler._reelwright = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)


class JobMetrics:
    """A Prometheus collector over the job table; ``depth`` adds the broker's backlog."""

    def __init__(self, db: Database, depth: Callable[[], int] | None = None) -> None:
        self.db = db
        self.depth = depth

    def collect(self) -> Iterator[Metric]:
        jobs = Jobs(self.db, Ledger(self.db, Settings()))
        counts, spans = jobs.counts(), jobs.spans()
        by_status = GaugeMetricFamily("reelwright_jobs", "Render jobs by status.",
                                      labels=["status"])
        for status in STATUSES:
            by_status.add_metric([status], float(counts.get(status, 0)))
        yield by_status
        depth = GaugeMetricFamily("reelwright_queue_depth", "Work waiting for a worker.",
                                  labels=["source"])
        depth.add_metric(["database"], float(counts.get(JobStatus.QUEUED.value, 0)))
        if self.depth is not None:
            depth.add_metric(["broker"], float(self.depth()))
        yield depth
        durations = sorted((as_utc(end) - as_utc(start)).total_seconds()
                           for start, end in spans if start and end)
        buckets: list[tuple[str, float]] = []
        for bound in DURATION_BUCKETS:
            buckets.append((repr(float(bound)),
                            float(sum(1 for d in durations if d <= bound))))
        buckets.append(("+Inf", float(len(durations))))
        hist = HistogramMetricFamily("reelwright_job_duration_seconds",
                                     "Render time of finished jobs.")
        hist.add_metric([], buckets, sum_value=float(sum(durations)))
        yield hist
        yield CounterMetricFamily("reelwright_job_failures", "Render jobs that failed.",
                                  value=float(counts.get(JobStatus.FAILED.value, 0)))


def metrics_text(db: Database, depth: Callable[[], int] | None = None) -> bytes:
    """The Prometheus text exposition of ``JobMetrics``."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(JobMetrics(db, depth))
    return generate_latest(registry)
