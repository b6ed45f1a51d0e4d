"""Phiếu kiểm soát quá trình giải quyết hồ sơ (Thông tư 01/2018/TT-VPCP; Mẫu 06 of Thông tư 03/2025), A4 PDF.

The sheet travels with the dossier and records every hand-over. As on the official form, each hand-over is one
table row: "1. Giao: <person> (<unit>)" and "2. Nhận: <person> (<unit>)" under TÊN CƠ QUAN, the time under
THỜI GIAN GIAO, NHẬN HỒ SƠ, the step's result (Trước hạn / Đúng hạn / Trễ hạn) and a note. Portrait A4 holds
the four columns (the shared page template is portrait); a long history flows over pages with the column
headings repeated and rows never split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from motcua.documents import fonts
from motcua.documents._common import (
    DossierRef,
    closing,
    form_head,
    render,
    require_aware,
    signature_block,
    with_qr,
)
from motcua.documents.layout import (
    CONTENT_WIDTH,
    field,
    form_styles,
    grid_table_style,
    nbsp_moment,
    one_line,
    para_line,
)

TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
DOCUMENT_NAME = "Phiếu kiểm soát quá trình giải quyết hồ sơ"

OUTCOME_LABELS: dict[str | None, str] = {
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    None: "",  # a step still in progress, or one without a deadline of its own
}

HEADINGS = (
    "TÊN CƠ QUAN",
    "THỜI GIAN GIAO, NHẬN HỒ SƠ",
    # No-break spaces keep each label whole in the narrow column.
    f'KẾT QUẢ GIẢI QUYẾT HỒ SƠ<br/><font name="{fonts.ITALIC}" size="8.5">'
    "(Trước\u00a0hạn/ Đúng\u00a0hạn/ Trễ\u00a0hạn)</font>",
    "GHI CHÚ",
)
# The time column is just wide enough for "ngày 26 tháng 11 năm 2026" on one line at the 10 pt cell size.
COLUMN_WIDTHS = (61 * mm, 49 * mm, 26 * mm, CONTENT_WIDTH - 136 * mm)


@dataclass(frozen=True)
class HandoverRow:
    """One hand-over of the dossier from one person/unit to the next."""

    from_unit: str
    from_person: str
    to_unit: str
    to_person: str
    at: datetime  # aware; printed in Vietnam time
    step_label: str  # e.g. "Chuyển thẩm định hồ sơ"; printed above the two lines, may be empty
    outcome: str | None  # "early" | "on_time" | "late" | None
    note: str


@dataclass(frozen=True)
class _TableStyles:
    header: ParagraphStyle
    cell: ParagraphStyle
    center: ParagraphStyle


@cache
def _table_styles() -> _TableStyles:
    # A size smaller than the shared cells: a hand-over row holds two units and two people, and a 30-step history
    # should not run to a dozen pages.
    s = form_styles()
    cell = ParagraphStyle("motcua-control-cell", parent=s.table_cell, fontSize=10, leading=12)
    return _TableStyles(
        header=ParagraphStyle("motcua-control-th", parent=s.table_header, fontSize=9.5, leading=11.5),
        cell=cell,
        center=ParagraphStyle("motcua-control-center", parent=cell, alignment=s.table_cell_center.alignment),
    )


def outcome_label(outcome: str | None) -> str:
    """'Trước hạn' / 'Đúng hạn' / 'Trễ hạn' / ''; an unknown value is a caller bug (``ValueError``)."""
    try:
        return OUTCOME_LABELS[outcome]
    except KeyError:
        raise ValueError(f"unknown outcome {outcome!r}; expected early, on_time, late or None") from None


def _party(number: int, verb: str, person: str, unit: str) -> str:
    """'1. Giao: <b>person</b> (unit)', leaving out whichever part is blank."""
    who = f"<b>{para_line(person)}</b>" if one_line(person) else ""
    where = para_line(unit)
    if who and where:
        who = f"{who} ({where})"
    return f"{number}. {verb}: {who or where}"


def _row(row: HandoverRow) -> list[list[Paragraph] | Paragraph]:
    s = _table_styles()
    names: list[Paragraph] = []
    if one_line(row.step_label):
        names.append(Paragraph(f"<i>{para_line(row.step_label)}</i>", s.cell))
    names.append(Paragraph(_party(1, "Giao", row.from_person, row.from_unit), s.cell))
    names.append(Paragraph(_party(2, "Nhận", row.to_person, row.to_unit), s.cell))
    # One line for the clock time and one for the date, as the form's "… giờ … phút, ngày … tháng … năm …".
    clock, day = nbsp_moment(row.at).split(", ", 1)
    return [
        names,
        Paragraph(f"{clock},<br/>{day}", s.center),
        Paragraph(outcome_label(row.outcome), s.center),
        Paragraph(para_line(row.note), s.cell),
    ]


def _handover_table(rows: Sequence[HandoverRow]) -> Table:
    s = _table_styles()
    data: list[list[list[Paragraph] | Paragraph]] = [[Paragraph(h, s.header) for h in HEADINGS]]
    data += [_row(r) for r in rows]
    if not rows:
        data.append([Paragraph("<i>(Chưa có lần giao, nhận hồ sơ)</i>", s.cell), "", "", ""])
    # repeatRows: every page of a long history keeps the column headings; rows themselves never split.
    table = Table(data, colWidths=list(COLUMN_WIDTHS), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        grid_table_style(("VALIGN", (0, 1), (-1, -1), "TOP"), ("VALIGN", (1, 1), (2, -1), "MIDDLE"))
    )
    return table


def build_control_sheet_story(ref: DossierRef, *, rows: Sequence[HandoverRow], printed_at: datetime) -> list[Flowable]:
    """The flowables of the control sheet (exposed so a combined print job can reuse them)."""
    require_aware(printed_at, ref.received_at, ref.due_at, *(r.at for r in rows))
    for r in rows:
        outcome_label(r.outcome)  # an unknown outcome fails before any drawing
    s = form_styles()

    lines = [
        field("Người nộp hồ sơ", f"<b>{para_line(ref.applicant_name)}</b>"),
        field("Nội dung yêu cầu giải quyết", para_line(ref.procedure_name)),
        field("Cơ quan (bộ phận) giải quyết hồ sơ", para_line(ref.competent_unit_name)),
    ]
    if ref.received_at is not None:
        lines.append(field("Thời gian tiếp nhận", nbsp_moment(ref.received_at)))
    if ref.due_at is not None:
        lines.append(field("Thời hạn trả kết quả", f"<b>{nbsp_moment(ref.due_at)}</b>"))

    printed = Paragraph(
        f"Phiếu in lúc {nbsp_moment(printed_at)} từ hệ thống một cửa điện tử; thời gian ghi theo giờ Việt Nam.",
        s.note,
    )
    return [
        # The control sheet is opened by the one-stop office that received the dossier.
        *form_head(ref, unit_name=ref.receiving_office_name, on=printed_at, title=TITLE),
        with_qr(ref, lines),
        Spacer(1, 3 * mm),
        _handover_table(rows),
        closing([printed], signature_block(["NGƯỜI LẬP PHIẾU"], "(Ký và ghi rõ họ tên)", None)),
    ]


def render_control_sheet(ref: DossierRef, *, rows: Sequence[HandoverRow], printed_at: datetime) -> bytes:
    """Render the control sheet as an A4 PDF, one table row per hand-over in the order given.

    The receiving office (``ref.receiving_office_name``) is the issuing unit. Raises ``ValueError`` for a naive
    datetime or an unknown outcome.
    """
    story = build_control_sheet_story(ref, rows=rows, printed_at=printed_at)
    return render(story, ref, document_name=DOCUMENT_NAME, author=ref.receiving_office_name)
