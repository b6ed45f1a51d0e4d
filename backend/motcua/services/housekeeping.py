"""Hourly housekeeping: expired sessions, codes, challenges, idempotency records and rate-limit windows go."""

from __future__ import annotations

import logging

from motcua.services.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)


class HousekeepingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def run(self) -> dict[str, int]:
        with self._uow() as uow:
            removed = uow.housekeeping.purge(self._clock.now())
            uow.commit()
        if any(removed.values()):
            log.info("housekeeping removed %s", removed)
        return removed
