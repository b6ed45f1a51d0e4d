"""Settings from the environment, read in one place. Every variable is listed in the README."""

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
class Settings:
    env: str = "development"  # "development" | "production"
    runtime: str = "embedded"  # "embedded" (SQLite + folder) | "aws" (a later slice)
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
        values: dict[str, object] = {
            "env": mode,
            "runtime": env.get("MOTCUA_RUNTIME", "embedded"),
            "data_dir": data_dir,
            "pwa_dist": Path(env.get("MOTCUA_PWA_DIST") or REPO_ROOT / "pwa" / "dist"),
            "public_base_url": env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}",
            "webauthn_origin": env.get("WEBAUTHN_ORIGIN") or f"http://localhost:{port}",
            "sqlite_synchronous": env.get("SQLITE_SYNCHRONOUS", "FULL"),
            "max_upload_bytes": int(env.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
            "session_ttl_days": int(env.get("SESSION_TTL_DAYS", "30")),
            "start_worker": _bool(env.get("MOTCUA_START_WORKER"), True),
            "secure_cookies": _bool(env.get("SECURE_COOKIES"), mode == "production"),
            "vapid_private_key": env.get("VAPID_PRIVATE_KEY", "").encode(),
            "vnpay_tmn_code": env.get("VNPAY_TMN_CODE", "MOTCUA01"),
            "vnpay_url": env.get("VNPAY_URL", ""),
            "vnpay_api_url": env.get("VNPAY_API_URL", ""),
            "payment_sandbox_port": int(env.get("PAYMENT_SANDBOX_PORT", "8090")),
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
