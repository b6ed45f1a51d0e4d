"""Periodic jobs of the embedded runtime (on AWS, EventBridge schedules call the same functions)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from motcua.services.background import BackgroundThread

log = logging.getLogger(__name__)


class PeriodicJobs:
    """Runs each (interval seconds, job) in one background thread; a failing job is logged and tried next time."""

    def __init__(self, jobs: Sequence[tuple[float, Callable[[], object]]]) -> None:
        self._jobs = list(jobs)
        self._background = BackgroundThread("periodic-jobs")

    def start(self) -> None:
        if not self._jobs:
            return
        due = [0.0 for _ in self._jobs]

        def loop() -> None:
            tick = min(interval for interval, _ in self._jobs)
            elapsed = 0.0
            while not self._background.wait(tick):
                elapsed += tick
                for index, (interval, job) in enumerate(self._jobs):
                    if elapsed >= due[index]:
                        due[index] = elapsed + interval
                        try:
                            job()
                        except Exception:
                            log.exception("periodic job %s failed", getattr(job, "__name__", job))

        self._background.start(loop)

    def stop(self) -> None:
        self._background.stop()
