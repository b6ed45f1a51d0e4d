"""The deadline sweep: find dossiers due within one working day that are not yet approved, and warn their unit
once per due date (so there is still time to finish, or to issue the apology a working day before the deadline).

Reads the due-date index for a two-day window, never the whole table; safe to run from several workers at once
(the alert flag is saved with optimistic concurrency, so only one of them raises the event).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from motcua.domain.calendar import VN_TZ, WorkingCalendar
from motcua.domain.errors import Conflict
from motcua.domain.events import DossierAtRisk, ReminderDue
from motcua.domain.lifecycle import DossierStatus
from motcua.services.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)

SUPPLEMENT_REMINDER_AFTER = timedelta(days=3)
STILL_OPEN = {DossierStatus.SUBMITTED, DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS,
              DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.FEE_DUE, DossierStatus.WITHDRAWAL_REQUESTED}


class DeadlineSweep:
    def __init__(self, uow: UnitOfWorkFactory, calendar: WorkingCalendar, clock: Clock) -> None:
        self._uow = uow
        self._calendar = calendar
        self._clock = clock

    def run(self) -> int:
        """Raise ``dossier.at_risk`` for every open dossier due before the end of the next working day, and a
        reminder for supplements still awaited after ``SUPPLEMENT_REMINDER_AFTER``."""
        return self._alert_at_risk() + self._remind_supplements()

    def _remind_supplements(self) -> int:
        now = self._clock.now()
        reminded, token = 0, None
        while True:
            with self._uow(readonly=True) as uow:
                page = uow.dossiers.in_status_since(DossierStatus.SUPPLEMENT_REQUESTED.value,
                                                    now - SUPPLEMENT_REMINDER_AFTER, limit=200, page_token=token)
            for candidate in page.items:
                if candidate.supplement_reminded_at is None:
                    reminded += self._remind(candidate.id, now)
            token = page.next_page_token
            if token is None:
                return reminded

    def _remind(self, dossier_id: str, now: datetime) -> int:
        try:
            with self._uow() as uow:
                dossier = uow.dossiers.get(dossier_id)
                if (dossier is None or dossier.status is not DossierStatus.SUPPLEMENT_REQUESTED
                        or dossier.supplement_reminded_at is not None):
                    return 0
                dossier.supplement_reminded_at = now
                dossier.events.append(ReminderDue(dossier_id=dossier.id, kind="supplement"))
                uow.dossiers.save(dossier)
                uow.commit()
                return 1
        except Conflict:
            return 0

    def _alert_at_risk(self) -> int:
        now = self._clock.now()
        next_day = self._calendar.next_working_day(now.astimezone(VN_TZ).date())
        horizon = datetime.combine(next_day, self._calendar.afternoon_end, tzinfo=VN_TZ) + timedelta(seconds=1)
        alerted, token = 0, None
        while True:
            with self._uow(readonly=True) as uow:
                page = uow.dossiers.due_between(now, horizon, limit=200, page_token=token)
            for candidate in page.items:
                if candidate.status in STILL_OPEN and candidate.at_risk_alerted_for != candidate.due_at:
                    alerted += self._alert(candidate.id, now)
            token = page.next_page_token
            if token is None:
                return alerted

    def _alert(self, dossier_id: str, now: datetime) -> int:
        try:
            with self._uow() as uow:
                dossier = uow.dossiers.get(dossier_id)
                if dossier is None or dossier.due_at is None or dossier.at_risk_alerted_for == dossier.due_at:
                    return 0
                dossier.at_risk_alerted_for = dossier.due_at
                unit = dossier.holder_unit_id or dossier.competent_unit_id or ""
                dossier.events.append(DossierAtRisk(dossier_id=dossier.id, code=dossier.code or "", unit_id=unit,
                                                    due_at=dossier.due_at.isoformat()))
                uow.dossiers.save(dossier)
                uow.commit()
                return 1
        except Conflict:
            return 0  # another worker alerted it (or an official acted) in the meantime

