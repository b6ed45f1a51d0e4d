"""Delivers committed events to their handlers, at least once, with retries and backoff.

In the embedded default a background thread calls ``run_once`` every second; on AWS the relay moves the same
messages to SQS and a Lambda consumer calls the same handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from motcua.services.background import BackgroundThread
from motcua.services.ports import Clock, OutboxMessage, UnitOfWorkFactory

log = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]
MAX_ATTEMPTS = 10
LEASE_SECONDS = 60


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s … capped at one hour; after MAX_ATTEMPTS a message is parked for an operator."""
    if attempts >= MAX_ATTEMPTS:
        return timedelta(days=3650)
    return timedelta(seconds=min(3600, 10 * 2 ** max(0, attempts - 1)))


class OutboxWorker:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, handlers: Mapping[str, list[Handler]]) -> None:
        self._uow = uow
        self._clock = clock
        self._handlers = handlers
        self._background = BackgroundThread("outbox-worker")

    @property
    def topics(self) -> frozenset[str]:
        """The topics this worker has handlers for."""
        return frozenset(self._handlers)

    def handle(self, message: OutboxMessage) -> None:
        """Run every handler of the message's topic, in order; raises the first failure.

        The one place the topic map is applied: ``run_once`` here and the SQS consumer on AWS both call it.
        Handlers are idempotent (at-least-once delivery), so a retry after a partial failure is safe.
        """
        for handler in self._handlers.get(message.topic, []):
            handler(message)

    def run_once(self, limit: int = 50) -> int:
        """Handle up to ``limit`` due messages; returns how many were handled successfully.

        One transaction claims the batch and one records the outcomes, so relaying costs two commits per batch
        rather than per message (it competes with citizens' requests for the same write lock).
        """
        with self._uow() as uow:
            messages = uow.outbox.claim(now=self._clock.now(), limit=limit, lease_seconds=LEASE_SECONDS)
            uow.commit()
        if not messages:
            return 0
        done: list[str] = []
        failed: list[tuple[str, str, int, datetime | None]] = []
        for message in messages:
            try:
                self.handle(message)
            except Exception as exc:  # a failing handler must not stop the others
                log.warning("outbox message %s (%s) failed: %s", message.id, message.topic, exc)
                failed.append((message.id, repr(exc), message.attempts, getattr(exc, "retry_at", None)))
            else:
                done.append(message.id)
        with self._uow() as uow:
            now = self._clock.now()
            for message_id in done:
                uow.outbox.mark_done(message_id, now=now)
            for message_id, error, attempts, retry_at in failed:
                uow.outbox.mark_failed(message_id, error=error, retry_at=retry_at or now + backoff(attempts))
            uow.commit()
        return len(done)

    def start(self, interval: float = 1.0) -> None:
        def loop() -> None:
            while not self._background.wait(interval):
                try:
                    # Keep going while there is a backlog, pausing briefly between batches so requests get the
                    # write lock and the CPU in between.
                    while self.run_once() and not self._background.wait(0.02):
                        pass
                except Exception:
                    log.exception("outbox worker pass failed")

        self._background.start(loop)

    def stop(self) -> None:
        self._background.stop()
