"""Phiếu xin lỗi và hẹn lại ngày trả kết quả (Thông tư 01/2018/TT-VPCP; Mẫu 04 of Thông tư 03/2025), as A4 PDF.

When a result will be late the unit at fault apologises in writing, gives the reason and a new date, no later
than one working day before the original deadline. The slip recalls when the dossier was received and the
original due date, gives the reason, apologises in the form's words, states the new date and is signed (and
sealed) by the unit's leader.
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
from motcua.documents.layout import form_styles, nbsp_moment, para_line

TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
DOCUMENT_NAME = "Phiếu xin lỗi và hẹn lại ngày trả kết quả"


def build_apology_story(
    ref: DossierRef,
    *,
    reason: str,
    new_due_at: datetime,
    issued_at: datetime,
    signer_name: str,
    signer_title: str,
    unit_name: str,
) -> list[Flowable]:
    """The flowables of the apology (exposed so a combined print job can reuse them)."""
    require_aware(issued_at, new_due_at, ref.received_at, ref.due_at)
    # Same rule as the workflow: a "new" date that is not later than the promised one is a caller error.
    if ref.due_at is not None and new_due_at <= ref.due_at:
        raise ValueError("new_due_at must be after the original due date")
    reason_paragraphs = text_paragraphs(reason, label="Lý do")
    if not reason_paragraphs:
        raise ValueError("an apology needs its reason")
    s = form_styles()
    unit = para_line(unit_name)
    procedure = f"<b>{para_line(ref.procedure_name)}</b>"
    code = f"<b>{para_line(ref.code)}</b>"

    received = (
        f"{para_line(ref.receiving_office_name)} đã tiếp nhận hồ sơ đề nghị {procedure} của {ADDRESS_FORM},"
        f" mã hồ sơ {code}."
    )
    if ref.received_at is not None:
        received = f"Vào lúc {nbsp_moment(ref.received_at)}, {received}"
    if ref.due_at is not None:
        due = f"Thời hạn trả kết quả giải quyết hồ sơ theo quy định: {nbsp_moment(ref.due_at)}."
    else:
        due = "Thời hạn trả kết quả giải quyết hồ sơ theo quy định: như đã hẹn tại Giấy tiếp nhận hồ sơ."

    return [
        *form_head(ref, unit_name=unit_name, on=issued_at, title=TITLE),
        with_qr(ref, addressee_lines(ref)),
        Spacer(1, 1.5 * mm),
        Paragraph(received, s.body_justified),
        Paragraph(due, s.body),  # left-aligned: the unbreakable date would stretch a justified line
        Paragraph(
            f"Tuy nhiên, {unit} chưa thể trả kết quả giải quyết hồ sơ của {ADDRESS_FORM} đúng thời hạn nêu trên.",
            s.body_justified,
        ),
        *reason_paragraphs,
        Paragraph(
            f"Sự chậm trễ này đã gây phiền hà, ảnh hưởng đến thời gian và công việc của {ADDRESS_FORM}.",
            s.body_justified,
        ),
        Paragraph(
            f"{unit} xin lỗi {ADDRESS_FORM} và hẹn lại ngày trả kết quả giải quyết hồ sơ vào lúc "
            f"<b>{nbsp_moment(new_due_at)}</b>.",
            s.body_justified,
        ),
        closing(
            [Paragraph("Xin trân trọng cảm ơn./.", s.body)],
            # The title may span lines ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"); the leader seals the slip.
            signature_block(signer_title.splitlines(), "(Ký, ghi rõ họ tên và đóng dấu)", signer_name),
        ),
    ]


def render_apology(
    ref: DossierRef,
    *,
    reason: str,
    new_due_at: datetime,
    issued_at: datetime,
    signer_name: str,
    signer_title: str,
    unit_name: str,
) -> bytes:
    """Render the apology and new appointment as an A4 PDF.

    ``unit_name`` is the unit that apologises (top left and in the text); ``signer_title`` is printed in
    capitals above the signature, one line per line of input. Raises ``ValueError`` for a naive datetime, an
    empty reason, or a ``new_due_at`` not later than ``ref.due_at``.
    """
    story = build_apology_story(
        ref,
        reason=reason,
        new_due_at=new_due_at,
        issued_at=issued_at,
        signer_name=signer_name,
        signer_title=signer_title,
        unit_name=unit_name,
    )
    return render(story, ref, document_name=DOCUMENT_NAME, author=unit_name)
