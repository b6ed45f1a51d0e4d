"""The Mẫu 01 receipt PDF: text, fonts, metadata, page flow and the QR code, checked by reading the PDF back."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pypdf
import pytest
from PIL import Image, ImageDraw
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from motcua.documents import fonts, layout
from motcua.documents.receipt import ReceiptData, ReceivedDocument, render_receipt
from support.pdf import assert_only_bundled_fonts_embedded, barcodes_on_printed_first_page, flat, lines_of, pages_text

VN = timezone(timedelta(hours=7))
CODE = "H19.23-261126-0007"
URL = f"https://dichvucong.dongnai.gov.vn/tra-cuu?ma={CODE}"
PROCEDURE = "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"
OFFICE = "Bộ phận Một cửa Ủy ban nhân dân Phường Trấn Biên"
ADDRESS = "Số 12 đường Nguyễn Ái Quốc, khu phố Ỷ Lan, Phường Trấn Biên, tỉnh Đồng Nai"
DOCUMENTS = (
    ReceivedDocument("Tờ khai đăng ký khai sinh (Mẫu TP/HT-2020-KS.1)", "Bản chính", 1),
    ReceivedDocument("Giấy chứng sinh do Bệnh viện Đa khoa Thống Nhất cấp", "Bản chính", 1),
    ReceivedDocument("Giấy chứng nhận kết hôn của cha, mẹ trẻ", "Bản sao chứng thực", 1),
    ReceivedDocument("Văn bản ủy quyền của ông Lý Mỹ Lượng (nếu có)", "Bản sao", 2),
    ReceivedDocument("Căn cước của người đi đăng ký khai sinh", "Xuất trình", 1),
)


def make_data(**changes: object) -> ReceiptData:
    data = ReceiptData(
        dossier_code=CODE,
        tracking_url=URL,
        receiving_office_name=OFFICE,
        competent_unit_name="Ủy ban nhân dân Phường Trấn Biên, tỉnh Đồng Nai",
        applicant_name="Nguyễn Thị Ngọc Ánh",
        applicant_id_number="075190012345",
        applicant_phone="0912 345 678",
        applicant_address=ADDRESS,
        applicant_email="ngocanh.nguyen@example.vn",
        procedure_code="1.001193",
        procedure_name=PROCEDURE,
        documents=DOCUMENTS,
        sets=1,
        processing_time_label="05 ngày làm việc",
        # 02:05 UTC is 09:05 in Vietnam: the receipt must print local time.
        received_at=datetime(2026, 11, 26, 2, 5, tzinfo=UTC),
        due_at=datetime(2026, 12, 3, 9, 5, tzinfo=VN),
        return_place="Bộ phận Một cửa Phường Trấn Biên, số 1 đường Ưu Đàm, tỉnh Đồng Nai",
        fee_label="Miễn phí",
        channel_label="Trực tiếp",
        officer_name="Đặng Quốc Hưng",
    )
    return replace(data, **changes)  # type: ignore[arg-type]




@pytest.fixture(scope="module")
def receipt_pdf() -> bytes:
    return render_receipt(make_data())


def test_key_strings_are_in_the_pdf_exactly(receipt_pdf: bytes) -> None:
    texts = pages_text(receipt_pdf)
    assert len(texts) == 1
    lines = lines_of(texts[0])
    # Lines that are never wrapped must come out exactly as drawn.
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đồng Nai, ngày 26 tháng 11 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {CODE}",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Đặng Quốc Hưng",
        "Nguyễn Thị Ngọc Ánh",
    ):
        assert expected in lines, expected
    text = flat(texts[0])
    for expected in (
        f"Nội dung yêu cầu giải quyết: {PROCEDURE} (mã thủ tục: 1.001193)",
        "Cơ quan giải quyết: Ủy ban nhân dân Phường Trấn Biên, tỉnh Đồng Nai",
        f"Địa chỉ: {ADDRESS}",
        "Số định danh cá nhân/Mã số thuế: 075190012345",
        "Số điện thoại: 0912 345 678; Email: ngocanh.nguyen@example.vn",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định: 05 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 26 tháng 11 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 05 phút, ngày 03 tháng 12 năm 2026",
        "6. Nhận kết quả tại: Bộ phận Một cửa Phường Trấn Biên, số 1 đường Ưu Đàm, tỉnh Đồng Nai",
        "7. Phí, lệ phí: Miễn phí",
        "Hình thức nộp: Trực tiếp",
        "(Ký và ghi rõ họ tên)",
        URL,
        "STT Tên giấy tờ Hình thức Số lượng",
        "Văn bản ủy quyền của ông Lý Mỹ Lượng (nếu có) Bản sao 02",
        "Giấy chứng nhận kết hôn của cha, mẹ trẻ Bản sao chứng thực 01",
    ):
        assert expected in text, expected
    # The issuing office is printed in capitals in the header (wrapped to its column).
    assert "BỘ PHẬN MỘT CỬA ỦY BAN NHÂN DÂN PHƯỜNG TRẤN BIÊN" in text
    assert "(Hồ sơ nộp trực tuyến)" not in text


def test_metadata(receipt_pdf: bytes) -> None:
    meta = pypdf.PdfReader(io.BytesIO(receipt_pdf)).metadata
    assert meta is not None
    assert meta.title == f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả - {CODE}"
    assert meta.author == OFFICE
    assert meta.subject == PROCEDURE
    assert meta.creator == "motcua"



def test_only_the_bundled_fonts_are_used_and_embedded(receipt_pdf: bytes) -> None:
    assert_only_bundled_fonts_embedded(receipt_pdf)


def test_bundled_fonts_are_1000_unit_noto_serif_with_every_vietnamese_letter() -> None:
    letters = "ăâđêôơưĂÂĐÊÔƠƯ" + "".join(
        unicodedata.normalize("NFC", base + mark)
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for mark in ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    )
    for name, postscript in fonts.POSTSCRIPT_NAMES.items():
        face = TTFontFile(str(fonts.font_path(name)))
        assert face.name.decode() == postscript
        assert face.unitsPerEm == 1000
        missing = [ch for ch in letters if ord(ch) not in face.charToGlyph]
        assert not missing, (name, missing)
    assert (fonts.FONT_DIR / "OFL.txt").read_text().startswith("Copyright")


def test_register_fonts_is_idempotent() -> None:
    fonts.register_fonts()
    fonts.register_fonts()
    assert pdfmetrics.getFont(fonts.REGULAR).face.name == b"NotoSerif-Regular"


def test_nfd_input_renders_as_nfc() -> None:
    nfd = {
        "applicant_name": unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Ánh"),
        "officer_name": unicodedata.normalize("NFD", "Đặng Quốc Hưng"),
        "procedure_name": unicodedata.normalize("NFD", PROCEDURE),
        "applicant_address": unicodedata.normalize("NFD", ADDRESS),
        "receiving_office_name": unicodedata.normalize("NFD", OFFICE),
        "documents": [replace(d, name=unicodedata.normalize("NFD", d.name)) for d in DOCUMENTS],
    }
    assert nfd["applicant_name"] != "Nguyễn Thị Ngọc Ánh"  # the input really is decomposed
    from_nfd = pages_text(render_receipt(make_data(**nfd)))
    from_nfc = pages_text(render_receipt(make_data()))
    # Raw extraction (no normalising here): identical text, and no stray combining marks anywhere.
    assert from_nfd == from_nfc
    assert not any(unicodedata.combining(ch) for ch in "".join(from_nfd))
    assert "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh" in from_nfd[0]


def test_online_dossier_says_so_under_the_applicant() -> None:
    text = flat(pages_text(render_receipt(make_data(channel_label="Trực tuyến", officer_name=None)))[0])
    assert "NGƯỜI NỘP HỒ SƠ (Hồ sơ nộp trực tuyến) Nguyễn Thị Ngọc Ánh" in text
    assert "Hình thức nộp: Trực tuyến" in text


LONG_DOCUMENT = "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất"


def test_forty_documents_flow_onto_a_second_page() -> None:
    documents = [
        ReceivedDocument(
            f"Giấy tờ số {i:02d}: " + (LONG_DOCUMENT if i % 5 == 0 else "Giấy xác nhận của UBND xã Trị An"),
            ("Bản chính", "Bản sao chứng thực", "Bản sao", "Xuất trình")[i % 4],
            1 + i % 3,
        )
        for i in range(1, 41)
    ]
    pdf = render_receipt(make_data(documents=documents))
    texts = pages_text(pdf)
    assert len(texts) == 2
    everything = flat(" ".join(texts))
    for doc in documents:
        assert everything.count(doc.name) == 1, doc.name
    second = flat(texts[1])
    assert "STT Tên giấy tờ Hình thức Số lượng" in second  # the table header repeats
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in second  # signatures at the end, not split from the list
    assert f"Mã hồ sơ: {CODE} - Trang 1/2" in flat(texts[0])
    assert f"Mã hồ sơ: {CODE} - Trang 2/2" in second
    # Rows stay in order across the page break.
    positions = [everything.index(doc.name) for doc in documents]
    assert positions == sorted(positions)


def test_long_values_wrap_instead_of_running_off_the_page() -> None:
    long_office = "Bộ phận Tiếp nhận và Trả kết quả thuộc Trung tâm Phục vụ hành chính công tỉnh Đồng Nai"
    long_name = "Công ty Trách nhiệm hữu hạn Một thành viên Thương mại Dịch vụ Xuất nhập khẩu Hưng Thịnh Phát"
    long_url = "https://dichvucong.dongnai.gov.vn/tra-cuu/" + "x" * 150
    pdf = render_receipt(
        make_data(receiving_office_name=long_office, applicant_name=long_name, tracking_url=long_url)
    )
    texts = pages_text(pdf)
    assert len(texts) <= 2
    text = flat(" ".join(texts))
    assert long_name in text
    assert long_office.upper() in text
    # The long URL had to be split across lines: all of it is still there.
    assert long_url in "".join("".join(texts).split())
    # Every text run starts inside the printable area.
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        width = float(page.mediabox.width)
        starts: list[float] = []
        page.extract_text(
            visitor_text=lambda t, cm, tm, fd, fs: starts.append(tm[4] * cm[0] + cm[4]) if t.strip() else None
        )
        assert starts and all(layout.MARGIN_LEFT - 1 <= x < width - layout.MARGIN_RIGHT for x in starts)


def test_markup_characters_in_data_are_printed_not_interpreted() -> None:
    name = "Công ty TNHH A&B <Việt Nam> \"Số 1\""
    text = flat(pages_text(render_receipt(make_data(applicant_name=name)))[0])
    assert f"Tiếp nhận hồ sơ của: {name}" in text


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        render_receipt(make_data(due_at=datetime(2026, 12, 3, 9, 5)))
    with pytest.raises(ValueError):
        render_receipt(make_data(received_at=datetime(2026, 12, 3, 9, 5)))


def test_vietnamese_date_formats() -> None:
    assert layout.format_date_vi(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert layout.format_date_vi(date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert layout.format_date_vi(date(2026, 11, 26)) == "ngày 26 tháng 11 năm 2026"
    # 17:30 UTC on New Year's Eve is already the next year in Vietnam.
    moment = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    assert layout.format_datetime_vi(moment) == "00 giờ 30 phút, ngày 01 tháng 01 năm 2027"
    assert layout.place_date_line("Đồng Nai", date(2026, 11, 26)) == "Đồng Nai, ngày 26 tháng 11 năm 2026"


# --- QR code ---------------------------------------------------------------------------------------------


def _qr_form(pdf: bytes, value: str) -> bytes:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    return xobjects["/FormXob." + layout.qr_form_name(value)].get_object().get_data()


def _modules_from_form(stream: bytes) -> tuple[int, set[tuple[int, int]]]:
    """Dark modules (row, column) from the unit-square runs the QR form draws, plus the side in modules."""
    text = stream.decode("latin-1")
    side = int(re.search(r"\bn 0 0 (\d+) (\d+) re f", text).group(1))  # the white quiet-zone square
    dark = set()
    for x, y, w in re.findall(r"^(\d+) (\d+) (\d+) 1 re$", text, flags=re.MULTILINE):
        row = side - 1 - int(y)
        dark.update((row, int(x) + k) for k in range(int(w)))
    return side, dark


def test_qr_code_in_the_pdf_encodes_the_tracking_url(receipt_pdf: bytes) -> None:
    side, dark = _modules_from_form(_qr_form(receipt_pdf, URL))
    # Compare with reportlab's own encoder and its own mask choice, computed independently here.
    reference = QrCodeWidget(URL, barLevel="M", barBorder=4)
    assert reference.value == URL
    reference.qr.make()
    border = 4
    expected = {
        (r + border, c + border)
        for r, row in enumerate(reference.qr.modules)
        for c, is_dark in enumerate(row)
        if is_dark
    }
    assert side == reference.qr.getModuleCount() + 2 * border
    assert dark == expected


def test_qr_code_decodes_with_zxing(receipt_pdf: bytes) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    side, dark = _modules_from_form(_qr_form(receipt_pdf, URL))
    scale = 8
    image = Image.new("L", (side * scale, side * scale), 255)
    draw = ImageDraw.Draw(image)
    for r, c in dark:
        draw.rectangle([c * scale, r * scale, (c + 1) * scale - 1, (r + 1) * scale - 1], fill=0)
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [URL]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_qr_code_decodes_from_the_printed_page(receipt_pdf: bytes, tmp_path) -> None:
    assert barcodes_on_printed_first_page(receipt_pdf, tmp_path) == [URL]
