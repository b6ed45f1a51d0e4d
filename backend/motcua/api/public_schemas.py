"""Request and response shapes of ratings and feedback (PAKN); they feed the OpenAPI document like schemas.py."""

from __future__ import annotations

from motcua.api.schemas import Model, ProcedureRef, UnitRef


class RatingCriteria(Model):
    time: int | None = None
    visits: int | None = None
    attitude: int | None = None
    guidance: int | None = None
    clarity: int | None = None
    cost: int | None = None


class RatingIn(Model):
    overall: int
    criteria: RatingCriteria | None = None
    comment: str | None = None


class KioskRatingIn(RatingIn):
    code: str


class RatingOut(Model):
    id: str
    channel: str
    overall: int
    criteria: RatingCriteria
    comment: str
    created_at: str


class DossierRatingReply(Model):
    can_rate: bool
    rating: RatingOut | None


class KioskReply(Model):
    result: str  # "thanks"
    message: str
    message_en: str


class FeedbackIn(Model):
    subject_kind: str  # dossier | procedure | office
    dossier_id: str | None = None
    procedure_code: str | None = None
    unit_id: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    question: str


class FeedbackUpload(Model):
    file: bytes


class FeedbackAttachmentOut(Model):
    id: str
    filename: str
    content_type: str
    size: int
    created_at: str
    url: str


class FeedbackOut(Model):
    id: str
    subject_kind: str
    unit: UnitRef | None
    procedure: ProcedureRef | None
    dossier_id: str | None
    dossier_code: str | None
    sender_name: str
    sender_email: str | None
    question: str
    attachments: list[FeedbackAttachmentOut]
    status: str
    created_at: str
    due_at: str
    answer: str | None
    answered_at: str | None
    answered_by_name: str | None
    edited_at: str | None
    on_time: bool | None
    version: int


class FeedbackList(Model):
    items: list[FeedbackOut]
    next_page_token: str | None


class WorkFeedback(FeedbackOut):
    sender_phone: str
    can_answer: bool
    can_edit: bool


class WorkFeedbackList(Model):
    items: list[WorkFeedback]
    next_page_token: str | None


class FeedbackAnswerIn(Model):
    answer: str
    version: int


class PublicFeedback(Model):
    id: str
    subject_kind: str
    unit: UnitRef | None
    procedure: ProcedureRef | None
    question: str  # personal data removed
    answer: str
    asked_at: str
    answered_at: str
    due_at: str
    on_time: bool
    edited_at: str | None


class PublicFeedbackList(Model):
    items: list[PublicFeedback]
    next_page_token: str | None
