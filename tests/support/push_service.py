"""A local Web Push service for tests: a threaded HTTP server on 127.0.0.1 that behaves like FCM / Mozilla autopush
at the protocol level, so the sender is tested through the wire format only.

For each ``POST /push/<id>`` it:

1. checks ``Authorization: vapid t=<JWT>, k=<key>`` (RFC 8292): the JWT is ES256-signed by ``k``, its ``aud`` is
   this service's origin, ``exp`` is in the future and at most 24 h ahead, ``sub`` is a mailto:/https: contact —
   else 401; ``k`` differs from the ``applicationServerKey`` the subscription was made with — 403;
2. checks ``Content-Encoding: aes128gcm`` (else 415), a numeric ``TTL`` (else 400), a valid ``Urgency`` / ``Topic``
   when present (else 400) and a body of at most 4096 bytes (else 413);
3. answers a scripted status if one was set for that id (:meth:`LocalPushService.respond`);
4. decrypts the body with the subscription's private key and auth secret (``http_ece``, aes128gcm; failure: 400),
   parses the JSON and records it with the request headers (:attr:`LocalPushService.received`), then answers 201.

Unknown ids get 404, like an expired subscription. Verification is written here with ``cryptography`` directly,
not py_vapid or pywebpush (the code under test). ``new_subscription`` makes what a browser's ``PushManager
.subscribe()`` makes: a P-256 key pair and a 16-byte auth secret, exposed as a ``PushTarget``.

    with LocalPushService() as service:
        sub = service.subscribe(application_server_key=keys.public_key_b64url)
        sender.send(sub.target, {...}, ttl=60)
        service.received[0].payload
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from motcua.adapters.webpush_sender import PushTarget

MAX_BODY = 4096
MAX_JWT_LIFETIME = 24 * 60 * 60
URGENCIES = ("very-low", "low", "normal", "high")
_TOPIC_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


@dataclass(frozen=True)
class Subscription:
    """A browser-side subscription: the public part the server stores and the private part only the browser has."""

    id: str
    target: PushTarget
    private_key: ec.EllipticCurvePrivateKey  # the browser's ECDH key (its public half is target.p256dh)
    auth_secret: bytes  # 16 bytes (target.auth)
    application_server_key: str | None = None  # the VAPID public key the subscription is bound to, if any


def new_subscription(endpoint: str, *, application_server_key: str | None = None) -> Subscription:
    """What ``PushManager.subscribe()`` produces for ``endpoint``: a fresh P-256 key pair and auth secret."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    public = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth_secret = secrets.token_bytes(16)
    target = PushTarget(endpoint=endpoint, p256dh=b64url(public), auth=b64url(auth_secret))
    return Subscription(
        id=endpoint.rstrip("/").rsplit("/", 1)[-1],
        target=target,
        private_key=private_key,
        auth_secret=auth_secret,
        application_server_key=application_server_key,
    )


@dataclass(frozen=True)
class Received:
    """One accepted push message."""

    subscription_id: str
    headers: dict[str, str]  # lower-cased names
    claims: dict[str, Any]  # the verified VAPID JWT claims
    vapid_key: str  # the k= of the Authorization header
    body_size: int  # encrypted bytes on the wire
    plaintext: bytes
    payload: Any  # plaintext parsed as JSON (None if it is not JSON)


@dataclass
class _Script:
    status: int
    headers: dict[str, str]
    times: int | None  # None: until cleared


