"""A daemon thread that runs one store chore every so often until stopped (the reaper, the
retention cleanup). A failed round is logged and the next one retries."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Periodic:
    """Runs ``chore`` every ``interval`` seconds (first at once when ``at_start``)."""

    def __init__(self, name: str, chore: Callable[[], object], interval: float, *,
                 at_start: bool) -> None:
        self.name, self.chore, self.interval, self.at_start = name, chore, interval, at_start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        if not self.at_start and self._stop.wait(self.interval):
            return
        while True:
            try:
                self.chore()
            except Exception:  # keep the thread alive; the next round retries
                log.exception("%s round failed", self.name)
            if self._stop.wait(self.interval):
                return
