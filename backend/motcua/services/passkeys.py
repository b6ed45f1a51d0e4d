"""Passkey (WebAuthn) sign-in for officials, and passkey confirmation of each signing by a leader.

Three ceremonies share one shape — the server issues options and remembers a single-use challenge; the browser
runs ``navigator.credentials.create/get``; the server verifies the response against that challenge:

* ``register``: an official adds a passkey (user verification required, discoverable so sign-in needs no name);
* ``login``: any official signs in; the passkey itself says who they are (empty ``allowCredentials``);
* ``sign``: a leader confirms one signing. The challenge is bound to a string the caller derives from exactly what
  was shown (:func:`binding_for`), and the WebAuthn challenge bytes end with SHA-256 of that string, so the
  authenticator's signature itself covers the documents, not only our database row.

py_webauthn does the cryptography. Before calling it we check each rule ourselves, so that every refusal carries
a stable code and a Vietnamese message (the library only raises one exception type with English prose), and so
that hostile JSON ends in a 4xx, never a 500.

The two stores are ports defined here (not in ``services/ports.py``) so SQLite and DynamoDB adapters can implement
them next to the in-memory reference in ``adapters/memory_passkeys.py``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from motcua.domain.errors import Conflict, Forbidden, InvalidInput, Unauthenticated
from motcua.services.ports import Clock

# webauthn (with cbor2, pyOpenSSL and pyasn1) loads when an official first uses a passkey, not on every cold start.
if TYPE_CHECKING:
    from webauthn.helpers.structs import AuthenticatorData, PublicKeyCredentialDescriptor

log = logging.getLogger(__name__)

MAX_PASSKEYS_PER_OFFICIAL = 20  # keeps allow/exclude lists (sent to the browser) small
MAX_USER_HANDLE_BYTES = 64  # WebAuthn: user.id is at most 64 bytes
MAX_BINDING_CHARS = 1024
MAX_CHALLENGE_ID_CHARS = 128
MAX_LABEL_CHARS = 100

# Size limits on the browser's JSON, checked before any decoding so a huge body costs us nothing.
# Credential ids are at most 1023 bytes (WebAuthn L3); attestation objects with certificate chains reach a few KB.
MAX_CREDENTIAL_JSON_CHARS = 128 * 1024
_FIELD_LIMITS = {
    "id": 1400,
    "clientDataJSON": 8 * 1024,
    "attestationObject": 96 * 1024,
    "authenticatorData": 8 * 1024,
    "signature": 1024,
    "userHandle": 100,
    "publicKey": 4 * 1024,
}
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")  # browsers send no padding; tolerate it, nothing else
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")

BINDING_PREFIX = "motcua-sign-v1"


# --------------------------------------------------------------------------------------------------- ports


@dataclass(frozen=True)
class PasskeyCredential:
    """One registered passkey. ``public_key`` is the COSE key as the authenticator sent it."""

    credential_id: bytes
    official_id: str
    public_key: bytes
    sign_count: int
    transports: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    device_label: str


class PasskeyStore(Protocol):
    def add(self, credential: PasskeyCredential) -> None:
        """Store a new passkey; raise ``Conflict("credential_already_registered")`` if the id exists (atomically:
        a conditional put in DynamoDB, a primary key in SQLite)."""

    def get(self, credential_id: bytes) -> PasskeyCredential | None: ...

    def for_official(self, official_id: str) -> list[PasskeyCredential]:
        """That official's passkeys, oldest first."""

    def record_use(self, credential_id: bytes, *, sign_count: int, used_at: datetime) -> None:
        """Remember a successful use. The stored count must never go down (keep the larger), so two racing
        requests cannot roll the clone detector back. Unknown ids are ignored (the passkey was just removed)."""


@dataclass(frozen=True)
class PendingChallenge:
    """A challenge the server issued and has not yet seen answered."""

    id: str
    challenge: bytes
    purpose: str  # "register" | "login" | "sign"
    official_id: str | None
    binding: str | None
    expires_at: datetime


