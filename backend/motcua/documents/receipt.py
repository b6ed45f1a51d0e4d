"""Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Thông tư 01/2018/TT-VPCP), as an A4 PDF.

Layout follows the official form: issuing office top left, national header top right, the title, the dossier
code with a QR code for tracking, the applicant, the request, the documents received, sets, legal processing
time, time received, time due, where the result is collected, fee, a tracking note and the two signature
columns. Long names wrap and a long list of documents flows onto further pages (the table header repeats).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from motcua.documents.layout import (
    CONTENT_WIDTH,
    NationalHeader,
    beside_qr,
    build_pdf,
    field,
    form_styles,
    grid_table_style,
    nbsp_moment,
    one_line,
    para_line,
    signature_columns,
    to_vn_time,
)

TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
ONLINE_CHANNEL_LABEL = "Trực tuyến"


@dataclass(frozen=True)
class ReceivedDocument:
    """One line of the documents table."""

    name: str
    kind_label: str  # "Bản chính" / "Bản sao chứng thực" / "Bản sao" / "Xuất trình"
    count: int


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on the receipt. Text may be NFC or NFD; it is normalised before drawing."""

    dossier_code: str  # e.g. "H19.23-261126-0007"
    tracking_url: str  # the QR code encodes this
    receiving_office_name: str
    competent_unit_name: str
    applicant_name: str
    applicant_id_number: str | None
    applicant_phone: str
    applicant_address: str | None
    applicant_email: str | None
    procedure_code: str
    procedure_name: str
    documents: Sequence[ReceivedDocument]
    sets: int  # số lượng hồ sơ (bộ)
    processing_time_label: str  # "05 ngày làm việc"
    received_at: datetime  # aware; printed in Vietnam time
    due_at: datetime  # aware; printed in Vietnam time
    return_place: str  # where the result is returned
    fee_label: str  # e.g. "Miễn phí" or "50.000 đồng"
    channel_label: str  # "Trực tuyến" / "Trực tiếp" / "Bưu chính"
    officer_name: str | None = None


def _is_online(channel_label: str) -> bool:
    normalised = unicodedata.normalize("NFC", channel_label).strip().casefold()
    return normalised == ONLINE_CHANNEL_LABEL.casefold()


def _count(n: int) -> str:
    # Forms write small quantities with two digits ("01 bộ").
    return f"{n:02d}"


def _applicant_block(data: ReceiptData) -> Flowable:
    """The applicant's details, with the tracking QR code beside them (saves the height of a separate row)."""
    s = form_styles()
    lines = [Paragraph(f"Tiếp nhận hồ sơ của: <b>{para_line(data.applicant_name)}</b>", s.body)]
    if data.applicant_id_number:
        lines.append(field("Số định danh cá nhân/Mã số thuế", para_line(data.applicant_id_number)))
    if data.applicant_address:
        lines.append(field("Địa chỉ", para_line(data.applicant_address)))
    contact = f"Số điện thoại: {para_line(data.applicant_phone)}"
    if data.applicant_email:
        contact += f"; Email: {para_line(data.applicant_email)}"
    lines.append(Paragraph(contact, s.body))
    lines.append(field("Hình thức nộp", para_line(data.channel_label)))
    return beside_qr(lines, data.tracking_url, "Quét để tra cứu")


def _documents_table(documents: Sequence[ReceivedDocument]) -> Table:
    s = form_styles()
    # The narrow columns fit "Bản sao chứng thực" and "Số lượng" without wrapping; the name takes the rest.
    widths = [10 * mm, CONTENT_WIDTH - 68 * mm, 38 * mm, 20 * mm]
    rows: list[list[Paragraph]] = [
        [
            Paragraph("STT", s.table_header),
            Paragraph("Tên giấy tờ", s.table_header),
            Paragraph("Hình thức", s.table_header),
            Paragraph("Số lượng", s.table_header),
        ]
    ]
    for i, doc in enumerate(documents, start=1):
        rows.append(
            [
                Paragraph(str(i), s.table_cell_center),
                Paragraph(para_line(doc.name), s.table_cell),
                Paragraph(para_line(doc.kind_label), s.table_cell_center),
                Paragraph(_count(doc.count), s.table_cell_center),
            ]
        )
    if len(rows) == 1:
        rows.append(
            [
                Paragraph("", s.table_cell),
                Paragraph("<i>(Không có giấy tờ kèm theo)</i>", s.table_cell),
                Paragraph("", s.table_cell),
                Paragraph("", s.table_cell),
            ]
        )
    # repeatRows: a list that spills onto the next page keeps its column headings.
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        grid_table_style()
    )
    return table