@dataclass
class _State:
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    scripts: dict[str, _Script] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    rejected: list[tuple[str, int, str]] = field(default_factory=list)  # (id, status, reason)
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Reject(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class LocalPushService:
    """The push service, on 127.0.0.1 and an ephemeral port. Use as a context manager or call start()/stop()."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, decrypt: bool = True) -> None:
        self._state = _State()
        self._decrypt = decrypt  # False: check headers and JWT only (benchmarks that measure the sender)
        self._server = ThreadingHTTPServer((host, port), _make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.origin = f"http://{host}:{self._server.server_address[1]}"

    # -- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> LocalPushService:
        # A short poll interval: shutdown() waits for the loop to notice, 0.5 s by default, per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="local-push-service", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> LocalPushService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- subscriptions and scripted answers -----------------------------------------------------------------------

    def endpoint(self, subscription_id: str) -> str:
        return f"{self.origin}/push/{subscription_id}"

    def subscribe(self, *, application_server_key: str | None = None) -> Subscription:
        """A new browser-like subscription on this service, registered so its messages can be decrypted."""
        sub = new_subscription(self.endpoint(secrets.token_urlsafe(12)), application_server_key=application_server_key)
        self.register(sub)
        return sub

    def register(self, sub: Subscription) -> None:
        with self._state.lock:
            self._state.subscriptions[sub.id] = sub

    def forget(self, subscription_id: str) -> None:
        """Drop a subscription: later pushes to it get 404."""
        with self._state.lock:
            self._state.subscriptions.pop(subscription_id, None)

    def respond(
        self,
        subscription_id: str,
        status: int,
        *,
        retry_after: str | None = None,
        headers: dict[str, str] | None = None,
        times: int | None = None,
    ) -> None:
        """Answer ``status`` (with ``Retry-After`` and other ``headers`` if given) to the next ``times`` valid pushes
        (None: all of them)."""
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = retry_after
        with self._state.lock:
            self._state.scripts[subscription_id] = _Script(status, extra, times)

    # -- observations ---------------------------------------------------------------------------------------------

    @property
    def received(self) -> list[Received]:
        with self._state.lock:
            return list(self._state.received)

    @property
    def rejected(self) -> list[tuple[str, int, str]]:
        with self._state.lock:
            return list(self._state.rejected)

    @property
    def connections(self) -> int:
        """TCP connections accepted so far (keep-alive means few)."""
        with self._state.lock:
            return self._state.connections

    def received_for(self, subscription_id: str) -> list[Received]:
        return [r for r in self.received if r.subscription_id == subscription_id]

    def clear(self) -> None:
        with self._state.lock:
            self._state.received.clear()
            self._state.rejected.clear()

    # -- the protocol ---------------------------------------------------------------------------------------------

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        match = re.fullmatch(r"/push/([A-Za-z0-9_-]+)", path)
        sub_id = match.group(1) if match else ""
        try:
            with self._state.lock:
                sub = self._state.subscriptions.get(sub_id)
            if sub is None:
                raise _Reject(404, "no such subscription")
            claims, key = self._check_vapid(headers.get("authorization", ""), sub)
            self._check_headers(headers, body)
            with self._state.lock:
                script = self._state.scripts.get(sub_id)
                if script is not None and script.times is not None:
                    script.times -= 1
                    if script.times <= 0:
                        del self._state.scripts[sub_id]
            if script is not None:
                return script.status, script.headers
            plaintext, payload = b"", None
            if self._decrypt:
                try:
                    plaintext = http_ece.decrypt(
                        body, private_key=sub.private_key, auth_secret=sub.auth_secret, version="aes128gcm"
                    )
                except Exception as exc:  # any failure to decrypt is the sender's fault
                    raise _Reject(400, f"cannot decrypt: {exc!r}") from exc
                # A real push service cannot read the plaintext, so it never refuses it; non-JSON records None.
                try:
                    payload = json.loads(plaintext.decode("utf-8"))
                except ValueError:
                    payload = None
            record = Received(sub_id, headers, claims, key, len(body), plaintext, payload)
            with self._state.lock:
                self._state.received.append(record)
                number = len(self._state.received)
            return 201, {"Location": f"{self.origin}/message/{number}"}
        except _Reject as rej:
            with self._state.lock:
                self._state.rejected.append((sub_id, rej.status, rej.reason))
            return rej.status, {}

    def _check_vapid(self, authorization: str, sub: Subscription) -> tuple[dict[str, Any], str]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise _Reject(401, "Authorization is not the vapid scheme")
        parts: dict[str, str] = {}
        for item in params.split(","):
            name, _, value = item.strip().partition("=")
            parts[name.strip()] = value.strip()
        token, key = parts.get("t"), parts.get("k")
        if not token or not key:
            raise _Reject(401, "vapid t= or k= missing")
        try:
            header_b64, claims_b64, signature_b64 = token.split(".")
            header = json.loads(unb64url(header_b64))
            claims = json.loads(unb64url(claims_b64))
            signature = unb64url(signature_b64)
            public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        except (ValueError, binascii.Error) as exc:
            raise _Reject(401, f"malformed JWT or key: {exc}") from exc
        if header.get("alg") != "ES256" or len(signature) != 64 or not isinstance(claims, dict):
            raise _Reject(401, "JWT is not ES256")
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            public_key.verify(der, f"{header_b64}.{claims_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as exc:
            raise _Reject(401, "bad JWT signature") from exc
        if claims.get("aud") != self.origin:
            raise _Reject(401, f"aud {claims.get('aud')!r} is not {self.origin!r}")
        exp, now = claims.get("exp"), time.time()
        if not isinstance(exp, int) or exp <= now or exp > now + MAX_JWT_LIFETIME:
            raise _Reject(401, f"exp {exp!r} not in the next 24 h")
        sub_claim = claims.get("sub")
        if not isinstance(sub_claim, str) or not sub_claim.startswith(("mailto:", "https:")):
            raise _Reject(401, "sub missing or not mailto:/https:")
        if sub.application_server_key is not None and key != sub.application_server_key:
            raise _Reject(403, "VAPID key differs from the subscription's applicationServerKey")
        return claims, key

    @staticmethod
    def _check_headers(headers: dict[str, str], body: bytes) -> None:
        if headers.get("content-encoding", "").lower() != "aes128gcm":
            raise _Reject(415, "Content-Encoding must be aes128gcm")
        if not headers.get("ttl", "").isdigit():
            raise _Reject(400, "TTL missing or not a number")
        urgency = headers.get("urgency")
        if urgency is not None and urgency not in URGENCIES:
            raise _Reject(400, f"bad Urgency {urgency!r}")
        topic = headers.get("topic")
        if topic is not None and not _TOPIC_RE.fullmatch(topic):
            raise _Reject(400, f"bad Topic {topic!r}")
        if len(body) > MAX_BODY:
            raise _Reject(413, f"body of {len(body)} bytes")


def _make_handler(service: LocalPushService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real push services
        timeout = 30  # idle keep-alive connections are closed eventually

        def setup(self) -> None:
            super().setup()
            with service._state.lock:
                service._state.connections += 1

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            if length > 64 * 1024:
                self.close_connection = True
                self._answer(413, {})
                return
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, extra = service._handle(self.path, headers, body)
            self._answer(status, extra)

        def _answer(self, status: int, extra: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — silence per-request stderr lines
            pass

    return Handler
