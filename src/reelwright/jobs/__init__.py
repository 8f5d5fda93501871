"""Render/generation jobs: a small queue interface and the durable local backend."""

from reelwright.jobs.local import LocalQueue
from reelwright.jobs.queue import JobQueue
from reelwright.jobs.render_job import run_render_job

__all__ = ["JobQueue", "LocalQueue", "run_render_job"]
