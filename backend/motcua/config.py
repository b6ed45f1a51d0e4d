"""Settings from the environment, read in one place. Every variable is listed in the README.

The AWS runtime (``MOTCUA_RUNTIME=aws``) reads these as well (:class:`AwsSettings`):

=================================  ======================================================================
``AWS_REGION``                     region of every client (set by Lambda); default ``ap-southeast-1``
``AWS_ENDPOINT_URL``               one endpoint for every service (moto in tests / local); unset on AWS
``MOTCUA_TABLE_PREFIX``            DynamoDB table name prefix (``motcua-``): ``<prefix>records``, ``<prefix>audit``
``MOTCUA_RESULTS_BUCKET``          private bucket of the file port: attachments, signed results, the send ledger
                                   (``ledger/``) and, in production, officials' certificates (``signing-certs/``)
``MOTCUA_UPLOADS_BUCKET``          private bucket phones upload to (presigned POST, ``incoming/``) and where checked
                                   (``checked/``) and quarantined (``quarantine/``) uploads go
``MOTCUA_QUARANTINE_BUCKET``       optional: quarantine in a bucket of its own
``MOTCUA_FILES_KMS_KEY_ID``        optional: SSE-KMS key for stored files (default SSE-S3, AES256)
``MOTCUA_OUTBOX_QUEUE_URL``        SQS queue the outbox relay sends to and ``functions/queue_consumer`` drains
``MOTCUA_KMS_KEY_ALIAS_PREFIX``    officials' signing keys are ``alias/<prefix><official id>`` (``motcua/officials/``)
``MOTCUA_KMS_KEY_SPEC``            ``ECC_NIST_P256`` (default) or ``RSA_2048`` for keys created in development
``MOTCUA_KMS_CREATE_KEYS``         create a missing signing key on first use (default: on in development only)
``MOTCUA_SIGNING_CERTS``           ``local`` (the development CA certifies KMS keys; default in development) or
                                   ``stored`` (PEMs under ``signing-certs/`` in the results bucket; production)
``MOTCUA_SMS_SENDER_ID``           SNS SMS sender id / brand name (``DONGNAI``)
``MOTCUA_EMAIL_SENDER``            verified SES sender address
``MOTCUA_SES_CONFIGURATION_SET``   optional SES configuration set (bounce and complaint events)
``MOTCUA_DOWNLOAD_URL_TTL``        lifetime in seconds of presigned download links (300)
=================================  ======================================================================
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class AwsSettings:
    """Where the AWS runtime's resources are (see the module docstring for the variables)."""

    region: str = "ap-southeast-1"
    endpoint_url: str | None = None
    table_prefix: str = "motcua-"
    results_bucket: str = ""
    uploads_bucket: str = ""
    quarantine_bucket: str = ""
    files_kms_key_id: str = ""
    outbox_queue_url: str = ""
    kms_key_alias_prefix: str = "motcua/officials/"
    kms_key_spec: str = "ECC_NIST_P256"
    kms_create_keys: bool = False
    signing_certs: str = "local"  # "local" | "stored"
    sms_sender_id: str = "DONGNAI"
    email_sender: str = ""
    ses_configuration_set: str = ""
    download_url_ttl: int = 300

    @classmethod
    def from_env(cls, env: dict[str, str], *, production: bool) -> AwsSettings:
        signing_certs = env.get("MOTCUA_SIGNING_CERTS") or ("stored" if production else "local")
        if signing_certs not in {"local", "stored"}:
            raise ValueError("MOTCUA_SIGNING_CERTS must be 'local' or 'stored'")
        return cls(
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "ap-southeast-1",
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            table_prefix=env.get("MOTCUA_TABLE_PREFIX", "motcua-"),
            results_bucket=env.get("MOTCUA_RESULTS_BUCKET", ""),
            uploads_bucket=env.get("MOTCUA_UPLOADS_BUCKET", ""),
            quarantine_bucket=env.get("MOTCUA_QUARANTINE_BUCKET", ""),
            files_kms_key_id=env.get("MOTCUA_FILES_KMS_KEY_ID", ""),
            outbox_queue_url=env.get("MOTCUA_OUTBOX_QUEUE_URL", ""),
            kms_key_alias_prefix=env.get("MOTCUA_KMS_KEY_ALIAS_PREFIX", "motcua/officials/"),
            kms_key_spec=env.get("MOTCUA_KMS_KEY_SPEC", "ECC_NIST_P256"),
            kms_create_keys=_bool(env.get("MOTCUA_KMS_CREATE_KEYS"), not production),
            signing_certs=signing_certs,
            sms_sender_id=env.get("MOTCUA_SMS_SENDER_ID", "DONGNAI"),
            email_sender=env.get("MOTCUA_EMAIL_SENDER", ""),
            ses_configuration_set=env.get("MOTCUA_SES_CONFIGURATION_SET", ""),
            download_url_ttl=int(env.get("MOTCUA_DOWNLOAD_URL_TTL", "300")),
        )

    def missing(self) -> list[str]:
        """The variables the AWS runtime cannot start without."""
        required = {"MOTCUA_RESULTS_BUCKET": self.results_bucket, "MOTCUA_UPLOADS_BUCKET": self.uploads_bucket,
                    "MOTCUA_OUTBOX_QUEUE_URL": self.outbox_queue_url, "MOTCUA_EMAIL_SENDER": self.email_sender}
        return [name for name, value in required.items() if not value]


