"""The composition root: the one place that chooses adapters (from Settings) and wires them into services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from motcua.adapters.calendar_file import load_calendar
from motcua.adapters.catalog_files import load_catalog
from motcua.adapters.lazy import Lazy
from motcua.adapters.local_ca import LocalCertificateAuthority
from motcua.adapters.local_files import LocalFileStore
from motcua.adapters.message_log import SqliteMessageLog
from motcua.adapters.passkey_stores import UowChallengeStore, UowPasskeyStore
from motcua.adapters.push_channel import WebPushChannel
from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory
from motcua.adapters.upload_inspection import UploadLimits, inspect_upload
from motcua.adapters.vnpay import VnpayConfig
from motcua.adapters.vnpay_gateway import VnpayGateway
from motcua.adapters.webpush_sender import VapidKeys
from motcua.config import Settings
from motcua.domain.calendar import WorkingCalendar
from motcua.domain.catalog import Catalog
from motcua.services.auth import AuthService
from motcua.services.counter_intake import CounterIntakeService
from motcua.services.deadlines import DeadlineSweep
from motcua.services.dossiers import DossierService
from motcua.services.housekeeping import HousekeepingService
from motcua.services.notification_center import NotificationCenter
from motcua.services.notifications import NotificationDispatcher
from motcua.services.official_auth import OfficialAuthService
from motcua.services.outbox_worker import OutboxWorker
from motcua.services.passkeys import PasskeyService, relying_party_for
from motcua.services.payment_receipts import PaymentReceiptService
from motcua.services.payments import PaymentService
from motcua.services.ports import CheckedFile, Clock, FileStore, SentMessageLog, SignatureVerifier, UnitOfWorkFactory
from motcua.services.receipts import ReceiptService
from motcua.services.scheduler import PeriodicJobs
from motcua.services.signing import SigningService
from motcua.services.slips import SlipService
from motcua.services.tracking import TrackingService
from motcua.services.workflow import WorkflowService


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class InspectingUploadChecker:
    def __init__(self, limits: UploadLimits) -> None:
        self.limits = limits

    def check(self, data: bytes, filename: str) -> CheckedFile:
        return inspect_upload(data, filename, self.limits)


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
    if settings.runtime != "embedded":
        raise ValueError(f"MOTCUA_RUNTIME={settings.runtime!r} is not available in this build; use 'embedded'")
    clock = clock or SystemClock()
    catalog, calendar = _static_data()
    db = Database(settings.database_path, synchronous=settings.sqlite_synchronous)
    uow = SqliteUnitOfWorkFactory(db)
    files = LocalFileStore(settings.files_dir)
    messages = SqliteMessageLog(settings.data_dir / "messages.sqlite3", clock)
    uploads = InspectingUploadChecker(UploadLimits(max_bytes=settings.max_upload_bytes))
    push = WebPushChannel(VapidKeys.from_pem(settings.vapid_private_key) if settings.vapid_private_key
                          else VapidKeys.load_or_create(settings.data_dir), allow_loopback=settings.dev_mode)
    auth = AuthService(uow, clock, messages, settings.secret_key, timedelta(days=settings.session_ttl_days))
    gateway = VnpayGateway(VnpayConfig(
        tmn_code=settings.vnpay_tmn_code, hash_secret=settings.vnpay_hash_secret, pay_url=settings.vnpay_url,
        api_url=settings.vnpay_api_url, return_url=f"{settings.public_base_url}/api/v1/payments/vnpay/return"))
    payments = PaymentService(uow, catalog, clock, gateway)
    notify = NotificationDispatcher(uow, catalog, clock, push, messages, messages, settings.public_base_url)
    worker = OutboxWorker(uow, clock, {
        "dossier.status_changed": [notify, payments.on_dossier_closed],
        "dossier.step": [notify],
        "dossier.at_risk": [notify],
        "dossier.reminder": [notify],
        "payment.confirmed": [payments.on_confirmed, notify],
        "payment.refunded": [notify],
    })
    sweep = DeadlineSweep(uow, calendar, clock)
    workflow = WorkflowService(uow, catalog, calendar, clock, files)
    dossiers = DossierService(uow, catalog, calendar, files, clock, uploads)
    # The development CA of the embedded default; production signs with KMS keys behind the same port.
    ca = LocalCertificateAuthority(settings.data_dir / "ca")
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
        signing=SigningService(uow, catalog, calendar, clock, files, passkeys, Lazy(lambda: _pades_signer(ca)),
                               workflow, settings.public_base_url),
        verifier=Lazy(lambda: _pades_verifier([ca.root_certificate])),
        worker=worker,
        sweep=sweep,
        periodic=PeriodicJobs([(300.0, sweep.run), (60.0, payments.reconcile),
                               (3600.0, HousekeepingService(uow, clock).run)]),
        message_log=messages if settings.dev_mode else None,
        push=push,
        notification_center=NotificationCenter(uow, clock, allow_local_push=settings.dev_mode),
        payments=payments,
        payment_receipts=PaymentReceiptService(uow, catalog, files, settings.public_base_url),
    )


# pyHanko and fontTools load when the first signature is made or checked, not on every cold start (adapters/lazy.py).
def _pades_signer(ca: LocalCertificateAuthority) -> object:
    from motcua.adapters.pades_signer import LocalPadesSigner

    return LocalPadesSigner(ca)


def _pades_verifier(trust_roots: list) -> object:  # type: ignore[type-arg]
    from motcua.adapters.pades_verifier import PadesVerifier

    return PadesVerifier(trust_roots)
