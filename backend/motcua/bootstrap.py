"""The composition root: the one place that chooses adapters (from Settings) and wires them into services.

Two runtimes differ only in :class:`RuntimeAdapters` (store, files, SMS/e-mail, signer, verifier):
``_embedded_adapters`` (SQLite, a folder, the local message log, the development CA) and ``_aws_container``
(DynamoDB, S3, SNS/SES, KMS). ``_compose`` wires everything else once, for both — the services, the outbox
worker's topic map (run in-process when embedded; by the SQS consumer on AWS), the periodic jobs.
The AWS runtime adds :class:`AwsServices` (outbox relay, queue consumer, upload check, presigned links) used by
the Lambda functions in ``functions/``, and ``Container.direct_uploads`` (upload forms and the complete call of
``services/direct_uploads.py``; None when embedded, which ``GET /api/v1/config`` reports as ``direct_uploads``).

AWS modules (boto3) are imported only when ``runtime == "aws"``, and on AWS the signer and verifier (pyHanko,
about half of the import time) are built on their first use: the functions that never sign start faster.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from motcua.adapters.calendar_file import load_calendar
from motcua.adapters.catalog_files import load_catalog
from motcua.adapters.local_files import LocalFileStore
from motcua.adapters.message_log import SqliteMessageLog
from motcua.adapters.passkey_stores import UowChallengeStore, UowPasskeyStore
from motcua.adapters.push_channel import WebPushChannel
from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory
from motcua.adapters.upload_inspection import UploadLimits, inspect_upload, refusal
from motcua.adapters.vnpay import VnpayConfig
from motcua.adapters.vnpay_gateway import VnpayGateway
from motcua.adapters.webpush_sender import VapidKeys
from motcua.config import Settings
from motcua.domain.calendar import WorkingCalendar
from motcua.domain.catalog import Catalog
from motcua.services.assistant import AssistantService
from motcua.services.auth import AuthService
from motcua.services.counter_intake import CounterIntakeService
from motcua.services.deadlines import DeadlineSweep
from motcua.services.direct_uploads import DirectUploadService
from motcua.services.dossiers import DossierService
from motcua.services.feedback import FeedbackService
from motcua.services.housekeeping import HousekeepingService
from motcua.services.notification_center import NotificationCenter
from motcua.services.notifications import NotificationDispatcher
from motcua.services.official_auth import OfficialAuthService
from motcua.services.outbox_worker import OutboxWorker
from motcua.services.passkeys import PasskeyService, relying_party_for
from motcua.services.payment_receipts import PaymentReceiptService
from motcua.services.payments import PaymentService
from motcua.services.ports import (
    CheckedFile,
    Clock,
    DocumentSigner,
    EmailSender,
    FileStore,
    SentMessageLog,
    SignatureRequest,
    SignatureVerifier,
    SmsSender,
    UnitOfWorkFactory,
    VerificationResult,
)
from motcua.services.ratings import RatingService
from motcua.services.receipts import ReceiptService
from motcua.services.samples import SampleDossierService
from motcua.services.scheduler import PeriodicJobs
from motcua.services.signing import SigningService
from motcua.services.slips import SlipService
from motcua.services.statistics import StatisticsRecorder
from motcua.services.statistics_report import StatisticsReport
from motcua.services.tracking import TrackingService
from motcua.services.upload_check import UploadCheckService
from motcua.services.workflow import WorkflowService

if TYPE_CHECKING:
    from motcua.adapters.aws_clients import AwsClients
    from motcua.adapters.s3_files import S3FileStore
    from motcua.adapters.sqs_outbox import SqsOutboxConsumer, SqsOutboxRelay

T = TypeVar("T")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class InspectingUploadChecker:
    def __init__(self, limits: UploadLimits) -> None:
        self.limits = limits

    def check(self, data: bytes, filename: str) -> CheckedFile:
        return inspect_upload(data, filename, self.limits)


@dataclass
class RuntimeAdapters:
    """What differs between the two runtimes; everything else is wired once, in ``_compose``."""

    uow: UnitOfWorkFactory
    files: FileStore
    sms: SmsSender
    email: EmailSender
    message_log: SentMessageLog | None  # the dev page's view of sent SMS/e-mail (embedded only)
    signer: DocumentSigner
    verifier: SignatureVerifier


@dataclass
class AwsServices:
    """The AWS runtime's own entry points (used by ``functions/``): the outbox relay and queue consumer, the
    check of direct uploads, and the two buckets' presigned links."""

    clients: AwsClients
    relay: SqsOutboxRelay
    consumer: SqsOutboxConsumer
    upload_check: UploadCheckService
    uploads: S3FileStore  # presigned POST forms for phones (incoming/)
    results: S3FileStore  # the file port; presigned GET for results and receipts


