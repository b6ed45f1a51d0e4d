"""The development CA: created once and reused, per-official certificates, private key file modes, and
concurrent creation by threads and by separate processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from motcua.adapters import local_ca
from motcua.adapters.local_ca import LocalCertificateAuthority


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_root_is_created_once_and_reused(tmp_path) -> None:
    first = LocalCertificateAuthority(tmp_path / "ca")
    root = first.root_certificate
    key_file = tmp_path / "ca" / "root-key.pem"
    cert_file = tmp_path / "ca" / "root-cert.pem"
    before = (key_file.read_bytes(), cert_file.read_bytes(), key_file.stat().st_mtime_ns)

    second = LocalCertificateAuthority(tmp_path / "ca")
    assert fingerprint(second.root_certificate) == fingerprint(root)
    assert (key_file.read_bytes(), cert_file.read_bytes(), key_file.stat().st_mtime_ns) == before

    # What the root is.
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == local_ca.ROOT_COMMON_NAME
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "motcua Dev CA — Đồng Nai (không dùng thật)"
    )
    assert root.issuer == root.subject
    root.verify_directly_issued_by(root)  # self-signed
    constraints = root.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    usage = root.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign
    public = root.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name == "secp256r1"
    lifetime = root.not_valid_after_utc - root.not_valid_before_utc
    assert timedelta(days=3650) <= lifetime <= timedelta(days=3660)


def test_key_files_are_private(tmp_path) -> None:
    ca = LocalCertificateAuthority(tmp_path / "ca")
    ca.signer_for("cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên")
    keys = sorted((tmp_path / "ca").rglob("*key.pem"))
    assert len(keys) == 2  # the root's and the official's
    for key in keys:
        assert mode(key) == 0o600, key
    assert mode(tmp_path / "ca") == 0o700
    # No temporary files left behind.
    assert not list((tmp_path / "ca").rglob(".tmp-*"))


def test_key_files_are_private_even_with_a_permissive_umask(tmp_path) -> None:
    old = os.umask(0)
    try:
        ca = LocalCertificateAuthority(tmp_path / "ca")
        ca.signer_for("cb-1", "Lê Thị Hồng", "Ủy ban nhân dân xã Trị An")
    finally:
        os.umask(old)
    for key in (tmp_path / "ca").rglob("*key.pem"):
        assert mode(key) == 0o600, key


def test_official_certificate_is_issued_once_and_reused(tmp_path) -> None:
    ca = LocalCertificateAuthority(tmp_path / "ca")
    material = ca.signer_for("cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên", "binh@dongnai.gov.vn")
    again = ca.signer_for("cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên", "binh@dongnai.gov.vn")
    assert again.certificate == material.certificate
    # Another instance (another worker) reuses the stored certificate and key.
    other = LocalCertificateAuthority(tmp_path / "ca").signer_for(
        "cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên", "binh@dongnai.gov.vn"
    )
    assert other.certificate == material.certificate
    assert other.private_key.private_numbers() == material.private_key.private_numbers()
    # Another official gets another key.
    someone = ca.signer_for("cb-2", "Trần Thị Mỹ Dung", "Ủy ban nhân dân phường Trấn Biên")
    assert someone.certificate.serial_number != material.certificate.serial_number
    assert someone.certificate.public_key() != material.certificate.public_key()


def test_official_certificate_contents(tmp_path) -> None:
    ca = LocalCertificateAuthority(tmp_path / "ca")
    material = ca.signer_for("cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên", "binh@dongnai.gov.vn")
    cert = material.certificate
    assert material.chain == (ca.root_certificate,)
    cert.verify_directly_issued_by(ca.root_certificate)
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Nguyễn Văn Bình"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Ủy ban nhân dân phường Trấn Biên"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    assert subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "cb-1"
    assert cert.serial_number.bit_length() > 64  # random, not sequential
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in eku and local_ca.DOCUMENT_SIGNING_OID in eku
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["binh@dongnai.gov.vn"]
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=729) <= lifetime <= timedelta(days=731)
    assert cert.not_valid_before_utc <= datetime.now(UTC)
    assert material.private_key.public_key() == cert.public_key()


def test_changed_name_or_unit_gets_a_new_certificate(tmp_path) -> None:
    ca = LocalCertificateAuthority(tmp_path / "ca")
    first = ca.signer_for("cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên")
    moved = ca.signer_for("cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Long Hưng")
    assert moved.certificate != first.certificate
    assert moved.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
        "Ủy ban nhân dân phường Long Hưng"
    )
    # NFD input names the same person: no reissue.
    nfd = [unicodedata.normalize("NFD", text) for text in ("Nguyễn Văn Bình", "Ủy ban nhân dân phường Long Hưng")]
    same = ca.signer_for("cb-1", *nfd)
    assert same.certificate == moved.certificate


def test_expiring_certificate_is_renewed(tmp_path, monkeypatch) -> None:
    ca = LocalCertificateAuthority(tmp_path / "ca")
    first = ca.signer_for("cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên")
    later = datetime.now(UTC) + timedelta(days=710)  # 20 days before it expires
    monkeypatch.setattr(local_ca, "_now", lambda: later)
    renewed = LocalCertificateAuthority(tmp_path / "ca").signer_for(
        "cb-1", "Nguyễn Văn Bình", "Ủy ban nhân dân phường Trấn Biên"
    )
    assert renewed.certificate != first.certificate


def test_blank_identity_is_refused(tmp_path) -> None:
    ca = LocalCertificateAuthority(tmp_path / "ca")
    with pytest.raises(ValueError):
        ca.signer_for("", "Nguyễn Văn Bình", "UBND")
    with pytest.raises(ValueError):
        ca.signer_for("cb-1", "  ", "UBND")


def test_threads_creating_the_ca_together_get_one_root(tmp_path) -> None:
    directory = tmp_path / "ca"
    count = 8
    barrier = threading.Barrier(count)
    roots: list[str] = []
    officials: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            ca = LocalCertificateAuthority(directory)
            roots.append(fingerprint(ca.root_certificate))
            official = ca.signer_for("cb-1", "Nguyễn Văn Bình", "UBND phường Trấn Biên")
            officials.append(official.certificate.serial_number)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(roots) == count and len(set(roots)) == 1
    assert len(set(officials)) == 1
    assert fingerprint(LocalCertificateAuthority(directory).root_certificate) == roots[0]


_CHILD = """
import sys, time
from pathlib import Path
from cryptography.hazmat.primitives import hashes
from motcua.adapters.local_ca import LocalCertificateAuthority
directory, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
ca = LocalCertificateAuthority(directory)
official = ca.signer_for("cb-1", "Nguyễn Văn Bình", "UBND phường Trấn Biên")
print(ca.root_certificate.fingerprint(hashes.SHA256()).hex(), official.certificate.serial_number)
"""


def test_processes_creating_the_ca_together_get_one_root(tmp_path) -> None:
    directory = tmp_path / "ca"
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(directory), str(go)],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "backend")},  # this checkout
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    time.sleep(1.0)  # let every child get as far as waiting for the signal (imports take a few hundred ms)
    go.touch()
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        outputs.append(out.split())
    assert len({root for root, _ in outputs}) == 1
    assert len({serial for _, serial in outputs}) == 1
    assert fingerprint(LocalCertificateAuthority(directory).root_certificate) == outputs[0][0]
    root_pem = (directory / "root-cert.pem").read_bytes()
    assert x509.load_pem_x509_certificate(root_pem).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == serialization.load_pem_private_key((directory / "root-key.pem").read_bytes(), None).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
