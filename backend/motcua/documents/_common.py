"""Pieces shared by the official one-stop slips (Thông tư 01/2018/TT-VPCP; successor set in Thông tư 03/2025).

The supplement request, the refusal, the apology and the control sheet all open the same way as the Mẫu 01
receipt (:mod:`motcua.documents.receipt`): national header with the issuing unit top left, the title, the dossier
code, then the addressee beside a QR code that opens the tracking page. They close with a signature column on
the right. This module holds those parts and the dossier reference every slip is printed from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from motcua.documents.layout import (
    NationalHeader,
    beside_qr,
    build_pdf,
    field,
    form_styles,
    one_line,
    para_line,
    para_text,
    right_column,
    to_vn_time,
)

# Forms address a citizen as "Ông/Bà" when the sex is not known (as the official templates do).
ADDRESS_FORM = "Ông/Bà"


@dataclass(frozen=True)
class DossierRef:
    """What every slip prints about the dossier. Text may be NFC or NFD; it is normalised before drawing."""

    code: str  # e.g. "H19.23-261126-0007"
    tracking_url: str  # the QR code encodes this
    procedure_name: str
    applicant_name: str
    applicant_address: str | None
    applicant_phone: str | None
    receiving_office_name: str  # the one-stop office that received the dossier
    competent_unit_name: str  # the unit that resolves it
    received_at: datetime | None  # aware; None when the dossier was never formally received
    due_at: datetime | None  # aware; the appointment printed on the receipt


def require_aware(*moments: datetime | None) -> None:
    """Refuse naive datetimes before any drawing starts (``ValueError``), so no half-built PDF is produced."""
    for moment in moments:
        if moment is not None:
            to_vn_time(moment)


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def text_paragraphs(value: str, *, label: str | None = None) -> list[Paragraph]:
    """Free text (reasons, notes) as justified paragraphs, the first one opened by "<label>: " if given.

    Blank lines separate paragraphs; single newlines stay line breaks inside one, because officers type lists
    as "- item" lines. Empty text gives no paragraph.
    """
    style = form_styles().body_justified
    chunks = []
    for chunk in _BLANK_LINE.split(value.replace("\r\n", "\n")):
        lines = [para_text(one_line(line)) for line in chunk.split("\n")]
        markup = "<br/>".join(line for line in lines if line)
        if markup:
            chunks.append(markup)
    if chunks and label:
        chunks[0] = f"{label}: {chunks[0]}"
    return [Paragraph(markup, style) for markup in chunks]


def form_head(ref: DossierRef, *, unit_name: str, on: datetime, title: str) -> list[Flowable]:
    """National header (``unit_name`` top left, the place-date line of ``on``), title and dossier code."""
    s = form_styles()
    return [
        NationalHeader(unit_name, on_date=to_vn_time(on).date()),
        Spacer(1, 5 * mm),
        Paragraph(title, s.title),
        Paragraph(f"Mã hồ sơ: <b>{para_line(ref.code)}</b>", s.subtitle),
        Spacer(1, 2 * mm),
    ]


def with_qr(ref: DossierRef, lines: Sequence[Flowable]) -> Table:
    """``lines`` on the left with the tracking QR code on the right (as on the receipt: no extra height)."""
    return beside_qr(list(lines), ref.tracking_url, "Quét để tra cứu")


def addressee_lines(ref: DossierRef) -> list[Paragraph]:
    """'Kính gửi: <applicant>' followed by the address and phone when known."""
    s = form_styles()
    lines = [Paragraph(f"Kính gửi: <b>{para_line(ref.applicant_name)}</b>", s.body)]
    if ref.applicant_address:
        lines.append(field("Địa chỉ", para_line(ref.applicant_address)))
    if ref.applicant_phone:
        lines.append(field("Số điện thoại", para_line(ref.applicant_phone)))
    return lines


def signature_block(title_lines: Sequence[str], hint: str, name: str | None) -> Table:
    """The signer's column in the right half of the page: title (capitals, one or more lines), hint, name.

    A blank ``name`` leaves the space for a handwritten one.
    """
    s = form_styles()
    cell: list[Flowable] = [Paragraph(para_line(line).upper(), s.sign_title) for line in title_lines if one_line(line)]
    cell += [
        Paragraph(para_line(hint), s.sign_hint),
        Spacer(1, 20 * mm),  # room for the signature (and the seal, on the apology)
        Paragraph(para_line(name) if name else "", s.sign_name),
    ]
    return right_column(cell)


def closing(last: Sequence[Flowable], signature: Flowable) -> Flowable:
    """The closing lines and the signature, kept on one page so a signature never stands alone."""
    return KeepTogether([*last, Spacer(1, 4 * mm), signature])


def render(story: Sequence[Flowable], ref: DossierRef, *, document_name: str, author: str) -> bytes:
    """Build the PDF with the slip's metadata; pages after the first carry the dossier code and page number."""
    return build_pdf(
        story,
        title=f"{document_name} - {one_line(ref.code)}",
        author=author,
        subject=ref.procedure_name,
        keywords=(ref.code,),
        footer_text=f"Mã hồ sơ: {one_line(ref.code)}",
    )
