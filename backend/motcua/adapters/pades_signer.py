"""PAdES signing of result documents with pyHanko: a visible stamp in Vietnamese with a QR code.

Two layers, so that where the key lives does not matter:

- :func:`sign_pades` does the PDF side for ANY pyHanko ``Signer``: it adds a signature field at the requested
  box, draws the stamp ("Ký bởi: …", "<chức vụ> — <cơ quan>", "Thời gian ký: 14:05 26/11/2026", QR code to
  the verification page) and embeds a CAdES-detached signature (SubFilter ETSI.CAdES.detached, SHA-256, the
  certificate chain included). A KMS-backed adapter passes a ``Signer`` whose ``async_sign_raw`` calls KMS.
- :class:`LocalPadesSigner` is the embedded default: keys from :class:`LocalCertificateAuthority`.

Adapters implement the :class:`DocumentSigner` protocol (the port the services depend on; it may move to
``services/ports.py``); a KMS adapter would implement it on top of :func:`sign_pades` too.

Stamp text rendering. pyHanko shapes the stamp text with HarfBuzz through its OpenType ``GlyphAccumulator``
using the bundled Noto Serif, a 1000-unit-per-em font: with 2048-unit fonts pyHanko writes glyph widths at the
wrong scale (letter-spaced, clipped text). Its text box writes the font size with ``%d``, so sizes are integers
and the factory's ``font_size`` always equals the text box's. Text boxes do not wrap: lines are wrapped here,
measured with reportlab's metrics of the same font file.

The QR code is drawn from reportlab's encoder (the one every other document uses, see
``motcua.documents.layout``) instead of pyHanko's default, which needs the ``qrcode`` package.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from fontTools import subset, ttLib
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.stamp import QRPosition, QRStampStyle
from pyhanko.stamp.qr import QRStamp
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.utils import simpleSplit

from motcua.adapters.local_ca import LocalCertificateAuthority, SignerMaterial
from motcua.adapters.sync_async import run_coroutine
from motcua.documents import fonts
from motcua.documents.layout import one_line, pdf_text, qr_matrix, qr_runs, qr_widget, to_vn_time
from motcua.services.ports import Box, DocumentSigner, SignatureRequest  # noqa: F401 - re-exported

STAMP_FONT = fonts.REGULAR
# Candidate sizes of the stamp text (integers: see the module docstring); see _layout_stamp for the choice.
_FONT_SIZES = (9, 8, 7)
_INNSEP = 3  # space around the QR code (pyHanko's QR stamp default)
_TEXT_MARGIN = 2  # text box margin
_BORDER = 1
_BORDER_COLOR = (0.72, 0.07, 0.07)  # the red of a Vietnamese office seal
# HarfBuzz (kerning) and reportlab may measure a line slightly differently: wrap a little short of the limit.
_WIDTH_SLACK = 0.97


# --- stamp --------------------------------------------------------------------------------------------------


@cache
def _stamp_font_bytes(path: str) -> bytes:
    """The stamp font, prepared once per process: every glyph kept, OpenType layout tables and hints dropped.

    pyHanko subsets the font into each signed PDF and drops GSUB/GPOS/GDEF from the subset anyway, but
    fontTools decompiles those tables first — 85 ms per signature for Noto Serif's large GPOS. Without them the
    per-signature subset takes about 12 ms. What is lost: kerning in the stamp (HarfBuzz shapes with plain
    advances). Vietnamese needs no mark positioning because text is NFC and the font has every precomposed
    letter. Takes about 0.3 s, paid by :func:`warm_up` or the first signature.
    """
    face = ttLib.TTFont(path)
    options = subset.Options(layout_closure=False, hinting=False, notdef_outline=True)
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=face.getBestCmap().keys())
    subsetter.subset(face)
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class _MemoryFontFactory(GlyphAccumulatorFactory):
    """pyHanko's OpenType font factory over the per-process prepared font (see :func:`_stamp_font_bytes`).

    (The stock factory also reopens the file for every stamp and never closes it.)
    """

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> GlyphAccumulator:
        """A glyph accumulator for ``writer`` over the cached font bytes."""
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_stamp_font_bytes(self.font_file)),
            font_size=self.font_size,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


class _ReportlabQRStamp(QRStamp):
    """pyHanko's QR stamp with the QR code drawn from reportlab's encoder (module-unit form XObject)."""

    def _qr_xobject(self) -> tuple[generic.IndirectObject, int]:
        widget = qr_widget(self.url)
        modules = qr_matrix(widget)
        count = len(modules)
        border = widget.barBorder
        side = count + 2 * border
        ops = [f"1 g 0 0 {side} {side} re f 0 g", *qr_runs(modules, border), "f"]
        xobj = init_xobject_dictionary("\n".join(ops).encode("ascii"), side, side)
        xobj.compress()
        if self.writer is None:
            raise layout.LayoutError("the QR stamp has no PDF writer")
        # The natural size (in module units) only sets the scale: the style gives the QR its size in points.
        return self.writer.add_object(xobj), side


@dataclass(frozen=True)
class _StampStyle(QRStampStyle):
    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> QRStamp:
        try:
            url = text_params.pop("url")
        except KeyError:
            raise layout.LayoutError("a QR stamp needs a 'url' text parameter") from None
        return _ReportlabQRStamp(writer, style=self, url=url, text_params=text_params, box=box)


@cache
def _stamp_style(font_size: int, qr_size: int) -> _StampStyle:
    # Cached per (font size, QR size): in practice one or two styles per process, each with its font factory.
    leading = math.ceil(font_size * 1.22)
    factory = _MemoryFontFactory(font_file=str(fonts.font_path(STAMP_FONT)), font_size=font_size, bcp47_lang_code="vi")
    return _StampStyle(
        stamp_text="%(stamp_body)s",
        text_box_style=TextBoxStyle(
            font=factory,
            font_size=font_size,  # must equal the factory's font_size
            leading=leading,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(_TEXT_MARGIN),
            ),
        ),
        border_width=_BORDER,
        border_color=_BORDER_COLOR,
        background=None,
        innsep=_INNSEP,
        qr_inner_size=qr_size,
        qr_position=QRPosition.LEFT_OF_TEXT,
    )


def _wrap(text: str, font_size: int, width: float) -> list[str]:
    # simpleSplit breaks at spaces and splits a word longer than the width; the font is registered with
    # reportlab from the same TTF file pyHanko embeds, so the widths agree (bar kerning: see _WIDTH_SLACK).
    return simpleSplit(text, STAMP_FONT, font_size, width * _WIDTH_SLACK) or [""]


def _wrap_stamp_line(line: str, font_size: int, width: float) -> list[str]:
    wrapped = _wrap(line, font_size, width)
    if len(wrapped) > 1 and " — " in line:
        # "<title> — <unit>" too long for one line: break after the dash rather than inside the unit name.
        title, unit = line.split(" — ", 1)
        wrapped = _wrap(f"{title} —", font_size, width) + _wrap(unit, font_size, width)
    return wrapped


def stamp_lines(request: SignatureRequest) -> list[str]:
    """The stamp's logical lines (before wrapping), NFC: name, title — unit, signing time."""
    title = ", ".join(one_line(part) for part in pdf_text(request.signer_title).split("\n") if part.strip())
    moment = to_vn_time(request.signed_at)
    return [
        f"Ký bởi: {one_line(request.signer_name)}",
        f"{title} — {one_line(request.unit_name)}" if title else one_line(request.unit_name),
        f"Thời gian ký: {moment:%H:%M %d/%m/%Y}",
    ]


