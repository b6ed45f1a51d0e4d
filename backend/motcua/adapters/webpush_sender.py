"""Web Push (RFC 8030 / 8291 / 8292) sender: one encrypted, VAPID-signed notification per call, never an exception
for what the push service answers.

The citizen's browser gives us a ``PushSubscription`` (endpoint URL + ``p256dh`` + ``auth``); :class:`WebPushSender`
encrypts a small JSON payload for it (``aes128gcm``, via pywebpush's ``WebPusher.encode``), signs a VAPID JWT with
the application server key (:class:`VapidKeys`, py_vapid) and POSTs it. The answer becomes a :class:`PushOutcome`:
delivered, gone (delete the subscription), or retry later.

Why not pywebpush's one-call ``webpush()``: it mutates the ``vapid_claims`` dict it is given (adds ``aud``/``exp``,
so a shared dict signs the *first* push service's origin for every later one), re-reads a PEM path on every call,
defaults TTL to 0, raises on HTTP errors and follows redirects. We use its encryption and py_vapid's signer, and
do the request ourselves: a fresh claims dict per call, a ``Vapid`` object loaded once, explicit TTL / Urgency /
Topic headers, no redirects, a capped response read, and keep-alive sessions.

Endpoints are attacker-supplied (anyone can POST a subscription), so before any request :func:`check_target`
refuses anything but ``https`` to a public host: no private / link-local / reserved IP literals (in any spelling
``inet_aton`` accepts, e.g. ``http://2130706433``), no single-label intranet names, no userinfo, nothing a URL
parser could read two ways. Plain ``http`` and loopback are allowed only for ``127.0.0.1`` / ``::1`` /
``localhost`` when ``allow_loopback`` is true (the default, for the tests' local push service; pass ``False`` in
production). A DNS name that *resolves* to a private address is not caught here: restrict egress at the network
level, or check endpoints against the known push services at subscription time.

Payload size: push services accept at most 4096 bytes of encrypted body, i.e. 3993 bytes of plaintext with one
``aes128gcm`` record (RFC 8291 §4: 86-byte header + 1 padding delimiter + 16-byte tag). A payload that is too big is
shrunk by :func:`fit_payload`, in this order, stopping as soon as it fits:

1. drop the decorations ``image``, ``actions``, ``badge``, ``icon`` (the service worker has defaults);
2. shorten ``body`` (at a word boundary when one is near, never inside a combining mark) and end it with "…";
3. if not even one character of ``body`` fits: drop ``data``, then shorten ``body`` again;
4. drop ``body``.

Every other key (``title``, ``tag``, ``url``, …) is required; if those alone do not fit, ``ValueError``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email.utils
import ipaddress
import json
import logging
import os
import re
import secrets
import socket
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid, VapidException

logger = logging.getLogger(__name__)

MAX_ENCRYPTED_BYTES = 4096  # what every push service must accept (RFC 8030 §7.2); FCM/Mozilla/Apple use exactly this
# aes128gcm header (salt 16 + record size 4 + key id length 1 + sender key 65) + padding delimiter 1 + GCM tag 16.
_ENCRYPTION_OVERHEAD = 86 + 1 + 16
MAX_PLAINTEXT_BYTES = MAX_ENCRYPTED_BYTES - _ENCRYPTION_OVERHEAD  # 3993

URGENCIES = ("very-low", "low", "normal", "high")  # RFC 8030 §5.3
_TOPIC_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")  # RFC 8030 §5.4: at most 32 characters of the base64url alphabet
DECORATION_KEYS = ("image", "actions", "badge", "icon")  # dropped first, in this order
ELLIPSIS = "…"

# The JWT lives 12 h: RFC 8292 caps it at 24 h, and some services reject tokens close to that cap under clock skew.
_JWT_LIFETIME_S = 12 * 60 * 60
# Push services answer with a few bytes of JSON at most; an attacker's endpoint must not make us buffer gigabytes.
_MAX_RESPONSE_BYTES = 16 * 1024
_MAX_ENDPOINT_LENGTH = 2048
# Characters an endpoint may contain. Excluding whitespace, "\\", "@" and non-ASCII leaves no room for parser
# differentials between urllib.parse (which we check) and urllib3 (which connects). "%" stays: WNS (Edge) endpoints
# carry a percent-encoded token in the query; it is kept out of the host by _HOST_RE.
_ENDPOINT_CHARS_RE = re.compile(r"[A-Za-z0-9._~:/?#\[\]!$&'()*+,;=%-]+")
_HOST_RE = re.compile(r"[a-z0-9.-]+|[0-9a-f:.]+")  # a DNS name / IPv4 in any inet_aton spelling, or an IPv6 literal
_LOOPBACK_NAMES = ("localhost",)
_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")  # NAT64 embeds an IPv4 address: judge that one

_KEY_FILE = "vapid_private.pem"
_KEY_MODE = 0o600
_DIR_MODE = 0o700


# ---------------------------------------------------------------------------------------------------------------
# Value objects


@dataclass(frozen=True)
class PushTarget:
    """What the browser's ``PushSubscription.toJSON()`` holds: store these three strings per subscription."""

    endpoint: str
    p256dh: str  # base64url, the browser's P-256 public key (uncompressed point, 65 bytes)
    auth: str  # base64url, the 16-byte authentication secret


