"""Request and response shapes of the public API (documentation and contract tests; views build plain dicts)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Model):
    code: str
    message: str
    message_en: str
    fields: dict[str, str]


class ErrorReply(Model):
    error: ErrorDetail


class Membership(Model):
    unit_id: str
    unit_name: str
    role: str
    role_label_vi: str


class User(Model):
    id: str
    kind: str
    phone: str | None = None
    name: str | None = None
    memberships: list[Membership] | None = None


class SessionReply(Model):
    user: User | None
    csrf_token: str


class OtpRequest(Model):
    phone: str


class OtpReply(Model):
    sent: bool
    expires_in: int
    resend_after: int


class VerifyRequest(Model):
    phone: str
    code: str


class ConfigReply(Model):
    dev_mode: bool
    province: str
    max_upload_bytes: int
    vapid_public_key: str | None
    direct_uploads: bool  # true: attach with …/attachments/upload-form, a POST to storage, …/attachments/complete


class FieldOfWork(Model):
    id: str
    name: str
    name_en: str


class FieldList(Model):
    items: list[FieldOfWork]


class UnitOut(Model):
    id: str
    name: str
    name_en: str
    short_name: str
    level: str
    parent_id: str | None
    address: str


class UnitList(Model):
    items: list[UnitOut]


class UnitRef(Model):
    id: str
    name: str


class ProcessingTimeOut(Model):
    amount: int
    unit: str
    label_vi: str
    label_en: str


class FeeOut(Model):
    amount_vnd: int
    online_amount_vnd: int | None
    label_vi: str
    is_example: bool


class AuthorityOut(Model):
    unit: UnitRef | None
    level: str | None


class ProcedureSummary(Model):
    code: str
    name: str
    name_en: str
    field: FieldOfWork
    level: str
    online_level: str
    processing_time: ProcessingTimeOut
    fee: FeeOut
    authority: AuthorityOut


class ProcedureList(Model):
    items: list[ProcedureSummary]


class DocumentOut(Model):
    id: str
    name: str
    kind: str
    kind_label_vi: str
    count: int
    required: bool
    upload_required: bool
    note: str | None


class OptionOut(Model):
    value: str
    label: str
    label_en: str | None


class FormFieldOut(Model):
    name: str
    label: str
    label_en: str | None
    type: str
    required: bool
    min_length: int | None
    max_length: int | None
    pattern: str | None
    min: Any
    max: Any
    not_future: bool
    options: list[OptionOut]
    help: str | None
    group: str | None


class ProcedureDetail(ProcedureSummary):
    official_name: str
    documents: list[DocumentOut]
    form: list[FormFieldOut]
    result: str
    legal_basis: list[str]


class DueDateReply(Model):
    due_at: str
    due_at_local: str
    processing_time: ProcessingTimeOut


class DossierCreate(Model):
    procedure_code: str
    receiving_office_id: str | None = None
    competent_unit_id: str | None = None
    form: dict[str, Any] | None = None


class DossierUpdate(Model):
    receiving_office_id: str | None = None
    competent_unit_id: str | None = None
    form: dict[str, Any] | None = None


class AttachmentUpload(Model):
    file: bytes
    document_id: str


class UploadFormRequest(Model):
    document_id: str
    filename: str
    content_type: str  # image/jpeg | image/png | application/pdf
    size: int  # bytes; at most max_upload_bytes (GET /config)


class UploadFormReply(Model):
    url: str  # POST here: every field of `fields` first, then the file as `file`
    fields: dict[str, str]
    key: str  # where the object lands; send it to …/attachments/complete
    expires_at: str


class UploadComplete(Model):
    key: str


class AttachmentOut(Model):
    id: str
    document_id: str
    filename: str
    content_type: str
    size: int
    created_at: str


class ProcedureRef(Model):
    code: str
    name: str
    name_en: str


class DossierFee(Model):
    amount_vnd: int
    label_vi: str


class HistoryOut(Model):
    at: str
    status: str
    action: str
    action_label_vi: str
    action_label_en: str
    note: str


class MissingItemOut(Model):
    name: str
    kind: str
    kind_label_vi: str
    reason: str


class SupplementOut(Model):
    missing: list[MissingItemOut]
    note: str
    requested_at: str
    resubmitted_at: str | None
    slip_url: str


class ApologyOut(Model):
    reason: str
    new_due_date: str
    issued_at: str
    slip_url: str


class PaymentDue(Model):
    purpose: str
    amount_vnd: int
    amount_label_vi: str
    reason: str


class DossierOut(Model):
    id: str
    code: str | None
    status: str
    status_label_vi: str
    status_label_en: str
    national_status: int | None
    procedure: ProcedureRef
    form: dict[str, Any]
    attachments: list[AttachmentOut]
    receiving_office: UnitRef | None
    competent_unit: UnitRef | None
    channel: str
    created_at: str
    updated_at: str
    submitted_at: str | None
    due_at: str | None
    fee: DossierFee
    problems: dict[str, str]
    history: list[HistoryOut]
    receipt_url: str | None
    supplement_request: SupplementOut | None
    apologies: list[ApologyOut]
    result_url: str | None
    payment_due: PaymentDue | None


class DossierList(Model):
    items: list[DossierOut]
    next_page_token: str | None


class TrackReply(Model):
    code: str
    status: str
    status_label_vi: str
    status_label_en: str
    procedure: UnitRef | ProcedureRef
    receiving_office: UnitRef | None
    competent_unit: UnitRef | None
    submitted_at: str | None
    due_at: str | None
    history: list[HistoryOut]


class OutboxItem(Model):
    id: str
    channel: str
    to: str
    subject: str
    body: str
    created_at: str


class OutboxReply(Model):
    items: list[OutboxItem]


class PersonRef(Model):
    id: str
    name: str


class WorkItem(Model):
    id: str
    code: str | None
    procedure: UnitRef
    applicant_name: str
    status: str
    status_label_vi: str
    stage: str | None
    stage_label_vi: str | None
    due_at: str | None
    badge: str | None
    receiving_office: UnitRef | None
    competent_unit: UnitRef | None
    assignee: PersonRef | None


class WorkList(Model):
    items: list[WorkItem]
    next_page_token: str | None


class HandoverOut(Model):
    at: str
    from_unit: str
    from_person: str
    to_unit: str
    to_person: str
    step_label_vi: str
    outcome: str | None
    outcome_label_vi: str
    note: str


class AllowedAction(Model):
    action: str
    label_vi: str
    needs: list[str]


class ResultOut(Model):
    preview_url: str
    signed: bool
    signed_url: str | None


class WorkDossier(DossierOut):
    stage: str | None
    stage_label_vi: str | None
    version: int
    assignee: PersonRef | None
    badge: str | None
    handovers: list[HandoverOut]
    allowed_actions: list[AllowedAction]
    can_sign: bool
    candidates: list[PersonRef]
    result: ResultOut | None
    control_sheet_url: str


class WorkAction(Model):
    version: int
    reason: str | None = None
    note: str | None = None
    comment: str | None = None
    missing: list[MissingItemOut] | None = None
    assignee_id: str | None = None
    method: str | None = None
    tracking_number: str | None = None
    address: str | None = None
    new_due_date: str | None = None
    amount_vnd: int | None = None


class EnrolOptionsRequest(Model):
    token: str


class ChallengeReply(Model):
    challenge_id: str
    options: dict[str, Any]


class EnrolOptionsReply(ChallengeReply):
    official: dict[str, str]


class EnrolVerifyRequest(Model):
    token: str
    challenge_id: str
    credential: dict[str, Any]


class LoginVerifyRequest(Model):
    challenge_id: str
    credential: dict[str, Any]


class EnrolmentLink(Model):
    official_id: str
    name: str
    memberships: list[Membership]
    url: str


class EnrolmentLinks(Model):
    items: list[EnrolmentLink]


class ReasonBody(Model):
    reason: str


class SignItem(Model):
    dossier_id: str
    sha256: str


class SigningOptionsRequest(Model):
    items: list[SignItem]


class SigningCompleteRequest(Model):
    challenge_id: str
    credential: dict[str, Any]
    items: list[SignItem]


class SigningError(Model):
    code: str
    message: str


class SigningResult(Model):
    dossier_id: str
    code: str | None
    status: str
    error: SigningError | None


class SigningResults(Model):
    results: list[SigningResult]


class VerifyUpload(Model):
    file: bytes


class VerifySigner(Model):
    name: str
    unit: str | None
    signed_at: str | None


class VerifyReply(Model):
    valid: bool
    signers: list[VerifySigner]
    modified_after_signing: bool
    reason: str
    download_url: str | None = None


class OfficialList(Model):
    items: list[User]


class EnrolmentLinkReply(Model):
    url: str


class ChainCheck(Model):
    subject: str
    entries: int
    intact: bool
    broken_at: int | None
    problem: str | None


class AuditSummary(Model):
    checked: int
    broken: list[ChainCheck]


class AuditEntryOut(Model):
    seq: int
    at: str
    actor: str
    action: str
    device: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


class AuditTrail(Model):
    check: ChainCheck
    entries: list[AuditEntryOut]


class IntakeStart(Model):
    office_id: str
    applicant_phone: str
    procedure_code: str
    form: dict[str, Any] | None = None
    competent_unit_id: str | None = None


class PushKey(Model):
    publicKey: str  # noqa: N815 - the name the Push API uses


class PushKeys(Model):
    p256dh: str
    auth: str


class PushSubscriptionIn(BaseModel):
    endpoint: str
    expirationTime: int | None = None  # noqa: N815 - the browser's PushSubscription JSON
    keys: PushKeys


class IdReply(Model):
    id: str


class EndpointBody(Model):
    endpoint: str


class IdsBody(Model):
    ids: list[str]


class NotificationOut(Model):
    id: str
    at: str
    title: str
    body: str
    url: str
    read: bool


class NotificationList(Model):
    items: list[NotificationOut]


class ChannelsOut(Model):
    push: bool
    sms: bool
    email: bool


class PreferencesOut(Model):
    channels: ChannelsOut
    quiet_hours: bool
    lang: str = "vi"


class DeliveryOut(Model):
    at: str
    channel: str
    recipient: str
    title: str
    status: str
    attempts: int
    error: str | None
    sent_at: str | None


class DeliveryLog(Model):
    items: list[DeliveryOut]


class PaymentStart(Model):
    purpose: str
    gateway: str = "vnpay"


class PaymentOut(Model):
    id: str
    purpose: str
    amount_vnd: int
    amount_label_vi: str
    status: str
    status_label_vi: str
    gateway: str
    txn_ref: str
    created_at: str
    paid_at: str | None
    dossier_id: str
    dossier_code: str
    failure_reason_vi: str | None
    receipt_url: str | None


class PaymentStarted(Model):
    payment: PaymentOut
    redirect_url: str


class PaymentList(Model):
    items: list[PaymentOut]


class IpnReply(BaseModel):
    RspCode: str  # noqa: N815 - the protocol's names
    Message: str  # noqa: N815



class AssistantQuestion(Model):
    question: str  # 1–500 characters, no markup


class CitedProcedure(Model):
    code: str
    name: str
    name_en: str
    url: str
    sample_url: str


class AssistantReply(Model):
    question: str
    aspect: str  # documents | fee | time | where | overview
    aspect_label_vi: str
    aspect_label_en: str
    unsure: bool
    answer: str
    answer_en: str
    procedure: CitedProcedure | None
    candidates: list[CitedProcedure]
    feedback_url: str | None


# --- statistics and open data (docs/statistics-and-open-data.md) ---------------------------------------------------

def _figures_model() -> type[Model]:
    from pydantic import create_model

    from motcua.domain.statistics import METRICS, rates

    fields: dict[str, Any] = {name: (int, ...) for name in METRICS}
    # The rate names are the keys rates() returns, so the schema follows whatever rate is added there.
    fields.update({name: (float | None, ...) for name in rates(dict.fromkeys(METRICS, 0))})
    return create_model("Figures", __base__=Model, **fields)


Figures = _figures_model()


class StatsFilters(Model):
    unit: str | None
    level: str | None
    field: str | None
    procedure: str | None
    from_: str = Field(alias="from")
    to: str
    group_by: str | None


class StatsGroup(Figures):  # type: ignore[valid-type,misc]
    key: str
    label: str
    label_en: str


class IndicatorOut(Model):
    group: str
    name_vi: str
    name_en: str
    max_points: int | None
    value: float | None
    measure: str | None
    reason: str | None


class StatsReply(Model):
    schema_version: str
    filters: StatsFilters
    totals: Figures  # type: ignore[valid-type]
    groups: list[StatsGroup] | None = None
    indicators: list[IndicatorOut]


class WorstUnits(Model):
    filters: StatsFilters
    min_resolved: int
    items: list[StatsGroup]


class OverdueItem(Model):
    id: str
    code: str | None
    procedure: UnitRef
    status: str
    status_label_vi: str
    due_at: str | None
    days_overdue: int
    holder_unit: UnitRef


class OverdueList(Model):
    unit: UnitRef
    items: list[OverdueItem]
    next_page_token: str | None


class DashboardUnits(Model):
    items: list[UnitRef]


class OpenDataColumn(Model):
    name: str
    type: str
    description: str


class OpenDataDocument(Model):
    dataset: str
    schema_version: str
    license: str
    publisher: str
    period: dict[str, str] | None = None
    columns: list[OpenDataColumn]
    rows: list[dict[str, Any]]
