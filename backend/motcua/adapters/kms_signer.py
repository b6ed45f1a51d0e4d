"""PAdES signing with officials' keys held in AWS KMS (the AWS runtime's ``DocumentSigner``).

Each official has one asymmetric KMS key (``SIGN_VERIFY``; ECC_NIST_P256 by default, RSA_2048 also works)
found by the alias ``alias/<prefix><official id>`` (ids with characters an alias cannot hold are hashed). The
private key never leaves KMS: pyHanko builds the CMS signed attributes and this module asks KMS to sign them
(``MessageType=RAW``: KMS hashes them; DIGEST beyond 4 KB), and the signature goes into the PDF through the same
:func:`motcua.adapters.pades_signer.sign_pades` the embedded signer uses — same stamp, same PAdES profile.

The certificate binding the KMS public key to the official's name and unit comes from a ``certificates``
object with ``certify(official_id, public_key, name, unit_name, email) -> certificate`` and a ``chain``:

- development and tests: :class:`LocalCaCertificates`, the development CA (``adapters/local_ca.py``) issuing for
  the KMS public key (so the existing ``PadesVerifier`` with the dev root checks the result);
- production: :class:`StoredCertificates`, PEM files an operator placed in the file store
  (``signing-certs/<alias name>.pem``: the official's certificate from the province's CA, then its chain),
  refused unless the certificate's key is the KMS key's.

``create_missing_keys`` lets development make a key on first use; production keys are provisioned (and their
key policies scoped to the signing function's role) by an operator, never by the app.

pyHanko, cryptography and boto3 are imported on first use: a function that never signs never loads them.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from motcua.adapters.aws_clients import AwsClients, error_code
from motcua.services.ports import FileStore, SignatureRequest

if TYPE_CHECKING:
    from cryptography import x509

    from motcua.adapters.local_ca import LocalCertificateAuthority

_ALIAS_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_ALGORITHMS = {  # KMS key spec → (KMS signing algorithm, CMS signature mechanism)
    "ECC_NIST_P256": ("ECDSA_SHA_256", "sha256_ecdsa"),
    "RSA_2048": ("RSASSA_PKCS1_V1_5_SHA_256", "sha256_rsa"),
    "RSA_3072": ("RSASSA_PKCS1_V1_5_SHA_256", "sha256_rsa"),
}


@dataclass(frozen=True)
class KmsKey:
    key_id: str  # the key's ARN
    key_spec: str
    public_key_der: bytes

    @property
    def signing_algorithm(self) -> str:
        return _ALGORITHMS[self.key_spec][0]


class KmsKeys:
    """Finds (and in development creates) the KMS key of each official by alias."""

    def __init__(self, clients: AwsClients, *, alias_prefix: str = "motcua/officials/",
                 create_missing: bool = False, key_spec: str = "ECC_NIST_P256") -> None:
        if key_spec not in _ALGORITHMS:
            raise ValueError(f"unsupported KMS key spec {key_spec!r}")
        self._clients = clients
        self.alias_prefix = alias_prefix
        self._create_missing = create_missing
        self._key_spec = key_spec
        self._found: dict[str, KmsKey] = {}
        self._lock = threading.Lock()

    def alias(self, official_id: str) -> str:
        name = official_id if _ALIAS_SAFE.match(official_id) else hashlib.sha256(official_id.encode()).hexdigest()[:40]
        return f"alias/{self.alias_prefix}{name}"

    def key_for(self, official_id: str) -> KmsKey:
        if not official_id or not official_id.strip():
            raise ValueError("official_id is required")
        found = self._found.get(official_id)
        if found is not None:
            return found
        with self._lock:
            found = self._found.get(official_id) or self._load(official_id)
            self._found[official_id] = found
            return found

    def _load(self, official_id: str) -> KmsKey:
        kms = self._clients.client("kms")
        alias = self.alias(official_id)
        try:
            reply = kms.get_public_key(KeyId=alias)
        except Exception as exc:
            if error_code(exc) != "NotFoundException" or not self._create_missing:
                raise
            key_id = kms.create_key(KeySpec=self._key_spec, KeyUsage="SIGN_VERIFY",
                                    Description=f"motcua signing key of official {official_id}",
                                    Tags=[{"TagKey": "motcua:official", "TagValue": official_id[:256]}],
                                    )["KeyMetadata"]["KeyId"]
            try:
                kms.create_alias(AliasName=alias, TargetKeyId=key_id)
            except Exception as race:
                if error_code(race) != "AlreadyExistsException":
                    raise
                kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)  # another process won
            reply = kms.get_public_key(KeyId=alias)
        spec = reply.get("KeySpec") or reply.get("CustomerMasterKeySpec")
        if spec not in _ALGORITHMS or reply.get("KeyUsage") != "SIGN_VERIFY":
            raise ValueError(f"{alias} is not an asymmetric signing key ({spec}, {reply.get('KeyUsage')})")
        return KmsKey(key_id=reply["KeyId"], key_spec=spec, public_key_der=reply["PublicKey"])


class Certificates(Protocol):
    chain: Sequence[x509.Certificate]  # issuing CAs, root last

    def certify(self, official_id: str, public_key: Any, name: str, unit_name: str,
                email: str | None = None) -> x509.Certificate: ...


class LocalCaCertificates:
    """Development: the local CA certifies the KMS public key."""

    def __init__(self, ca: LocalCertificateAuthority) -> None:
        self._ca = ca
        self.chain = (ca.root_certificate,)

    def certify(self, official_id: str, public_key: Any, name: str, unit_name: str,
                email: str | None = None) -> x509.Certificate:
        return self._ca.certify(official_id, public_key, name, unit_name, email)


class StoredCertificates:
    """Production: ``signing-certs/<alias name>.pem`` in the file store (leaf first, then its issuers)."""

    def __init__(self, files: FileStore, keys: KmsKeys, *, prefix: str = "signing-certs/") -> None:
        self._files = files
        self._keys = keys
        self._prefix = prefix
        self.chain: Sequence[x509.Certificate] = ()

    def certify(self, official_id: str, public_key: Any, name: str, unit_name: str,
                email: str | None = None) -> x509.Certificate:
        from cryptography import x509

        alias_name = self._keys.alias(official_id).removeprefix("alias/").replace("/", "-")
        pem = self._files.get(f"{self._prefix}{alias_name}.pem")
        if pem is None:
            raise LookupError(f"no certificate has been issued for the signing key of {official_id}")
        leaf, *chain = x509.load_pem_x509_certificates(pem)
        if leaf.public_key() != public_key:
            raise ValueError(f"the stored certificate of {official_id} is not for its KMS key")
        self.chain = tuple(chain)
        return leaf


@cache
def _signer_class() -> type:
    from pyhanko.sign import signers

    class KmsPyHankoSigner(signers.Signer):  # type: ignore[misc]
        """A pyHanko signer whose raw signature is made by KMS (the digest is computed here)."""

        def __init__(self, clients: AwsClients, key: KmsKey, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._clients = clients
            self._key = key

        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
            if digest_algorithm.lower() != "sha256":
                raise ValueError(f"KMS signing here uses SHA-256, not {digest_algorithm}")
            if dry_run:  # room for the largest signature of the key type
                return bytes(72 if self._key.key_spec.startswith("ECC") else 512)
            # KMS hashes a RAW message (up to 4 KB) itself with the algorithm's SHA-256: the same signature as
            # sending the digest. CMS signed attributes are a few hundred bytes, so RAW is the usual case (and
            # the one moto implements); DIGEST covers anything larger.
            if len(data) <= 4096:
                message, message_type = data, "RAW"
            else:
                message, message_type = hashlib.sha256(data).digest(), "DIGEST"
            reply = self._clients.client("kms").sign(
                KeyId=self._key.key_id, Message=message, MessageType=message_type,
                SigningAlgorithm=self._key.signing_algorithm)
            return reply["Signature"]  # type: ignore[no-any-return]  # DER for ECDSA, raw for RSA: as CMS wants

    return KmsPyHankoSigner


class KmsPadesSigner:
    """``DocumentSigner`` on KMS keys (see the module docstring)."""

    BYTES_RESERVED = 16384  # an RSA certificate and signature are larger than the ECDSA ones

    def __init__(self, clients: AwsClients, keys: KmsKeys, certificates: Certificates) -> None:
        self._clients = clients
        self._keys = keys
        self._certificates = certificates
        self._signers: dict[tuple[str, bytes], Any] = {}
        self._lock = threading.Lock()

    def _signer(self, key: KmsKey, certificate: x509.Certificate) -> Any:
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        der = certificate.public_bytes(serialization.Encoding.DER)
        cache_key = (key.key_id, der)
        with self._lock:
            found = self._signers.get(cache_key)
            if found is None:
                from asn1crypto import algos

                chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                         for c in self._certificates.chain]
                found = _signer_class()(
                    self._clients, key,
                    signing_cert=asn1_x509.Certificate.load(der),
                    cert_registry=SimpleCertificateStore.from_certs(chain),
                    signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": _ALGORITHMS[key.key_spec][1]}),
                )
                self._signers[cache_key] = found
            return found

    def sign(self, pdf: bytes, request: SignatureRequest, *, official_id: str, email: str | None = None) -> bytes:
        """Sign ``pdf`` with the official's KMS key under a certificate naming ``request.signer_name``."""
        from cryptography.hazmat.primitives import serialization

        from motcua.adapters.pades_signer import sign_pades

        key = self._keys.key_for(official_id)
        public = serialization.load_der_public_key(key.public_key_der)
        certificate = self._certificates.certify(official_id, public, request.signer_name, request.unit_name, email)
        return sign_pades(pdf, request, self._signer(key, certificate), contact_info=email,
                          bytes_reserved=self.BYTES_RESERVED)
