"""Pieces every administrative form reuses: text hygiene, dates, styles, the national header, QR codes,
and the page template that turns flowables into PDF bytes.

Conventions followed (Nghị định 30/2020/NĐ-CP on the presentation of administrative documents):
- the issuing unit, in capitals, top left, with a short centred rule under it;
- "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and "Độc lập - Tự do - Hạnh phúc" top right, the motto underlined by
  a rule exactly as long as the motto;
- the place and date line in italics under the national header; days below 10 and the months 1 and 2 are
  written with a leading zero ("ngày 05 tháng 02 năm 2026", "ngày 26 tháng 11 năm 2026");
- margins: top and bottom 20 mm, left 30 mm, right 15 mm.

Text hygiene: reportlab draws one glyph per code point and does not shape text, so a decomposed (NFD) string
would print its tone marks as separate, misplaced glyphs. EVERY string that reaches a PDF goes through
:func:`pdf_text` (plain text drawn on the canvas) or :func:`para_text` (text inside a ``Paragraph``, which
also parses markup, so user data must be escaped).
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache, partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from motcua.documents import fonts

# Vietnam has kept UTC+07:00 without daylight saving since 1975. A fixed offset avoids depending on tzdata,
# which a Lambda image may lack.
VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
DEFAULT_PLACE = "Đồng Nai"

PAGE_SIZE = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


# --- text -------------------------------------------------------------------------------------------------

# Control characters would print as .notdef boxes; newlines are kept (callers that want one line use
# one_line()). Tabs become spaces.
_CONTROL = {c: None for c in range(0x20) if c not in (0x0A,)} | {0x09: " ", 0x7F: None}


def pdf_text(value: object) -> str:
    """NFC-normalise ``value`` (``str()`` of it) and drop control characters other than newlines.

    Use for text drawn directly on a canvas and for PDF metadata.
    """
    text = value if isinstance(value, str) else str(value)
    return unicodedata.normalize("NFC", text).translate(_CONTROL)


def para_text(value: object) -> str:
    """:func:`pdf_text` plus XML escaping, for user data placed inside ``Paragraph`` markup.

    Without the escaping a name such as "Công ty A&B" or "<b>" would break or inject paragraph markup.
    Newlines become ``<br/>`` so multi-line addresses keep their shape.
    """
    return escape(pdf_text(value)).replace("\n", "<br/>")


def one_line(value: object) -> str:
    """:func:`pdf_text` with every run of whitespace (newlines included) collapsed to one space."""
    return " ".join(pdf_text(value).split())


def para_line(value: object) -> str:
    """User data as paragraph markup on one line (NFC, escaped, whitespace collapsed)."""
    return para_text(one_line(value))


def nbsp(text: str) -> str:
    """Plain spaces to no-break spaces, so "100.000 đồng" or "09 giờ 05 phút" never splits over two lines."""
    return text.replace(" ", "\u00a0")


# --- dates ------------------------------------------------------------------------------------------------


def _day_month(d: date) -> tuple[str, str]:
    # Nghị định 30/2020, appendix I: a leading zero for days below 10 and for the months 1 and 2 only.
    return f"{d.day:02d}", (f"{d.month:02d}" if d.month < 3 else str(d.month))


def to_vn_time(moment: datetime) -> datetime:
    """Convert an aware datetime to Vietnam time. Naive datetimes are refused: their meaning is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(VN_TZ)


def format_date_vi(d: date) -> str:
    """'ngày 26 tháng 11 năm 2026'. A datetime is first converted to Vietnam time."""
    if isinstance(d, datetime):
        d = to_vn_time(d).date()
    day, month = _day_month(d)
    return f"ngày {day} tháng {month} năm {d.year}"


