"""The result document a leader signs: a "Giấy xác nhận", "Giấy khai sinh" or decision issued for a dossier.

Layout (Nghị định 30/2020/NĐ-CP): issuing unit and number top left, national header and place-date line top
right, the title in bold capitals, the body (grounds, the applicant, the details taken from the dossier's form
answers), then the closing row: "Nơi nhận" with a verification QR code on the left, the signature block on the
right — the signer's title in bold capitals, an empty space where the digital signature stamp goes, and the
signer's name.

The document is signed afterwards (:mod:`motcua.adapters.pades_signer`), so the renderer reports where it left
the space for the stamp: :func:`render_result_document` returns the PDF together with the page index and the
box in PDF points. The box is always on the LAST page (the signature row is the last flowable and is never
split), bottom right; its exact height depends on how much text precedes it, so ask rather than hard-code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from motcua.documents.layout import (
    CONTENT_WIDTH,
    DEFAULT_PLACE,
    NationalHeader,
    QRFlowable,
    build_pdf,
    form_styles,
    one_line,
    para_text,
    pdf_text,
    table_style,
    to_vn_time,
)

# Size of the space kept for the signature stamp. The stamp (pyHanko) holds a QR code as tall as the box and
# four or five lines of 8–9 pt text beside it; 86 x 30 mm fits "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH — <a long unit
# name>" on two lines without shrinking the text below legibility.
STAMP_WIDTH = 86 * mm
STAMP_HEIGHT = 30 * mm

_LEFT_COLUMN = 72 * mm
_RIGHT_COLUMN = CONTENT_WIDTH - _LEFT_COLUMN
_QR_SIZE = 22 * mm

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class ResultData:
    """Everything printed on the result document. Text may be NFC or NFD; it is normalised before drawing."""

    dossier_code: str  # e.g. "H19.23-261126-0001"; printed as the number line and in the body
    procedure_code: str  # e.g. "1.004873"
    procedure_name: str  # e.g. "Cấp Giấy xác nhận tình trạng hôn nhân"
    result_title: str  # e.g. "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN" (printed in capitals whatever its case)
    issuing_unit_name: str  # e.g. "Ủy ban nhân dân phường Trấn Biên" (printed in capitals)
    parent_unit_name: str | None  # e.g. "Tỉnh Đồng Nai"; None for a unit without a superior line
    applicant_name: str
    applicant_id_number: str | None
    applicant_address: str | None
    details: Sequence[tuple[str, str]]  # (label, value) lines from the dossier's form answers, in order
    decided_at: datetime  # aware; its date (Vietnam time) is the document date
    signer_name: str  # e.g. "Nguyễn Văn Bình"
    signer_title: str  # e.g. "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" (one printed line per line)
    verify_url: str  # the public verification page; the QR code beside "Nơi nhận" encodes it
    place: str = DEFAULT_PLACE  # the place in the place-date line


@dataclass(frozen=True)
class RenderedResult:
    """The rendered PDF and where the signature stamp must go.

    ``signature_page`` is a 0-based page index (always the last page); ``signature_box`` is
    (x1, y1, x2, y2) in PDF points from the page's lower-left corner — the form pyHanko's ``SigFieldSpec``
    takes.
    """

    pdf: bytes
    signature_page: int
    signature_box: Box


class _SignatureSpace(Flowable):
    """Empty space for the stamp that records where it was drawn (page and absolute box)."""

    def __init__(self, width: float, height: float, sink: dict[str, object]) -> None:
        super().__init__()
        self.width = width
        self.height = height
        self._sink = sink

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        return self.width, self.height

    def draw(self) -> None:
        # absolutePosition applies the current transformation (table cell offsets), giving page coordinates.
        x1, y1 = self.canv.absolutePosition(0, 0)
        x2, y2 = self.canv.absolutePosition(self.width, self.height)
        self._sink["page"] = self.canv.getPageNumber() - 1
        self._sink["box"] = (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2))


@cache
def _caption_style() -> ParagraphStyle:
    # The "Nơi nhận" column is left-aligned (NĐ 30/2020), so is the note under its QR code.
    return ParagraphStyle("motcua-result-qr-caption", parent=form_styles().qr_caption, alignment=TA_LEFT)


def _field(label: str, value: str, *, bold: bool = False) -> Paragraph:
    value_markup = para_text(one_line(value))
    if bold:
        value_markup = f"<b>{value_markup}</b>"
    return Paragraph(f"{para_text(one_line(label))}: {value_markup}", form_styles().body_justified)


def _closing_row(data: ResultData, sink: dict[str, object]) -> Table:
    s = form_styles()
    code = para_text(one_line(data.dossier_code))
    left: list[Flowable] = [
        Paragraph("<b><i>Nơi nhận:</i></b>", s.table_cell),
        Paragraph(f"- Ông/Bà {para_text(one_line(data.applicant_name))};", s.table_cell),
        Paragraph(f"- Lưu: VT, hồ sơ {code}.", s.table_cell),
        Spacer(1, 4 * mm),
        QRFlowable(data.verify_url, _QR_SIZE),
        Paragraph(
            "Văn bản điện tử đã được ký số. Quét mã QR hoặc truy cập "
            f"{para_text(one_line(data.verify_url))} để kiểm tra.",
            _caption_style(),
        ),
    ]
    title_lines = [one_line(line).upper() for line in pdf_text(data.signer_title).split("\n") if line.strip()]
    right: list[Flowable] = [Paragraph(para_text(line), s.sign_title) for line in title_lines]
    right += [
        Spacer(1, 2 * mm),
        _SignatureSpace(STAMP_WIDTH, STAMP_HEIGHT, sink),
        Spacer(1, 2 * mm),
        Paragraph(para_text(one_line(data.signer_name)), s.sign_name),
    ]
    table = Table([[left, right]], colWidths=[_LEFT_COLUMN, _RIGHT_COLUMN])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (1, 0), "CENTER"),  # centres the stamp space in the signature column
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        )
    )
    return table


def build_result_story(data: ResultData, sink: dict[str, object]) -> list[Flowable]:
    """The flowables of the result document; ``sink`` receives "page" and "box" when the PDF is built."""
    s = form_styles()
    decided_local = to_vn_time(data.decided_at)
    code = para_text(one_line(data.dossier_code))
    body: list[Flowable] = [
        Paragraph(
            f"Căn cứ hồ sơ mã số {code} đề nghị giải quyết thủ tục "
            f"“{para_text(one_line(data.procedure_name))}” (mã thủ tục: {para_text(one_line(data.procedure_code))});",
            s.body_justified,
        ),
        Paragraph(
            f"{para_text(one_line(data.issuing_unit_name))} cấp {para_text(one_line(data.result_title).lower())} cho:",
            s.body_justified,
        ),
        _field("Họ và tên", data.applicant_name, bold=True),
    ]
    if data.applicant_id_number:
        body.append(_field("Số định danh cá nhân", data.applicant_id_number))
    if data.applicant_address:
        body.append(_field("Nơi cư trú", data.applicant_address))
    if data.details:
        body.append(Spacer(1, 1.5 * mm))
        body += [_field(label, value) for label, value in data.details]
    return [
        NationalHeader(
            data.issuing_unit_name,
            on_date=decided_local.date(),
            place=data.place,
            parent_unit_name=data.parent_unit_name,
            number_line=f"Số: {one_line(data.dossier_code)}",
        ),
        Spacer(1, 9 * mm),
        Paragraph(para_text(one_line(data.result_title).upper()), s.title),
        Spacer(1, 5 * mm),
        *body,
        Spacer(1, 7 * mm),
        # The closing row (and so the stamp space) is never split and, being last, lands on the last page.
        KeepTogether([_closing_row(data, sink)]),
    ]


def render_result_document(data: ResultData) -> RenderedResult:
    """Render the result document (A4 PDF) and report the page and box kept for the signature stamp.

    Raises ``ValueError`` if ``decided_at`` is naive.
    """
    sink: dict[str, object] = {}
    pdf = build_pdf(
        build_result_story(data, sink),
        title=f"{one_line(data.result_title).upper()} - {one_line(data.dossier_code)}",
        author=data.issuing_unit_name,
        subject=data.procedure_name,
        keywords=(data.dossier_code, data.procedure_code),
        footer_text=f"Mã hồ sơ: {one_line(data.dossier_code)}",
    )
    page, box = sink.get("page"), sink.get("box")
    if not isinstance(page, int) or not isinstance(box, tuple):  # the closing row was not drawn: a layout bug
        raise RuntimeError("the signature space was not laid out")
    return RenderedResult(pdf=pdf, signature_page=page, signature_box=box)


def render_result(data: ResultData) -> bytes:
    """Render the result document as PDF bytes (see :func:`render_result_document` for the stamp box)."""
    return render_result_document(data).pdf


def signature_box(data: ResultData) -> tuple[int, Box]:
    """(page index, (x1, y1, x2, y2)) of the stamp space for ``data``.

    Lays the document out again (about 10 ms); a caller that also needs the PDF should use
    :func:`render_result_document`, which returns both from one rendering.
    """
    rendered = render_result_document(data)
    return rendered.signature_page, rendered.signature_box
