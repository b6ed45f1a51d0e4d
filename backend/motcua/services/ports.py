"""Ports: what the services need from the outside world, shaped so that SQLite, DynamoDB/S3/SQS and in-memory
fakes can all implement them.

Rules (DESIGN.md): repository methods name access patterns, never free-form queries; lists page with opaque
tokens; the only multi-item transaction is one dossier's change + its outbox messages + its audit entry; counters
are atomic increments.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from motcua.domain.dossiers import Dossier
from motcua.domain.feedback import Feedback
from motcua.domain.officials import Official, Role
from motcua.domain.payments import GatewayReport, Payment
from motcua.domain.ratings import Rating
from motcua.domain.statistics import StatKey

if TYPE_CHECKING:  # passkeys.py imports this module's Clock
    from motcua.services.notification_ports import Delivery, Preferences, StoredSubscription
    from motcua.services.passkeys import ChallengeStore, PasskeyStore

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_page_token: str | None = None


@dataclass(frozen=True)
class Citizen:
    id: str
    phone: str
    created_at: datetime


@dataclass
class OtpChallenge:
    phone: str
    code_hash: str
    expires_at: datetime
    sent_at: datetime
    attempts: int = 0
    sends_in_window: int = 1
    window_started_at: datetime | None = None


@dataclass(frozen=True)
class Session:
    token_hash: str
    user_kind: str  # "citizen" (officials come later)
    user_id: str
    phone: str
    created_at: datetime
    expires_at: datetime
    device: str = ""


@dataclass(frozen=True)
class IdempotencyRecord:
    scope: str
    key: str
    request_hash: str
    created_at: datetime
    status_code: int | None = None  # None while the first request is still running
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxMessage:
    id: str
    topic: str
    payload: dict[str, Any]
    created_at: datetime
    attempts: int = 0


@dataclass(frozen=True)
class AuditEntry:
    subject: str  # e.g. "dossier:<id>"
    seq: int
    at: datetime
    actor: str
    action: str
    device: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class SentMessage:
    id: str
    channel: str  # "sms" | "email"
    to: str
    subject: str
    body: str
    created_at: datetime


class DossierRepository(Protocol):
    def add(self, dossier: Dossier) -> None: ...
    def get(self, dossier_id: str) -> Dossier | None: ...
    def get_by_code(self, code: str) -> Dossier | None: ...
    def save(self, dossier: Dossier) -> None:
        """Write back a loaded dossier; raises Conflict('stale_version') if someone else saved it first."""
    def delete(self, dossier: Dossier) -> None: ...
    def list_by_applicant(self, applicant_id: str, *, limit: int, page_token: str | None) -> Page[Dossier]: ...
    def list_worklist(
        self, unit_id: str, *, limit: int, page_token: str | None, status: str | None = None,
        procedure_code: str | None = None, office_id: str | None = None,
    ) -> Page[Dossier]:
        """Dossiers the unit holds now, ordered by due date (a GSI on DynamoDB)."""
    def in_status_since(self, status: str, before: datetime, *, limit: int, page_token: str | None) -> Page[Dossier]:
        """Dossiers in a status not touched since ``before`` (reminders; an index on status + updated time)."""
    def due_between(self, start: datetime, end: datetime, *, limit: int, page_token: str | None) -> Page[Dossier]:
        """Dossiers whose due time falls in [start, end), by due time (the sweep's index; never a table scan)."""
    def seen(self) -> Iterator[Dossier]:
        """Dossiers loaded or added in this unit of work (their events go to the outbox on commit)."""


class OfficialRepository(Protocol):
    def put(self, official: Official) -> None: ...
    def get(self, official_id: str) -> Official | None: ...
    def in_unit(self, unit_id: str, role: Role) -> list[Official]: ...
    def all(self) -> list[Official]: ...


class EnrolmentRepository(Protocol):
    def add(self, token_hash: str, official_id: str, *, now: datetime, expires_at: datetime) -> None: ...
    def peek(self, token_hash: str, *, now: datetime) -> str | None: ...
    def use(self, token_hash: str, *, now: datetime) -> str | None:
        """Mark the link used (single use) and return its official, or None if unknown, used or expired."""


class PushSubscriptionRepository(Protocol):
    def upsert(self, subscription: StoredSubscription) -> StoredSubscription: ...
    def for_user(self, user_kind: str, user_id: str) -> list[StoredSubscription]: ...
    def delete(self, subscription_id: str) -> None: ...
    def delete_for(self, user_kind: str, user_id: str, endpoint: str) -> bool: ...


class DeliveryRepository(Protocol):
    def get(self, delivery_id: str) -> Delivery | None: ...
    def put(self, delivery: Delivery) -> None: ...
    def inbox(self, user_kind: str, user_id: str, *, limit: int) -> list[Delivery]: ...
    def mark_read(self, user_kind: str, user_id: str, ids: list[str], *, at: datetime) -> None: ...
    def for_dossier(self, dossier_id: str) -> list[Delivery]: ...
    def since(self, start: datetime) -> list[Delivery]: ...


class PaymentRepository(Protocol):
    def add(self, payment: Payment) -> None: ...
    def save(self, payment: Payment) -> None:
        """Optimistic: Conflict('stale_version') if another confirmation saved it first."""
    def get(self, payment_id: str) -> Payment | None: ...
    def get_by_txn_ref(self, txn_ref: str) -> Payment | None: ...
    def for_dossier(self, dossier_id: str) -> list[Payment]: ...
    def in_status_created_before(self, status: str, before: datetime, *, limit: int) -> list[Payment]: ...
    def seen(self) -> Iterator[Payment]: ...


class RatingRepository(Protocol):
    """Satisfaction ratings. DynamoDB: table keyed by dossier id (the uniqueness), a GSI on rating id."""

    def add(self, rating: Rating) -> bool:
        """Store the rating unless the dossier already has one (a conditional put); False when it has."""
    def get(self, rating_id: str) -> Rating | None: ...
    def for_dossier(self, dossier_id: str) -> Rating | None: ...


class FeedbackRepository(Protocol):
    """Feedback (PAKN). DynamoDB: keyed by id; GSI unit#status → due_at (the worklist); GSI "answered" →
    answered_at (the public list, one partition per month if it grows); GSI citizen → created_at."""

    def add(self, feedback: Feedback) -> None: ...
    def get(self, feedback_id: str) -> Feedback | None: ...
    def save(self, feedback: Feedback) -> None:
        """Optimistic: Conflict('stale_version') if someone saved it since it was loaded."""
    def worklist(self, unit_id: str, status: str, *, limit: int, page_token: str | None) -> Page[Feedback]:
        """A unit's feedback in one status, earliest due first."""
    def answered(self, *, limit: int, page_token: str | None) -> Page[Feedback]:
        """Answered feedback, newest answer first (the public list)."""
    def by_citizen(self, citizen_id: str, *, limit: int, page_token: str | None) -> Page[Feedback]:
        """A citizen's own feedback, newest first."""


class Housekeeping(Protocol):
    def purge(self, now: datetime) -> dict[str, int]:
        """Delete expired sessions, one-time codes, challenges, idempotency records and rate-limit windows."""


class PreferenceRepository(Protocol):
    def get(self, user_kind: str, user_id: str) -> Preferences: ...
    def put(self, user_kind: str, user_id: str, prefs: Preferences) -> None: ...


class CitizenRepository(Protocol):
    def get_or_create(self, phone: str, *, now: datetime) -> Citizen: ...
    def get(self, citizen_id: str) -> Citizen | None: ...


class OtpRepository(Protocol):
    def get(self, phone: str) -> OtpChallenge | None: ...
    def put(self, challenge: OtpChallenge) -> None: ...
    def delete(self, phone: str) -> None: ...


class SessionRepository(Protocol):
    def add(self, session: Session) -> None: ...
    def get(self, token_hash: str) -> Session | None: ...
    def delete(self, token_hash: str) -> None: ...


class IdempotencyRepository(Protocol):
    def reserve(self, scope: str, key: str, request_hash: str, *, now: datetime) -> IdempotencyRecord | None:
        """Claim the key. None means this caller holds it now; otherwise the existing record is returned."""
    def complete(self, scope: str, key: str, *, status_code: int, body: bytes, headers: dict[str, str]) -> None: ...
    def release(self, scope: str, key: str) -> None: ...


class CounterRepository(Protocol):
    def increment(self, name: str) -> int:
        """Atomically add one and return the new value (first call returns 1)."""


class StatisticsRepository(Protocol):
    """Statistics counters (domain/statistics.py). On DynamoDB: one item per key (PK ``unit#field#procedure``,
    SK ``month``) updated with ``ADD``, and one processed-marker item per message put with
    ``attribute_not_exists`` in the same transaction as the increments."""

    def mark_processed(self, message_id: str, *, at: datetime) -> bool:
        """Record that an outbox message was counted; False if it already was (a redelivery: count nothing)."""
    def add(self, key: StatKey, deltas: Mapping[str, int]) -> None:
        """Atomically add ``deltas`` (metric → amount) to one counter row, creating it at zero."""
    def read(self, *, units: Sequence[str], fields: Sequence[str], procedure_code: str, month_from: str,
             month_to: str) -> list[tuple[StatKey, tuple[int, ...]]]:
        """The rows for every (unit, field) pair asked for, months inclusive: one query per pair, never a scan.
        Each row's values are in ``statistics.METRICS`` order."""
    def reset(self, metrics: Sequence[str]) -> None:
        """Set these metrics to zero on every row (the operator's recount; a scan on DynamoDB, run rarely)."""
    def touch(self) -> None:
        """Note that counters changed (one ADD on a version item), so cached answers are recomputed."""
    def version(self) -> int:
        """A number that changes whenever the counters do: the key of cached public answers."""


class RateLimitRepository(Protocol):
    def hit(self, key: str, *, limit: int, window_seconds: int, now: datetime) -> int:
        """Count one hit in the current fixed window; return 0 if allowed, else seconds until it resets."""
    def blocked(self, key: str, *, limit: int, window_seconds: int, now: datetime) -> int:
        """Like hit, without counting: 0 if under the limit, else seconds until the window resets."""


class OutboxRepository(Protocol):
    def add(self, topic: str, payload: dict[str, Any], *, now: datetime) -> None: ...
    def claim(self, *, now: datetime, limit: int, lease_seconds: int) -> list[OutboxMessage]: ...
    def mark_done(self, message_id: str, *, now: datetime) -> None: ...
    def mark_failed(self, message_id: str, *, error: str, retry_at: datetime) -> None: ...


class AuditRepository(Protocol):
    def append(
        self, subject: str, *, actor: str, action: str, device: str, at: datetime,
        before: dict[str, Any] | None, after: dict[str, Any] | None,
    ) -> AuditEntry: ...
    def entries(self, subject: str) -> list[AuditEntry]: ...
    def subjects(self) -> list[str]:
        """Every subject with entries (an operator's full check; a scan on DynamoDB)."""


class UnitOfWork(Protocol):
    """One atomic piece of work. ``with uow_factory() as uow: …; uow.commit()`` — leaving without commit rolls back."""

    dossiers: DossierRepository
    citizens: CitizenRepository
    otps: OtpRepository
    sessions: SessionRepository
    idempotency: IdempotencyRepository
    counters: CounterRepository
    rate_limits: RateLimitRepository
    outbox: OutboxRepository
    audit: AuditRepository
    officials: OfficialRepository
    enrolments: EnrolmentRepository
    passkeys: PasskeyStore
    challenges: ChallengeStore
    push_subscriptions: PushSubscriptionRepository
    deliveries: DeliveryRepository
    preferences: PreferenceRepository
    payments: PaymentRepository
    ratings: RatingRepository
    feedback: FeedbackRepository
    housekeeping: Housekeeping
    statistics: StatisticsRepository

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> AbstractContextManager[UnitOfWork]: ...


class FileStore(Protocol):
    def put(self, key: str, data: bytes, *, content_type: str) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool:
        """Whether ``key`` is stored, without reading it (a HEAD on S3)."""
        ...

    def keys(self, prefix: str) -> list[str]:
        """Every stored key under ``prefix`` (a folder: it ends with "/"), sorted. Meant for small folders (the
        renders of one procedure), not for walking a whole store."""
        ...


class SmsSender(Protocol):
    def send_sms(self, to: str, body: str, *, key: str | None = None) -> None:
        """``key``: the same key twice is one message (a retried notification is not sent twice where the
        channel allows it)."""


class EmailSender(Protocol):
    def send_email(self, to: str, subject: str, text: str, html: str | None = None, *, key: str | None = None) -> None:
        ...


class SentMessageLog(Protocol):
    """The local outbox of SMS and e-mail (embedded default, dev page only)."""

    def recent(self, limit: int = 50) -> list[SentMessage]: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class CheckedFile(Protocol):
    data: bytes
    content_type: str
    extension: str
    filename: str
    size: int
    sha256: str


class UploadChecker(Protocol):
    """Decides what an uploaded file really is and returns sanitised bytes, or raises a 4xx domain error."""

    def check(self, data: bytes, filename: str) -> CheckedFile: ...



Box = tuple[float, float, float, float]  # PDF points, lower-left origin


@dataclass(frozen=True)
class SignatureRequest:
    """What to sign with, what the visible stamp says and where it goes."""

    signer_name: str  # "Nguyễn Văn Bình"
    signer_title: str  # "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" (lines joined with ", " on the stamp)
    unit_name: str  # "Ủy ban nhân dân phường Trấn Biên"
    signed_at: datetime  # aware; printed in Vietnam time, and the signing time recorded in the signature
    reason: str  # "Phê duyệt kết quả giải quyết hồ sơ H19.23-261126-0001"
    location: str  # "Đồng Nai"
    verify_url: str  # encoded in the stamp's QR code
    page: int  # 0-based page index
    box: Box


class DocumentSigner(Protocol):
    """The signing port (a local CA now; KMS or a remote signing service later): ``pdf`` plus one PAdES signature."""

    def sign(self, pdf: bytes, request: SignatureRequest, *, official_id: str, email: str | None = None) -> bytes: ...


@dataclass(frozen=True)
class SignerInfo:
    """Who signed: the certificate's common name and organisation, and the signing time the signer recorded."""

    name: str
    unit: str | None
    signed_at: datetime | None


@dataclass(frozen=True)
class VerificationResult:
    """The verdict on a signed PDF. ``reason`` is one plain Vietnamese sentence for the citizen."""

    valid: bool
    signers: list[SignerInfo]
    modified_after_signing: bool
    reason: str


class SignatureVerifier(Protocol):
    def verify(self, data: bytes) -> VerificationResult:
        """Never raises, whatever the bytes."""



@dataclass(frozen=True)
class GatewayCallback:
    txn_ref: str
    report: GatewayReport


class CallbackRejected(Exception):
    """A callback that cannot be trusted: ``code`` is the protocol's reply (97 bad signature, 99 malformed)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class GatewayUnavailable(Exception):
    """The gateway's query/refund API did not answer usably (network, HTTP error, bad signature)."""


class PaymentGateway(Protocol):
    name: str

    def payment_url(self, *, txn_ref: str, amount_vnd: int, order_info: str, ip: str, created_at: datetime,
                    expire_at: datetime, locale: str) -> str: ...

    def parse_callback(self, query: Mapping[str, str]) -> GatewayCallback:
        """Check and read an IPN or return-URL query; raises CallbackRejected."""

    def query(self, *, txn_ref: str, created_at: datetime, ip: str) -> GatewayReport | None:
        """The gateway's own record of an order (None: it has none); raises GatewayUnavailable."""

    def refund(self, *, txn_ref: str, amount_vnd: int, transaction_no: str, transaction_date: datetime,
               created_by: str, ip: str) -> bool:
        """True when the gateway accepted the refund; raises GatewayUnavailable."""
