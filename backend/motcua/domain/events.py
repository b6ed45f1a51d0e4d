"""Domain events: facts that happened, committed together with the change that raised them (outbox)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
class DossierStatusChanged(Event):
    topic: ClassVar[str] = "dossier.status_changed"
    dossier_id: str
    code: str | None
    status: str
    previous_status: str
    action: str
    # For statistics: whose figures the change counts in, the due time it is judged against, and when it happened.
    unit_id: str | None = None
    procedure_code: str | None = None
    due_at: str | None = None
    at: str | None = None


@dataclass(frozen=True)
class DossierStepTaken(Event):
    """A step inside processing that leaves the status as it is (assignment, proposal, send-back, apology)."""

    topic: ClassVar[str] = "dossier.step"
    dossier_id: str
    code: str | None
    status: str
    action: str
    unit_id: str | None = None
    procedure_code: str | None = None
    due_at: str | None = None
    at: str | None = None


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
