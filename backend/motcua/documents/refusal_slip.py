"""Phiếu từ chối tiếp nhận giải quyết hồ sơ (Thông tư 01/2018/TT-VPCP; Mẫu 03 of Thông tư 03/2025), as an A4 PDF.

A dossier that is not eligible is refused in writing with the reasons. The slip names the applicant and the
request, states that the unit refuses to receive and resolve it for the reasons that follow, prints the reasons
(several paragraphs allowed) and is signed by the officer.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

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
from motcua.documents.layout import field, form_styles, nbsp_moment, para_line

TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
DOCUMENT_NAME = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"


def build_refusal_story(
    ref: DossierRef, *, reasons: str, issued_at: datetime, officer_name: str, unit_name: str
) -> list[Flowable]:
    """The flowables of the refusal (exposed so a combined print job can reuse them)."""
    require_aware(issued_at, ref.received_at, ref.due_at)
    reason_paragraphs = text_paragraphs(reasons)
    if not reason_paragraphs:
        # A refusal without reasons is not lawful: the form exists to state them.
        raise ValueError("a refusal needs its reasons")
    s = form_styles()

    details = [
        field("Nội dung yêu cầu giải quyết", f"<b>{para_line(ref.procedure_name)}</b>"),
        field("Cơ quan giải quyết", para_line(ref.competent_unit_name)),
    ]
    if ref.received_at is not None:
        details.append(field("Thời gian nộp hồ sơ", nbsp_moment(ref.received_at)))

    return [
        *form_head(ref, unit_name=unit_name, on=issued_at, title=TITLE),
        with_qr(ref, addressee_lines(ref)),
        *details,
        Spacer(1, 1.5 * mm),
        Paragraph(
            f"Qua xem xét, {para_line(unit_name)} từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
            s.body_justified,
        ),
        *reason_paragraphs,
        closing(
            [Paragraph(f"Xin thông báo để {ADDRESS_FORM} được biết và thực hiện./.", s.body_justified)],
            signature_block(["NGƯỜI TIẾP NHẬN HỒ SƠ"], "(Ký và ghi rõ họ tên)", officer_name),
        ),
    ]


def render_refusal(ref: DossierRef, *, reasons: str, issued_at: datetime, officer_name: str, unit_name: str) -> bytes:
    """Render the refusal as an A4 PDF.

    ``reasons`` is free text: blank lines separate paragraphs, single newlines are kept as line breaks.
    ``unit_name`` issues the slip and is named in the refusal sentence; ``officer_name`` signs it. Raises
    ``ValueError`` for a naive datetime or empty reasons.
    """
    story = build_refusal_story(
        ref, reasons=reasons, issued_at=issued_at, officer_name=officer_name, unit_name=unit_name
    )
    return render(story, ref, document_name=DOCUMENT_NAME, author=unit_name)
