"""The e-receipt (biên lai điện tử) PDF: text, amounts in figures and words, fonts, NFC and the QR code,
checked by reading the PDF back."""

from __future__ import annotations

import io
import shutil
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

import pypdf
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from motcua.documents import fonts, layout
from motcua.documents.payment_receipt import PaymentReceiptData, render_payment_receipt
from support.pdf import assert_only_bundled_fonts_embedded, barcodes_on_printed_first_page, flat, lines_of, pages_text

NUMBER = "BL-261126-000123"
CODE = "H19.23-261126-0007"
URL = f"https://dichvucong.dongnai.gov.vn/xac-minh/bien-lai/{NUMBER}"
ISSUER = "Ủy ban nhân dân phường Trấn Biên"
PAYER = "Nguyễn Thị Ngọc Ánh Lượng Ỷ"
ADDRESS = "Số 12 đường Nguyễn Ái Quốc, khu phố Ỷ Lan, phường Trấn Biên, tỉnh Đồng Nai"
PROCEDURE = "Cấp bản sao trích lục hộ tịch, xác nhận thông tin hộ tịch"
ITEMS = (
    ("Lệ phí cấp bản sao trích lục hộ tịch (02 bản)", 16000),
    ("Phí xác nhận thông tin hộ tịch", 84000),
    ("Lệ phí đăng ký khai sinh", 0),
)
TRANSACTION = "14712345"


def make_data(**changes: object) -> PaymentReceiptData:
    data = PaymentReceiptData(
        receipt_number=NUMBER,
        issuer_name=ISSUER,
        payer_name=PAYER,
        payer_address=ADDRESS,
        dossier_code=CODE,
        procedure_name=PROCEDURE,
        items=ITEMS,
        total_vnd=100000,
        gateway_label="VNPay",
        gateway_transaction_no=TRANSACTION,
        bank_code="NCB",
        # 02:05 UTC is 09:05 in Vietnam: the receipt must print local time.
        paid_at=datetime(2026, 11, 26, 2, 5, tzinfo=UTC),
        verify_url=URL,
    )
    return replace(data, **changes)  # type: ignore[arg-type]




@pytest.fixture(scope="module")
def receipt_pdf() -> bytes:
    return render_payment_receipt(make_data())


def test_key_strings_are_in_the_pdf(receipt_pdf: bytes) -> None:
    texts = pages_text(receipt_pdf)
    assert len(texts) == 1
    lines = lines_of(texts[0])
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đồng Nai, ngày 26 tháng 11 năm 2026",
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "(Biên lai điện tử)",
        f"Số: {NUMBER}",
        f"Họ và tên người nộp: {PAYER}",
    ):
        assert expected in lines, expected
    text = flat(texts[0])
    for expected in (
        "ỦY BAN NHÂN DÂN PHƯỜNG TRẤN BIÊN",
        f"Địa chỉ: {ADDRESS}",
        f"Mã hồ sơ: {CODE}",
        f"Thủ tục hành chính: {PROCEDURE}",
        "STT Nội dung thu Số tiền",
        "1 Lệ phí cấp bản sao trích lục hộ tịch (02 bản) 16.000 đồng",
        "2 Phí xác nhận thông tin hộ tịch 84.000 đồng",
        "3 Lệ phí đăng ký khai sinh 0 đồng",
        "Tổng cộng 100.000 đồng",
        "Tổng số tiền: 100.000 đồng",
        "Số tiền bằng chữ: Một trăm nghìn đồng.",
        f"Hình thức thanh toán: Thanh toán trực tuyến qua VNPay — Mã giao dịch {TRANSACTION}, Ngân hàng NCB",
        "Thời gian thanh toán: 09 giờ 05 phút, ngày 26 tháng 11 năm 2026",
        "phát hành dưới hình thức điện tử",
        URL,
        "ĐƠN VỊ THU",
        ISSUER,
    ):
        assert expected in text, expected


def test_metadata(receipt_pdf: bytes) -> None:
    meta = pypdf.PdfReader(io.BytesIO(receipt_pdf)).metadata
    assert meta is not None
    assert meta.title == f"Biên lai thu phí, lệ phí - {NUMBER}"
    assert meta.author == ISSUER
    assert meta.subject == f"{PROCEDURE} - Mã hồ sơ {CODE}"
    assert meta.creator == "motcua"


def test_only_the_bundled_fonts_are_used_and_embedded(receipt_pdf: bytes) -> None:
    assert_only_bundled_fonts_embedded(receipt_pdf)


def test_nfd_input_renders_as_nfc() -> None:
    def nfd(value: str) -> str:
        return unicodedata.normalize("NFD", value)

    decomposed = {
        "issuer_name": nfd(ISSUER),
        "payer_name": nfd(PAYER),
        "payer_address": nfd(ADDRESS),
        "procedure_name": nfd(PROCEDURE),
        "items": [(nfd(description), amount) for description, amount in ITEMS],
    }
    assert decomposed["payer_name"] != PAYER  # the input really is decomposed
    from_nfd = pages_text(render_payment_receipt(make_data(**decomposed)))
    from_nfc = pages_text(render_payment_receipt(make_data()))
    assert from_nfd == from_nfc
    assert not any(unicodedata.combining(ch) for ch in "".join(from_nfd))
    assert f"Họ và tên người nộp: {PAYER}" in from_nfd[0]


