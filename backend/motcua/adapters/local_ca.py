"""The development certificate authority of the embedded default: a self-made root and one signing certificate
per official, kept as PEM files under a directory (``var/ca/`` in practice; never committed).

NOT a real CA. Documents it signs verify only against its own root, which the embedded default configures as
the single trust root of :class:`motcua.adapters.pades_verifier.PadesVerifier`; the root's name says "không dùng
thật" so nobody mistakes it. Production signs with keys held in AWS KMS under certificates from a real CA.

Layout of the directory::

    .lock                         flock()ed while anything is created (processes and threads alike)
    root-key.pem  (0600)          ECDSA P-256, PKCS#8, unencrypted (development only)
    root-cert.pem                 self-signed, 10 years
    officials/<sha256 of id>/key.pem (0600), cert.pem   one per official, 2 years, reissued when stale

Keys are ECDSA P-256: generating one takes well under a millisecond and a signature is fast, where RSA 3072
would take 100+ ms to generate and tens of milliseconds to load on every signature.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from motcua.adapters.atomic_files import write_atomically

ROOT_COMMON_NAME = "motcua Dev CA — Đồng Nai (không dùng thật)"
ROOT_ORGANIZATION = "motcua (môi trường phát triển)"
OFFICIAL_UNIT_LABEL = "Cán bộ ký số — môi trường phát triển"  # the OU of every end-entity certificate

ROOT_VALIDITY = dt.timedelta(days=3652)  # 10 years
OFFICIAL_VALIDITY = dt.timedelta(days=730)  # 2 years
# A certificate that expires within this margin is replaced before it is used again, so a document signed
# today does not carry a certificate that is about to lapse.
RENEW_BEFORE = dt.timedelta(days=30)
# Backdating notBefore a little keeps a certificate usable by a machine whose clock is slightly behind.
CLOCK_SKEW = dt.timedelta(minutes=5)

# RFC 9336 id-kp-documentSigning. Adobe and pyHanko accept it; emailProtection is added as well because NSS
# (poppler's pdfsig) checks signing certificates for the S/MIME usage.
DOCUMENT_SIGNING_OID = ObjectIdentifier("1.3.6.1.5.5.7.3.36")

_KEY_MODE = 0o600
_DIR_MODE = 0o700

PrivateKey = ec.EllipticCurvePrivateKey
CertifiablePublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey


@dataclass(frozen=True)
class SignerMaterial:
    """What a signer needs: the private key, its certificate and the issuing chain (root last, no leaf)."""

    official_id: str
    private_key: PrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate (hex): a stable cache key for objects built from this material."""
        return self.certificate.fingerprint(hashes.SHA256()).hex()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LocalCertificateAuthority:
    """Development CA backed by files under ``directory`` (created on first use, then reused).

    Safe to construct from several threads or processes at once: creation happens under an exclusive
    ``flock`` and files are published by atomic rename, so every instance ends up with the same root.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        self._lock = threading.Lock()  # guards the in-memory cache; the file lock guards the disk
        self._officials: dict[str, SignerMaterial] = {}
        self._root_key, self._root_cert = self._load_or_create_root()

    # --- public API ---------------------------------------------------------------------------------------

    @property
    def root_certificate(self) -> x509.Certificate:
        """The self-signed root: the trust anchor a verifier of this CA's signatures must be given."""
        return self._root_cert

    def signer_for(self, official_id: str, name: str, unit_name: str, email: str | None = None) -> SignerMaterial:
        """The official's key and certificate, issued on first use and reused afterwards.

        A new certificate (and key) replaces the stored one when the name, unit or email changed, when it
        expires within 30 days, or when it was not issued by the current root.
        """
        wanted, email = self._checked_subject(official_id, name, unit_name, email)
        with self._lock:
            cached = self._officials.get(official_id)
            if cached is not None and self._usable(cached.certificate, wanted, email):
                return cached
            with self._file_lock():
                material = self._load_official(official_id)
                if material is None or not self._usable(material.certificate, wanted, email):
                    material = self._issue_official(official_id, wanted, email)
            self._officials[official_id] = material
            return material

    def _checked_subject(self, official_id: str, name: str, unit_name: str,
                         email: str | None) -> tuple[x509.Name, str | None]:
        if not official_id or not official_id.strip():
            raise ValueError("official_id is required")
        name, unit_name = _nfc(name), _nfc(unit_name)
        if not name or not unit_name:
            raise ValueError("name and unit_name are required")
        return self._official_subject(official_id, name, unit_name), (email.strip() if email else None)

    def certify(self, official_id: str, public_key: CertifiablePublicKey, name: str, unit_name: str,
                email: str | None = None) -> x509.Certificate:
        """A certificate for a key held elsewhere (a KMS key): same subject, usages and renewal rules as
        :meth:`signer_for`, for ``public_key`` (ECDSA or RSA). Kept as ``officials/<hash>/external-cert.pem`` and
        reused while it fits; the private key never comes near the CA.
        """
        wanted, email = self._checked_subject(official_id, name, unit_name, email)
        path = self._official_dir(official_id) / "external-cert.pem"
        with self._lock, self._file_lock():
            try:
                cert = x509.load_pem_x509_certificate(path.read_bytes())
            except (FileNotFoundError, ValueError):
                cert = None
            if cert is None or cert.public_key() != public_key or not self._usable(cert, wanted, email):
                cert = self._certificate(public_key, wanted, email)
                path.parent.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
                write_atomically(path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
            return cert

    # --- root ---------------------------------------------------------------------------------------------

    @property
    def _root_key_path(self) -> Path:
        return self.directory / "root-key.pem"

    @property
    def _root_cert_path(self) -> Path:
        return self.directory / "root-cert.pem"

    def _load_or_create_root(self) -> tuple[PrivateKey, x509.Certificate]:
        loaded = self._load_root()
        if loaded is not None:
            return loaded
        with self._file_lock():
            # Another thread or process may have created it while we waited for the lock.
            loaded = self._load_root()
            if loaded is not None:
                return loaded
            key = ec.generate_private_key(ec.SECP256R1())
            cert = self._make_root(key)
            # Key first, certificate last: the certificate's presence marks a complete root.
            write_atomically(self._root_key_path, _key_pem(key), mode=_KEY_MODE)
            write_atomically(self._root_cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
            return key, cert

    def _load_root(self) -> tuple[PrivateKey, x509.Certificate] | None:
        try:
            cert = x509.load_pem_x509_certificate(self._root_cert_path.read_bytes())
            key = _load_key(self._root_key_path.read_bytes())
        except FileNotFoundError:
            return None
        if key.public_key() != cert.public_key():
            raise RuntimeError(f"{self.directory}: root key and certificate do not match")
        return key, cert

    @staticmethod
    def _make_root(key: PrivateKey) -> x509.Certificate:
        now = _now()
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Đồng Nai"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, ROOT_ORGANIZATION),
                x509.NameAttribute(NameOID.COMMON_NAME, ROOT_COMMON_NAME),
            ]
        )
        public = key.public_key()
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(now + ROOT_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256())
        )

    # --- officials ----------------------------------------------------------------------------------------

    def _official_dir(self, official_id: str) -> Path:
        # Hashed: an id may hold any character, and the file name must not let it choose a path.
        digest = hashlib.sha256(official_id.encode()).hexdigest()[:32]
        return self.directory / "officials" / digest

    @staticmethod
    def _official_subject(official_id: str, name: str, unit_name: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_name),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, OFFICIAL_UNIT_LABEL),
                x509.NameAttribute(NameOID.USER_ID, official_id),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )

    def _usable(self, cert: x509.Certificate, subject: x509.Name, email: str | None) -> bool:
        if cert.subject != subject or cert.issuer != self._root_cert.subject:
            return False
        if cert.not_valid_after_utc - RENEW_BEFORE < _now():
            return False
        try:
            cert.verify_directly_issued_by(self._root_cert)
        except (ValueError, TypeError, InvalidSignature):
            return False
        try:
            emails = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
                x509.RFC822Name
            )
        except x509.ExtensionNotFound:
            emails = []
        return emails == ([email] if email else [])

    def _load_official(self, official_id: str) -> SignerMaterial | None:
        folder = self._official_dir(official_id)
        try:
            cert = x509.load_pem_x509_certificate((folder / "cert.pem").read_bytes())
            key = _load_key((folder / "key.pem").read_bytes())
        except (FileNotFoundError, ValueError):
            return None  # missing or unreadable: issue a fresh pair
        if key.public_key() != cert.public_key():
            return None
        return SignerMaterial(official_id, key, cert, (self._root_cert,))

    def _issue_official(self, official_id: str, subject: x509.Name, email: str | None) -> SignerMaterial:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._certificate(key.public_key(), subject, email)
        folder = self._official_dir(official_id)
        folder.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        write_atomically(folder / "key.pem", _key_pem(key), mode=_KEY_MODE)
        write_atomically(folder / "cert.pem", cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
        return SignerMaterial(official_id, key, cert, (self._root_cert,))

    def _certificate(self, public: CertifiablePublicKey, subject: x509.Name, email: str | None) -> x509.Certificate:
        now = _now()
        not_after = min(now + OFFICIAL_VALIDITY, self._root_cert.not_valid_after_utc)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self._root_cert.subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,  # nonRepudiation: pyHanko's validator requires it by default
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID]), critical=False
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._root_key.public_key()), critical=False
            )
        )
        if email:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
        return builder.sign(self._root_key, hashes.SHA256())

    # --- locking ------------------------------------------------------------------------------------------

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        # flock locks belong to the open file description, so two threads of one process that each open the
        # file exclude each other just as two processes do.
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_key(pem: bytes) -> PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("expected an ECDSA key")
    return key
