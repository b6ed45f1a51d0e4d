"""Result document → PAdES signature with a visible Vietnamese stamp → verification, checked against tampering,
re-saving, a foreign CA and garbage input, and independently with poppler (pdfsig, pdftotext, pdftoppm) and
zxing-cpp."""

from __future__ import annotations

import io
import logging
import random
import re
import shutil
import subprocess
import threading
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from html import unescape
from pathlib import Path

import pypdf
import pytest
from asn1crypto import cms
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf.annotations import FreeText

from motcua.adapters import pades_verifier as pv
from motcua.adapters.local_ca import LocalCertificateAuthority
from motcua.adapters.pades_signer import LocalPadesSigner, SignatureRequest, stamp_lines
from motcua.adapters.pades_verifier import PadesVerifier, VerificationResult
from motcua.documents.result import ResultData, render_result, render_result_document, signature_box
from support.pdf import flat

VN = timezone(timedelta(hours=7))
CODE = "H19.23-261126-0001"
VERIFY_URL = f"https://dichvucong.dongnai.gov.vn/xac-thuc?ma={CODE}"
UNIT = "Ủy ban nhân dân phường Trấn Biên"
SIGNER = "Nguyễn Văn Bình"
TITLE = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
APPLICANT = "Nguyễn Thị Ngọc Ánh"
ADDRESS = "Số 12 đường Nguyễn Ái Quốc, khu phố Ỷ Lan, phường Trấn Biên, tỉnh Đồng Nai"
DETAILS = (
    ("Ngày, tháng, năm sinh", "05/02/1990"),
    ("Giới tính", "Nữ"),
    ("Dân tộc", "Kinh"),
    ("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai"),
    ("Mục đích sử dụng", "Làm thủ tục đăng ký kết hôn với ông Lý Mỹ Lượng tại Ủy ban nhân dân phường Ỷ Lan"),
)
# 07:05 UTC is 14:05 in Vietnam: the stamp, the reason sentence and the date line must show local time.
SIGNED_AT = datetime(2026, 11, 26, 7, 5, tzinfo=UTC)

KNOWN_FAILURE_REASONS = {
    pv.REASON_BROKEN,
    pv.REASON_ENCRYPTED,
    pv.REASON_UNSIGNED,
    pv.REASON_DAMAGED_SIGNATURE,
    pv.REASON_MODIFIED,
    pv.REASON_UNTRUSTED,
    pv.REASON_CERT_INVALID,
    pv.REASON_REVOKED,
}