def _signature_block(data: ReceiptData) -> Flowable:
    s = form_styles()
    applicant_hint = "(Hồ sơ nộp trực tuyến)" if _is_online(data.channel_label) else "(Ký và ghi rõ họ tên)"
    officer = para_line(data.officer_name) if data.officer_name else ""
    left = [
        Paragraph("NGƯỜI NỘP HỒ SƠ", s.sign_title),
        Paragraph(applicant_hint, s.sign_hint),
        Spacer(1, 16 * mm),
        Paragraph(para_line(data.applicant_name), s.sign_name),
    ]
    right = [
        Paragraph("NGƯỜI TIẾP NHẬN HỒ SƠ", s.sign_title),
        Paragraph("(Ký và ghi rõ họ tên)", s.sign_hint),
        Spacer(1, 16 * mm),
        Paragraph(officer, s.sign_name),
    ]
    return signature_columns([left, right], [CONTENT_WIDTH / 2, CONTENT_WIDTH / 2])


def build_receipt_story(data: ReceiptData) -> list[Flowable]:
    """The flowables of the receipt (exposed so a combined print job can reuse them)."""
    s = form_styles()
    received_local = to_vn_time(data.received_at)
    to_vn_time(data.due_at)  # refuse a naive due date before any drawing starts

    request = [
        field(
            "Nội dung yêu cầu giải quyết",
            f"<b>{para_line(data.procedure_name)}</b>"
            f" (mã thủ tục: {para_line(data.procedure_code)})",
        ),
        field("Cơ quan giải quyết", para_line(data.competent_unit_name)),
    ]

    items = [
        field("2. Số lượng hồ sơ", f"{_count(data.sets)} (bộ)"),
        field(
            "3. Thời gian giải quyết hồ sơ theo quy định",
            para_line(data.processing_time_label),
        ),
        field("4. Thời gian nhận hồ sơ", nbsp_moment(data.received_at)),
        field("5. Thời gian trả kết quả giải quyết hồ sơ", f"<b>{nbsp_moment(data.due_at)}</b>"),
        field("6. Nhận kết quả tại", para_line(data.return_place)),
        field("7. Phí, lệ phí", para_line(data.fee_label)),
    ]
    code = para_line(data.dossier_code)
    note = Paragraph(
        f"Ghi chú: Ông/Bà theo dõi tình trạng giải quyết hồ sơ bằng mã hồ sơ {code}: quét mã QR ở trên "
        f"hoặc truy cập {para_line(data.tracking_url)}. Khi nhận kết quả trực tiếp, vui lòng mang "
        "theo Giấy tiếp nhận này và giấy tờ tùy thân.",
        s.note,
    )

    return [
        NationalHeader(data.receiving_office_name, on_date=received_local.date()),
        Spacer(1, 5 * mm),
        Paragraph(TITLE, s.title),
        Paragraph(f"Mã hồ sơ: <b>{code}</b>", s.subtitle),
        Spacer(1, 2 * mm),
        _applicant_block(data),
        *request,
        Paragraph("1. Thành phần hồ sơ nộp gồm:", s.body),
        _documents_table(data.documents),
        Spacer(1, 2 * mm),
        *items,
        note,
        Spacer(1, 4 * mm),
        # The signatures never split from each other across a page break.
        KeepTogether([_signature_block(data)]),
    ]


def render_receipt(data: ReceiptData) -> bytes:
    """Render the receipt as an A4 PDF (one page normally, more for long document lists).

    Raises ``ValueError`` if ``received_at`` or ``due_at`` is naive. Fonts are registered on first use.
    """
    return build_pdf(
        build_receipt_story(data),
        title=f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả - {one_line(data.dossier_code)}",
        author=data.receiving_office_name,
        subject=data.procedure_name,
        keywords=(data.dossier_code, data.procedure_code),
        footer_text=f"Mã hồ sơ: {one_line(data.dossier_code)}",
    )
