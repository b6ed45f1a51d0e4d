"""The signing port in both runtimes: the development CA's local keys and officials' keys in KMS (moto, over
HTTP). A real result PDF is signed and checked by the same PadesVerifier, and independently by poppler."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from aws.aws_support import unique_name
from motcua.adapters.kms_signer import KmsKeys, KmsPadesSigner, LocalCaCertificates, StoredCertificates
from motcua.adapters.local_ca import LocalCertificateAuthority
from motcua.adapters.pades_signer import LocalPadesSigner, SignatureRequest
from motcua.adapters.pades_verifier import PadesVerifier
from motcua.adapters.s3_files import S3FileStore
from motcua.documents.result import ResultData, render_result_document

SIGNER = "Nguyễn Văn Bình"
UNIT = "Ủy ban nhân dân phường Trấn Biên"
SIGNED_AT = datetime(2026, 11, 26, 7, 5, tzinfo=UTC)
CODE = "H19.23-261126-0001"


@pytest.fixture(scope="module")
def rendered():
    return render_result_document(ResultData(
        dossier_code=CODE, procedure_code="1.004873", procedure_name="Cấp Giấy xác nhận tình trạng hôn nhân",
        result_title="Giấy xác nhận tình trạng hôn nhân", issuing_unit_name=UNIT, parent_unit_name="Tỉnh Đồng Nai",
        applicant_name="Nguyễn Thị Ngọc Ánh", applicant_id_number="075190012345",
        applicant_address="Số 12 đường Nguyễn Ái Quốc, phường Trấn Biên, tỉnh Đồng Nai",
        details=(("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai"),), decided_at=SIGNED_AT,
        signer_name=SIGNER, signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        verify_url=f"https://dichvucong.dongnai.gov.vn/xac-thuc?ma={CODE}"))


def request_for(rendered, **changes) -> SignatureRequest:
    values = dict(signer_name=SIGNER, signer_title="PHÓ CHỦ TỊCH", unit_name=UNIT, signed_at=SIGNED_AT,
                  reason=f"Phê duyệt kết quả giải quyết hồ sơ {CODE}", location="Đồng Nai",
                  verify_url=f"https://dichvucong.dongnai.gov.vn/xac-thuc?ma={CODE}",
                  page=rendered.signature_page, box=rendered.signature_box)
    values.update(changes)
    return SignatureRequest(**values)


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return LocalCertificateAuthority(tmp_path_factory.mktemp("ca"))


@pytest.fixture(params=["local", "kms-ecc", "kms-rsa"])
def signer(request, ca):
    if request.param == "local":
        return LocalPadesSigner(ca)
    aws = request.getfixturevalue("aws")
    spec = "ECC_NIST_P256" if request.param == "kms-ecc" else "RSA_2048"
    keys = KmsKeys(aws, alias_prefix=unique_name("motcua") + "/", create_missing=True, key_spec=spec)
    return KmsPadesSigner(aws, keys, LocalCaCertificates(ca))


@pytest.fixture
def verifier(ca):
    return PadesVerifier([ca.root_certificate])


def test_a_signed_result_verifies_with_the_signer_named(signer, verifier, rendered):
    signed = signer.sign(rendered.pdf, request_for(rendered), official_id="lanh-dao-tran-bien",
                         email="binh.nv@dongnai.gov.vn")
    result = verifier.verify(signed)
    assert result.valid, result.reason
    [info] = result.signers
    assert (info.name, info.unit, info.signed_at) == (SIGNER, UNIT, SIGNED_AT)


def test_one_flipped_byte_after_signing_is_detected(signer, verifier, rendered):
    signed = bytearray(signer.sign(rendered.pdf, request_for(rendered), official_id="lanh-dao-tran-bien"))
    at = signed.index(b"/Contents") - 400
    signed[at] ^= 0x01
    assert verifier.verify(bytes(signed)).valid is False


def test_two_officials_sign_one_after_the_other_and_both_verify(signer, verifier, rendered):
    x1, y1, x2, y2 = rendered.signature_box
    first = signer.sign(rendered.pdf, request_for(rendered), official_id="lanh-dao-tran-bien")
    second = signer.sign(first, request_for(rendered, signer_name="Trần Thị Thu Hà", box=(x1, y1 - 90, x2, y2 - 90)),
                         official_id="can-bo-tiep-nhan")
    result = verifier.verify(second)
    assert result.valid, result.reason
    assert [s.name for s in result.signers] == [SIGNER, "Trần Thị Thu Hà"]


def test_a_document_signed_under_another_root_is_not_trusted(signer, rendered, tmp_path):
    signed = signer.sign(rendered.pdf, request_for(rendered), official_id="lanh-dao-tran-bien")
    other = LocalCertificateAuthority(tmp_path / "other-ca")
    assert PadesVerifier([other.root_certificate]).verify(signed).valid is False


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_pdfsig_independently_finds_the_signature_valid(signer, rendered, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signer.sign(rendered.pdf, request_for(rendered), official_id="lanh-dao-tran-bien"))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert f"Signer Certificate Common Name: {SIGNER}" in out
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out


# --- KMS specifics ----------------------------------------------------------------------------------------------


def test_each_official_has_a_key_of_their_own_found_by_alias(aws):
    keys = KmsKeys(aws, alias_prefix=unique_name("motcua") + "/", create_missing=True)
    a, b = keys.key_for("lanh-dao-tran-bien"), keys.key_for("chuyen-vien-tran-bien")
    assert a.key_id != b.key_id and a.public_key_der != b.public_key_der
    kms = aws.client("kms")
    assert a.key_id.endswith(kms.describe_key(KeyId=keys.alias("lanh-dao-tran-bien"))["KeyMetadata"]["KeyId"])
    # A second process finds the same key rather than making another.
    again = KmsKeys(aws, alias_prefix=keys.alias_prefix, create_missing=True).key_for("lanh-dao-tran-bien")
    assert again == a


def test_production_never_creates_keys(aws, rendered, ca):
    keys = KmsKeys(aws, alias_prefix=unique_name("motcua") + "/", create_missing=False)
    with pytest.raises(Exception, match="NotFound"):
        KmsPadesSigner(aws, keys, LocalCaCertificates(ca)).sign(rendered.pdf, request_for(rendered),
                                                                official_id="lanh-dao-tran-bien")


def test_ids_an_alias_cannot_hold_are_hashed(aws):
    keys = KmsKeys(aws, alias_prefix="motcua/officials/")
    assert keys.alias("lanh-dao-tran-bien") == "alias/motcua/officials/lanh-dao-tran-bien"
    hashed = keys.alias("cán bộ/../x")
    assert hashed.startswith("alias/motcua/officials/") and "/../" not in hashed and "á" not in hashed


def test_a_symmetric_key_behind_the_alias_is_refused(aws):
    keys = KmsKeys(aws, alias_prefix=unique_name("motcua") + "/")
    kms = aws.client("kms")
    kms.create_alias(AliasName=keys.alias("x"), TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    with pytest.raises(Exception, match="UnsupportedOperation|not an asymmetric"):
        keys.key_for("x")


def test_certificates_from_the_store_sign_and_must_match_the_kms_key(aws, bucket, rendered, tmp_path):
    from cryptography.hazmat.primitives import serialization

    province_ca = LocalCertificateAuthority(tmp_path / "province-ca")  # stands in for the province's real CA
    keys = KmsKeys(aws, alias_prefix=unique_name("motcua") + "/", create_missing=True)
    public = serialization.load_der_public_key(keys.key_for("lanh-dao-tran-bien").public_key_der)
    leaf = province_ca.certify("lanh-dao-tran-bien", public, SIGNER, UNIT)
    files = S3FileStore(aws, bucket)
    alias_name = keys.alias("lanh-dao-tran-bien").removeprefix("alias/").replace("/", "-")
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, province_ca.root_certificate))
    files.put(f"signing-certs/{alias_name}.pem", pem, content_type="application/x-pem-file")
    signer = KmsPadesSigner(aws, keys, StoredCertificates(files, keys))
    signed = signer.sign(rendered.pdf, request_for(rendered), official_id="lanh-dao-tran-bien")
    assert PadesVerifier([province_ca.root_certificate]).verify(signed).valid
    # Someone else's certificate under this official's name is refused before anything is signed.
    stranger = province_ca.signer_for("someone-else", SIGNER, UNIT).certificate
    files.put(f"signing-certs/{alias_name}.pem", stranger.public_bytes(serialization.Encoding.PEM),
              content_type="application/x-pem-file")
    with pytest.raises(ValueError, match="not for its KMS key"):
        KmsPadesSigner(aws, keys, StoredCertificates(files, keys)).sign(
            rendered.pdf, request_for(rendered), official_id="lanh-dao-tran-bien")
