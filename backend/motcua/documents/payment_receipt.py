"""Biên lai thu phí, lệ phí (biên lai điện tử) for a fee paid online, as an A4 PDF.

Printed when the payment gateway confirms a payment: the collecting unit and the national header, the title
with "(Biên lai điện tử)" and the receipt number, the payer beside a QR code that opens the verification page,
the dossier and procedure, a table of the amounts collected with their total, the total again in words (as every
Vietnamese receipt writes it), how and when it was paid (gateway, transaction number, bank) and a note that the
receipt was issued electronically. Amounts are whole đồng (the đồng has no subunit in use).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from motcua.documents.layout import (
    CONTENT_WIDTH,
    NationalHeader,
    beside_qr,
    build_pdf,
    field,
    form_styles,
    grid_table_style,
    nbsp,
    nbsp_moment,
    one_line,
    para_line,
    right_column,
    to_vn_time,
)
from motcua.domain.money_words import vnd, vnd_in_words

TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"
SUBTITLE = "(Biên lai điện tử)"


@dataclass(frozen=True)
class PaymentReceiptData:
    """Everything printed on the e-receipt. Text may be NFC or NFD; it is normalised before drawing."""

    receipt_number: str  # e.g. "BL-261126-000123"
    issuer_name: str  # the unit collecting the fee, e.g. "Ủy ban nhân dân phường Trấn Biên"
    payer_name: str
    payer_address: str | None
    dossier_code: str
    procedure_name: str
    items: Sequence[tuple[str, int]]  # (description, amount in đồng), e.g. ("Lệ phí đăng ký khai sinh", 0)
    total_vnd: int  # must equal the sum of the items
    gateway_label: str  # "VNPay" / "MoMo"
    gateway_transaction_no: str
    bank_code: str | None
    paid_at: datetime  # aware; printed in Vietnam time
    verify_url: str  # the QR code encodes this


@dataclass(frozen=True)
class _ReceiptStyles:
    amount: ParagraphStyle  # amounts in the table, right-aligned
    total: ParagraphStyle  # the total in the table, right-aligned bold
    subtitle_italic: ParagraphStyle  # "(Biên lai điện tử)"


@cache
def _styles() -> _ReceiptStyles:
    s = form_styles()
    amount = ParagraphStyle("motcua-td-amount", parent=s.table_cell, alignment=TA_RIGHT)
    return _ReceiptStyles(
        amount=amount,
        total=ParagraphStyle("motcua-td-total", parent=amount, fontName=s.table_header.fontName),
        subtitle_italic=ParagraphStyle("motcua-subtitle-italic", parent=s.subtitle, fontName=s.note.fontName),
    )


def validate(data: PaymentReceiptData) -> None:
    """Refuse data that must not be printed (``ValueError``), before any drawing starts.

    Amounts must be non-negative whole đồng, there must be at least one item, the total must equal their sum
    and the payment time must be timezone-aware.
    """
    if not data.items:
        raise ValueError("a receipt needs at least one item")
    for description, amount in data.items:
        if not one_line(description):
            raise ValueError("every item needs a description")
        vnd(amount)  # ValueError for a negative or non-int amount
    vnd_in_words(data.total_vnd)
    item_sum = sum(amount for _, amount in data.items)
    if item_sum != data.total_vnd:
        raise ValueError(f"total_vnd {data.total_vnd} differs from the sum of the items {item_sum}")
    to_vn_time(data.paid_at)


def _payer_block(data: PaymentReceiptData) -> Table:
    """Payer, dossier and procedure on the left; the verification QR code on the right."""
    s = form_styles()
    lines = [Paragraph(f"Họ và tên người nộp: <b>{para_line(data.payer_name)}</b>", s.body)]
    if data.payer_address and one_line(data.payer_address):
        lines.append(field("Địa chỉ", para_line(data.payer_address)))
    lines += [
        field("Mã hồ sơ", f"<b>{para_line(data.dossier_code)}</b>"),
        field("Thủ tục hành chính", para_line(data.procedure_name)),
    ]
    return beside_qr(lines, data.verify_url, "Quét để kiểm tra biên lai")


def _items_table(data: PaymentReceiptData) -> Table:
    """STT | Nội dung thu | Số tiền, then the bold total row. The header repeats if the list spills over."""
    s = form_styles()
    amount_style, total_style = _styles().amount, _styles().total
    # The amount column fits the widest amount on one line (the bold total: amounts are never negative), >= 35 mm.
    padding = 8  # LEFTPADDING + RIGHTPADDING below
    widest = stringWidth(nbsp(vnd(data.total_vnd)), total_style.fontName, total_style.fontSize)
    amount_w = max(35 * mm, widest + padding + 2 * mm)
    widths = [12 * mm, CONTENT_WIDTH - 12 * mm - amount_w, amount_w]
    rows: list[list[Paragraph | str]] = [
        [
            Paragraph("STT", s.table_header),
            Paragraph("Nội dung thu", s.table_header),
            Paragraph("Số tiền", s.table_header),
        ]
    ]
    for i, (description, amount) in enumerate(data.items, start=1):
        rows.append(
            [
                Paragraph(str(i), s.table_cell_center),
                Paragraph(para_line(description), s.table_cell),
                Paragraph(nbsp(vnd(amount)), amount_style),
            ]
        )
    rows.append(
        [
            Paragraph("Tổng cộng", s.table_header),
            "",
            Paragraph(nbsp(vnd(data.total_vnd)), total_style),
        ]
    )
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        grid_table_style(("SPAN", (0, -1), (1, -1)))
    )
    return table


def payment_method_text(data: PaymentReceiptData) -> str:
    """'Thanh toán trực tuyến qua VNPay — Mã giao dịch 14712345, Ngân hàng NCB' (plain text, NFC, one line)."""
    return _payment_method(data, value=one_line, unbroken=lambda words: words)


def _payment_method_markup(data: PaymentReceiptData) -> str:
    """:func:`payment_method_text` as markup, with "Mã giao dịch <số>" and "Ngân hàng <mã>" kept unbroken."""
    return _payment_method(data, value=para_line, unbroken=nbsp)


def _payment_method(
    data: PaymentReceiptData, *, value: Callable[[object], str], unbroken: Callable[[str], str]
) -> str:
    """The one wording of the payment method; ``value`` renders user data, ``unbroken`` holds a phrase together."""
    words = (
        f"Thanh toán trực tuyến qua {value(data.gateway_label)}"
        f" — {unbroken(f'Mã giao dịch {value(data.gateway_transaction_no)}')}"
    )
    if data.bank_code and one_line(data.bank_code):
        words += f", {unbroken(f'Ngân hàng {value(data.bank_code)}')}"
    return words


def _issuer_block(data: PaymentReceiptData) -> Table:
    """The collecting unit in the right half, where a paper receipt has the collector's signature."""
    s = form_styles()
    cell: list[Flowable] = [
        Paragraph("ĐƠN VỊ THU", s.sign_title),
        Paragraph("(Biên lai điện tử)", s.sign_hint),
        Spacer(1, 3 * mm),
        Paragraph(para_line(data.issuer_name), s.sign_name),
    ]
    return right_column(cell)


