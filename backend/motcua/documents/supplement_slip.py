"""Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Thông tư 01/2018/TT-VPCP; Thông tư 03/2025), as an A4 PDF.

The rule behind the form: an incomplete dossier is sent back ONCE, in writing, listing everything that is
missing. So the slip lists every item in one numbered table (name, form of the paper, reason), says that the
list is complete, and tells the applicant whom to contact. A long list flows onto further pages with the table
header repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from motcua.documents._common import (
    ADDRESS_FORM,
    DossierRef,
    addressee_lines,
    closing,
    form_head,
    render,
    require_aware,
    signature_block,
    text_paragraphs,
    with_qr,
)
from motcua.documents.layout import CONTENT_WIDTH, field, form_styles, grid_table_style, nbsp_moment, para_line

TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
DOCUMENT_NAME = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"

# The form distinguishes the original, a certified copy and a plain copy (photocopy).
KIND_LABELS: dict[str, str] = {
    "original": "Bản chính",
    "certified_copy": "Bản sao có chứng thực",
    "copy": "Bản sao",
}


@dataclass(frozen=True)
class MissingItem:
    """One paper to add or redo (same fields as ``motcua.domain.dossiers.MissingItem``, which may be passed)."""

    name: str
    kind: str  # "original" | "certified_copy" | "copy"
    reason: str


def kind_label(kind: str) -> str:
    """'Bản chính' / 'Bản sao có chứng thực' / 'Bản sao'; an unknown kind is a caller bug (``ValueError``)."""
    try:
        return KIND_LABELS[kind]
    except KeyError:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {sorted(KIND_LABELS)}") from None


def _items_table(items: Sequence[MissingItem]) -> Table:
    s = form_styles()
    # "Bản sao có chứng thực" wraps onto two lines in its column; name and reason share the rest.
    widths = [10 * mm, 62 * mm, 28 * mm, CONTENT_WIDTH - 100 * mm]
    rows: list[list[Paragraph]] = [[Paragraph(h, s.table_header) for h in ("STT", "Tên giấy tờ", "Hình thức", "Lý do")]]
    for i, item in enumerate(items, start=1):
        rows.append(
            [
                Paragraph(str(i), s.table_cell_center),
                Paragraph(para_line(item.name), s.table_cell),
                Paragraph(kind_label(item.kind), s.table_cell_center),
                Paragraph(para_line(item.reason), s.table_cell),
            ]
        )
    # repeatRows: a list that spills onto the next page keeps its column headings.
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        grid_table_style()
    )
    return table


def build_supplement_story(
    ref: DossierRef,
    *,
    items: Sequence[MissingItem],
    note: str,
    issued_at: datetime,
    officer_name: str,
    unit_name: str,
) -> list[Flowable]:
    """The flowables of the supplement request (exposed so a combined print job can reuse them)."""
    require_aware(issued_at, ref.received_at, ref.due_at)
    for item in items:
        kind_label(item.kind)  # an unknown kind fails before any drawing
    if not items and not note.strip():
        raise ValueError("a supplement request needs at least one item or a note")
    s = form_styles()

    details = [
        field("Nội dung yêu cầu giải quyết", f"<b>{para_line(ref.procedure_name)}</b>"),
        field("Cơ quan giải quyết", para_line(ref.competent_unit_name)),
    ]
    if ref.received_at is not None:
        details.append(
            Paragraph(
                f"Hồ sơ của {ADDRESS_FORM} được {para_line(ref.receiving_office_name)} tiếp nhận lúc "
                f"{nbsp_moment(ref.received_at)}.",
                s.body_justified,
            )
        )

    story: list[Flowable] = [
        *form_head(ref, unit_name=unit_name, on=issued_at, title=TITLE),
        with_qr(ref, addressee_lines(ref)),
        *details,
        Spacer(1, 1.5 * mm),
    ]
    if items:
        story += [
            Paragraph(
                f"Qua kiểm tra, hồ sơ của {ADDRESS_FORM} chưa đầy đủ, hợp lệ. Đề nghị {ADDRESS_FORM} bổ sung, "
                "hoàn thiện hồ sơ gồm những nội dung sau:",
                s.body_justified,
            ),
            _items_table(items),
            Spacer(1, 2 * mm),
        ]
    else:
        story.append(
            Paragraph(
                f"Qua kiểm tra, hồ sơ của {ADDRESS_FORM} chưa đầy đủ, hợp lệ. Đề nghị {ADDRESS_FORM} bổ sung, "
                "hoàn thiện hồ sơ theo nội dung dưới đây.",
                s.body_justified,
            )
        )
    story += text_paragraphs(note, label="Nội dung cần hoàn thiện" if not items else "Ghi chú")
    story.append(
        Paragraph(
            "Lý do: hồ sơ chưa đầy đủ, hợp lệ theo quy định của thủ tục hành chính"
            + ("; lý do cụ thể của từng giấy tờ ghi tại cột “Lý do” của bảng trên." if items else "."),
            s.body_justified,
        )
    )
    story.append(
        Paragraph(
            f"Phiếu này nêu đầy đủ, một lần tất cả các nội dung cần bổ sung, hoàn thiện. {ADDRESS_FORM} vui lòng "
            f"bổ sung một lần đầy đủ các nội dung trên, ghi rõ mã hồ sơ <b>{para_line(ref.code)}</b>, và nộp tại "
            f"{para_line(ref.receiving_office_name)} hoặc trên Cổng dịch vụ công.",
            s.body_justified,
        )
    )
    contact = Paragraph(
        f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, {ADDRESS_FORM} liên hệ {para_line(officer_name)} "
        f"- {para_line(unit_name)} để được hướng dẫn; tình trạng hồ sơ tra cứu bằng mã hồ sơ hoặc mã QR ở trên.",
        s.body_justified,
    )
    story.append(closing([contact], signature_block(["NGƯỜI HƯỚNG DẪN"], "(Ký và ghi rõ họ tên)", officer_name)))
    return story


def render_supplement_request(
    ref: DossierRef,
    *,
    items: Sequence[MissingItem],
    note: str,
    issued_at: datetime,
    officer_name: str,
    unit_name: str,
) -> bytes:
    """Render the supplement request as an A4 PDF (more pages for a long list).

    ``unit_name`` issues the slip (top left and in the contact line); ``officer_name`` signs it. Raises
    ``ValueError`` for a naive datetime, an unknown item kind, or neither items nor a note.
    """
    story = build_supplement_story(
        ref, items=items, note=note, issued_at=issued_at, officer_name=officer_name, unit_name=unit_name
    )
    return render(story, ref, document_name=DOCUMENT_NAME, author=unit_name)
