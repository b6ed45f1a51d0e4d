"""The dossier (hồ sơ) aggregate: a citizen's application for one procedure, from draft to result.

Pure: no I/O. Services load a dossier, call one of these methods, and save it together with the events it
raised and an audit entry, in one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import Conflict, InvalidInput, NotFound
from .events import DossierStatusChanged, DossierStepTaken, DossierSubmitted, Event
from .lifecycle import NATIONAL_STATUS, Action, DossierStatus, next_status

MAX_ATTACHMENTS_PER_DOSSIER = 40


@dataclass(frozen=True)
class Attachment:
    id: str
    document_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    created_at: datetime


@dataclass(frozen=True)
class Handover:
    """One row of the control sheet (phiếu kiểm soát): who gave the dossier to whom, when, and how the step went."""

    at: datetime
    step: str  # the stage that ended with this hand-over
    from_unit_id: str
    from_person: str
    to_unit_id: str
    to_person: str
    outcome: str | None = None  # "early" | "on_time" | "late"
    note: str = ""


@dataclass(frozen=True)
class MissingItem:
    name: str
    kind: str  # "original" | "certified_copy" | "copy"
    reason: str


@dataclass(frozen=True)
class SupplementRequest:
    requested_at: datetime
    stage: str  # "intake" or "appraisal": each may ask once
    by: str
    items: tuple[MissingItem, ...]
    note: str = ""
    resubmitted_at: datetime | None = None


@dataclass(frozen=True)
class Apology:
    issued_at: datetime
    by: str
    reason: str
    new_due_at: datetime


@dataclass(frozen=True)
class SignedResult:
    storage_key: str
    sha256: str
    signed_at: datetime
    signer_id: str
    signer_name: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: Action
    status: DossierStatus
    actor: str  # "citizen:<id>", "official:<id>", "system"
    note: str = ""


@dataclass
class Dossier:
    id: str
    procedure_code: str
    applicant_id: str
    applicant_phone: str
    created_at: datetime
    updated_at: datetime
    status: DossierStatus = DossierStatus.DRAFT
    channel: str = "online"
    form: dict[str, Any] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    receiving_office_id: str | None = None
    competent_unit_id: str | None = None
    code: str | None = None
    submitted_at: datetime | None = None
    due_at: datetime | None = None
    fee_vnd: int = 0
    history: list[HistoryEntry] = field(default_factory=list)
    # Officials' side (filled once the dossier is submitted)
    stage: str | None = None
    holder_unit_id: str | None = None  # the unit whose worklist shows it now
    assignee_id: str | None = None
    received_at: datetime | None = None
    handovers: list[Handover] = field(default_factory=list)
    supplements: list[SupplementRequest] = field(default_factory=list)
    apologies: list[Apology] = field(default_factory=list)
    refusal_reason: str | None = None
    result: SignedResult | None = None
    return_method: str | None = None
    tracking_number: str | None = None
    postal_address: str | None = None
    finished_at: datetime | None = None
    at_risk_alerted_for: datetime | None = None  # the due time the unit was last warned about
    supplement_reminded_at: datetime | None = None
    fee_paid_at: datetime | None = None
    obligation: dict[str, Any] | None = None  # {"amount_vnd", "reason", "requested_at", "paid_at"}
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @property
    def national_status(self) -> int | None:
        return NATIONAL_STATUS.get(self.status)

    @property
    def is_draft(self) -> bool:
        return self.status is DossierStatus.DRAFT

    def ensure_draft(self) -> None:
        """Raise a clear 409 unless the dossier is still an editable draft."""
        if not self.is_draft:
            raise Conflict(
                "not_a_draft",
                "Hồ sơ đã nộp, không thể sửa.",
                message_en="The dossier has been submitted and can no longer be edited.",
            )

    def update_draft(
        self,
        *,
        form: dict[str, Any] | None = None,
        receiving_office_id: str | None = None,
        competent_unit_id: str | None = None,
        now: datetime,
    ) -> None:
        """Merge cleaned form values and office choices into the draft."""
        self.ensure_draft()
        if form is not None:
            merged = {**self.form, **form}
            self.form = {k: v for k, v in merged.items() if v is not None and v != ""}
        if receiving_office_id is not None:
            self.receiving_office_id = receiving_office_id
        if competent_unit_id is not None:
            self.competent_unit_id = competent_unit_id
        self.updated_at = now

    def ensure_accepts_files(self) -> None:
        """Files may be added to a draft, and to a dossier whose supplement was requested."""
        if self.status not in (DossierStatus.DRAFT, DossierStatus.SUPPLEMENT_REQUESTED):
            raise Conflict("not_editable", "Hồ sơ không còn nhận thêm tệp.",
                           message_en="This dossier no longer accepts files.")

    def add_attachment(self, attachment: Attachment, *, now: datetime) -> None:
        self.ensure_accepts_files()
        if len(self.attachments) >= MAX_ATTACHMENTS_PER_DOSSIER:
            raise InvalidInput(
                "too_many_attachments",
                f"Mỗi hồ sơ đính kèm tối đa {MAX_ATTACHMENTS_PER_DOSSIER} tệp.",
                message_en=f"A dossier can hold at most {MAX_ATTACHMENTS_PER_DOSSIER} files.",
            )
        self.attachments.append(attachment)
        self.updated_at = now

    def find_attachment_or_none(self, attachment_id: str) -> Attachment | None:
        return next((a for a in self.attachments if a.id == attachment_id), None)

    def find_attachment(self, attachment_id: str) -> Attachment:
        for attachment in self.attachments:
            if attachment.id == attachment_id:
                return attachment
        raise NotFound("attachment_not_found", "Không tìm thấy tệp đính kèm.", message_en="Attachment not found.")

    def remove_attachment(self, attachment_id: str, *, now: datetime) -> Attachment:
        self.ensure_accepts_files()
        attachment = self.find_attachment(attachment_id)
        # What was received stays on record: during a supplement only the files added for it can be removed.
        if not self.is_draft and self.supplements and attachment.created_at < self.supplements[-1].requested_at:
            raise Conflict("attachment_on_record", "Không thể xóa tệp đã được tiếp nhận.",
                           message_en="Files already received cannot be removed.")
        self.attachments.remove(attachment)
        self.updated_at = now
        return attachment

    def transition(self, action: Action, *, actor: str, now: datetime, note: str = "") -> DossierStatus:
        """Move along the lifecycle table, recording history and a status-changed event; 409 if not allowed."""
        target = next_status(self.status, action)
        if target is None:
            raise Conflict(
                "illegal_transition",
                "Thao tác không hợp lệ với trạng thái hiện tại của hồ sơ.",
                message_en=f"Action '{action}' is not allowed while the dossier is '{self.status}'.",
            )
        previous = self.status
        self.status = target
        self.updated_at = now
        self.history.append(HistoryEntry(at=now, action=action, status=target, actor=actor, note=note))
        self.events.append(
            DossierStatusChanged(
                dossier_id=self.id, code=self.code, status=target.value, previous_status=previous.value,
                action=action.value, **self._event_context(now),
            )
        )
        return target

    def record(self, action: Action, *, actor: str, now: datetime, note: str = "") -> None:
        """A step that leaves the status as it is (assignment, proposal, apology…): history only."""
        self.updated_at = now
        self.history.append(HistoryEntry(at=now, action=action, status=self.status, actor=actor, note=note))
        self.events.append(DossierStepTaken(dossier_id=self.id, code=self.code, status=self.status.value,
                                            action=action.value, **self._event_context(now)))

    def _event_context(self, now: datetime) -> dict[str, str | None]:
        return {"unit_id": self.competent_unit_id, "procedure_code": self.procedure_code,
                "due_at": self.due_at.isoformat() if self.due_at else None, "at": now.isoformat()}

    def submit(
        self,
        *,
        code: str,
        due_at: datetime,
        fee_vnd: int,
        procedure_name: str,
        now: datetime,
        actor: str,
    ) -> None:
        """Submit a complete draft: it gets its code, due date and fee, and enters the national lifecycle."""
        self.ensure_draft()
        if self.receiving_office_id is None or self.competent_unit_id is None:
            raise InvalidInput(
                "office_required",
                "Chưa chọn nơi tiếp nhận hồ sơ.",
                message_en="Choose where to file the dossier.",
                fields={"receiving_office_id": "Nơi tiếp nhận hồ sơ: chưa chọn."},
            )
        self.code = code
        self.due_at = due_at
        self.fee_vnd = fee_vnd
        self.submitted_at = now
        self.stage = "intake"
        self.holder_unit_id = self.receiving_office_id
        self.transition(Action.SUBMIT, actor=actor, now=now)
        email = self.form.get("applicant_email")
        self.events.append(
            DossierSubmitted(
                dossier_id=self.id,
                code=code,
                applicant_phone=str(self.form.get("applicant_phone") or self.applicant_phone),
                applicant_email=email if isinstance(email, str) else None,
                procedure_code=self.procedure_code,
                procedure_name=procedure_name,
                due_at=due_at.isoformat(),
                competent_unit_id=self.competent_unit_id,
                receiving_office_id=self.receiving_office_id,
                channel=self.channel,
                fee_vnd=fee_vnd,
                at=now.isoformat(),
            )
        )