def build_payment_receipt_story(data: PaymentReceiptData) -> list[Flowable]:
    """The flowables of the e-receipt (exposed so a combined print job can reuse them). Validates first."""
    validate(data)
    s = form_styles()
    paid_local = to_vn_time(data.paid_at)
    moment = nbsp_moment(data.paid_at)
    note = Paragraph(
        "Ghi chú: Biên lai này được lập và phát hành dưới hình thức điện tử khi giao dịch thanh toán trực tuyến "
        "được xác nhận; bản in hoặc bản điện tử đều có thể dùng để đối chiếu. Kiểm tra biên lai: quét mã QR ở "
        f"trên hoặc truy cập {para_line(data.verify_url)}.",
        s.note,
    )
    return [
        NationalHeader(data.issuer_name, on_date=paid_local.date()),
        Spacer(1, 5 * mm),
        Paragraph(TITLE, s.title),
        Paragraph(SUBTITLE, _styles().subtitle_italic),
        Paragraph(f"Số: <b>{para_line(data.receipt_number)}</b>", s.subtitle),
        Spacer(1, 3 * mm),
        _payer_block(data),
        Spacer(1, 1 * mm),
        Paragraph("Các khoản đã thu:", s.body),
        _items_table(data),
        Spacer(1, 2 * mm),
        field("Tổng số tiền", f"<b>{nbsp(vnd(data.total_vnd))}</b>"),
        field("Số tiền bằng chữ", f"<i>{vnd_in_words(data.total_vnd)}.</i>"),
        field("Hình thức thanh toán", _payment_method_markup(data)),
        field("Thời gian thanh toán", moment),
        note,
        Spacer(1, 4 * mm),
        KeepTogether([_issuer_block(data)]),
    ]


def render_payment_receipt(data: PaymentReceiptData) -> bytes:
    """Render the e-receipt as an A4 PDF (one page normally; a very long list of items flows on).

    Raises ``ValueError`` if the total differs from the sum of the items, an amount is negative or not an
    ``int``, there are no items, or ``paid_at`` is naive. Fonts are registered on first use.
    """
    return build_pdf(
        build_payment_receipt_story(data),
        title=f"Biên lai thu phí, lệ phí - {one_line(data.receipt_number)}",
        author=data.issuer_name,
        subject=f"{one_line(data.procedure_name)} - Mã hồ sơ {one_line(data.dossier_code)}",
        keywords=(data.receipt_number, data.dossier_code, data.gateway_transaction_no),
        footer_text=f"Biên lai số {one_line(data.receipt_number)}",
    )
