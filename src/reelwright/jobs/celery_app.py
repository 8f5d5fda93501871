"""The Celery application, built from settings (nothing is read at import time).

``make_celery(settings)`` is what the API and ``reelwright worker`` use. For
``celery -A reelwright.jobs.celery_app worker`` the module attribute ``app`` is built on first
access from the environment (``REELWRIGHT_*``).

Delivery guarantees: tasks are acknowledged only after they finish (``acks_late``) and one at a
time per worker process (prefetch 1), so a worker killed mid-render leaves its message
unacknowledged and Redis hands it to another worker after ``visibility_timeout`` seconds.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from reelwright.settings import Settings

RENDER_QUEUE = "reelwright.render"
CHUNK_QUEUE = "reelwright.chunks"
TASK_RENDER = "reelwright.render_job"
TASK_CHUNK = "reelwright.render_chunk"
RESTORE_EVERY_S = 1  # how often a worker looks for messages a dead worker left unacknowledged


def make_celery(settings: Settings) -> Celery:
    """A Celery app on ``settings.redis_url`` with the render and chunk tasks registered."""
    from reelwright.jobs import celery_backend

    app = Celery("reelwright", broker=str(settings.redis_url), set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=RENDER_QUEUE,
        task_routes={TASK_CHUNK: {"queue": CHUNK_QUEUE}},
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": int(settings.visibility_timeout),
            "unacked_restore_interval": RESTORE_EVERY_S,
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    celery_backend.register_tasks(app, settings)
    return app


def __getattr__(name: str) -> Any:
    """``celery -A reelwright.jobs.celery_app`` looks up ``app``: build it from the environment."""
    if name in ("app", "celery"):
        built = make_celery(Settings.from_env())
        globals()[name] = built
        return built
    raise AttributeError(name)
