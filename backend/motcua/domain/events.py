"""Domain events: facts that happened, committed together with the change that raised them (outbox)."""

from __future__ import annotations

from dataclasses import KW_ONLY, asdict, dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    topic: ClassVar[str] = "event"

    def payload(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DossierSubmitted(Event):
    topic: ClassVar[str] = "dossier.submitted"
    dossier_id: str
    code: str
    applicant_phone: str
    applicant_email: str | None
    procedure_code: str
    procedure_name: str
    due_at: str
    # What statistics count (received online / at the counter, filed at another office, fee-bearing) and when.
    competent_unit_id: str | None = None
    receiving_office_id: str | None = None
    channel: str = "online"
    fee_vnd: int = 0
    at: str | None = None


@dataclass(frozen=True)
class DossierChange:
    """What every change to a submitted dossier carries, with what statistics need to count it (a mixin for the
    events below, not an event of its own: it has no topic).

    The statistics context (whose figures the change counts in, the due time it is judged against, and when it
    happened) is keyword-only and closes the payload, after each event's own fields: that is where those keys have
    always stood in the outbox JSON, so payloads stay byte for byte what they were.
    """

    dossier_id: str
    code: str | None
    status: str
    _: KW_ONLY
    unit_id: str | None = None
    procedure_code: str | None = None
    due_at: str | None = None
    at: str | None = None

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        context = {name: data.pop(name) for name in _STATISTICS_CONTEXT}
        return {**data, **context}


_STATISTICS_CONTEXT = tuple(f.name for f in fields(DossierChange) if f.kw_only)


@dataclass(frozen=True)
class DossierStatusChanged(DossierChange, Event):
    topic: ClassVar[str] = "dossier.status_changed"
    previous_status: str
    action: str


@dataclass(frozen=True)
class DossierStepTaken(DossierChange, Event):
    """A step inside processing that leaves the status as it is (assignment, proposal, send-back, apology)."""

    topic: ClassVar[str] = "dossier.step"
    action: str


@dataclass(frozen=True)
class ReminderDue(Event):
    """A gentle reminder to the citizen (held back during their quiet hours)."""

    topic: ClassVar[str] = "dossier.reminder"
    dossier_id: str
    kind: str  # "supplement"


@dataclass(frozen=True)
class DossierAtRisk(Event):
    """Due within one working day and not yet approved: the competent unit must act (or apologise)."""

    topic: ClassVar[str] = "dossier.at_risk"
    dossier_id: str
    code: str
    unit_id: str
    due_at: str


# --- the public side: satisfaction ratings and feedback (a contract with the statistics consumer: no personal
# data, exactly these fields) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSubmitted(Event):
    topic: ClassVar[str] = "rating.submitted"
    rating_id: str
    dossier_id: str
    unit_id: str  # the dossier's competent unit
    procedure_code: str
    channel: str  # "online" | "kiosk"
    overall: int
    criteria: dict[str, int | None]  # time, visits, attitude, guidance, clarity, cost
    at: str  # ISO-8601 UTC


@dataclass(frozen=True)
class FeedbackSubmitted(Event):
    topic: ClassVar[str] = "feedback.submitted"
    feedback_id: str
    unit_id: str
    subject_kind: str  # "dossier" | "procedure" | "office"
    procedure_code: str | None
    at: str
    due_at: str


@dataclass(frozen=True)
class FeedbackAnswered(Event):
    topic: ClassVar[str] = "feedback.answered"
    feedback_id: str
    unit_id: str
    procedure_code: str | None
    answered_at: str
    due_at: str
    on_time: bool
