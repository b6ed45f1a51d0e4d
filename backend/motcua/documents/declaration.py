"""The printed declaration form (tờ khai) and the sample dossier (hồ sơ mẫu) of a procedure.

Two documents share the form's layout:

- :func:`render_declaration`: a citizen's draft printed for filing at the counter — national header, "Kính gửi"
  the competent unit, then every field of the procedure's form as "Label: value" (blank fields keep a dotted
  line to finish by hand), the declaration and the signature space.
- :func:`render_sample_dossier`: for anyone, what a complete dossier looks like — an overview (fee,
  processing time, where to file, result), the declaration filled with realistic sample data, each paper of
  the dossier with how many copies and of what kind, guidance and common mistakes, and the blank form. Every
  page carries "MẪU — HỒ SƠ MINH HỌA" (a banner and a diagonal watermark) so it is never taken for a real
  dossier.

Fields are laid out as one-column paragraphs, not a two-column table, so a label that wraps never interleaves
with its value when the text is extracted (screen readers and copy-paste read it in order too).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from motcua.documents import fonts
from motcua.documents._common import signature_block
from motcua.documents.declaration_data import (  # noqa: F401 - re-exported for the renderer's callers
    SAMPLE_MARK,
    SAMPLE_MARK_EN,
    DeclarationData,
    FormLine,
    PaperLine,
    SampleDossierData,
)
from motcua.documents.layout import (
    DEFAULT_PLACE,
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    PAGE_SIZE,
    beside_qr,
    build_pdf,
    form_styles,
    one_line,
    para_text,
    place_date_line,
)

_DOTS = "." * 60
_DOTS_LINE = "." * 110


# --- styles -----------------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    s = form_styles()
    return {
        "heading": ParagraphStyle("motcua-decl-heading", parent=s.body, fontName=fonts.BOLD, fontSize=12.5,
                                  leading=16, spaceBefore=6, spaceAfter=3),
        "group": ParagraphStyle("motcua-decl-group", parent=s.body, fontName=fonts.BOLD, spaceBefore=5,
                                spaceAfter=1),
        "line": ParagraphStyle("motcua-decl-line", parent=s.body, leading=15.5, spaceAfter=1.5),
        "help": ParagraphStyle("motcua-decl-help", parent=s.note, fontSize=9.5, leading=11.5, leftIndent=8,
                               spaceBefore=0, spaceAfter=2, textColor=colors.HexColor("#333333")),
        "item": ParagraphStyle("motcua-decl-item", parent=s.body, leftIndent=12, firstLineIndent=-12,
                               spaceBefore=3),
        "bullet": ParagraphStyle("motcua-decl-bullet", parent=s.body, fontSize=10.5, leading=13, leftIndent=24,
                                 firstLineIndent=-10),
        "banner": ParagraphStyle("motcua-decl-banner", parent=s.centered, fontName=fonts.BOLD, fontSize=11,
                                 textColor=colors.HexColor("#B00020")),
    }


# --- the form -----------------------------------------------------------------------------------------------


def _value_markup(line: FormLine, *, blank: bool) -> str:
    if line.checkbox:
        return "[x]" if line.value == "Có" and not blank else "[&nbsp;&nbsp;]"
    if blank and line.choices:
        return "&nbsp;&nbsp;&nbsp;".join(f"[&nbsp;&nbsp;] {para_text(one_line(c))}" for c in line.choices)
    if not line.value or blank:
        return _DOTS if not line.multiline else f"{_DOTS}<br/>{_DOTS_LINE}<br/>{_DOTS_LINE}"
    return f"<b>{para_text(line.value)}</b>"


def form_story(data: DeclarationData, *, blank: bool, title: str = "TỜ KHAI") -> list[Flowable]:
    """The declaration: header, title, addressee, the fields by group, the signature block."""
    s = form_styles()
    st = _styles()
    story: list[Flowable] = [
        *_citizen_header(None if blank else data.on_date),
        Spacer(1, 4 * mm),
        Paragraph(para_text(title), s.title),
        Paragraph(f"{para_text(one_line(data.procedure_name))} (mã thủ tục {para_text(data.procedure_code)})",
                  s.subtitle),
    ]
    if data.reference:
        story.append(Paragraph(para_text(one_line(data.reference)), s.centered))
    addressee = _DOTS if blank or not data.addressee else f"<b>{para_text(one_line(data.addressee))}</b>"
    story += [Spacer(1, 3 * mm), Paragraph(f"Kính gửi: {addressee}", s.body), Spacer(1, 1 * mm)]
    group = None
    for line in data.lines:
        if line.group and line.group != group:
            group = line.group
            story.append(CondPageBreak(30 * mm))
            story.append(Paragraph(para_text(one_line(group)), st["group"]))
        if line.checkbox:
            story.append(Paragraph(f"{_value_markup(line, blank=blank)} {para_text(one_line(line.label))}",
                                   st["line"]))
            continue
        mark = " (*)" if line.required else ""
        story.append(Paragraph(f"{para_text(one_line(line.label))}{mark}: {_value_markup(line, blank=blank)}",
                               st["line"]))
        if blank and line.help:
            story.append(Paragraph(para_text(one_line(line.help)), st["help"]))
    signer = "" if blank else data.signer_name
    story += [
        Spacer(1, 2 * mm),
        Paragraph("<i>(*) Thông tin bắt buộc.</i>", st["help"]),
        KeepTogether(_signature(signer)),
    ]
    return story


def _signature(name: str) -> list[Flowable]:
    return [Spacer(1, 4 * mm), signature_block(["Người yêu cầu"], "(Ký, ghi rõ họ, chữ đệm, tên)", name)]


def _citizen_header(on_date: date | None) -> list[Flowable]:
    """A citizen's form has no issuing unit: the national name and motto centred, then the place and date on
    the right (dotted when the form is filled by hand)."""
    s = form_styles()
    right = ParagraphStyle("motcua-decl-date", parent=s.body, fontName=fonts.ITALIC, alignment=TA_RIGHT)
    when = place_date_line(DEFAULT_PLACE, on_date) if on_date else ".........., ngày ..... tháng ..... năm .........."
    return [
        Paragraph(f"<b>{NATIONAL_NAME}</b>", s.centered),
        Paragraph(f"<b><u>{NATIONAL_MOTTO}</u></b>", s.centered),
        Spacer(1, 2 * mm),
        Paragraph(para_text(when), right),
    ]


# --- the sample dossier -------------------------------------------------------------------------------------


def _mark_pages(canv: Canvas, doc: BaseDocTemplate) -> None:
    """Every page: a red banner at the top and a light diagonal watermark across the page."""
    canv.saveState()
    width, height = PAGE_SIZE
    canv.setFillColor(colors.HexColor("#B00020"))
    canv.setFont(fonts.BOLD, 9.5)
    canv.drawCentredString(width / 2, height - 11 * mm, f"{SAMPLE_MARK} · {SAMPLE_MARK_EN}")
    canv.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.10))
    canv.setFont(fonts.BOLD, 46)
    canv.translate(width / 2, height / 2)
    canv.rotate(52)
    canv.drawCentredString(0, 0, SAMPLE_MARK)
    canv.restoreState()


def _bullets(items: Sequence[str], style: ParagraphStyle, prefix: str = "– ") -> list[Flowable]:
    return [Paragraph(f"{prefix}{para_text(one_line(item))}", style) for item in items if one_line(item)]


def render_sample_dossier(data: SampleDossierData) -> bytes:
    """The sample dossier PDF (several pages; every page marked as a sample)."""
    s = form_styles()
    st = _styles()
    overview: list[Flowable] = [
        Paragraph(f"<b>{para_text(SAMPLE_MARK)}</b>", s.title),
        Paragraph(para_text(one_line(data.procedure_name)), s.subtitle),
        Paragraph(f"Mã thủ tục: {para_text(data.procedure_code)} · Lĩnh vực: {para_text(data.field_name)} · "
                  f"{para_text(data.level_label)}", s.centered),
        Spacer(1, 3 * mm),
    ]
    facts = [
        f"<b>Tên thủ tục:</b> {para_text(one_line(data.official_name))}",
        f"<b>Phí, lệ phí:</b> {para_text(one_line(data.fee_label))}",
        *[f"&nbsp;&nbsp;{para_text(one_line(note))}" for note in data.fee_notes],
        f"<b>Thời hạn giải quyết:</b> {para_text(data.processing_time_label)} kể từ khi nhận đủ hồ sơ hợp lệ",
        f"<b>Kết quả:</b> {para_text(one_line(data.result))}",
        f"<b>Cách nộp:</b> {para_text(data.channels_label)} ({para_text(data.online_label)})",
    ]
    overview.append(beside_qr([Paragraph(f, s.body) for f in facts], data.url, "Xem thủ tục trực tuyến"))
    overview.append(Paragraph("Nơi nộp hồ sơ và cơ quan giải quyết", st["heading"]))
    overview += _bullets(data.where, s.body)
    overview.append(Paragraph("Căn cứ pháp lý", st["heading"]))
    overview += _bullets(data.legal_basis, s.body)
    if data.caveats:
        overview.append(Paragraph("Lưu ý về độ tin cậy của thông tin", st["heading"]))
        overview += _bullets(data.caveats, s.note)
    overview.append(Spacer(1, 3 * mm))
    overview.append(Paragraph(
        "Tài liệu này chỉ để minh họa cách chuẩn bị hồ sơ: mọi họ tên, số giấy tờ, địa chỉ trong tờ khai mẫu đều là "
        "giả định. Không dùng tài liệu này để nộp.", s.note))

    papers: list[Flowable] = [PageBreak(), Paragraph("THÀNH PHẦN HỒ SƠ", s.title), Spacer(1, 2 * mm)]
    for number, paper in enumerate(data.papers, start=1):
        need = "bắt buộc" if paper.required else "nếu thuộc trường hợp"
        block: list[Flowable] = [Paragraph(
            f"{number}. <b>{para_text(one_line(paper.name))}</b> — {para_text(paper.kind_label)}, "
            f"số lượng: {paper.count:02d} bản ({need})", st["item"])]
        block += _bullets([f"Hướng dẫn: {g}" for g in paper.guidance], st["bullet"])
        block += _bullets([f"Cần tránh: {m}" for m in paper.mistakes], st["bullet"])
        papers.append(KeepTogether(block))
    if data.common_mistakes:
        papers.append(Paragraph("Những điều cần tránh khi chuẩn bị hồ sơ", st["heading"]))
        papers += _bullets(data.common_mistakes, s.body)

    filled = [PageBreak(), Paragraph(f"<b>{para_text(SAMPLE_MARK)}</b>: tờ khai điền sẵn dữ liệu giả định",
                                     st["banner"]), Spacer(1, 2 * mm),
              *form_story(data.filled, blank=False)]
    blank = [PageBreak(), Paragraph(f"<b>{para_text(SAMPLE_MARK)}</b>: tờ khai để trống, in ra và điền tay",
                                    st["banner"]), Spacer(1, 2 * mm),
             *form_story(data.blank, blank=True)]
    return build_pdf(
        [*overview, *papers, *filled, *blank],
        title=f"Hồ sơ mẫu - {data.procedure_name}",
        author="Dịch vụ công một cửa tỉnh Đồng Nai",
        subject=f"{SAMPLE_MARK}: {data.procedure_name} ({data.procedure_code})",
        keywords=(data.procedure_code, "hồ sơ mẫu"),
        footer_text=f"{SAMPLE_MARK} - {data.procedure_code}",
        on_page=_mark_pages,
        # Two workers rendering the same new entry at once store the same bytes: the ETag never lies.
        invariant=True,
    )


def render_declaration(data: DeclarationData) -> bytes:
    """A citizen's own declaration, printed from their draft (no sample marks)."""
    return build_pdf(
        form_story(data, blank=False),
        title=f"Tờ khai - {data.procedure_name}",
        author=data.signer_name or "Người yêu cầu",
        subject=f"{data.procedure_name} ({data.procedure_code})",
        keywords=(data.procedure_code, "tờ khai"),
        footer_text=f"Tờ khai - {data.procedure_code}",
    )