def make_result(**changes: object) -> ResultData:
    data = ResultData(
        dossier_code=CODE,
        procedure_code="1.004873",
        procedure_name="Cấp Giấy xác nhận tình trạng hôn nhân",
        result_title="Giấy xác nhận tình trạng hôn nhân",
        issuing_unit_name=UNIT,
        parent_unit_name="Tỉnh Đồng Nai",
        applicant_name=APPLICANT,
        applicant_id_number="075190012345",
        applicant_address=ADDRESS,
        details=DETAILS,
        decided_at=SIGNED_AT,
        signer_name=SIGNER,
        signer_title=TITLE,
        verify_url=VERIFY_URL,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def make_request(page: int, box: tuple[float, float, float, float], **changes: object) -> SignatureRequest:
    request = SignatureRequest(
        signer_name=SIGNER,
        signer_title=TITLE,
        unit_name=UNIT,
        signed_at=SIGNED_AT,
        reason=f"Phê duyệt kết quả giải quyết hồ sơ {CODE}",
        location="Đồng Nai",
        verify_url=VERIFY_URL,
        page=page,
        box=box,
    )
    return replace(request, **changes)  # type: ignore[arg-type]



def byte_range(pdf: bytes) -> list[int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match
    return [int(g) for g in match.groups()]


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> LocalCertificateAuthority:
    return LocalCertificateAuthority(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def signer(ca) -> LocalPadesSigner:
    return LocalPadesSigner(ca)


@pytest.fixture(scope="module")
def verifier(ca) -> PadesVerifier:
    return PadesVerifier([ca.root_certificate])


@pytest.fixture(scope="module")
def rendered():
    return render_result_document(make_result())


@pytest.fixture(scope="module")
def signed(rendered, signer) -> bytes:
    request = make_request(rendered.signature_page, rendered.signature_box)
    return signer.sign(rendered.pdf, request, official_id="can-bo-0001", email="binh.nv@dongnai.gov.vn")


def assert_refused(result: VerificationResult) -> None:
    assert result.valid is False
    assert result.reason in KNOWN_FAILURE_REASONS
    assert unicodedata.is_normalized("NFC", result.reason)


# --- the happy path -----------------------------------------------------------------------------------------


def test_signed_result_verifies_with_signer_unit_and_local_time(signed, verifier) -> None:
    result = verifier.verify(signed)
    assert result.valid, result.reason
    assert result.modified_after_signing is False
    [info] = result.signers
    assert info.name == SIGNER
    assert info.unit == UNIT
    assert info.signed_at == SIGNED_AT  # same instant; recorded as 14:05+07:00
    assert result.reason == (
        f"Chữ ký hợp lệ: tài liệu do {SIGNER} ({UNIT}) ký lúc 14:05 ngày 26/11/2026 và không bị thay đổi sau khi ký."
    )


def test_signature_is_pades_with_the_chain_embedded(signed) -> None:
    reader = pypdf.PdfReader(io.BytesIO(signed))
    sig_field = next(f for f in reader.get_fields().values() if f.get("/FT") == "/Sig")
    sig = sig_field["/V"].get_object()
    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig["/Reason"] == f"Phê duyệt kết quả giải quyết hồ sơ {CODE}"
    assert sig["/Location"] == "Đồng Nai"
    content = cms.ContentInfo.load(bytes(sig["/Contents"]))  # the zero padding after the DER is ignored
    certs = {c.chosen.subject.native["common_name"] for c in content["content"]["certificates"]}
    assert certs == {SIGNER, "motcua Dev CA — Đồng Nai (không dùng thật)"}


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_pdfsig_independently_lists_a_valid_signature(signed, tmp_path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature #1" in out
    assert f"Signer Certificate Common Name: {SIGNER}" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert "Total document signed" in out
    assert "Signature Validation: Signature is Valid." in out
    # poppler has no trust in the development root, and says so; that is the verifier's job.
    assert "Signature #2" not in out


def test_result_pdf_text_extracts_in_nfc(rendered) -> None:
    text = flat(pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỈNH ĐỒNG NAI",
        "ỦY BAN NHÂN DÂN PHƯỜNG TRẤN BIÊN",
        f"Số: {CODE}",
        "Đồng Nai, ngày 26 tháng 11 năm 2026",
        "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
        f"Căn cứ hồ sơ mã số {CODE} đề nghị giải quyết thủ tục “Cấp Giấy xác nhận tình trạng hôn nhân” "
        "(mã thủ tục: 1.004873);",
        f"Họ và tên: {APPLICANT}",
        "Số định danh cá nhân: 075190012345",
        f"Nơi cư trú: {ADDRESS}",
        "Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai",
        "Mục đích sử dụng: Làm thủ tục đăng ký kết hôn với ông Lý Mỹ Lượng tại Ủy ban nhân dân phường Ỷ Lan",
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        SIGNER,
        f"- Ông/Bà {APPLICANT};",
    ):
        assert expected in text, expected
    assert not any(unicodedata.combining(ch) for ch in text)


def test_nfd_input_gives_the_same_text() -> None:
    nfd = make_result(
        applicant_name=unicodedata.normalize("NFD", APPLICANT),
        signer_name=unicodedata.normalize("NFD", SIGNER),
        result_title=unicodedata.normalize("NFD", "Giấy xác nhận tình trạng hôn nhân"),
        details=[(unicodedata.normalize("NFD", k), unicodedata.normalize("NFD", v)) for k, v in DETAILS],
    )
    texts = [pypdf.PdfReader(io.BytesIO(render_result(d))).pages[0].extract_text() for d in (nfd, make_result())]
    assert texts[0] == texts[1]


def test_signature_box_is_bottom_right_on_the_last_page() -> None:
    many = [(f"Thông tin số {i:02d}", "Giá trị có dấu: Đặng Thị Lượng, Hồ Chí Minh, Ưu Đàm") for i in range(60)]
    rendered = render_result_document(make_result(details=many))
    pages = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages
    assert len(pages) >= 2
    assert rendered.signature_page == len(pages) - 1
    x1, y1, x2, y2 = rendered.signature_box
    width, _ = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert x1 > width / 2 - 20 and x2 <= width - 15 * 72 / 25.4 + 0.5  # right half, inside the right margin
    assert y1 >= 20 * 72 / 25.4 - 0.5  # above the bottom margin
    assert round(x2 - x1) == round(86 * 72 / 25.4) and round(y2 - y1) == round(30 * 72 / 25.4)
    assert signature_box(make_result(details=many)) == (rendered.signature_page, rendered.signature_box)


def test_multi_page_document_signs_and_verifies(signer, verifier) -> None:
    many = [(f"Thông tin số {i:02d}", "Giá trị") for i in range(60)]
    rendered = render_result_document(make_result(details=many))
    signed = signer.sign(
        rendered.pdf, make_request(rendered.signature_page, rendered.signature_box), official_id="can-bo-0001"
    )
    result = verifier.verify(signed)
    assert result.valid, result.reason


# --- the stamp ----------------------------------------------------------------------------------------------


def _pdftotext_words(pdf: bytes, tmp_path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in re.findall(pattern, out)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_stamp_text_is_whole_words_inside_the_box(signed, rendered, tmp_path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    text = flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    # With the 2048-unit-font bug these come out letter-spaced ("K ý b ở i") and cut off.
    assert f"Ký bởi: {SIGNER}" in text
    assert f"KT. CHỦ TỊCH, PHÓ CHỦ TỊCH — {UNIT}" in text
    assert "Thời gian ký: 14:05 26/11/2026" in text

    # Every word of the stamp lies inside the signature box (pdftotext: origin top left, y down).
    page_height = float(pypdf.PdfReader(io.BytesIO(signed)).pages[0].mediabox.height)
    x1, y1, x2, y2 = rendered.signature_box
    # pyHanko marks each stamp line with /ActualText, which poppler reports as one "word" per line.
    items = _pdftotext_words(signed, tmp_path, rendered.signature_page)
    inside = [w for w in items if x1 <= w[0] and w[2] <= x2 and page_height - y2 <= w[1] and w[3] <= page_height - y1]
    assert flat(" ".join(w[4] for w in inside)) == flat(" ".join(stamp_lines(make_request(0, rendered.signature_box))))
    assert [w[4] for w in inside] == [
        f"Ký bởi: {SIGNER}",
        "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH —",
        UNIT,
        "Thời gian ký: 14:05 26/11/2026",
    ]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_stamp_qr_code_decodes_to_the_verify_url(signed, rendered, tmp_path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    dpi = 150
    page = rendered.signature_page + 1
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png")))
    scale = dpi / 72
    x1, y1, x2, y2 = rendered.signature_box
    page_h = image.height / scale
    # Crop to the stamp only: the page carries a second QR code (beside "Nơi nhận") with the same URL.
    crop = image.crop((int(x1 * scale), int((page_h - y2) * scale), int(x2 * scale), int((page_h - y1) * scale)))
    assert [r.text for r in zxingcpp.read_barcodes(crop)] == [VERIFY_URL]


def test_long_unit_name_still_fits(signer, verifier, tmp_path) -> None:
    unit = "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai thuộc Văn phòng Ủy ban nhân dân tỉnh Đồng Nai"
    rendered = render_result_document(make_result(issuing_unit_name=unit))
    request = make_request(rendered.signature_page, rendered.signature_box, unit_name=unit)
    signed = signer.sign(rendered.pdf, request, official_id="can-bo-0002")
    assert verifier.verify(signed).valid
    if shutil.which("pdftotext"):
        path = tmp_path / "long.pdf"
        path.write_bytes(signed)
        text = flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
        assert f"KT. CHỦ TỊCH, PHÓ CHỦ TỊCH — {unit}" in text


def test_bad_requests_are_refused(rendered, signer) -> None:
    with pytest.raises(ValueError):
        signer.sign(
            rendered.pdf,
            make_request(rendered.signature_page, rendered.signature_box, signed_at=datetime(2026, 11, 26, 14, 5)),
            official_id="can-bo-0001",
        )
    with pytest.raises(ValueError):
        signer.sign(rendered.pdf, make_request(5, rendered.signature_box), official_id="can-bo-0001")
    with pytest.raises(ValueError):
        signer.sign(rendered.pdf, make_request(0, (300, 300, 200, 400)), official_id="can-bo-0001")


def test_concurrent_signing_from_threads(rendered, signer, verifier) -> None:
    request = make_request(rendered.signature_page, rendered.signature_box)
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(3):
                results.append(signer.sign(rendered.pdf, request, official_id=f"can-bo-luong-{n % 2}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 12
    assert all(verifier.verify(pdf).valid for pdf in results)


# --- tampering ----------------------------------------------------------------------------------------------


def test_one_flipped_byte_in_the_signed_content_is_detected(signed, verifier) -> None:
    start1, len1, _, _ = byte_range(signed)
    # A byte inside the page's content stream (compressed data), so the file still parses.
    stream_at = signed.index(b"stream", 1000) + 40
    assert start1 <= stream_at < len1
    tampered = bytearray(signed)
    tampered[stream_at] ^= 0x01
    result = verifier.verify(bytes(tampered))
    assert result.valid is False
    assert result.modified_after_signing is True
    assert result.reason == "Tài liệu đã bị thay đổi sau khi ký."
    assert [s.name for s in result.signers] == [SIGNER]


def test_any_flipped_byte_in_the_signed_ranges_invalidates(signed, verifier) -> None:
    start1, len1, start2, len2 = byte_range(signed)
    rng = random.Random(20261126)
    positions = [rng.randrange(start1, len1) for _ in range(25)]
    positions += [rng.randrange(start2, start2 + len2) for _ in range(25)]
    for position in positions:
        tampered = bytearray(signed)
        tampered[position] ^= 1 << rng.randrange(8)
        result = verifier.verify(bytes(tampered))
        assert_refused(result)


def test_incremental_update_adding_a_page_is_a_modification(signed, verifier) -> None:
    writer = pypdf.PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert updated.startswith(signed)  # really an incremental update: the signed bytes are untouched
    result = verifier.verify(updated)
    assert result.valid is False
    assert result.modified_after_signing is True
    assert result.reason == "Tài liệu đã bị thay đổi sau khi ký."


def test_incremental_update_adding_an_annotation_is_a_modification(signed, verifier) -> None:
    writer = pypdf.PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_annotation(page_number=0, annotation=FreeText(text="Đã duyệt lại", rect=(50, 50, 200, 90)))
    out = io.BytesIO()
    writer.write(out)
    result = verifier.verify(out.getvalue())
    assert result.valid is False
    assert result.modified_after_signing is True


def test_pyhanko_incremental_content_change_is_a_modification(signed, verifier) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    # Draw a white box over part of the page: a content change in a new revision.
    cover = writer.add_object(generic.StreamObject(stream_data=b"q 1 g 100 100 200 50 re f Q"))
    writer.add_stream_to_page(0, cover)
    out = io.BytesIO()
    writer.write(out)
    result = verifier.verify(out.getvalue())
    assert result.valid is False
    assert result.modified_after_signing is True


def test_full_resave_by_another_tool_is_invalid(signed, verifier) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(signed)))
    out = io.BytesIO()
    writer.write(out)
    resaved = out.getvalue()
    assert resaved != signed
    result = verifier.verify(resaved)
    assert result.valid is False
    assert result.reason in {pv.REASON_MODIFIED, pv.REASON_DAMAGED_SIGNATURE}


# --- trust --------------------------------------------------------------------------------------------------


def test_certificate_from_another_ca_is_not_trusted(rendered, ca, verifier, tmp_path) -> None:
    other_ca = LocalCertificateAuthority(tmp_path / "other-ca")
    assert other_ca.root_certificate != ca.root_certificate
    forged = LocalPadesSigner(other_ca).sign(
        rendered.pdf, make_request(rendered.signature_page, rendered.signature_box), official_id="can-bo-0001"
    )
    result = verifier.verify(forged)
    assert result.valid is False
    assert result.modified_after_signing is False
    assert result.reason == "Chữ ký không do cơ quan được tin cậy cấp."
    assert [s.name for s in result.signers] == [SIGNER]  # who claims to have signed is still reported
    # Trusting both roots makes it valid: the refusal was about trust only.
    assert PadesVerifier([ca.root_certificate, other_ca.root_certificate]).verify(forged).valid
    # No trust roots at all: nothing is trusted.
    assert PadesVerifier([]).verify(forged).reason == "Chữ ký không do cơ quan được tin cậy cấp."


def test_untrusted_chain_does_not_flood_the_logs(rendered, verifier, tmp_path, caplog) -> None:
    other_ca = LocalCertificateAuthority(tmp_path / "noise-ca")
    forged = LocalPadesSigner(other_ca).sign(
        rendered.pdf, make_request(rendered.signature_page, rendered.signature_box), official_id="x"
    )
    caplog.set_level(logging.DEBUG)
    verifier.verify(forged)
    verifier.verify(b"%PDF-1.7\n1 0 obj garbage")
    noisy = [r for r in caplog.records if r.name.startswith("pyhanko") or r.exc_info and r.levelno >= logging.INFO]
    assert noisy == []
    # Logging outside a verification is untouched (the filter is scoped to the verification's context).
    logging.getLogger("pyhanko.sign.validation.generic_cms").warning("still visible")
    assert any(r.getMessage() == "still visible" for r in caplog.records)


def test_two_signatures_both_valid_then_tampered(rendered, signer, verifier) -> None:
    first = signer.sign(
        rendered.pdf, make_request(rendered.signature_page, rendered.signature_box), official_id="can-bo-0001"
    )
    # A second official countersigns in the left column (a box of their own).
    second = signer.sign(
        first,
        make_request(
            rendered.signature_page,
            (90.0, 120.0, 330.0, 195.0),
            signer_name="Trần Thị Mỹ Dung",
            signer_title="CHỦ TỊCH",
            signed_at=SIGNED_AT + timedelta(minutes=30),
        ),
        official_id="can-bo-0003",
    )
    result = verifier.verify(second)
    assert result.valid, result.reason
    assert [(s.name, s.unit) for s in result.signers] == [(SIGNER, UNIT), ("Trần Thị Mỹ Dung", UNIT)]
    assert "Trần Thị Mỹ Dung" in result.reason and "14:35 ngày 26/11/2026" in result.reason

    writer = pypdf.PdfWriter(io.BytesIO(second), incremental=True)
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    assert verifier.verify(out.getvalue()).modified_after_signing is True


# --- garbage in, a sentence out -----------------------------------------------------------------------------


def _encrypted(pdf: bytes) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_garbage_and_unsigned_inputs_never_raise(signed, rendered, verifier) -> None:
    rng = random.Random(7)
    cases: dict[str, object] = {
        "empty": b"",
        "zero byte": b"\x00",
        "random": bytes(rng.randrange(256) for _ in range(20_000)),
        "header only": b"%PDF-1.7\n",
        "header and junk": b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(5000)),
        "html": "<html><body>Không phải PDF</body></html>".encode(),
        "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "truncated 10%": signed[: len(signed) // 10],
        "truncated half": signed[: len(signed) // 2],
        "truncated tail": signed[:-200],
        "signature dictionary cut": signed[: byte_range(signed)[1] + 100],
        "bytearray": bytearray(b"not a pdf"),
        "memoryview": memoryview(b"%PDF-1.4 nothing"),
        "not bytes": "a string",
        "None": None,
        "unsigned result": rendered.pdf,
        "encrypted": _encrypted(rendered.pdf),
    }
    for name, data in cases.items():
        result = verifier.verify(data)  # type: ignore[arg-type]
        assert_refused(result)
        assert result.reason, name
    assert verifier.verify(b"").reason == "Tệp không phải PDF hoặc bị hỏng."
    assert verifier.verify(rendered.pdf).reason == "Tài liệu không có chữ ký số."
    assert verifier.verify(_encrypted(rendered.pdf)).reason == "Tài liệu được mã hóa nên không kiểm tra được chữ ký."


def test_huge_input_is_refused_without_parsing(signed, ca) -> None:
    small_limit = PadesVerifier([ca.root_certificate], max_bytes=1024 * 1024)
    result = small_limit.verify(signed + b"\n%" + b"x" * (2 * 1024 * 1024))
    assert result.valid is False
    assert result.reason == "Tệp quá lớn để kiểm tra (tối đa 1 MB)."
    # Under the limit, a valid signed file with junk appended after %%EOF is a modification, not valid.
    padded = PadesVerifier([ca.root_certificate]).verify(signed + b"\n%" + b"x" * (2 * 1024 * 1024))
    assert padded.valid is False