@dataclass(frozen=True)
class PushOutcome:
    """What became of one push message. Exactly one of delivered / gone / retryable is true, or none of them for a
    permanent failure that is ours to fix (400/401/403/413: bad VAPID key or subject, malformed request)."""

    status: int  # HTTP status from the push service (0 if the request never got an answer)
    delivered: bool  # 2xx
    gone: bool  # 404 or 410: the subscription is dead — the caller deletes it
    retry_after: float | None  # seconds from Retry-After on 429/5xx; None when absent (or not a retry case)

    @property
    def retryable(self) -> bool:
        """True for 429, 5xx and network errors (status 0): try again later, after ``retry_after`` when given,
        else with the caller's own backoff."""
        return self.status == 0 or self.status == 429 or 500 <= self.status <= 599


# ---------------------------------------------------------------------------------------------------------------
# VAPID keys


class VapidKeys:
    """The application server's VAPID key pair (ECDSA P-256). Holds one loaded py_vapid ``Vapid`` object, reused for
    every signature, so the PEM is parsed once per process."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError(f"VAPID keys must be ECDSA P-256, not {private_key.curve.name}")
        self._private_key = private_key
        self.vapid = Vapid(private_key)
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self._public_b64url = _b64url_encode(raw)

    @classmethod
    def generate(cls) -> VapidKeys:
        """A fresh key pair, in memory only."""
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: bytes | str) -> VapidKeys:
        """Keys from a PKCS#8 or SEC1 PEM, e.g. the ``VAPID_PRIVATE_KEY`` environment variable (the caller reads
        it). Surrounding whitespace is tolerated; anything else that is not an unencrypted P-256 key is a
        ``ValueError``."""
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        try:
            key = serialization.load_pem_private_key(data.strip(), password=None)
        except (ValueError, TypeError) as exc:  # TypeError: the PEM is encrypted
            raise ValueError(f"VAPID private key is not a readable unencrypted PEM: {exc}") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID private key must be an EC (P-256) key")
        return cls(key)

    @classmethod
    def load_or_create(cls, directory: Path) -> VapidKeys:
        """Keys from ``directory/vapid_private.pem`` (mode 0600), created on first use.

        Race-safe across processes and threads: the key is written to a private temporary file (``O_EXCL``, 0600)
        and hard-linked into place, which fails if another process got there first, in which case its key is
        loaded. A reader therefore never sees a half-written PEM, and all workers agree on one key — which matters
        because every browser subscription is bound to the public key it was created with.
        """
        directory = Path(directory)
        directory.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        path = directory / _KEY_FILE
        if not path.exists():
            cls._create(path)
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            logger.warning("%s is readable by others (mode %o); it should be 0600", path, mode)
        return cls.from_pem(path.read_bytes())

    @staticmethod
    def _create(path: Path) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _KEY_MODE)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            # Atomic, and refuses to replace: the first writer wins; a loser uses the key already in place.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    @property
    def public_key_b64url(self) -> str:
        """Uncompressed public point, base64url without padding: ``PushManager.subscribe({applicationServerKey})``
        takes this string (decoded to bytes in the page)."""
        return self._public_b64url

    @property
    def private_pem(self) -> bytes:
        """PKCS#8 PEM of the private key (to move the key to a secret store)."""
        return self._private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


# ---------------------------------------------------------------------------------------------------------------
# Validation