class ChallengeStore(Protocol):
    def put(self, pending: PendingChallenge) -> None:
        """Remember a challenge. Adapters should drop expired ones eventually (DynamoDB TTL, a DELETE on put)."""

    def take(self, challenge_id: str) -> PendingChallenge | None:
        """Single use: return the challenge AND delete it, atomically (DynamoDB DeleteItem with ReturnValues,
        SQLite DELETE … RETURNING). Two concurrent takes of one id: exactly one gets it."""


# --------------------------------------------------------------------------------------------------- helpers


def binding_for(dossier_ids: Sequence[str], pdf_sha256s: Sequence[str]) -> str:
    """The string a signing challenge is bound to: what is signed (dossier ids) and what was shown (PDF digests).

    ``pdf_sha256s[i]`` is the SHA-256 (hex) of the exact PDF bytes shown for ``dossier_ids[i]``. The result does not
    depend on the order the caller lists the dossiers in (pairs are sorted by dossier id), but swapping two PDFs
    between dossiers changes it. JSON encoding keeps it unambiguous whatever characters the ids contain.
    """
    if isinstance(dossier_ids, str) or isinstance(pdf_sha256s, str):
        raise InvalidInput("invalid_binding", "Danh sách hồ sơ ký không hợp lệ.",
                           message_en="Pass lists of dossier ids and PDF digests, not strings.")
    if not dossier_ids or len(dossier_ids) != len(pdf_sha256s):
        raise InvalidInput("invalid_binding", "Danh sách hồ sơ ký không hợp lệ.",
                           message_en="Each dossier to sign needs exactly one PDF digest.")
    pairs: list[tuple[str, str]] = []
    for dossier_id, digest in zip(dossier_ids, pdf_sha256s, strict=True):
        if not isinstance(dossier_id, str) or not dossier_id or not isinstance(digest, str):
            raise InvalidInput("invalid_binding", "Danh sách hồ sơ ký không hợp lệ.",
                               message_en="Dossier ids and PDF digests must be non-empty strings.")
        digest = digest.lower()
        if not _SHA256_HEX.fullmatch(digest):
            raise InvalidInput("invalid_binding", "Mã băm văn bản không hợp lệ.",
                               message_en="A PDF digest must be 64 hexadecimal characters (SHA-256).")
        pairs.append((dossier_id, digest))
    pairs.sort()
    if len(set(pairs)) != len(pairs):
        raise InvalidInput("invalid_binding", "Một văn bản được đưa vào hai lần.",
                           message_en="The same dossier and PDF are listed twice.")
    ids_digest = _sha256_json([d for d, _ in pairs])
    pdfs_digest = _sha256_json([p for _, p in pairs])
    return f"{BINDING_PREFIX}:{ids_digest}:{pdfs_digest}"


