"""Periodic jobs of the embedded runtime (on AWS, EventBridge schedules call the same functions)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)


class PeriodicJobs:
    """Runs each (interval seconds, job) in one background thread; a failing job is logged and tried next time."""

    def __init__(self, jobs: Sequence[tuple[float, Callable[[], object]]]) -> None:
        self._jobs = list(jobs)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None or not self._jobs:
            return
        due = [0.0 for _ in self._jobs]

        def loop() -> None:
            tick = min(interval for interval, _ in self._jobs)
            elapsed = 0.0
            while not self._stop.wait(tick):
                elapsed += tick
                for index, (interval, job) in enumerate(self._jobs):
                    if elapsed >= due[index]:
                        due[index] = elapsed + interval
                        try:
                            job()
                        except Exception:
                            log.exception("periodic job %s failed", getattr(job, "__name__", job))

        self._thread = threading.Thread(target=loop, name="periodic-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
