"""Feedback and complaints (phản ánh, kiến nghị — PAKN) about a dossier, a procedure or an office.

Each item is routed to one responsible unit (the dossier's competent unit, the procedure's deciding unit, or the
office) and must be answered within ``ANSWER_WORKING_DAYS`` working days. One answer is published; a leader may
correct it later (every edit is audited). What the public sees is the redacted question and the answer, never who
asked. Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import Conflict, Forbidden, InvalidInput
from .officials import Official, Role
from .procedures import _EMAIL as EMAIL_PATTERN  # the same rule as the dossier form's e-mail field
from .processing_time import ProcessingTime
from .redaction import redact

# The handling period. Nghị định 20/2008/NĐ-CP (receiving and handling feedback on administrative regulations)
# gives agencies a period counted in working days; its exact figure was not in our sources, so we chose
# 10 working days, counted like a dossier's processing time (from the next working day after 15:00).
ANSWER_WORKING_DAYS = 10
ANSWER_PERIOD = ProcessingTime(ANSWER_WORKING_DAYS)
SUBJECT_KINDS = ("dossier", "procedure", "office")
MIN_QUESTION, MAX_QUESTION = 10, 4000
MAX_ANSWER = 8000
MAX_NAME = 100
MAX_ATTACHMENTS = 5
OPEN, ANSWERED = "open", "answered"
# Who in the responsible unit sees the feedback worklist and may answer; only leaders correct a published answer.
ANSWERING_ROLES = (Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.LEADER)


@dataclass(frozen=True)
class FeedbackAttachment:
    id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    created_at: datetime


@dataclass
class Feedback:
    id: str
    subject_kind: str  # dossier | procedure | office
    unit_id: str  # the responsible unit
    citizen_id: str
    sender_phone: str  # from the signed-in session: never published
    sender_name: str  # optional; never published
    question: str  # as written; published only redacted
    created_at: datetime
    due_at: datetime
    dossier_id: str | None = None
    dossier_code: str | None = None
    procedure_code: str | None = None
    applicant_name: str | None = None  # of the dossier, removed from the published question as well
    sender_email: str | None = None  # optional, for the answer notice by e-mail; never published
    attachments: list[FeedbackAttachment] = field(default_factory=list)
    status: str = OPEN
    answer: str | None = None
    answered_at: datetime | None = None
    answered_by: str | None = None  # official id
    answered_by_name: str | None = None
    edited_at: datetime | None = None
    # What the public reads, redacted once when the answer is given or corrected (the public list is read far more
    # often than it is written); None before the answer.
    public_question: str | None = None
    public_answer: str | None = None
    version: int = 0

    @property
    def on_time(self) -> bool | None:
        return None if self.answered_at is None else self.answered_at <= self.due_at

    def published_question(self) -> str:
        """The question as the public sees it: personal data removed."""
        if self.public_question is not None:
            return self.public_question
        return redact(self.question, names=[self.sender_name, self.applicant_name])

    def published_answer(self) -> str:
        """The answer as published: an official may have addressed the sender by name or quoted their number."""
        if self.public_answer is not None:
            return self.public_answer
        return redact(self.answer or "", names=[self.sender_name, self.applicant_name])

    def _publish(self) -> None:
        names = [self.sender_name, self.applicant_name]
        self.public_question = redact(self.question, names=names)
        self.public_answer = redact(self.answer or "", names=names)

    def add_attachment(self, attachment: FeedbackAttachment) -> None:
        if self.status != OPEN:
            raise Conflict("feedback_answered", "Phản ánh đã được trả lời, không thể đính kèm thêm.",
                           message_en="The feedback has been answered; no more files can be added.")
        if len(self.attachments) >= MAX_ATTACHMENTS:
            raise Conflict("too_many_attachments", f"Tối đa {MAX_ATTACHMENTS} tệp đính kèm.",
                           message_en=f"At most {MAX_ATTACHMENTS} files.")
        self.attachments.append(attachment)

    def answer_with(self, official: Official, text: str, *, now: datetime) -> dict[str, Any] | None:
        """Record the answer (first time) or correct it (a leader, later). Returns the previous answer for the
        audit trail when this is a correction, else None."""
        if not can_handle(official, self):
            raise Forbidden("forbidden", "Bạn không xử lý phản ánh của đơn vị này.",
                            message_en="You do not handle this unit's feedback.")
        if self.status == ANSWERED:
            if not official.has_role(self.unit_id, Role.LEADER):
                raise Forbidden("leader_only", "Chỉ lãnh đạo đơn vị được sửa câu trả lời đã công khai.",
                                message_en="Only the unit's leader may correct a published answer.")
            before = {"answer": self.answer, "answered_by": self.answered_by}
            self.answer, self.edited_at = text, now
            self._publish()
            return before
        self.status, self.answer, self.answered_at = ANSWERED, text, now
        self.answered_by, self.answered_by_name = official.id, official.name
        self._publish()
        return None


def can_handle(official: Official, feedback: Feedback) -> bool:
    return any(official.has_role(feedback.unit_id, role) for role in ANSWERING_ROLES)


def clean_text(value: object, name: str, label: str, *, minimum: int, maximum: int, required: bool = True) -> str:
    """NFC text without control characters, trimmed; InvalidInput naming the field otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput("validation_failed", f"{label}: không được để trống.", message_en=f"{name} is required.",
                               fields={name: f"{label}: không được để trống."})
        return ""
    if not isinstance(value, str) or len(value) > maximum * 2:
        raise InvalidInput("validation_failed", f"{label}: không hợp lệ.", message_en=f"{name} is invalid.",
                           fields={name: f"{label}: tối đa {maximum} ký tự."})
    text = "".join(c for c in unicodedata.normalize("NFC", value)
                   if c in "\n\t" or unicodedata.category(c)[0] != "C").strip()
    if len(text) > maximum or len(text) < minimum:
        message = f"{label}: từ {minimum} đến {maximum} ký tự." if minimum > 1 else f"{label}: tối đa {maximum} ký tự."
        raise InvalidInput("validation_failed", message, message_en=f"{name} must be {minimum}–{maximum} characters.",
                           fields={name: message})
    return text


def clean_email(value: object) -> str | None:
    """An optional e-mail address for the answer notice, or InvalidInput naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value) > 254 or not EMAIL_PATTERN.match(value.strip()):
        raise InvalidInput("validation_failed", "Email: không hợp lệ.", message_en="sender_email is not an e-mail.",
                           fields={"sender_email": "Email: nhập địa chỉ như ten@example.vn."})
    return value.strip()