class _Lazy(Generic[T]):
    """Builds an object on first use, once, even when several threads ask at the same time."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value


class LazySigner:
    """A ``DocumentSigner`` built on the first signature (pyHanko and the key directory load then)."""

    def __init__(self, build: Callable[[], DocumentSigner]) -> None:
        self._signer = _Lazy(build)

    def sign(self, pdf: bytes, request: SignatureRequest, *, official_id: str, email: str | None = None) -> bytes:
        return self._signer.get().sign(pdf, request, official_id=official_id, email=email)


class LazyVerifier:
    """A ``SignatureVerifier`` built on the first verification."""

    def __init__(self, build: Callable[[], SignatureVerifier]) -> None:
        self._verifier = _Lazy(build)

    def verify(self, data: bytes) -> VerificationResult:
        return self._verifier.get().verify(data)


@dataclass
class Container:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
    catalog: Catalog
    calendar: WorkingCalendar
    auth: AuthService
    dossiers: DossierService
    tracking: TrackingService
    receipts: ReceiptService
    files: FileStore
    slips: SlipService
    workflow: WorkflowService
    counter_intake: CounterIntakeService
    official_auth: OfficialAuthService
    passkeys: PasskeyService
    signing: SigningService
    verifier: SignatureVerifier
    worker: OutboxWorker
    sweep: DeadlineSweep
    periodic: PeriodicJobs
    message_log: SentMessageLog | None
    push: WebPushChannel
    notification_center: NotificationCenter
    payments: PaymentService
    payment_receipts: PaymentReceiptService
    samples: SampleDossierService
    assistant: AssistantService
    ratings: RatingService
    feedback: FeedbackService
    statistics: StatisticsRecorder
    stats: StatisticsReport
    housekeeping: HousekeepingService
    aws: AwsServices | None = None
    direct_uploads: DirectUploadService | None = None  # phones upload straight to storage (aws runtime only)


_static_cache: dict[str, object] = {}


def _static_data() -> tuple[Catalog, WorkingCalendar]:
    # Catalog and calendar are read-only data: load once per process, share between apps (tests build many).
    if not _static_cache:
        _static_cache["catalog"] = load_catalog()
        calendar = load_calendar()
        calendar.is_working_day(datetime.now(UTC).date())  # loads this year's holidays now, not on a first submit
        _static_cache["calendar"] = calendar
    return _static_cache["catalog"], _static_cache["calendar"]  # type: ignore[return-value]


def bootstrap(settings: Settings, *, clock: Clock | None = None) -> Container:
    """The container for ``settings.runtime``: "embedded" (SQLite + folder) or "aws" (DynamoDB, S3, SQS …)."""
    clock = clock or SystemClock()
    if settings.runtime == "embedded":
        return _compose(settings, clock, _embedded_adapters(settings, clock))
    if settings.runtime == "aws":
        return _aws_container(settings, clock)
    raise ValueError(f"MOTCUA_RUNTIME={settings.runtime!r} is unknown; use 'embedded' or 'aws'")


def _embedded_adapters(settings: Settings, clock: Clock) -> RuntimeAdapters:
    from motcua.adapters.local_ca import LocalCertificateAuthority
    from motcua.adapters.pades_signer import LocalPadesSigner
    from motcua.adapters.pades_verifier import PadesVerifier

    messages = SqliteMessageLog(settings.data_dir / "messages.sqlite3", clock)
    # The development CA of the embedded default; production signs with KMS keys behind the same port.
    ca = LocalCertificateAuthority(settings.data_dir / "ca")
    return RuntimeAdapters(
        uow=SqliteUnitOfWorkFactory(Database(settings.database_path, synchronous=settings.sqlite_synchronous)),
        files=LocalFileStore(settings.files_dir),
        sms=messages,
        email=messages,
        message_log=messages if settings.dev_mode else None,
        signer=LocalPadesSigner(ca),
        verifier=PadesVerifier([ca.root_certificate]),
    )


def _compose(settings: Settings, clock: Clock, adapters: RuntimeAdapters) -> Container:
    """The wiring both runtimes share."""
    catalog, calendar = _static_data()
    uow, files = adapters.uow, adapters.files
    uploads = InspectingUploadChecker(UploadLimits(max_bytes=settings.max_upload_bytes))
    push = WebPushChannel(VapidKeys.from_pem(settings.vapid_private_key) if settings.vapid_private_key
                          else VapidKeys.load_or_create(settings.data_dir), allow_loopback=settings.dev_mode)
    auth = AuthService(uow, clock, adapters.sms, settings.secret_key, timedelta(days=settings.session_ttl_days))
    gateway = VnpayGateway(VnpayConfig(
        tmn_code=settings.vnpay_tmn_code, hash_secret=settings.vnpay_hash_secret, pay_url=settings.vnpay_url,
        api_url=settings.vnpay_api_url, return_url=f"{settings.public_base_url}/api/v1/payments/vnpay/return"))
    payments = PaymentService(uow, catalog, clock, gateway)
    notify = NotificationDispatcher(uow, catalog, clock, push, adapters.sms, adapters.email, settings.public_base_url)
    statistics = StatisticsRecorder(uow, catalog, calendar, clock)
    worker = OutboxWorker(uow, clock, {
        "dossier.submitted": [statistics],
        "dossier.status_changed": [notify, payments.on_dossier_closed, statistics],
        "dossier.step": [notify, statistics],
        "dossier.at_risk": [notify],
        "dossier.reminder": [notify],
        "payment.confirmed": [payments.on_confirmed, notify],
        "payment.refunded": [notify],
        # The public side's events: notices to people, and the statistics counters.
        "rating.submitted": [notify, statistics],
        "feedback.submitted": [notify, statistics],
        "feedback.answered": [notify, statistics],
    })
    sweep = DeadlineSweep(uow, calendar, clock)
    housekeeping = HousekeepingService(uow, clock)
    workflow = WorkflowService(uow, catalog, calendar, clock, files)
    dossiers = DossierService(uow, catalog, calendar, files, clock, uploads)
    samples = SampleDossierService(catalog, files, settings.public_base_url)
    rp_id, origin = relying_party_for(settings.webauthn_origin)
    passkeys = PasskeyService(UowPasskeyStore(uow), UowChallengeStore(uow), clock, rp_id=rp_id,
                              rp_name="Dịch vụ công Đồng Nai", origin=origin)
    return Container(
        settings=settings,
        clock=clock,
        uow=uow,
        catalog=catalog,
        calendar=calendar,
        auth=auth,
        dossiers=dossiers,
        tracking=TrackingService(uow, clock),
        receipts=ReceiptService(catalog, files, settings.public_base_url),
        files=files,
        slips=SlipService(uow, catalog, settings.public_base_url),
        workflow=workflow,
        counter_intake=CounterIntakeService(uow, clock, dossiers, workflow),
        official_auth=OfficialAuthService(uow, clock, passkeys, timedelta(hours=12)),
        passkeys=passkeys,
        signing=SigningService(uow, catalog, calendar, clock, files, passkeys, adapters.signer, workflow,
                               settings.public_base_url),
        verifier=adapters.verifier,
        worker=worker,
        sweep=sweep,
        periodic=PeriodicJobs([(300.0, sweep.run), (60.0, payments.reconcile), (3600.0, housekeeping.run)]),
        message_log=adapters.message_log,
        push=push,
        notification_center=NotificationCenter(uow, clock, allow_local_push=settings.dev_mode),
        payments=payments,
        payment_receipts=PaymentReceiptService(uow, catalog, files, settings.public_base_url),
        samples=samples,
        assistant=AssistantService(catalog, samples, uow, clock),
        ratings=RatingService(uow, clock),
        feedback=FeedbackService(uow, catalog, calendar, clock, files, uploads),
        statistics=statistics,
        stats=StatisticsReport(uow, catalog, clock),
        housekeeping=housekeeping,
    )


def _aws_container(settings: Settings, clock: Clock) -> Container:
    from motcua.adapters.aws_clients import AwsClients, AwsConfig
    from motcua.adapters.dynamodb_store import DynamoConfig, DynamoStore, DynamoUnitOfWorkFactory
    from motcua.adapters.kms_signer import KmsKeys
    from motcua.adapters.s3_files import S3DirectUploads, S3FileStore, S3UploadInbox
    from motcua.adapters.send_ledger import S3SendLedger
    from motcua.adapters.ses_email import SesEmailSender
    from motcua.adapters.sns_sms import SnsSmsSender
    from motcua.adapters.sqs_outbox import SqsOutboxConsumer, SqsOutboxRelay

    aws = settings.aws
    missing = aws.missing()
    if missing:
        raise ValueError(f"MOTCUA_RUNTIME=aws needs {', '.join(missing)}")
    if not settings.dev_mode and not settings.vapid_private_key:
        raise ValueError("MOTCUA_RUNTIME=aws in production needs VAPID_PRIVATE_KEY (a generated key would not "
                         "outlive the Lambda instance, and push subscriptions are bound to it)")
    clients = AwsClients(AwsConfig(region=aws.region, endpoint_url=aws.endpoint_url))
    kms_files_key = aws.files_kms_key_id or None
    results = S3FileStore(clients, aws.results_bucket, kms_key_id=kms_files_key)
    ledger = S3SendLedger(clients, aws.results_bucket)
    keys = KmsKeys(clients, alias_prefix=aws.kms_key_alias_prefix, create_missing=aws.kms_create_keys,
                   key_spec=aws.kms_key_spec)
    signing = _AwsSigning(settings, clients, keys, results)
    adapters = RuntimeAdapters(
        uow=DynamoUnitOfWorkFactory(store=DynamoStore(DynamoConfig(table_prefix=aws.table_prefix, region=aws.region,
                                                                   endpoint_url=aws.endpoint_url), clients)),
        files=results,
        sms=SnsSmsSender(clients, ledger, sender_id=aws.sms_sender_id),
        email=SesEmailSender(clients, ledger, sender=aws.email_sender, configuration_set=aws.ses_configuration_set),
        message_log=None,
        signer=LazySigner(signing.signer),
        verifier=LazyVerifier(signing.verifier),
    )
    container = _compose(settings, clock, adapters)
    limits = UploadLimits(max_bytes=settings.max_upload_bytes)
    inbox = S3UploadInbox(clients, aws.uploads_bucket, quarantine_bucket=aws.quarantine_bucket or None,
                          kms_key_id=kms_files_key)
    uploads = S3FileStore(clients, aws.uploads_bucket, kms_key_id=kms_files_key)
    upload_check = UploadCheckService(inbox, InspectingUploadChecker(limits), max_bytes=limits.max_bytes)
    container.aws = AwsServices(
        clients=clients,
        relay=SqsOutboxRelay(adapters.uow, clock, clients, aws.outbox_queue_url),
        consumer=SqsOutboxConsumer(container.worker, clock, clients),
        upload_check=upload_check,
        uploads=uploads,
        results=results,
    )
    container.direct_uploads = DirectUploadService(
        container.dossiers, S3DirectUploads(uploads, inbox, results), upload_check, secret=settings.secret_key,
        max_bytes=limits.max_bytes, explain=lambda code: refusal(code, limits))
    return container


class _AwsSigning:
    """Builds the KMS signer and the verifier on first use, with the certificates ``MOTCUA_SIGNING_CERTS`` names:
    the development CA under ``<data dir>/ca`` ("local") or the PEMs in the results bucket ("stored")."""

    TRUST_ROOTS_KEY = "signing-certs/trust-roots.pem"

    def __init__(self, settings: Settings, clients: AwsClients, keys: Any, files: FileStore) -> None:
        self._settings, self._clients, self._keys, self._files = settings, clients, keys, files
        self._ca = _Lazy(self._local_ca)

    def _local_ca(self) -> Any:
        from motcua.adapters.local_ca import LocalCertificateAuthority

        return LocalCertificateAuthority(self._settings.data_dir / "ca")

    def signer(self) -> DocumentSigner:
        from motcua.adapters.kms_signer import KmsPadesSigner, LocalCaCertificates, StoredCertificates

        if self._settings.aws.signing_certs == "local":
            return KmsPadesSigner(self._clients, self._keys, LocalCaCertificates(self._ca.get()))
        return KmsPadesSigner(self._clients, self._keys, StoredCertificates(self._files, self._keys))

    def verifier(self) -> SignatureVerifier:
        from cryptography import x509

        from motcua.adapters.pades_verifier import PadesVerifier

        if self._settings.aws.signing_certs == "local":
            return PadesVerifier([self._ca.get().root_certificate])
        pem = self._files.get(self.TRUST_ROOTS_KEY)
        if pem is None:
            raise LookupError(f"no trust roots at {self.TRUST_ROOTS_KEY} in the results bucket")
        return PadesVerifier(x509.load_pem_x509_certificates(pem))
