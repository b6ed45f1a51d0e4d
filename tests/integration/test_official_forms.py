"""The four official slips (supplement request, refusal, apology, control sheet), checked by reading the PDFs back:
text (NFC, Vietnamese dates), fonts, metadata, QR code, page flow of long lists, and input validation."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pypdf
import pytest

from motcua.documents import layout
from motcua.documents.official_forms import (
    DossierRef,
    HandoverRow,
    MissingItem,
    render_apology,
    render_control_sheet,
    render_refusal,
    render_supplement_request,
)
from support.pdf import assert_only_bundled_fonts_embedded, flat, pages_text
from support.pdf import lines_of as pdf_lines

VN = timezone(timedelta(hours=7))
CODE = "H19.23-261126-0007"
URL = f"https://dichvucong.dongnai.gov.vn/tra-cuu?ma={CODE}"
PROCEDURE = "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"
OFFICE = "Bộ phận Một cửa Ủy ban nhân dân Phường Trấn Biên"
UNIT = "Ủy ban nhân dân Phường Trấn Biên"
ADDRESS = "Số 12 đường Nguyễn Ái Quốc, khu phố Ỷ Lan, Phường Trấn Biên, tỉnh Đồng Nai"
APPLICANT = "Nguyễn Thị Ngọc Ánh"
OFFICER = "Đặng Quốc Hưng"

REF = DossierRef(
    code=CODE,
    tracking_url=URL,
    procedure_name=PROCEDURE,
    applicant_name=APPLICANT,
    applicant_address=ADDRESS,
    applicant_phone="0912 345 678",
    receiving_office_name=OFFICE,
    competent_unit_name=f"{UNIT}, tỉnh Đồng Nai",
    # 02:05 UTC is 09:05 in Vietnam: every form must print local time.
    received_at=datetime(2026, 11, 26, 2, 5, tzinfo=UTC),
    due_at=datetime(2026, 12, 3, 9, 5, tzinfo=VN),
)
ISSUED = datetime(2026, 11, 26, 10, 0, tzinfo=VN)

ITEMS = (
    MissingItem("Giấy chứng nhận kết hôn của cha, mẹ trẻ", "certified_copy", "Bản đã nộp là bản chụp không chứng thực"),
    MissingItem("Tờ khai đăng ký khai sinh (Mẫu TP/HT-2020-KS.1)", "original", "Thiếu chữ ký; ghi sai ngày sinh"),
    MissingItem("Văn bản ủy quyền của ông Lý Mỹ Lượng", "copy", "Chưa nộp"),
)
NOTE = "Giấy tờ bổ sung được nộp trực tiếp hoặc trực tuyến; bản sao có chứng thực không quá 6 tháng."

REASONS = (
    "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân Phường Trấn Biên: trẻ đã được đăng ký khai "
    "sinh tại Ủy ban nhân dân xã Trị An.\n\n"
    "Đề nghị Ông/Bà liên hệ Ủy ban nhân dân xã Trị An để được cấp bản sao trích lục khai sinh.\n"
    "- Lưu ý: mang theo căn cước của người yêu cầu."
)

APOLOGY_REASON = "Cơ sở dữ liệu hộ tịch điện tử gặp sự cố kỹ thuật, chưa thể cấp số định danh cá nhân cho trẻ."
NEW_DUE = datetime(2026, 12, 8, 14, 0, tzinfo=VN)


def handover(i: int, outcome: str | None = "on_time", **changes: object) -> HandoverRow:
    row = HandoverRow(
        from_unit=OFFICE if i % 2 else "Phòng Văn hóa - Xã hội",
        from_person=f"Cán bộ {i:02d} Ưng Thị Lựu",
        to_unit="Phòng Văn hóa - Xã hội" if i % 2 else "Lãnh đạo Ủy ban nhân dân Phường Trấn Biên",
        to_person=f"Chuyên viên {i:02d} Đỗ Văn Mỹ",
        at=datetime(2026, 11, 26, 9, 30, tzinfo=VN) + timedelta(hours=3 * i),
        step_label=f"Bước {i:02d}: chuyển xử lý",
        outcome=outcome,
        note="Đã kiểm tra đủ điều kiện" if i % 3 == 0 else "",
    )
    return replace(row, **changes)  # type: ignore[arg-type]


ROWS = (
    handover(1, "on_time", from_person=OFFICER, from_unit=OFFICE, to_person="Lê Thị Mỹ Dung"),
    handover(2, "early", from_person="Lê Thị Mỹ Dung", to_person="Trần Văn Lợi", note="Trình ký (ưu tiên)"),
    handover(3, "late", from_person="Trần Văn Lợi", to_person=OFFICER, note="Chờ cấp số định danh"),
    handover(4, None, from_person=OFFICER, to_person=APPLICANT, to_unit="Công dân", step_label=""),
)


def supplement(**changes: object) -> bytes:
    kwargs: dict[str, object] = {
        "items": ITEMS,
        "note": NOTE,
        "issued_at": ISSUED,
        "officer_name": OFFICER,
        "unit_name": OFFICE,
    }
    ref = changes.pop("ref", REF)
    return render_supplement_request(ref, **(kwargs | changes))  # type: ignore[arg-type]


def refusal(**changes: object) -> bytes:
    kwargs: dict[str, object] = {"reasons": REASONS, "issued_at": ISSUED, "officer_name": OFFICER, "unit_name": OFFICE}
    ref = changes.pop("ref", REF)
    return render_refusal(ref, **(kwargs | changes))  # type: ignore[arg-type]


def apology(**changes: object) -> bytes:
    kwargs: dict[str, object] = {
        "reason": APOLOGY_REASON,
        "new_due_at": NEW_DUE,
        "issued_at": datetime(2026, 12, 2, 8, 0, tzinfo=VN),
        "signer_name": "Trần Văn Lợi",
        "signer_title": "TM. Ủy ban nhân dân\nChủ tịch",
        "unit_name": UNIT,
    }
    ref = changes.pop("ref", REF)
    return render_apology(ref, **(kwargs | changes))  # type: ignore[arg-type]


def control_sheet(**changes: object) -> bytes:
    kwargs: dict[str, object] = {"rows": ROWS, "printed_at": datetime(2026, 12, 4, 9, 5, tzinfo=VN)}
    ref = changes.pop("ref", REF)
    return render_control_sheet(ref, **(kwargs | changes))  # type: ignore[arg-type]


RENDERERS = {"supplement": supplement, "refusal": refusal, "apology": apology, "control_sheet": control_sheet}




def lines_of(text: str) -> list[str]:
    return pdf_lines(text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {name: render() for name, render in RENDERERS.items()}


def _assert_common(pdf: bytes, title: str, place_date: str) -> str:
    """Checks every form shares; returns the flattened text of all pages."""
    texts = pages_text(pdf)
    lines = lines_of(texts[0])
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        place_date,
        title,
        f"Mã hồ sơ: {CODE}",
    ):
        assert expected in lines, expected
    return flat(" ".join(texts))


# --- Mẫu 02: supplement request ---------------------------------------------------------------------------


def test_supplement_request_text(pdfs: dict[str, bytes]) -> None:
    text = _assert_common(
        pdfs["supplement"], "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Đồng Nai, ngày 26 tháng 11 năm 2026"
    )
    assert len(pages_text(pdfs["supplement"])) == 1
    assert "BỘ PHẬN MỘT CỬA ỦY BAN NHÂN DÂN PHƯỜNG TRẤN BIÊN" in text  # issuing unit, top left
    for expected in (
        f"Kính gửi: {APPLICANT}",
        f"Địa chỉ: {ADDRESS}",
        "Số điện thoại: 0912 345 678",
        f"Nội dung yêu cầu giải quyết: {PROCEDURE}",
        "tiếp nhận lúc 09 giờ 05 phút, ngày 26 tháng 11 năm 2026",
        "STT Tên giấy tờ Hình thức Lý do",
        "1 Giấy chứng nhận kết hôn của cha, mẹ trẻ Bản sao có chứng thực Bản đã nộp là bản chụp không chứng thực",
        "2 Tờ khai đăng ký khai sinh (Mẫu TP/HT-2020-KS.1) Bản chính Thiếu chữ ký; ghi sai ngày sinh",
        "3 Văn bản ủy quyền của ông Lý Mỹ Lượng Bản sao Chưa nộp",
        f"Ghi chú: {NOTE}",
        "Lý do: hồ sơ chưa đầy đủ, hợp lệ",
        "một lần tất cả các nội dung cần bổ sung, hoàn thiện",
        f"liên hệ {OFFICER} - {OFFICE} để được hướng dẫn",
        f"NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) {OFFICER}",
    ):
        assert expected in text, expected
    # The reasons come after the table, the guidance after the reasons, the signature last.
    order = [text.index(s) for s in ("STT Tên giấy tờ", "Ghi chú:", "Lý do:", "một lần", "NGƯỜI HƯỚNG DẪN")]
    assert order == sorted(order)


def test_supplement_with_a_note_only() -> None:
    text = flat(" ".join(pages_text(supplement(items=(), note="Ghi rõ họ tên người được ủy quyền tại mục 3."))))
    assert "Nội dung cần hoàn thiện: Ghi rõ họ tên người được ủy quyền tại mục 3." in text
    assert "STT" not in text
    with pytest.raises(ValueError):
        supplement(items=(), note="  ")


def test_twenty_five_items_flow_without_loss() -> None:
    items = [
        MissingItem(
            f"Giấy tờ số {i:02d}: "
            + (
                "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản gắn liền với đất"
                if i % 4 == 0
                else "Giấy xác nhận của Ủy ban nhân dân xã Trị An"
            ),
            ("original", "certified_copy", "copy")[i % 3],
            f"Lý do {i:02d}: bản đã nộp bị mờ, không đọc được dấu và chữ ký",
        )
        for i in range(1, 26)
    ]
    texts = pages_text(supplement(items=items))
    assert len(texts) >= 2
    everything = flat(" ".join(texts))
    for item in items:
        assert everything.count(item.name) == 1, item.name
        assert everything.count(item.reason) == 1, item.reason
    positions = [everything.index(item.name) for item in items]
    assert positions == sorted(positions)
    for page in texts[1:]:
        assert "STT Tên giấy tờ Hình thức Lý do" in flat(page)  # the table header repeats
    assert "NGƯỜI HƯỚNG DẪN" in flat(texts[-1])
    assert f"Mã hồ sơ: {CODE} - Trang 1/{len(texts)}" in flat(texts[0])


def test_unknown_item_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown document kind"):
        supplement(items=[MissingItem("Tờ khai", "photocopy", "Thiếu")])


# --- refusal --------------------------------------------------------------------------------------------


def test_refusal_text(pdfs: dict[str, bytes]) -> None:
    text = _assert_common(
        pdfs["refusal"], "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Đồng Nai, ngày 26 tháng 11 năm 2026"
    )
    sentence = f"Qua xem xét, {OFFICE} từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
    for expected in (
        f"Kính gửi: {APPLICANT}",
        f"Nội dung yêu cầu giải quyết: {PROCEDURE}",
        "Thời gian nộp hồ sơ: 09 giờ 05 phút, ngày 26 tháng 11 năm 2026",
        sentence,
        "Xin thông báo để Ông/Bà được biết và thực hiện./.",
        f"NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) {OFFICER}",
    ):
        assert expected in text, expected
    # Every paragraph and line of the reasons, in order, after the refusal sentence.
    parts = [flat(p) for p in re.split(r"\n+", REASONS)]
    positions = [text.index(sentence)] + [text.index(p) for p in parts]
    assert positions == sorted(positions)


def test_refusal_needs_reasons() -> None:
    with pytest.raises(ValueError):
        refusal(reasons=" \n\n ")


# --- apology --------------------------------------------------------------------------------------------


def test_apology_text(pdfs: dict[str, bytes]) -> None:
    text = _assert_common(
        pdfs["apology"], "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Đồng Nai, ngày 02 tháng 12 năm 2026"
    )
    for expected in (
        "ỦY BAN NHÂN DÂN PHƯỜNG TRẤN BIÊN",
        f"Kính gửi: {APPLICANT}",
        f"Vào lúc 09 giờ 05 phút, ngày 26 tháng 11 năm 2026, {OFFICE} đã tiếp nhận hồ sơ đề nghị {PROCEDURE}",
        f"mã hồ sơ {CODE}",
        "Thời hạn trả kết quả giải quyết hồ sơ theo quy định: 09 giờ 05 phút, ngày 03 tháng 12 năm 2026.",
        f"Lý do: {APOLOGY_REASON}",
        f"{UNIT} xin lỗi Ông/Bà và hẹn lại ngày trả kết quả giải quyết hồ sơ vào lúc "
        "14 giờ 00 phút, ngày 08 tháng 12 năm 2026.",
        "Xin trân trọng cảm ơn./.",
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (Ký, ghi rõ họ tên và đóng dấu) Trần Văn Lợi",
    ):
        assert expected in text, expected


def test_apology_new_date_must_be_later() -> None:
    with pytest.raises(ValueError, match="after the original due date"):
        apology(new_due_at=REF.due_at)
    with pytest.raises(ValueError):
        apology(reason="")


def test_apology_without_known_dates() -> None:
    text = flat(" ".join(pages_text(apology(ref=replace(REF, received_at=None, due_at=None)))))
    assert f"{OFFICE} đã tiếp nhận hồ sơ đề nghị" in text
    assert "Vào lúc" not in text
    assert "ngày 08 tháng 12 năm 2026" in text


# --- control sheet --------------------------------------------------------------------------------------


def test_control_sheet_text(pdfs: dict[str, bytes]) -> None:
    text = _assert_common(
        pdfs["control_sheet"], "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Đồng Nai, ngày 04 tháng 12 năm 2026"
    )
    for expected in (
        f"Người nộp hồ sơ: {APPLICANT}",
        f"Nội dung yêu cầu giải quyết: {PROCEDURE}",
        f"Cơ quan (bộ phận) giải quyết hồ sơ: {UNIT}, tỉnh Đồng Nai",
        "Thời gian tiếp nhận: 09 giờ 05 phút, ngày 26 tháng 11 năm 2026",
        "Thời hạn trả kết quả: 09 giờ 05 phút, ngày 03 tháng 12 năm 2026",
        "TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ Đúng hạn/ Trễ hạn) GHI CHÚ",
        f"Bước 01: chuyển xử lý 1. Giao: {OFFICER} ({OFFICE}) 2. Nhận: Lê Thị Mỹ Dung (Phòng Văn hóa - Xã hội) "
        "12 giờ 30 phút, ngày 26 tháng 11 năm 2026 Đúng hạn",
        "2. Nhận: Trần Văn Lợi (Lãnh đạo Ủy ban nhân dân Phường Trấn Biên) "
        "15 giờ 30 phút, ngày 26 tháng 11 năm 2026 Trước hạn Trình ký (ưu tiên)",
        "18 giờ 30 phút, ngày 26 tháng 11 năm 2026 Trễ hạn Chờ cấp số định danh",
        # No outcome yet: nothing printed in the result column, the next thing is the printing note.
        f"2. Nhận: {APPLICANT} (Công dân) 21 giờ 30 phút, ngày 26 tháng 11 năm 2026 Phiếu in lúc",
        "Phiếu in lúc 09 giờ 05 phút, ngày 04 tháng 12 năm 2026",
        "NGƯỜI LẬP PHIẾU (Ký và ghi rõ họ tên)",
    ):
        assert expected in text, expected


def test_forty_hand_overs_flow_over_several_pages() -> None:
    rows = [handover(i, ("early", "on_time", "late", None)[i % 4]) for i in range(1, 41)]
    texts = pages_text(control_sheet(rows=rows))
    assert len(texts) >= 3
    everything = flat(" ".join(texts))
    for row in rows:
        assert everything.count(f"1. Giao: {row.from_person} (") == 1, row.from_person
        assert everything.count(f"2. Nhận: {row.to_person} (") == 1, row.to_person
    positions = [everything.index(row.from_person) for row in rows]
    assert positions == sorted(positions)
    assert everything.count("Trễ hạn)") == len(texts)  # the heading, once per page
    assert everything.count("Trễ hạn") - len(texts) == sum(r.outcome == "late" for r in rows)
    assert everything.count("Trước hạn") - len(texts) == sum(r.outcome == "early" for r in rows)
    for i, page in enumerate(texts, start=1):
        page_text = flat(page)
        assert page_text.count("TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ") == 1  # the header row repeats
        assert f"Mã hồ sơ: {CODE} - Trang {i}/{len(texts)}" in page_text


def test_empty_history_and_bad_outcome() -> None:
    assert "(Chưa có lần giao, nhận hồ sơ)" in flat(pages_text(control_sheet(rows=()))[0])
    with pytest.raises(ValueError, match="unknown outcome"):
        control_sheet(rows=[handover(1, "overdue")])


# --- every form -----------------------------------------------------------------------------------------



@pytest.mark.parametrize("name", RENDERERS)
def test_only_the_bundled_fonts_are_used_and_embedded(pdfs: dict[str, bytes], name: str) -> None:
    assert_only_bundled_fonts_embedded(pdfs[name])


def _nfd(value: object) -> object:
    return unicodedata.normalize("NFD", value) if isinstance(value, str) else value


NFD_REF = replace(REF, **{f: _nfd(getattr(REF, f)) for f in REF.__dataclass_fields__})  # type: ignore[arg-type]
NFD_CHANGES: dict[str, dict[str, object]] = {
    "supplement": {
        "items": [MissingItem(*(_nfd(v) for v in (i.name, i.kind, i.reason))) for i in ITEMS],  # type: ignore[arg-type]
        "note": _nfd(NOTE),
        "officer_name": _nfd(OFFICER),
        "unit_name": _nfd(OFFICE),
    },
    "refusal": {"reasons": _nfd(REASONS), "officer_name": _nfd(OFFICER), "unit_name": _nfd(OFFICE)},
    "apology": {
        "reason": _nfd(APOLOGY_REASON),
        "signer_name": _nfd("Trần Văn Lợi"),
        "signer_title": _nfd("TM. Ủy ban nhân dân\nChủ tịch"),
        "unit_name": _nfd(UNIT),
    },
    "control_sheet": {
        "rows": [
            replace(
                r,
                **{
                    f: _nfd(getattr(r, f))
                    for f in ("from_unit", "from_person", "to_unit", "to_person", "step_label", "note")
                },
            )
            for r in ROWS
        ]
    },
}


@pytest.mark.parametrize("name", RENDERERS)
def test_nfd_input_renders_as_nfc(pdfs: dict[str, bytes], name: str) -> None:
    assert NFD_REF.applicant_name != APPLICANT  # the input really is decomposed
    from_nfd = pages_text(RENDERERS[name](ref=NFD_REF, **NFD_CHANGES[name]))
    # Raw extraction (no normalising here): identical to the NFC rendering, no stray combining marks.
    assert from_nfd == pages_text(pdfs[name])
    assert not any(unicodedata.combining(ch) for ch in "".join(from_nfd))
    assert APPLICANT in "".join(from_nfd)


@pytest.mark.parametrize("name", RENDERERS)
def test_metadata_and_qr_code(pdfs: dict[str, bytes], name: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdfs[name]))
    meta = reader.metadata
    assert meta is not None
    assert meta.title.endswith(f" - {CODE}")
    assert meta.subject == PROCEDURE
    assert meta.creator == "motcua"
    # The tracking QR code is drawn on the first page (its form XObject is named after the encoded URL).
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    assert "/FormXob." + layout.qr_form_name(URL) in xobjects


@pytest.mark.parametrize("name", RENDERERS)
def test_naive_datetimes_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        RENDERERS[name](ref=replace(REF, received_at=datetime(2026, 11, 26, 9, 5)))


def test_naive_dates_of_the_form_itself_are_refused() -> None:
    naive = datetime(2026, 12, 2, 8, 0)
    with pytest.raises(ValueError):
        supplement(issued_at=naive)
    with pytest.raises(ValueError):
        apology(new_due_at=naive)
    with pytest.raises(ValueError):
        control_sheet(rows=[handover(1, at=naive)])
    with pytest.raises(ValueError):
        control_sheet(printed_at=naive)


def test_markup_characters_in_data_are_printed_not_interpreted() -> None:
    name = 'Công ty TNHH A&B <Việt Nam> "Số 1"'
    ref = replace(REF, applicant_name=name)
    assert f"Kính gửi: {name}" in flat(pages_text(refusal(ref=ref, reasons="Lý do <b>không</b> & khác"))[0])
    assert "Lý do <b>không</b> & khác" in flat(pages_text(refusal(reasons="Lý do <b>không</b> & khác"))[0])


@pytest.mark.parametrize("name", RENDERERS)
def test_text_stays_inside_the_printable_area(pdfs: dict[str, bytes], name: str) -> None:
    for page in pypdf.PdfReader(io.BytesIO(pdfs[name])).pages:
        width = float(page.mediabox.width)
        height = float(page.mediabox.height)
        points: list[tuple[float, float]] = []
        page.extract_text(
            visitor_text=lambda t, cm, tm, fd, fs: (
                points.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5])) if t.strip() else None
            )
        )
        assert points
        for x, y in points:
            assert layout.MARGIN_LEFT - 1 <= x < width - layout.MARGIN_RIGHT
            assert 5 * 2.8346 <= y <= height - layout.MARGIN_TOP