@dataclass(frozen=True)
class Settings:
    env: str = "development"  # "development" | "production"
    runtime: str = "embedded"  # "embedded" (SQLite + folder) | "aws" (DynamoDB, S3, SQS, SNS, SES, KMS)
    data_dir: Path = REPO_ROOT / "var"
    pwa_dist: Path = REPO_ROOT / "pwa" / "dist"
    public_base_url: str = "http://127.0.0.1:8080"
    # Passkeys need a host name, not an IP address: officials use http://localhost:<port> in development.
    webauthn_origin: str = "http://localhost:8080"
    sqlite_synchronous: str = "FULL"
    secret_key: bytes = b""
    vapid_private_key: bytes = b""  # PEM; generated under var/ when not given
    vnpay_tmn_code: str = "MOTCUA01"
    vnpay_hash_secret: str = ""  # development: derived from the secret key (the sandbox derives the same)
    vnpay_url: str = ""  # the gateway's payment page; default: the local sandbox
    vnpay_api_url: str = ""  # querydr / refund API; default: the local sandbox
    payment_sandbox_port: int = 8090
    max_upload_bytes: int = 10 * 1024 * 1024
    session_ttl_days: int = 30
    start_worker: bool = True
    secure_cookies: bool = False
    aws: AwsSettings = field(default_factory=AwsSettings)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def dev_mode(self) -> bool:
        return self.env != "production"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "motcua.sqlite3"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if environ is None else environ)
        mode = env.get("MOTCUA_ENV", "development")
        if mode not in {"development", "production"}:
            raise ValueError("MOTCUA_ENV must be 'development' or 'production'")
        data_dir = Path(env.get("MOTCUA_DATA_DIR") or REPO_ROOT / "var")
        port = env.get("PORT", "8080")
        runtime = env.get("MOTCUA_RUNTIME", "embedded")
        values: dict[str, object] = {
            "env": mode,
            "runtime": runtime,
            "data_dir": data_dir,
            "pwa_dist": Path(env.get("MOTCUA_PWA_DIST") or REPO_ROOT / "pwa" / "dist"),
            "public_base_url": env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}",
            "webauthn_origin": env.get("WEBAUTHN_ORIGIN") or f"http://localhost:{port}",
            "sqlite_synchronous": env.get("SQLITE_SYNCHRONOUS", "FULL"),
            "max_upload_bytes": int(env.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
            "session_ttl_days": int(env.get("SESSION_TTL_DAYS", "30")),
            # On AWS the queue consumer and EventBridge schedules do the worker's job.
            "start_worker": _bool(env.get("MOTCUA_START_WORKER"), runtime != "aws"),
            "secure_cookies": _bool(env.get("SECURE_COOKIES"), mode == "production"),
            "vapid_private_key": env.get("VAPID_PRIVATE_KEY", "").encode(),
            "vnpay_tmn_code": env.get("VNPAY_TMN_CODE", "MOTCUA01"),
            "vnpay_url": env.get("VNPAY_URL", ""),
            "vnpay_api_url": env.get("VNPAY_API_URL", ""),
            "payment_sandbox_port": int(env.get("PAYMENT_SANDBOX_PORT", "8090")),
            "aws": AwsSettings.from_env(env, production=mode == "production"),
        }
        values.update(overrides)
        secret = env.get("SECRET_KEY")
        if "secret_key" not in values:
            values["secret_key"] = secret.encode() if secret else _local_secret(Path(str(values["data_dir"])))
        settings = cls(**values)  # type: ignore[arg-type]
        sandbox = f"http://127.0.0.1:{settings.payment_sandbox_port}"
        return replace(
            settings,
            vnpay_hash_secret=env.get("VNPAY_HASH_SECRET") or hmac.new(
                settings.secret_key, b"vnpay-sandbox", hashlib.sha256).hexdigest()[:32],
            vnpay_url=settings.vnpay_url or f"{sandbox}/paymentv2/vpcpay.html",
            vnpay_api_url=settings.vnpay_api_url or f"{sandbox}/merchant_webapi/api/transaction",
        )


def _local_secret(data_dir: Path) -> bytes:
    """Generated on first run under var/ (never committed); production passes SECRET_KEY instead."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32).encode()
    # O_EXCL: two processes starting together must end up with the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as fh:
        fh.write(value)
    return value