def _layout_stamp(request: SignatureRequest) -> tuple[_StampStyle, str]:
    """Choose the font size and wrap the lines to fit beside a QR code as tall as the box."""
    x1, y1, x2, y2 = request.box
    width, height = x2 - x1, y2 - y1
    qr_size = max(int(height - 2 * _INNSEP - 2 * _BORDER), 20)
    text_width = width - (qr_size + 2 * _INNSEP) - 2 * _TEXT_MARGIN - 2 * _BORDER
    if text_width < 40:
        raise ValueError(f"signature box {request.box} is too narrow for the stamp")
    fonts.register_fonts()  # the wrapping measures with reportlab's metrics of the stamp font
    logical = stamp_lines(request)
    layouts = [
        (size, [wrapped for line in logical for wrapped in _wrap_stamp_line(line, size, text_width)])
        for size in _FONT_SIZES
    ]
    fitting = [
        (size, lines)
        for size, lines in layouts
        if len(lines) * math.ceil(size * 1.22) + 2 * _TEXT_MARGIN <= height - 2 * _BORDER
    ]
    if fitting:
        # Fewest lines first (a unit name kept whole reads better than one point more), then the larger size.
        size, lines = min(fitting, key=lambda item: (len(item[1]), -item[0]))
    else:
        # Even the smallest size is too tall (a very long unit name): pyHanko shrinks the whole stamp to fit
        # the box, which keeps it complete and still legible for a line or two too many.
        size, lines = layouts[-1]
    return _stamp_style(size, qr_size), "\n".join(lines)


def warm_up() -> None:
    """Load what the first signature would otherwise load (font bytes, reportlab metrics, styles)."""
    fonts.register_fonts()
    _stamp_font_bytes(str(fonts.font_path(STAMP_FONT)))


# --- signing ------------------------------------------------------------------------------------------------


