"""A software WebAuthn authenticator (P-256 / ES256) and the browser around it, for tests.

It takes the options JSON the server sends (the ``parseCreationOptionsFromJSON`` / ``parseRequestOptionsFromJSON``
shape) and returns what ``PublicKeyCredential.toJSON()`` gives the page after ``navigator.credentials.create/get``:
base64url strings, attestation "none", clientDataJSON serialised as Chrome does.

It deliberately does not use py_webauthn (the library under test) — not even its CBOR encoder — so the two sides
only meet through the wire format. Keyword options forge bad responses: another origin or RP id, no user
verification, a chosen counter, a wrong key, a different challenge or ceremony type.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_BE = 0x08
FLAG_BS = 0x10
FLAG_AT = 0x40
ES256 = -7

_UNSET: Any = object()


class ExcludedCredentialError(Exception):
    """What the browser reports as InvalidStateError: this authenticator already holds an excluded credential."""


class NoCredentialError(Exception):
    """What the browser reports as NotAllowedError: no credential here matches the request."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cbor(value: Any) -> bytes:
    """The small subset of CBOR (RFC 8949) WebAuthn needs, with CTAP2 canonical map ordering."""

    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | extra]) + struct.pack(fmt, n)
        raise ValueError("integer too large")

    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return head(3, len(data)) + data
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        # CTAP2 canonical order: shorter encoded keys first, then bytewise.
        items = sorted(((cbor(k), cbor(v)) for k, v in value.items()), key=lambda kv: (len(kv[0]), kv[0]))
        return head(5, len(items)) + b"".join(k + v for k, v in items)
    raise TypeError(f"cannot encode {type(value).__name__}")


@dataclass
class SoftCredential:
    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    user_name: str
    sign_count: int = 0

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor({1: 2, 3: ES256, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})


class SoftAuthenticator:
    """A platform authenticator holding discoverable P-256 credentials, plus the browser's part of the ceremony.

    ``counter_step`` is how much the signature counter grows per use (0 imitates authenticators that always send
    0, such as synced passkeys).
    """

    def __init__(self, *, origin: str, counter_step: int = 1, aaguid: bytes = bytes(16)) -> None:
        self.origin = origin
        self.counter_step = counter_step
        self.aaguid = aaguid
        self.credentials: dict[bytes, SoftCredential] = {}

    # ------------------------------------------------------------------------------------------ create

    def create(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        user_present: bool = True,
        user_verified: bool = True,
        counter: int = 0,
        challenge: bytes | None = None,
        client_data_type: str = "webauthn.create",
        credential_id: bytes | None = None,
    ) -> dict[str, Any]:
        """``navigator.credentials.create({publicKey: options})`` then ``.toJSON()``."""
        rp_id = rp_id or options["rp"].get("id") or _host(self.origin)
        if not any(p.get("alg") == ES256 for p in options["pubKeyCredParams"]):
            raise NoCredentialError("the server does not accept ES256")
        excluded = {b64url_decode(c["id"]) for c in options.get("excludeCredentials", [])}
        if excluded & self.credentials.keys():
            raise ExcludedCredentialError("an excluded credential is on this authenticator")
        cred = SoftCredential(
            credential_id=credential_id or secrets.token_bytes(32),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=b64url_decode(options["user"]["id"]),
            user_name=options["user"]["name"],
            sign_count=counter,
        )
        self.credentials[cred.credential_id] = cred
        client_data = _client_data(client_data_type, challenge or b64url_decode(options["challenge"]),
                                   origin or self.origin)
        flags = FLAG_AT | (FLAG_UP if user_present else 0) | (FLAG_UV if user_verified else 0)
        attested = self.aaguid + struct.pack(">H", len(cred.credential_id)) + cred.credential_id
        auth_data = _auth_data(rp_id, flags, counter) + attested + cred.cose_public_key()
        attestation_object = cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        spki = cred.private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo)
        return {
            "id": b64url(cred.credential_id),
            "rawId": b64url(cred.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation_object),
                "authenticatorData": b64url(auth_data),
                "transports": ["internal", "hybrid"],
                "publicKey": b64url(spki),
                "publicKeyAlgorithm": ES256,
            },
            "clientExtensionResults": {},
        }

    # ------------------------------------------------------------------------------------------ get

    def get(
        self,
        options: dict[str, Any],
        *,
        credential_id: bytes | None = None,
        origin: str | None = None,
        rp_id: str | None = None,
        user_present: bool = True,
        user_verified: bool = True,
        counter: int | None = None,
        challenge: bytes | None = None,
        client_data_type: str = "webauthn.get",
        sign_with: ec.EllipticCurvePrivateKey | None = None,
        user_handle: Any = _UNSET,
    ) -> dict[str, Any]:
        """``navigator.credentials.get({publicKey: options})`` then ``.toJSON()``.

        With an empty ``allowCredentials`` a discoverable credential for the RP is used (``credential_id`` picks
        one when several). ``sign_with`` signs with another key (a forged assertion); ``user_handle=None`` leaves
        it out, bytes replace it.
        """
        cred = self._pick(options, credential_id)
        if counter is None:
            cred.sign_count += self.counter_step
            counter = cred.sign_count
        else:
            cred.sign_count = counter
        client_data = _client_data(client_data_type, challenge or b64url_decode(options["challenge"]),
                                   origin or self.origin)
        flags = (FLAG_UP if user_present else 0) | (FLAG_UV if user_verified else 0)
        auth_data = _auth_data(rp_id or cred.rp_id, flags, counter)
        key = sign_with or cred.private_key
        signature = key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        handle = cred.user_handle if user_handle is _UNSET else user_handle
        response: dict[str, Any] = {
            "clientDataJSON": b64url(client_data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(signature),
        }
        if handle is not None:
            response["userHandle"] = b64url(handle)
        return {
            "id": b64url(cred.credential_id),
            "rawId": b64url(cred.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": response,
            "clientExtensionResults": {},
        }

    def _pick(self, options: dict[str, Any], credential_id: bytes | None) -> SoftCredential:
        if credential_id is not None:
            if credential_id not in self.credentials:
                raise NoCredentialError("no such credential on this authenticator")
            return self.credentials[credential_id]
        rp_id = options.get("rpId") or _host(self.origin)
        allowed = [b64url_decode(c["id"]) for c in options.get("allowCredentials", [])]
        candidates = [c for c in self.credentials.values() if c.rp_id == rp_id
                      and (not allowed or c.credential_id in allowed)]
        if not candidates:
            raise NoCredentialError("no matching credential")
        return candidates[0]


def _client_data(kind: str, challenge: bytes, origin: str) -> bytes:
    # Chrome's member order and compact separators; the server must hash exactly these bytes.
    data = {"type": kind, "challenge": b64url(challenge), "origin": origin, "crossOrigin": False}
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def _auth_data(rp_id: str, flags: int, counter: int) -> bytes:
    return hashlib.sha256(rp_id.encode("utf-8")).digest() + bytes([flags]) + struct.pack(">I", counter)


def _host(origin: str) -> str:
    return origin.split("://", 1)[-1].split(":", 1)[0].split("/", 1)[0]