def check_target(target: PushTarget, *, allow_loopback: bool = True) -> str:
    """Validate a subscription; return the endpoint's origin (the VAPID ``aud``). ``ValueError`` if unusable.

    Call it when a subscription is registered too, so a bad one is refused at the door rather than at send time.
    """
    origin = _check_endpoint(target.endpoint, allow_loopback=allow_loopback)
    p256dh = _b64url_decode(target.p256dh, "p256dh")
    if len(p256dh) != 65 or p256dh[0] != 4:
        raise ValueError("p256dh must be an uncompressed P-256 point (65 bytes, 0x04 first)")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError as exc:
        raise ValueError("p256dh is not a point on P-256") from exc
    if len(_b64url_decode(target.auth, "auth")) != 16:
        raise ValueError("auth must be 16 bytes")
    return origin


def _check_endpoint(endpoint: str, *, allow_loopback: bool) -> str:
    if not isinstance(endpoint, str) or not endpoint:
        raise ValueError("push endpoint missing")
    if len(endpoint) > _MAX_ENDPOINT_LENGTH:
        raise ValueError("push endpoint too long")
    if not _ENDPOINT_CHARS_RE.fullmatch(endpoint):
        raise ValueError("push endpoint contains characters not allowed (whitespace, @, \\, non-ASCII…)")
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise ValueError("push endpoint must be an https URL")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or not _HOST_RE.fullmatch(host):
        raise ValueError("push endpoint has no usable host")
    port = parts.port  # ValueError for a malformed port, as wanted
    loopback = _is_loopback_or_refuse(host)
    if loopback and not allow_loopback:
        raise ValueError("push endpoint points at this machine")
    if scheme == "http" and not loopback:
        raise ValueError("push endpoint must be https (plain http only for 127.0.0.1/localhost)")
    if ":" in host:
        # py_vapid's `aud` check cannot express a bracketed IPv6 origin, and real push services use names.
        raise ValueError("IPv6-literal push endpoints are not supported")
    default_port = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default_port else "")


def _is_loopback_or_refuse(host: str) -> bool:
    """True for a loopback host; raises for any non-public IP literal or intranet-looking name; False otherwise."""
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    if ":" in host:
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise ValueError("push endpoint host is not a valid IPv6 literal") from exc
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        elif address in _NAT64_PREFIX:
            address = ipaddress.IPv4Address(address.packed[-4:])
    else:
        try:
            # inet_aton accepts every spelling the resolver does ("127.1", "0x7f000001", "2130706433"), so an
            # obfuscated private address cannot pass as a host name.
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            address = None
    if address is None:
        if "." not in host:
            raise ValueError("push endpoint host must be a fully qualified name")
        return False
    if address.is_loopback:
        return True
    if not address.is_global or address.is_multicast:
        raise ValueError("push endpoint must not be a private, link-local or reserved address")
    return False


def _check_options(ttl: int, urgency: str, topic: str | None) -> None:
    if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
        raise ValueError("ttl must be a non-negative integer number of seconds")
    if urgency not in URGENCIES:
        raise ValueError(f"urgency must be one of {', '.join(URGENCIES)}")
    if topic is not None and not _TOPIC_RE.fullmatch(topic):
        raise ValueError("topic must be 1–32 characters of the base64url alphabet (A-Z a-z 0-9 - _)")


# ---------------------------------------------------------------------------------------------------------------
# Payload fitting


