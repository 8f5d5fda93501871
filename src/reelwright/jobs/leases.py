"""Leases in Redis: a key one holder owns while a heartbeat thread keeps refreshing it.

A lease that is not refreshed (its process died) expires after ``lease_ttl`` seconds, and
whoever asks next may take over the work it guarded.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable

import redis

from reelwright.settings import Settings

log = logging.getLogger(__name__)


def lease_ttl(settings: Settings) -> int:
    """Seconds a lease lives without a heartbeat: short, but never longer than the timeout."""
    return max(2, min(15, int(settings.visibility_timeout) // 2))


def redis_client(settings: Settings) -> redis.Redis:
    return redis.Redis.from_url(str(settings.redis_url), socket_timeout=10,
                                socket_connect_timeout=5, health_check_interval=30)


class Lease:
    """A Redis key owned by one holder while it refreshes it (``SET NX PX``)."""

    def __init__(self, client: redis.Redis, key: str, ttl_s: int) -> None:
        self.client, self.key, self.ttl_ms = client, key, ttl_s * 1000
        self.token = secrets.token_hex(8)

    def acquire(self) -> bool:
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def refresh(self) -> bool:
        """Extend the lease if still ours (False when it expired and someone took it)."""
        script = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
                  "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end")
        return bool(self.client.eval(script, 1, self.key, self.token, self.ttl_ms))

    def release(self) -> None:
        script = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
                  "return redis.call('del', KEYS[1]) else return 0 end")
        self.client.eval(script, 1, self.key, self.token)

    def held_by_anyone(self) -> bool:
        return bool(self.client.exists(self.key))


class Heartbeat(threading.Thread):
    """Refreshes leases every ttl/3 and runs ``check`` (cancel flags) on the way."""

    def __init__(self, leases: list[Lease], every_s: float,
                 check: Callable[[], None] | None = None) -> None:
        super().__init__(name="lease-heartbeat", daemon=True)
        self.leases, self.every_s, self.check = leases, every_s, check
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.every_s):
            try:
                for lease in self.leases:
                    lease.refresh()
                if self.check is not None:
                    self.check()
            except Exception:  # a blip must not kill the heartbeat; the next beat retries
                log.warning("lease heartbeat failed", exc_info=True)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)