def format_datetime_vi(moment: datetime) -> str:
    """'09 giờ 05 phút, ngày 26 tháng 11 năm 2026', in Vietnam time."""
    local = to_vn_time(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {format_date_vi(local.date())}"


def nbsp_moment(moment: datetime) -> str:
    """'09 giờ 05 phút, ngày 26 tháng 11 năm 2026' with no-break spaces inside each half.

    A line may then break only after the comma, so "năm" never ends a line without its year. pypdf extracts the
    no-break spaces as plain spaces.
    """
    return ", ".join(nbsp(part) for part in format_datetime_vi(moment).split(", "))


def place_date_line(place: str, d: date) -> str:
    """'Đồng Nai, ngày 26 tháng 11 năm 2026'."""
    return f"{one_line(place)}, {format_date_vi(d)}"


# --- styles -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormStyles:
    """Paragraph styles shared by the forms (Noto Serif; body 12 pt as on printed one-stop forms)."""

    body: ParagraphStyle
    body_justified: ParagraphStyle
    note: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    centered: ParagraphStyle
    table_header: ParagraphStyle
    table_cell: ParagraphStyle
    table_cell_center: ParagraphStyle
    sign_title: ParagraphStyle
    sign_hint: ParagraphStyle
    sign_name: ParagraphStyle
    qr_caption: ParagraphStyle


@cache
def form_styles() -> FormStyles:
    """The shared styles (built once; registers the fonts first)."""
    fonts.register_fonts()
    body = ParagraphStyle(
        "motcua-body",
        fontName=fonts.REGULAR,
        fontSize=12,
        leading=14.2,
        spaceAfter=1,
        alignment=TA_LEFT,
        splitLongWords=True,  # a long URL or code must break rather than run off the page
    )
    centered = ParagraphStyle("motcua-centered", parent=body, alignment=TA_CENTER, spaceAfter=0)
    cell = ParagraphStyle("motcua-cell", parent=body, fontSize=10.5, leading=12.5, spaceAfter=0)
    return FormStyles(
        body=body,
        body_justified=ParagraphStyle("motcua-body-justified", parent=body, alignment=TA_JUSTIFY),
        note=ParagraphStyle(
            "motcua-note", parent=body, fontName=fonts.ITALIC, fontSize=10.5, leading=13, spaceBefore=3
        ),
        title=ParagraphStyle(
            "motcua-title", parent=centered, fontName=fonts.BOLD, fontSize=14, leading=18, spaceAfter=2
        ),
        subtitle=ParagraphStyle("motcua-subtitle", parent=centered, fontSize=13, leading=16),
        centered=centered,
        table_header=ParagraphStyle("motcua-th", parent=cell, fontName=fonts.BOLD, alignment=TA_CENTER),
        table_cell=cell,
        table_cell_center=ParagraphStyle("motcua-td-center", parent=cell, alignment=TA_CENTER),
        sign_title=ParagraphStyle("motcua-sign-title", parent=centered, fontName=fonts.BOLD),
        sign_hint=ParagraphStyle("motcua-sign-hint", parent=centered, fontName=fonts.ITALIC, fontSize=11),
        sign_name=ParagraphStyle("motcua-sign-name", parent=centered, fontName=fonts.BOLD),
        qr_caption=ParagraphStyle(
            "motcua-qr-caption", parent=centered, fontName=fonts.ITALIC, fontSize=8.5, leading=10
        ),
    )


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A ``TableStyle`` whose cells default to the bundled regular face.

    reportlab's cell default is Helvetica: even when every cell holds a Paragraph, the table still selects
    that font, which puts a non-embedded font (without Vietnamese glyphs) into the PDF.
    """
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), *commands])


def grid_table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """The ruled table of the forms (thin grid, grey heading row, cells centred vertically, tight padding);
    ``commands`` come after, so they can override any of it (alignment, spans)."""
    return table_style(
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *commands,
    )


def field(label: str, value_markup: str) -> Paragraph:
    """A 'Label: value' body line; ``value_markup`` is already escaped markup."""
    return Paragraph(f"{label}: {value_markup}", form_styles().body)


# --- national header --------------------------------------------------------------------------------------


class NationalHeader(Flowable):
    """The two-column head of every form.

    Left: the superior body (optional, regular capitals) and the issuing unit (bold capitals, wrapped to the
    column) with a centred rule a third of its width, then an optional document number line. Right: the
    national name, the motto underlined along its full length, and the italic place-and-date line.
    """

    LEFT_SHARE = 0.42
    GAP = 4 * mm

    def __init__(
        self,
        unit_name: str,
        *,
        on_date: date,
        place: str = DEFAULT_PLACE,
        parent_unit_name: str | None = None,
        number_line: str | None = None,
    ) -> None:
        super().__init__()
        fonts.register_fonts()
        self.unit_name = one_line(unit_name).upper()
        self.parent_unit_name = one_line(parent_unit_name).upper() if parent_unit_name else None
        self.number_line = one_line(number_line) if number_line else None
        self.date_text = place_date_line(place, on_date)
        self._left: list[tuple[str, str, float]] = []
        self._right: list[tuple[str, str, float]] = []

    LINE_H = 15.0
    ASCENT = 12.0  # the first baseline sits this far below the top of the block
    DESCENT = 5.0  # room kept under the last baseline (dots below and descenders)
    RULE_DROP = 7.0  # a rule sits this far under the baseline of the line it underlines (clears dots below)
    AFTER_RULE = 10.0  # extra space between a rule and the line after it

    # Each column is a list of (text, font, size) lines, drawn centred in the column.
    def _layout(self, width: float) -> None:
        share = width * self.LEFT_SHARE
        self._left_w = left_w = share - self.GAP / 2
        self._right_w = right_w = width - share - self.GAP / 2
        left: list[tuple[str, str, float]] = []
        if self.parent_unit_name:
            left += [(t, fonts.REGULAR, 12.0) for t in simpleSplit(self.parent_unit_name, fonts.REGULAR, 12, left_w)]
        unit = simpleSplit(self.unit_name, fonts.BOLD, 12, left_w)
        self._unit_w = max((stringWidth(t, fonts.BOLD, 12) for t in unit), default=0.0)
        left += [(t, fonts.BOLD, 12.0) for t in unit]
        self._left = left
        # The national name must stay on one line: shrink it if a narrow column would wrap it.
        name_size = min(12.5, 12.5 * right_w / stringWidth(NATIONAL_NAME, fonts.BOLD, 12.5))
        motto_size = min(13.0, 13.0 * right_w / stringWidth(NATIONAL_MOTTO, fonts.BOLD, 13.0))
        self._right = [(NATIONAL_NAME, fonts.BOLD, name_size), (NATIONAL_MOTTO, fonts.BOLD, motto_size)]
        self._motto_w = stringWidth(NATIONAL_MOTTO, fonts.BOLD, motto_size)
        self._date_lines = simpleSplit(self.date_text, fonts.ITALIC, 12, right_w)

        lh = self.LINE_H
        # Height = first ascent + baselines spacing + rule and gaps + final descent, per column.
        left_h = self.ASCENT + (len(left) - 1) * lh + self.RULE_DROP + self.DESCENT
        if self.number_line:
            left_h += self.AFTER_RULE + lh - self.RULE_DROP
        right_h = self.ASCENT + lh + self.RULE_DROP + self.AFTER_RULE + len(self._date_lines) * lh
        right_h += self.DESCENT - self.RULE_DROP
        self.height = max(left_h, right_h)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        self.width = availWidth
        self._layout(availWidth)
        return availWidth, self.height

    def _draw_column(self, lines: Sequence[tuple[str, str, float]], centre_x: float) -> float:
        """Draw one header column's lines centred on ``centre_x`` from the top; the last line's baseline."""
        y = self.height - self.ASCENT
        for text, font, size in lines:
            self.canv.setFont(font, size)
            self.canv.drawCentredString(centre_x, y, text)
            y -= self.LINE_H
        return y + self.LINE_H

    def draw(self) -> None:
        c = self.canv
        lh = self.LINE_H
        left_cx = self._left_w / 2
        right_cx = self.width - self._right_w / 2
        c.setLineWidth(0.6)

        last_baseline = self._draw_column(self._left, left_cx)
        if self._unit_w:
            # Under the unit name: a rule a third as long as its longest line, centred (NĐ 30/2020: 1/3 to 1/2).
            rule_y = last_baseline - self.RULE_DROP
            c.line(left_cx - self._unit_w / 6, rule_y, left_cx + self._unit_w / 6, rule_y)
        if self.number_line:
            c.setFont(fonts.REGULAR, 12)
            c.drawCentredString(left_cx, last_baseline - self.AFTER_RULE - lh, self.number_line)

        motto_baseline = self._draw_column(self._right, right_cx)
        rule_y = motto_baseline - self.RULE_DROP
        c.line(right_cx - self._motto_w / 2, rule_y, right_cx + self._motto_w / 2, rule_y)
        y = rule_y - self.AFTER_RULE - (lh - self.RULE_DROP)
        c.setFont(fonts.ITALIC, 12)
        for text in self._date_lines:
            c.drawCentredString(right_cx, y, text)
            y -= lh


# --- signer blocks ----------------------------------------------------------------------------------------


def signature_columns(cells: Sequence[Flowable | str | Sequence[Flowable]], widths: Sequence[float]) -> Table:
    """One row of side-by-side signer blocks (or blank space), each top-aligned with a little inner padding."""
    table = Table([list(cells)], colWidths=list(widths))
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        )
    )
    return table


def right_column(cell: Sequence[Flowable]) -> Table:
    """``cell`` in the right part of the page, where a signer's (or the collecting unit's) block goes."""
    left_w = CONTENT_WIDTH * 0.42
    return signature_columns(["", list(cell)], [left_w, CONTENT_WIDTH - left_w])


# --- QR codes ---------------------------------------------------------------------------------------------


def qr_widget(value: str, *, level: str = "M") -> QrCodeWidget:
    """reportlab's QR encoder for ``value`` (error correction M by default: survives a smudged print).

    The text is NFC-normalised first so a URL built from decomposed input encodes the same bytes as the
    composed one. The matrix is not computed yet; :func:`qr_matrix` does that.
    """
    return QrCodeWidget(pdf_text(value), barLevel=level, barBorder=4)


def qr_matrix(widget: QrCodeWidget) -> list[list[bool]]:
    """Compute and return the module matrix of ``widget`` (rows top to bottom, True = dark)."""
    widget.qr.make()
    return widget.qr.modules  # type: ignore[no-any-return]


def qr_runs(modules: list[list[bool]], border: int) -> list[str]:
    """PDF ``re`` operators for the dark modules, one rectangle per horizontal run, in module units with the
    origin at the lower left of the quiet zone (far fewer operators than one square per module)."""
    count = len(modules)
    side = count + 2 * border
    ops: list[str] = []
    for r, row in enumerate(modules):
        y = side - (r + border + 1)
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(f"{start + border} {y} {c - start} 1 re")
            else:
                c += 1
    return ops


def qr_form_name(value: str) -> str:
    """Name of the Form XObject that :func:`draw_qr` creates for ``value`` (stable, so tests can find it)."""
    return "motcuaQR" + hashlib.sha1(pdf_text(value).encode(), usedforsecurity=False).hexdigest()[:12]


def draw_qr(canv: Canvas, value: str, x: float, y: float, size: float, *, level: str = "M") -> QrCodeWidget:
    """Draw a QR code for ``value`` with its lower-left corner at (x, y), ``size`` points square.

    The 4-module quiet zone is inside ``size``. The modules are drawn as one filled path of horizontal runs
    (far fewer operators than reportlab's widget renderer, which matters for render time) inside a Form
    XObject named :func:`qr_form_name`, so the same code may be placed several times at the cost of one.
    Returns the widget, whose ``value`` is what was encoded.
    """
    widget = qr_widget(value, level=level)
    name = qr_form_name(value)
    if not canv.hasForm(name):
        modules = qr_matrix(widget)
        count = len(modules)
        border = widget.barBorder
        side = count + 2 * border  # in modules, quiet zone included
        canv.beginForm(name, 0, 0, size, size)
        # Work in module units so every coordinate is a small integer: the operators are written as one
        # literal instead of going through reportlab's per-number float formatting (a third of the QR cost).
        canv.scale(size / side, size / side)
        canv.setFillColor(colors.white)
        canv.rect(0, 0, side, side, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        ops = [*qr_runs(modules, border), "f"]
        canv.addLiteral("\n".join(ops))
        canv.endForm()
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(name)
    canv.restoreState()
    return widget


class QRFlowable(Flowable):
    """A QR code as a flowable, ``size`` points square."""

    def __init__(self, value: str, size: float = 26 * mm, *, level: str = "M") -> None:
        super().__init__()
        self.value = pdf_text(value)
        self.size = size
        self.level = level
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.value, 0, 0, self.size, level=self.level)


def beside_qr(lines: Sequence[Flowable], url: str, caption: str) -> Any:
    """``lines`` on the left and a QR code with its caption on the right, adding no height of its own (the header
    block of the receipt, the slips and the payment receipt)."""
    from reportlab.platypus import Paragraph, Table

    qr_size = 25 * mm
    qr_cell = [QRFlowable(url, qr_size), Paragraph(caption, form_styles().qr_caption)]
    table = Table([[list(lines), qr_cell]], colWidths=[CONTENT_WIDTH - qr_size, qr_size])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 3 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        )
    )
    return table


# --- page template and output -----------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Defers page output so the footer can say 'Trang 2/3'; single-page documents get no footer."""

    def __init__(self, *args: Any, footer_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_text = footer_text
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            if total > 1:
                self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(fonts.ITALIC, 9.5)
        self.setFillColor(colors.HexColor("#444444"))
        text = f"Trang {self._pageNumber}/{total}"
        if self._footer_text:
            text = f"{self._footer_text} - {text}"
        self.drawRightString(PAGE_SIZE[0] - MARGIN_RIGHT, 10 * mm, text)
        self.restoreState()


def build_pdf(
    story: Sequence[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    keywords: Sequence[str] = (),
    footer_text: str = "",
    on_page: Callable[[Canvas, BaseDocTemplate], None] | None = None,
    invariant: bool = False,
) -> bytes:
    """Lay ``story`` out on A4 pages with the official margins and return the PDF bytes.

    Metadata (title, author, subject, keywords) is NFC-normalised; the creator is "motcua" and the document
    language Vietnamese. ``footer_text`` (e.g. the dossier code) is printed with the page number on every page
    of documents longer than one page. ``invariant``: the same story gives the same bytes (fixed creation date
    and document id), for documents cached and served under a content hash.
    """
    fonts.register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=one_line(title),
        author=one_line(author),
        subject=one_line(subject),
        keywords=[one_line(k) for k in keywords],
        creator="motcua",
        lang="vi-VN",
        displayDocTitle=True,
        initialFontName=fonts.REGULAR,
        pageCompression=1,
        invariant=1 if invariant else None,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template = PageTemplate(id="form", frames=[frame], onPage=on_page or (lambda canv, d: None))
    doc.addPageTemplates([template])
    doc.build(list(story), canvasmaker=partial(_NumberedCanvas, footer_text=one_line(footer_text)))
    return buffer.getvalue()