def encode_payload(payload: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON: Vietnamese letters stay 2–3 bytes instead of 6-byte ``\\u`` escapes."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def fit_payload(payload: dict[str, Any], limit: int = MAX_PLAINTEXT_BYTES) -> tuple[bytes, list[str]]:
    """Serialise ``payload`` within ``limit`` bytes, shrinking it in the module's documented order.

    Returns the JSON bytes and what was changed (e.g. ``["icon", "body…"]``; empty when it fitted as is).
    The caller's dict is not modified. ``ValueError`` when even the required keys do not fit.
    """
    data = encode_payload(payload)
    if len(data) <= limit:
        return data, []
    work = dict(payload)
    changed: list[str] = []
    for key in DECORATION_KEYS:
        if key in work:
            del work[key]
            changed.append(key)
            data = encode_payload(work)
            if len(data) <= limit:
                return data, changed
    for drop_data in (False, True):
        if drop_data:
            if "data" not in work:
                continue
            del work["data"]
            changed.append("data")
            data = encode_payload(work)
            if len(data) <= limit:
                return data, changed
        body = work.get("body")
        if isinstance(body, str) and body:
            shortened = _shorten(work, body, limit)
            if shortened is not None:
                return shortened, [*changed, "body…"]
    if "body" in work:
        del work["body"]
        changed.append("body")
        data = encode_payload(work)
        if len(data) <= limit:
            return data, changed
    raise ValueError(f"push payload does not fit in {limit} bytes even without optional keys ({len(data)} bytes)")


def _shorten(work: dict[str, Any], body: str, limit: int) -> bytes | None:
    """The longest ``body[:n] + "…"`` (n ≥ 1) that fits, or None."""

    def attempt(n: int) -> bytes:
        return encode_payload({**work, "body": _cut(body, n)})

    lo, hi = 0, len(body) - 1  # hi: the longest strict prefix; the full body is known not to fit
    best: bytes | None = None
    while lo < hi:  # binary search for the largest n in [1, hi] that fits; JSON length grows with n
        mid = (lo + hi + 1) // 2
        candidate = attempt(mid)
        if len(candidate) <= limit:
            best, lo = candidate, mid
        else:
            hi = mid - 1
    if best is None or lo < 1:
        return None
    return best


def _cut(body: str, n: int) -> str:
    # Never separate a base letter from its combining accents (NFD text: "ệ" = e + U+0323 + U+0302).
    while 0 < n < len(body) and unicodedata.combining(body[n]):
        n -= 1
    head = body[:n]
    space = head.rfind(" ")
    if space >= max(1, n - 16):  # a word boundary close by reads better than half a word
        head = head[:space]
    return head.rstrip() + ELLIPSIS


# ---------------------------------------------------------------------------------------------------------------
# Sender


class WebPushSender:
    """Sends Web Push messages. Thread-safe: share one instance across threads.

    Each request borrows a keep-alive ``requests.Session`` from a small free list and returns it afterwards, so a
    session is never used by two threads at once (Session is not documented as thread-safe), connections are
    reused across calls and across short-lived worker threads, and there are never more sessions than concurrent
    sends. The ``Vapid`` signer is stateless and shared.
    """

    def __init__(
        self,
        keys: VapidKeys,
        *,
        subject: str = "mailto:1022@dongnai.gov.vn",
        timeout: float = 10.0,
        allow_loopback: bool = True,
    ) -> None:
        # The push service contacts `sub` when something goes wrong: a mailto: address or a bare https: origin
        # (RFC 8292 §2.1; py_vapid accepts no path). A trial signature now beats a VapidException on every send.
        try:
            keys.vapid.sign({"sub": subject, "aud": "https://push.example", "exp": int(time.time()) + 60})
        except VapidException as exc:
            raise ValueError(f"VAPID subject {subject!r} is not a mailto: address or an https: origin") from exc
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.keys = keys
        self.subject = subject
        self.timeout = timeout
        self.allow_loopback = allow_loopback
        self._idle: list[requests.Session] = []  # sessions not in use right now (LIFO: the warmest first)
        self._lock = threading.Lock()

    # -- public -------------------------------------------------------------------------------------------------

    def send(
        self,
        target: PushTarget,
        payload: dict[str, Any],
        *,
        ttl: int,
        urgency: str = "normal",
        topic: str | None = None,
    ) -> PushOutcome:
        """Encrypt ``payload`` for ``target`` and POST it; map the push service's answer to a :class:`PushOutcome`.

        ``ttl``: seconds the push service keeps the message for an offline device (0 = deliver now or drop).
        ``urgency``: very-low | low | normal | high (devices on battery saver may hold back low ones).
        ``topic``: messages with the same topic replace each other while undelivered (e.g. one per dossier).
        ``ValueError`` for a bad target/option or an unfittable payload; never an exception for HTTP or network.
        """
        request = self.prepare(target, payload, ttl=ttl, urgency=urgency, topic=topic)
        return self.post(*request)

    def prepare(
        self,
        target: PushTarget,
        payload: dict[str, Any],
        *,
        ttl: int,
        urgency: str = "normal",
        topic: str | None = None,
    ) -> tuple[str, dict[str, str], bytes]:
        """The CPU half of :meth:`send` (validation, JSON, encryption, VAPID signature): (endpoint, headers, body).

        Separate so benchmarks can time it alone; the request is valid for ``_JWT_LIFETIME_S``.
        """
        _check_options(ttl, urgency, topic)
        origin = check_target(target, allow_loopback=self.allow_loopback)
        plaintext, changed = fit_payload(payload)
        if changed:
            logger.warning("push payload for %s shrunk to %d bytes: %s", origin, len(plaintext), ", ".join(changed))
        from pywebpush import WebPusher  # imports aiohttp: loaded with the first push, not on every cold start

        pusher = WebPusher({"endpoint": target.endpoint, "keys": {"p256dh": target.p256dh, "auth": target.auth}})
        body = pusher.encode(plaintext, "aes128gcm")["body"]
        if len(body) > MAX_ENCRYPTED_BYTES:  # cannot happen with one record; a guard against library changes
            raise ValueError(f"encrypted push message is {len(body)} bytes, over {MAX_ENCRYPTED_BYTES}")
        # A fresh dict every call: py_vapid copies it, but nothing shared may carry one origin's `aud` to another.
        claims = {"sub": self.subject, "aud": origin, "exp": int(time.time()) + _JWT_LIFETIME_S}
        headers = {
            **self.keys.vapid.sign(claims),  # {"Authorization": "vapid t=<JWT>,k=<public key>"}
            "TTL": str(ttl),
            "Urgency": urgency,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
        }
        if topic is not None:
            headers["Topic"] = topic
        return target.endpoint, headers, body

    def post(self, endpoint: str, headers: dict[str, str], body: bytes) -> PushOutcome:
        """The network half of :meth:`send`: POST a prepared message; never raises for HTTP or network errors.

        The endpoint is checked again (cheap) so this public method cannot be used to reach a refused host.
        """
        _check_endpoint(endpoint, allow_loopback=self.allow_loopback)
        session = self._borrow()
        deadline = time.monotonic() + self.timeout
        try:
            # No redirects: a push service never redirects, and following one would let an endpoint reach a host
            # check_target refused. stream=True so the answer is read with a cap, below.
            with session.post(
                endpoint, data=body, headers=headers, timeout=self.timeout, allow_redirects=False, stream=True
            ) as response:
                read = 0
                for chunk in response.iter_content(4096):
                    read += len(chunk)
                    if read > _MAX_RESPONSE_BYTES or time.monotonic() > deadline:
                        break  # closing without draining drops this connection instead of reusing it: fine
                return _outcome(response.status_code, response.headers.get("Retry-After"))
        except requests.RequestException as exc:
            logger.info("push to %s failed: %s", urlsplit(endpoint).hostname, exc.__class__.__name__)
            return PushOutcome(status=0, delivered=False, gone=False, retry_after=None)
        finally:
            with self._lock:
                self._idle.append(session)

    def close(self) -> None:
        """Close the idle sessions and their pooled connections (the sender stays usable; it reconnects)."""
        with self._lock:
            sessions, self._idle = self._idle, []
        for session in sessions:
            session.close()

    def __enter__(self) -> WebPushSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------------------------

    def _borrow(self) -> requests.Session:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        session = requests.Session()
        # No proxies/.netrc from the environment: a .netrc entry would replace our Authorization header.
        session.trust_env = False
        return session


def _outcome(status: int, retry_after_header: str | None) -> PushOutcome:
    if 200 <= status <= 299:
        return PushOutcome(status=status, delivered=True, gone=False, retry_after=None)
    if status in (404, 410):
        return PushOutcome(status=status, delivered=False, gone=True, retry_after=None)
    if status == 429 or 500 <= status <= 599:
        wait = parse_retry_after(retry_after_header)
        return PushOutcome(status=status, delivered=False, gone=False, retry_after=wait)
    if status == 413:
        logger.error("push service refused a message as too large (413): fit_payload's limit is wrong")
    elif status in (400, 401, 403):
        logger.error("push service refused the request (%d): check the VAPID key and subject", status)
    return PushOutcome(status=status, delivered=False, gone=False, retry_after=None)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); None if absent
    or unreadable. A date in the past gives 0."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# ---------------------------------------------------------------------------------------------------------------
# base64url


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(value: str, name: str) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a base64url string")
    try:
        # validate=True: plain b64decode silently skips foreign characters, accepting garbage.
        return base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{name} is not valid base64url") from exc
