"""Keeping the statistics counters: the outbox consumer that counts each committed event once, and the
operator's recount from the dossiers (``python -m motcua rebuild-stats``).

Counting happens off the request path: a citizen's submit commits the dossier and its event; the worker turns the
event into a few atomic increments later. The processed-marker of the outbox message is written in the same
transaction as the increments, so a redelivered message (the worker crashed after counting, before marking the
message done) counts nothing the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from motcua.domain import statistics as st
from motcua.domain.calendar import WorkingCalendar
from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier
from motcua.services.ports import Clock, OutboxMessage, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

DOSSIER_TOPICS = ("dossier.submitted", "dossier.status_changed", "dossier.step")
RATING_TOPICS = ("rating.submitted", "feedback.submitted", "feedback.answered")
EVERYTHING_SINCE = datetime(2000, 1, 1, tzinfo=UTC)
UNTIL = datetime(2200, 1, 1, tzinfo=UTC)

Increments = dict[st.StatKey, dict[str, int]]


class StatisticsRecorder:
    """The outbox consumer: ``recorder(message)`` for every topic in DOSSIER_TOPICS and RATING_TOPICS."""

    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, calendar: WorkingCalendar, clock: Clock) -> None:
        self._uow = uow
        self._catalog = catalog
        self._calendar = calendar
        self._clock = clock

    def __call__(self, message: OutboxMessage) -> None:
        with self._uow() as uow:
            if not uow.statistics.mark_processed(message.id, at=self._clock.now()):
                return  # counted before: a redelivery
            for key, deltas in self._increments(uow, message).items():
                uow.statistics.add(key, deltas)
            uow.statistics.touch()
            uow.commit()

    def _increments(self, uow: UnitOfWork, message: OutboxMessage) -> Increments:
        payload = message.payload
        if message.topic in DOSSIER_TOPICS:
            if not payload.get("unit_id" if message.topic != "dossier.submitted" else "competent_unit_id"):
                payload = self._with_dossier_context(uow, payload)
            facts = st.facts_from_event(self._calendar, self._catalog.units, message.topic, payload,
                                        message.created_at)
            return self.increments(facts)
        deltas = (st.rating_deltas(payload) if message.topic == "rating.submitted"
                  else st.feedback_deltas(message.topic, payload))
        unit_id = payload.get("unit_id")
        at = st.parse_time(payload.get("answered_at" if message.topic == "feedback.answered" else "at"))
        if deltas is None or not isinstance(unit_id, str) or unit_id not in self._catalog.units or at is None:
            # A message that breaks the contract would fail the same way on every retry: count nothing, say so.
            log.warning("statistics: %s %s does not follow the payload contract; not counted", message.topic,
                        message.id)
            return {}
        procedure = payload.get("procedure_code")
        procedure = procedure if isinstance(procedure, str) and self._catalog.find(procedure) else ""
        return self.increments([st.Fact(at, unit_id, procedure, deltas)])

    @staticmethod
    def _with_dossier_context(uow: UnitOfWork, payload: dict[str, object]) -> dict[str, object]:
        """Events raised before they carried unit and due date: read those from the dossier."""
        dossier = uow.dossiers.get(str(payload.get("dossier_id")))
        if dossier is None:
            return payload
        return {**payload, "unit_id": dossier.competent_unit_id, "competent_unit_id": dossier.competent_unit_id,
                "receiving_office_id": dossier.receiving_office_id, "channel": dossier.channel,
                "fee_vnd": dossier.fee_vnd, "procedure_code": dossier.procedure_code,
                "due_at": payload.get("due_at") or (dossier.due_at.isoformat() if dossier.due_at else None)}

    def increments(self, facts: Iterable[st.Fact], into: Increments | None = None) -> Increments:
        """Facts → the counter rows they add to (the unit's rows and the rollups), summed per row."""
        out: Increments = {} if into is None else into
        for fact in facts:
            procedure = self._catalog.find(fact.procedure_code) if fact.procedure_code else None
            unit = self._catalog.units.find(fact.unit_id)
            field_id = procedure.field if procedure else st.NO_FIELD
            for key in st.keys_for(st.month_of(fact.at), fact.unit_id, unit.level.value if unit else None,
                                   field_id, fact.procedure_code):
                st.add_into(out.setdefault(key, {}), fact.deltas)
        return out

    def rebuild(self, *, page_size: int = 500) -> int:
        """Recount every dossier metric from the dossiers themselves; returns the number of dossiers read.

        Pages through the due-date index (every submitted dossier has a due date); keeps only the sums in memory
        (bounded by the number of counter rows, not of dossiers); then resets the dossier metrics and writes the
        sums in one transaction. Rating and feedback metrics are left as they are: they are not in the dossiers.
        Run it with the outbox worker stopped, or events counted meanwhile may be counted twice.
        """
        totals: Increments = {}
        token: str | None = None
        read = 0
        while True:
            with self._uow(readonly=True) as uow:
                page = uow.dossiers.due_between(EVERYTHING_SINCE, UNTIL, limit=page_size, page_token=token)
            for dossier in page.items:
                self.increments(self.facts(dossier), totals)
            read += len(page.items)
            token = page.next_page_token
            if token is None:
                break
        with self._uow() as uow:
            uow.statistics.reset(st.DOSSIER_METRICS)
            for key, deltas in totals.items():
                uow.statistics.add(key, deltas)
            uow.statistics.touch()
            uow.commit()
        return read

    def facts(self, dossier: Dossier) -> list[st.Fact]:
        return st.facts_from_dossier(self._calendar, self._catalog.units, dossier)