def test_large_amounts_in_figures_and_words() -> None:
    items = (("Phí thẩm định hồ sơ", 1_200_000), ("Lệ phí cấp giấy phép", 5000))
    text = flat(pages_text(render_payment_receipt(make_data(items=items, total_vnd=1_205_000)))[0])
    assert "1 Phí thẩm định hồ sơ 1.200.000 đồng" in text
    assert "2 Lệ phí cấp giấy phép 5.000 đồng" in text
    assert "Tổng cộng 1.205.000 đồng" in text
    assert "Số tiền bằng chữ: Một triệu hai trăm linh năm nghìn đồng." in text


def test_the_largest_amount_stays_on_one_line_inside_the_page() -> None:
    items = (("Phí thẩm định dự án", 999_999_999_999_000), ("Lệ phí", 999))
    pdf = render_payment_receipt(make_data(items=items, total_vnd=999_999_999_999_999))
    texts = pages_text(pdf)
    assert len(texts) == 1
    # pypdf puts each table cell on a line of its own: the amounts come out whole, not wrapped.
    lines = [flat(line) for line in texts[0].splitlines()]
    assert "999.999.999.999.000 đồng" in lines
    assert "999.999.999.999.999 đồng" in lines
    assert "Số tiền bằng chữ: Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ" in flat(texts[0])
    # Every amount run ends inside the right margin (measured with the font it was drawn in).
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    by_postscript = {postscript: name for name, postscript in fonts.POSTSCRIPT_NAMES.items()}
    ends: list[float] = []

    def visit(t: str, cm: list[float], tm: list[float], fd: dict | None, fs: float) -> None:
        if t.strip().endswith("đồng") and fd is not None:
            font = by_postscript[str(fd["/BaseFont"]).split("+", 1)[1]]
            ends.append(tm[4] * cm[0] + cm[4] + stringWidth(t.strip(), font, fs * tm[0] * cm[0]))

    page.extract_text(visitor_text=visit)
    assert len(ends) >= 4
    assert max(ends) <= float(page.mediabox.width) - layout.MARGIN_RIGHT


def test_free_procedure_prints_zero() -> None:
    text = flat(pages_text(render_payment_receipt(make_data(items=[("Lệ phí đăng ký khai sinh", 0)], total_vnd=0)))[0])
    assert "Tổng cộng 0 đồng" in text
    assert "Số tiền bằng chữ: Không đồng." in text


def test_momo_without_bank_code() -> None:
    text = flat(pages_text(render_payment_receipt(make_data(gateway_label="MoMo", bank_code=None)))[0])
    assert f"Hình thức thanh toán: Thanh toán trực tuyến qua MoMo — Mã giao dịch {TRANSACTION} Thời gian" in text
    assert "Ngân hàng" not in text


def test_markup_characters_in_data_are_printed_not_interpreted() -> None:
    name = 'Công ty TNHH A&B <Việt Nam> "Số 1"'
    text = flat(pages_text(render_payment_receipt(make_data(payer_name=name)))[0])
    assert f"Họ và tên người nộp: {name}" in text


@pytest.mark.parametrize(
    "changes",
    [
        {"total_vnd": 99_999},  # differs from the sum of the items
        {"total_vnd": 100_001},
        {"items": [], "total_vnd": 0},
        {"items": [("Lệ phí", -1000), ("Phí", 101_000)]},  # sums right but has a negative amount
        {"items": [("Lệ phí", 100_000.0)]},  # not whole đồng as an int
        {"items": [("  ", 100_000)]},  # no description
        {"paid_at": datetime(2026, 11, 26, 9, 5)},  # naive
    ],
)
def test_bad_data_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        render_payment_receipt(make_data(**changes))


def test_many_items_flow_onto_a_second_page_with_the_header_repeated() -> None:
    items = [(f"Khoản thu số {i:02d}: phí chứng thực bản sao", 2000) for i in range(1, 51)]
    pdf = render_payment_receipt(make_data(items=items, total_vnd=100_000))
    texts = pages_text(pdf)
    assert len(texts) == 2
    second = flat(texts[1])
    assert "STT Nội dung thu Số tiền" in second  # the table header repeats
    assert "50 Khoản thu số 50: phí chứng thực bản sao 2.000 đồng Tổng cộng 100.000 đồng" in second
    assert "Số tiền bằng chữ: Một trăm nghìn đồng." in second
    assert f"Biên lai số {NUMBER} - Trang 1/2" in flat(texts[0])
    assert f"Biên lai số {NUMBER} - Trang 2/2" in second
    everything = flat(" ".join(texts))
    for description, _ in items:
        assert everything.count(description) == 1


def test_qr_code_in_the_pdf_encodes_the_verify_url(receipt_pdf: bytes) -> None:
    page = pypdf.PdfReader(io.BytesIO(receipt_pdf)).pages[0]
    assert "/FormXob." + layout.qr_form_name(URL) in page["/Resources"]["/XObject"]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_qr_code_decodes_from_the_printed_page(receipt_pdf: bytes, tmp_path) -> None:
    assert barcodes_on_printed_first_page(receipt_pdf, tmp_path) == [URL]