def relying_party_for(public_base_url: str) -> tuple[str, str]:
    """``(rp_id, origin)`` for a public base URL such as ``https://dichvucong.dongnai.gov.vn``.

    The origin is what browsers put in clientDataJSON (scheme, host, and the port only when not the default); the
    RP id is the host. Browsers refuse IP addresses as RP ids, so ``http://127.0.0.1:8080`` is rejected with a
    ValueError: use ``http://localhost:8080`` in development (localhost counts as a secure context).
    """
    parts = urlsplit(public_base_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in {"http", "https"} or not host:
        raise ValueError(f"PUBLIC_BASE_URL must be an http(s) URL with a host name, not {public_base_url!r}")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise ValueError("WebAuthn needs a domain name, not an IP address: use http://localhost:<port> in development")
    host = host.encode("idna").decode("ascii").lower()  # browsers serialise origins with the A-label
    if scheme == "http" and host != "localhost" and not host.endswith(".localhost"):
        raise ValueError("Passkeys need HTTPS (only localhost may use plain http)")
    default_port = 443 if scheme == "https" else 80
    port = parts.port
    origin = f"{scheme}://{host}" if port in (None, default_port) else f"{scheme}://{host}:{port}"
    return host, origin


def _sha256_json(value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _b64url_encode(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode("ascii")


def _clean_text(value: object, *, field: str, label: str, limit: int, default: str = "") -> str:
    """A short single-line text for people (names, device labels): no control characters, NFC, trimmed."""
    if not isinstance(value, str):
        value = ""
    text = "".join(ch for ch in unicodedata.normalize("NFC", value) if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())[:limit] or default
    if not text:
        raise InvalidInput("invalid_input", f"Thiếu {label}.", message_en=f"{field} is required.",
                           fields={field: f"Nhập {label}."})
    return text


# --------------------------------------------------------------------------------------------------- errors
# One constructor per refusal so that codes and messages stay identical wherever the rule is checked.


def _challenge_gone() -> Unauthenticated:
    return Unauthenticated("challenge_used_or_expired",
                           "Phiên xác thực đã hết hạn hoặc đã được dùng. Vui lòng thử lại.",
                           message_en="This passkey request has expired or was already used. Start again.")


def _invalid_credential() -> InvalidInput:
    return InvalidInput("invalid_credential", "Dữ liệu khoá truy cập (passkey) không hợp lệ.",
                        message_en="The passkey response is malformed.")


def _refused(code: str, message: str, message_en: str) -> Unauthenticated:
    return Unauthenticated(code, message, message_en=message_en)


_ORIGIN_MISMATCH = ("origin_mismatch", "Khoá truy cập được dùng trên một trang web khác.",
                    "The passkey was used on another web site (origin mismatch).")
_RP_MISMATCH = ("rp_id_mismatch", "Khoá truy cập không thuộc về trang này.",
                "The passkey belongs to another relying party (RP id mismatch).")
_UP_REQUIRED = ("user_presence_required", "Thiết bị không xác nhận có người dùng thao tác.",
                "The authenticator did not report user presence.")
_UV_REQUIRED = ("user_verification_required",
                "Thiết bị phải xác minh bạn (vân tay, khuôn mặt hoặc mã PIN) khi dùng khoá truy cập.",
                "The authenticator must verify you (fingerprint, face or PIN).")
_CHALLENGE_MISMATCH = ("challenge_mismatch", "Phản hồi không khớp với yêu cầu xác thực.",
                       "The response answers a different challenge.")
_WRONG_CEREMONY = ("wrong_ceremony", "Phản hồi không đúng loại thao tác.",
                   "The response is for a different kind of WebAuthn ceremony.")


# --------------------------------------------------------------------------------------------------- service


@dataclass(frozen=True)
class VerifiedAssertion:
    """Who answered a login/sign challenge, and with which passkey (for the audit trail)."""

    official_id: str
    credential_id: bytes
    device_label: str
    sign_count: int


class PasskeyService:
    """Passkey registration, sign-in and signing confirmation. Options out and responses in are the JSON shapes of
    ``PublicKeyCredential.parseCreationOptionsFromJSON`` / ``parseRequestOptionsFromJSON`` and ``toJSON()``."""

    def __init__(
        self,
        credentials: PasskeyStore,
        challenges: ChallengeStore,
        clock: Clock,
        *,
        rp_id: str,
        rp_name: str,
        origin: str | list[str],
        ttl: timedelta = timedelta(minutes=2),
    ) -> None:
        if not rp_id or not rp_name:
            raise ValueError("rp_id and rp_name are required")
        origins = [origin] if isinstance(origin, str) else list(origin)
        if not origins or not all(isinstance(o, str) and o for o in origins):
            raise ValueError("origin must be one or more non-empty origins like https://example.gov.vn")
        if ttl <= timedelta(0):
            raise ValueError("ttl must be positive")
        self._credentials = credentials
        self._challenges = challenges
        self._clock = clock
        self._rp_id = rp_id
        self._rp_id_hash = hashlib.sha256(rp_id.encode("utf-8")).digest()
        self._rp_name = rp_name
        self._origins = origins
        self._ttl = ttl

    # ---------------------------------------------------------------------------------------- registration

    def registration_options(self, *, official_id: str, user_name: str, display_name: str) -> tuple[str, dict]:
        """Options for ``navigator.credentials.create``: returns ``(challenge_id, options)``.

        The caller must already know who ``official_id`` is (a signed-in official or an enrolment link): whoever
        answers this challenge adds a passkey to that account.
        """
        from webauthn import generate_registration_options, options_to_json
        from webauthn.helpers.structs import (
            AttestationConveyancePreference,
            AuthenticatorSelectionCriteria,
            ResidentKeyRequirement,
            UserVerificationRequirement,
        )

        user_handle = _user_handle(official_id)
        name = _clean_text(user_name, field="user_name", label="tên đăng nhập", limit=MAX_LABEL_CHARS)
        display = _clean_text(display_name, field="display_name", label="họ và tên", limit=MAX_LABEL_CHARS)
        existing = self._credentials.for_official(official_id)
        if len(existing) >= MAX_PASSKEYS_PER_OFFICIAL:
            raise Conflict("too_many_passkeys",
                           f"Mỗi tài khoản chỉ được đăng ký tối đa {MAX_PASSKEYS_PER_OFFICIAL} khoá truy cập.",
                           message_en=f"An account may have at most {MAX_PASSKEYS_PER_OFFICIAL} passkeys.")
        pending = self._issue("register", secrets.token_bytes(32), official_id=official_id, binding=None)
        options = generate_registration_options(
            rp_id=self._rp_id,
            rp_name=self._rp_name,
            user_id=user_handle,
            user_name=name,
            user_display_name=display,
            challenge=pending.challenge,
            timeout=self._timeout_ms(),
            attestation=AttestationConveyancePreference.NONE,
            authenticator_selection=AuthenticatorSelectionCriteria(
                # Required, not preferred: sign-in sends an empty allowCredentials, which only finds
                # discoverable credentials. A non-discoverable one would register fine and then never sign in.
                resident_key=ResidentKeyRequirement.REQUIRED,
                user_verification=UserVerificationRequirement.REQUIRED,
            ),
            # Stops the browser from creating a second passkey on an authenticator that already holds one.
            exclude_credentials=[_descriptor(c) for c in existing],
            supported_pub_key_algs=_supported_algorithms(),
        )
        return pending.id, json.loads(options_to_json(options))

    def verify_registration(self, challenge_id: str, credential: dict | str, *, device_label: str) -> PasskeyCredential:
        """Check the browser's answer to :meth:`registration_options` and store the new passkey."""
        from webauthn import verify_registration_response
        from webauthn.helpers import (
            decode_credential_public_key,
            decoded_public_key_to_cryptography,
            parse_attestation_object,
        )

        pending = self._take(challenge_id, purpose="register")
        label = _clean_text(device_label, field="device_label", label="tên thiết bị", limit=MAX_LABEL_CHARS,
                            default="Khoá truy cập")
        fields = _credential_fields(credential, registration=True)
        self._check_client_data(fields["response"]["clientDataJSON"], pending, expected_type="webauthn.create")
        try:
            attestation = parse_attestation_object(_b64url_decode(fields["response"]["attestationObject"]))
        except Exception as exc:  # hostile CBOR: any decoding failure is the client's fault
            raise _invalid_credential() from exc
        self._check_flags(attestation.auth_data)
        attested = attestation.auth_data.attested_credential_data
        raw_id = _b64url_decode(fields["id"])
        if attested is None or not attested.credential_id or attested.credential_id != raw_id:
            # py_webauthn does not compare the attested id with rawId; we store the attested one, so they must agree.
            raise _invalid_credential()
        if self._credentials.get(raw_id) is not None:
            raise _already_registered()
        try:
            verified = verify_registration_response(
                credential=fields,
                expected_challenge=pending.challenge,
                expected_rp_id=self._rp_id,
                expected_origin=self._origins,
                require_user_verification=True,
                supported_pub_key_algs=_supported_algorithms(),
            )
            # A "none" attestation never uses the key, so nothing above proves it is a real point on the curve;
            # load it now rather than store a key that would fail at the first sign-in.
            decoded_public_key_to_cryptography(decode_credential_public_key(verified.credential_public_key))
        except Exception as exc:  # attestation statement or key checks; never a 500 for what a client sent
            log.info("passkey registration refused: %s", exc)
            raise _refused("registration_invalid", "Không thể xác minh khoá truy cập mới. Vui lòng thử lại.",
                           "The new passkey could not be verified.") from exc
        if pending.official_id is None:  # cannot happen: registration challenges always name the official
            raise _challenge_gone()
        stored = PasskeyCredential(
            credential_id=verified.credential_id,
            official_id=pending.official_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=tuple(fields["response"].get("transports", ())),
            created_at=self._clock.now(),
            last_used_at=None,
            device_label=label,
        )
        self._credentials.add(stored)
        return stored

    # ---------------------------------------------------------------------------------------- authentication

    def authentication_options(
        self, *, purpose: str = "login", official_id: str | None = None, binding: str | None = None
    ) -> tuple[str, dict]:
        """Options for ``navigator.credentials.get``: returns ``(challenge_id, options)``.

        ``login``: no official yet; ``allowCredentials`` is empty so the browser offers the discoverable passkeys.
        ``sign``: ``official_id`` (the signed-in leader) and ``binding`` (see :func:`binding_for`) are required;
        only that leader's passkeys are allowed, and the challenge bytes are ``16 random bytes || SHA-256(binding)``.
        """
        from webauthn import generate_authentication_options, options_to_json
        from webauthn.helpers.structs import UserVerificationRequirement

        if purpose == "login":
            if official_id is not None:
                raise InvalidInput("invalid_purpose", "Đăng nhập bằng khoá truy cập không cần chọn tài khoản.",
                                   message_en="Passkey sign-in does not take an official id.")
            allowed: list[PasskeyCredential] = []
        elif purpose == "sign":
            if not isinstance(official_id, str) or not official_id:
                raise InvalidInput("invalid_purpose", "Thiếu người ký.", message_en="Signing needs the official id.")
            if binding is None:
                raise InvalidInput("invalid_binding", "Thiếu nội dung cần ký.",
                                   message_en="Signing needs a binding to what is signed.")
            allowed = self._credentials.for_official(official_id)
            if not allowed:
                raise Conflict("no_passkey", "Bạn chưa đăng ký khoá truy cập (passkey) để ký.",
                               message_en="Register a passkey before signing.")
        else:
            raise InvalidInput("invalid_purpose", "Mục đích xác thực không hợp lệ.",
                               message_en="purpose must be 'login' or 'sign'.")
        _check_binding(binding)
        random_part = secrets.token_bytes(16) if binding is not None else secrets.token_bytes(32)
        # With a binding the authenticator signs over SHA-256(binding) too: the signature alone proves what the
        # leader confirmed, even to someone who does not trust our challenge table.
        challenge = random_part + (hashlib.sha256(binding.encode("utf-8")).digest() if binding is not None else b"")
        pending = self._issue(purpose, challenge, official_id=official_id, binding=binding)
        options = generate_authentication_options(
            rp_id=self._rp_id,
            challenge=challenge,
            timeout=self._timeout_ms(),
            allow_credentials=[_descriptor(c) for c in allowed],
            user_verification=UserVerificationRequirement.REQUIRED,
        )
        return pending.id, json.loads(options_to_json(options))

    def verify_authentication(
        self, challenge_id: str, credential: dict | str, *, purpose: str, binding: str | None = None
    ) -> str:
        """Check the browser's answer to :meth:`authentication_options`; return the official it proves."""
        return self.verify_assertion(challenge_id, credential, purpose=purpose, binding=binding).official_id

    def verify_assertion(
        self, challenge_id: str, credential: dict | str, *, purpose: str, binding: str | None = None
    ) -> VerifiedAssertion:
        """:meth:`verify_authentication`, also saying which passkey was used (for the signing audit entry)."""
        from webauthn import verify_authentication_response
        from webauthn.helpers import parse_authenticator_data

        if purpose not in ("login", "sign"):
            raise InvalidInput("invalid_purpose", "Mục đích xác thực không hợp lệ.",
                               message_en="purpose must be 'login' or 'sign'.")
        _check_binding(binding)
        # Taken first, whatever comes next: any failed attempt burns the challenge, so one challenge can never be
        # used to probe several answers.
        pending = self._take(challenge_id, purpose=purpose)
        if not _same_binding(pending.binding, binding):
            raise Forbidden("binding_mismatch",
                            "Nội dung ký đã thay đổi so với lúc xác nhận. Vui lòng xem lại văn bản và ký lại.",
                            message_en="What is being signed differs from what was confirmed. Review and sign again.")
        fields = _credential_fields(credential, registration=False)
        self._check_client_data(fields["response"]["clientDataJSON"], pending, expected_type="webauthn.get")
        try:
            auth_data = parse_authenticator_data(_b64url_decode(fields["response"]["authenticatorData"]))
        except Exception as exc:  # malformed bytes from the client
            raise _invalid_credential() from exc
        self._check_flags(auth_data)

        stored = self._credentials.get(_b64url_decode(fields["id"]))
        if stored is None:
            raise _refused("unknown_credential", "Khoá truy cập này chưa được đăng ký hoặc đã bị thu hồi.",
                           "This passkey is not registered (or was removed).")
        if pending.official_id is not None and stored.official_id != pending.official_id:
            raise Forbidden("credential_not_owned", "Khoá truy cập này không phải của người ký.",
                            message_en="This passkey belongs to another official.")
        user_handle = fields["response"].get("userHandle")
        if user_handle and not hmac.compare_digest(_b64url_decode(user_handle), _user_handle(stored.official_id)):
            # WebAuthn §7.2 step 6: the account the authenticator says it signed in must own the credential.
            raise _refused("user_handle_mismatch", "Khoá truy cập không khớp với tài khoản.",
                           "The passkey's user handle does not match its owner.")

        try:
            verified = verify_authentication_response(
                credential=fields,
                expected_challenge=pending.challenge,
                expected_rp_id=self._rp_id,
                expected_origin=self._origins,
                credential_public_key=stored.public_key,
                # 0 turns the library's counter check off: we do it below, after the signature is known good, so
                # only a genuinely signed but stale counter is reported as a cloned authenticator.
                credential_current_sign_count=0,
                require_user_verification=True,
            )
        except Exception as exc:  # bad signature or malformed signature bytes
            log.info("passkey assertion refused: %s", exc)
            raise _refused("invalid_signature", "Chữ ký của khoá truy cập không hợp lệ.",
                           "The passkey signature does not verify.") from exc
        if stored.sign_count > 0 and verified.new_sign_count <= stored.sign_count:
            log.warning("passkey counter went back (possible cloned authenticator): official=%s stored=%d got=%d",
                        stored.official_id, stored.sign_count, verified.new_sign_count)
            raise _refused("authenticator_cloned",
                           "Khoá truy cập có dấu hiệu bị sao chép. Vui lòng liên hệ quản trị viên.",
                           "The passkey's counter went backwards: the authenticator may have been cloned.")
        self._credentials.record_use(stored.credential_id, sign_count=verified.new_sign_count,
                                     used_at=self._clock.now())
        return VerifiedAssertion(official_id=stored.official_id, credential_id=stored.credential_id,
                                 device_label=stored.device_label, sign_count=verified.new_sign_count)

    # ---------------------------------------------------------------------------------------- internals

    def _timeout_ms(self) -> int:
        return int(self._ttl.total_seconds() * 1000)

    def _issue(
        self, purpose: str, challenge: bytes, *, official_id: str | None, binding: str | None
    ) -> PendingChallenge:
        pending = PendingChallenge(id=secrets.token_urlsafe(32), challenge=challenge, purpose=purpose,
                                   official_id=official_id, binding=binding,
                                   expires_at=self._clock.now() + self._ttl)
        self._challenges.put(pending)
        return pending

    def _take(self, challenge_id: object, *, purpose: str) -> PendingChallenge:
        if not isinstance(challenge_id, str) or not challenge_id or len(challenge_id) > MAX_CHALLENGE_ID_CHARS:
            raise _challenge_gone()
        pending = self._challenges.take(challenge_id)
        if pending is None or pending.expires_at <= self._clock.now():
            raise _challenge_gone()
        if pending.purpose != purpose:
            raise _refused("challenge_purpose_mismatch", "Yêu cầu xác thực không dùng cho thao tác này.",
                           f"This challenge was issued for '{pending.purpose}', not '{purpose}'.")
        return pending

    def _check_client_data(self, encoded: str, pending: PendingChallenge, *, expected_type: str) -> None:
        """The clientDataJSON rules, each with its own code (py_webauthn checks them again, with one error)."""
        try:
            raw = json.loads(_b64url_decode(encoded))
        except (ValueError, RecursionError) as exc:
            raise _invalid_credential() from exc
        if not isinstance(raw, dict):
            raise _invalid_credential()
        kind, challenge, origin = raw.get("type"), raw.get("challenge"), raw.get("origin")
        if not (isinstance(kind, str) and isinstance(challenge, str) and isinstance(origin, str)):
            raise _invalid_credential()
        if not _BASE64URL.fullmatch(challenge) or len(challenge) > 256:
            raise _invalid_credential()
        if kind != expected_type:
            raise _refused(*_WRONG_CEREMONY)
        if not hmac.compare_digest(_b64url_decode(challenge), pending.challenge):
            raise _refused(*_CHALLENGE_MISMATCH)
        # An iframe on another site would report crossOrigin: true; this app is never framed (and py_webauthn
        # ignores the flag), so refuse it here.
        if origin not in self._origins or raw.get("crossOrigin") is True:
            raise _refused(*_ORIGIN_MISMATCH)

    def _check_flags(self, auth_data: AuthenticatorData) -> None:
        if not hmac.compare_digest(auth_data.rp_id_hash, self._rp_id_hash):
            raise _refused(*_RP_MISMATCH)
        if not auth_data.flags.up:
            raise _refused(*_UP_REQUIRED)
        if not auth_data.flags.uv:
            raise _refused(*_UV_REQUIRED)


def _supported_algorithms() -> list[Any]:
    from webauthn.helpers.cose import COSEAlgorithmIdentifier

    return [COSEAlgorithmIdentifier.ECDSA_SHA_256, COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256]


@lru_cache(maxsize=1)
def _transports() -> frozenset[str]:
    from webauthn.helpers.structs import AuthenticatorTransport

    return frozenset(t.value for t in AuthenticatorTransport)


def _already_registered() -> Conflict:
    return Conflict("credential_already_registered", "Khoá truy cập này đã được đăng ký.",
                    message_en="This passkey is already registered.")


def _user_handle(official_id: object) -> bytes:
    """WebAuthn user.id: the official id itself (internal and opaque; at most 64 bytes by the spec)."""
    if not isinstance(official_id, str) or not official_id:
        raise InvalidInput("invalid_official", "Thiếu mã cán bộ.", message_en="official_id is required.")
    handle = official_id.encode("utf-8")
    if len(handle) > MAX_USER_HANDLE_BYTES:
        raise InvalidInput("invalid_official", "Mã cán bộ quá dài.",
                           message_en=f"official_id must be at most {MAX_USER_HANDLE_BYTES} bytes.")
    return handle


def _descriptor(credential: PasskeyCredential) -> PublicKeyCredentialDescriptor:
    from webauthn.helpers.structs import AuthenticatorTransport, PublicKeyCredentialDescriptor

    transports = [AuthenticatorTransport(t) for t in credential.transports if t in _transports()]
    return PublicKeyCredentialDescriptor(id=credential.credential_id, transports=transports or None)


def _check_binding(binding: object) -> None:
    if binding is None:
        return
    if not isinstance(binding, str) or not binding or len(binding) > MAX_BINDING_CHARS:
        raise InvalidInput("invalid_binding", "Nội dung cần ký không hợp lệ.",
                           message_en=f"binding must be a non-empty string of at most {MAX_BINDING_CHARS} characters.")


def _same_binding(expected: str | None, given: str | None) -> bool:
    if expected is None or given is None:
        return expected is given
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def _credential_fields(credential: object, *, registration: bool) -> dict[str, Any]:
    """Validate the browser's PublicKeyCredential JSON and return a clean copy holding only what we use.

    Everything is checked for type, size and base64url alphabet before any decoding, because py_webauthn's parser
    is lenient (the standard base64 decoder drops unknown characters) and raises assorted exceptions on junk.
    """
    if isinstance(credential, str):
        if len(credential) > MAX_CREDENTIAL_JSON_CHARS:
            raise _invalid_credential()
        try:
            credential = json.loads(credential)
        except (ValueError, RecursionError) as exc:
            raise _invalid_credential() from exc
    if not isinstance(credential, Mapping):
        raise _invalid_credential()
    response = credential.get("response")
    if not isinstance(response, Mapping) or credential.get("type") != "public-key":
        raise _invalid_credential()
    cred_id, raw_id = credential.get("id"), credential.get("rawId")
    # Browsers send id and rawId as the same unpadded base64url string.
    if not isinstance(cred_id, str) or cred_id != raw_id:
        raise _invalid_credential()
    cred_id = _b64_field(cred_id, "id", required=True)
    if _b64url_encode(_b64url_decode(cred_id)) != cred_id:
        raise _invalid_credential()  # non-canonical base64url: two spellings of one id would confuse lookups
    wanted = ("clientDataJSON", "attestationObject") if registration else (
        "clientDataJSON", "authenticatorData", "signature")
    clean_response: dict[str, Any] = {name: _b64_field(response.get(name), name, required=True) for name in wanted}
    if not registration:
        user_handle = response.get("userHandle")
        if user_handle is not None and user_handle != "":
            clean_response["userHandle"] = _b64_field(user_handle, "userHandle", required=True)
    clean: dict[str, Any] = {"id": cred_id, "rawId": cred_id, "type": "public-key",
                             "response": clean_response}
    if registration:
        transports = response.get("transports")
        if isinstance(transports, list) and len(transports) <= 16:
            clean_response["transports"] = [t for t in transports if isinstance(t, str) and t in _transports()]
    return clean


def _b64_field(value: object, name: str, *, required: bool) -> str:
    if not isinstance(value, str) or (required and not value) or len(value) > _FIELD_LIMITS[name]:
        raise _invalid_credential()
    if not _BASE64URL.fullmatch(value):
        raise _invalid_credential()
    try:
        _b64url_decode(value)
    except (ValueError, binascii.Error) as exc:
        raise _invalid_credential() from exc
    return value.rstrip("=")


__all__ = [
    "BINDING_PREFIX",
    "ChallengeStore",
    "PasskeyCredential",
    "PasskeyService",
    "PasskeyStore",
    "PendingChallenge",
    "VerifiedAssertion",
    "binding_for",
    "relying_party_for",
]