class _TimedPdfSigner(signers.PdfSigner):
    """pyHanko's PdfSigner with the signing time taken from the request instead of the system clock.

    The stamp shows ``signed_at``; recording the same moment in the signature dictionary (/M) keeps what
    the page says and what a validator reports identical.
    """

    def __init__(self, *args: Any, signing_time: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False) -> Any:
        """pyHanko's session setup, then the request's signing time."""
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


def _check_request(request: SignatureRequest, page_count: int) -> None:
    to_vn_time(request.signed_at)  # refuses a naive datetime
    if not 0 <= request.page < page_count:
        raise ValueError(f"page {request.page} is outside the document (pages 0..{page_count - 1})")
    x1, y1, x2, y2 = request.box
    if not (x2 > x1 and y2 > y1):
        raise ValueError(f"signature box {request.box} must be (x1, y1, x2, y2) with x2 > x1 and y2 > y1")


def _field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
    n = len(taken) + 1
    while f"ChuKySo{n}" in taken:
        n += 1
    return f"ChuKySo{n}"


def sign_pades(
    pdf: bytes,
    request: SignatureRequest,
    signer: signers.Signer,
    *,
    contact_info: str | None = None,
    bytes_reserved: int | None = None,
) -> bytes:
    """Add a visible PAdES signature made by ``signer`` (any pyHanko ``Signer``) to ``pdf``.

    The signature goes into a new field named ``ChuKySo<n>`` as an incremental update, so earlier signatures
    stay valid. ``bytes_reserved`` (hex characters for /Contents) skips pyHanko's trial signature when the
    caller knows the size; ``None`` lets pyHanko estimate it. Raises ``ValueError`` for a naive ``signed_at``,
    a page outside the document or a malformed/too narrow box.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _check_request(request, int(writer.root["/Pages"]["/Count"]))
    style, body = _layout_stamp(request)
    name = _field_name(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=pdf_text(request.reason),
        location=one_line(request.location),
        name=one_line(request.signer_name),
        contact_info=contact_info,
    )
    x1, y1, x2, y2 = request.box
    pdf_signer = _TimedPdfSigner(
        meta,
        signer=signer,
        stamp_style=style,
        new_field_spec=SigFieldSpec(sig_field_name=name, on_page=request.page, box=(x1, y1, x2, y2)),  # type: ignore[arg-type]
        signing_time=request.signed_at,
    )
    # create_stamp pops "url", so pyHanko gets a fresh dict on every call.
    text_params = {"stamp_body": body, "url": pdf_text(request.verify_url)}
    output = run_coroutine(pdf_signer.async_sign_pdf(writer, appearance_text_params=text_params,
                                                     bytes_reserved=bytes_reserved))
    return output.getvalue()  # type: ignore[no-any-return]


class LocalPadesSigner:
    """The embedded default's signer: each official signs with a key issued by the development CA.

    pyHanko signer objects are built once per official certificate and reused (thread-safe: they hold no
    per-signature state).
    """

    # Room for /Contents, in hex digits (two per CMS byte). An ECDSA P-256 CMS with the two certificates and the
    # PAdES attributes is about 2 kB (4 k hex digits); twice that leaves room for long names and an email,
    # and a fixed size spares pyHanko's trial signature (an extra CMS build per document).
    BYTES_RESERVED = 8192

    def __init__(self, ca: LocalCertificateAuthority) -> None:
        self._ca = ca
        self._signers: dict[str, signers.SimpleSigner] = {}
        self._lock = threading.Lock()

    def _signer(self, material: SignerMaterial) -> signers.SimpleSigner:
        key = material.fingerprint
        with self._lock:
            found = self._signers.get(key)
            if found is None:
                # pyHanko works on asn1crypto objects: convert through DER once per certificate.
                der = serialization.Encoding.DER
                chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in material.chain]
                key_der = material.private_key.private_bytes(
                    der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
                found = signers.SimpleSigner(
                    signing_cert=asn1_x509.Certificate.load(material.certificate.public_bytes(der)),
                    signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
                    cert_registry=SimpleCertificateStore.from_certs(chain),
                )
                self._signers[key] = found
            return found

    def sign(self, pdf: bytes, request: SignatureRequest, *, official_id: str, email: str | None = None) -> bytes:
        """Sign ``pdf`` for the official (certificate issued on first use, named after the request).

        The certificate's CN is ``request.signer_name`` and its O ``request.unit_name``; ``email`` goes into
        the certificate and the signature's contact info.
        """
        material = self._ca.signer_for(official_id, request.signer_name, request.unit_name, email)
        return sign_pades(
            pdf,
            request,
            self._signer(material),
            contact_info=email,
            bytes_reserved=self.BYTES_RESERVED,
        )
