"""Verification of signed PDFs for the public verification page: one yes/no, who signed, and one sentence.

A document is valid only if ALL of these hold for every /Sig signature in it:

- intact: the signed bytes hash to the signed digest and the CMS signature verifies (a flipped byte, a
  re-saved file or a damaged signature fails here);
- trusted: the signer's certificate chains to one of the configured roots, is within its validity period and
  carries the key usage pyHanko requires for document signatures (nonRepudiation);
- not modified afterwards: nothing was appended after the LAST signature except validation data (DSS,
  document timestamps), and between two signatures only form filling — which is how a later signature is
  added — was done. This is pyHanko's coverage and difference analysis; an incremental update that adds a
  page, an annotation or content counts as a modification.

Time: validation happens at the current time (PAdES baseline B-B, no trusted timestamp), so a document whose
signing certificate has since expired no longer verifies; long-lived documents would need B-T/B-LTA.

:meth:`PadesVerifier.verify` never raises for any input. pyHanko logs a WARNING with a full traceback for every
chain that does not validate (and other warnings for odd files); those records are dropped while a
verification runs on the current thread/task (a filter keyed on a context variable), so the logs of the
public page are not flooded by whatever anyone uploads. Each verification logs one DEBUG line of its own.
"""

from __future__ import annotations

import contextvars
import io
import logging
from collections.abc import Sequence

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.adapters.sync_async import run_coroutine
from motcua.documents.layout import one_line, to_vn_time
from motcua.services.ports import SignerInfo, VerificationResult  # noqa: F401 - re-exported

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

REASON_BROKEN = "Tệp không phải PDF hoặc bị hỏng."
REASON_TOO_LARGE = "Tệp quá lớn để kiểm tra (tối đa {mb} MB)."
REASON_ENCRYPTED = "Tài liệu được mã hóa nên không kiểm tra được chữ ký."
REASON_UNSIGNED = "Tài liệu không có chữ ký số."
REASON_DAMAGED_SIGNATURE = "Chữ ký số trong tài liệu bị hỏng nên không kiểm tra được."
REASON_MODIFIED = "Tài liệu đã bị thay đổi sau khi ký."
REASON_UNTRUSTED = "Chữ ký không do cơ quan được tin cậy cấp."
REASON_REVOKED = "Chứng thư số của người ký đã bị thu hồi."
REASON_CERT_INVALID = "Chứng thư số của người ký không hợp lệ để ký văn bản."

# After the last signature only validation data may be added; after an earlier one, also the form filling a
# later signature consists of.
_AFTER_LAST = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}
_AFTER_EARLIER = _AFTER_LAST | {ModificationLevel.FORM_FILLING}


# --- log silencing ------------------------------------------------------------------------------------------

_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar("motcua_pades_quiet", default=False)


class _QuietFilter(logging.Filter):
    """Drops records while a verification runs in this context (other threads and tasks are unaffected)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _QUIET.get()


_FILTER = _QuietFilter()
_NOISY_PREFIXES = ("pyhanko", "pyhanko_certvalidator", "fontTools")


def _install_filter() -> None:
    # A logger's filters do not see records propagated from its children, so the filter goes on every
    # pyHanko logger; loggers created by later imports are picked up on the next call.
    for name in list(logging.Logger.manager.loggerDict):
        if name.startswith(_NOISY_PREFIXES):
            found = logging.getLogger(name)
            if _FILTER not in found.filters:
                found.addFilter(_FILTER)


# --- verification -------------------------------------------------------------------------------------------


def _signer_info(status: PdfSignatureStatus | None, sig: EmbeddedPdfSignature) -> SignerInfo | None:
    try:
        cert: asn1_x509.Certificate = status.signing_cert if status is not None else sig.signer_cert
        subject = cert.subject.native
        name = one_line(subject.get("common_name") or cert.subject.human_friendly)
        unit = subject.get("organization_name")
        if isinstance(unit, list):  # several O attributes: keep the first
            unit = unit[0] if unit else None
        signed_at = status.signer_reported_dt if status is not None else sig.self_reported_timestamp
        return SignerInfo(name=name, unit=one_line(unit) if unit else None, signed_at=signed_at)
    except Exception:  # a signer we cannot describe is simply not listed
        return None


def _describe(signer: SignerInfo) -> str:
    who = f"{signer.name} ({signer.unit})" if signer.unit else signer.name
    if signer.signed_at is None:
        return who
    local = to_vn_time(signer.signed_at)
    return f"{who} ký lúc {local:%H:%M} ngày {local:%d/%m/%Y}"


def _valid_sentence(signers: list[SignerInfo]) -> str:
    described = [_describe(s) for s in signers]
    if len(described) == 1:
        who = described[0]
        if signers[0].signed_at is None:
            who += " ký"
        return f"Chữ ký hợp lệ: tài liệu do {who} và không bị thay đổi sau khi ký."
    return f"Chữ ký hợp lệ: tài liệu do {'; '.join(described)}, và không bị thay đổi sau khi ký."


def _modified(status: PdfSignatureStatus, *, last: bool) -> bool:
    if not status.intact or not status.valid:
        return True
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return True
    level = status.modification_level
    if level is None:  # difference analysis did not run: cannot vouch for the appended revisions
        return True
    return level not in (_AFTER_LAST if last else _AFTER_EARLIER) or status.docmdp_ok is False


class PadesVerifier:
    """Verifies the PAdES signatures of a PDF against a fixed set of trust roots.

    ``trust_roots`` are the CA certificates whose signatures count: in the embedded default the development
    CA's root (``LocalCertificateAuthority.root_certificate``); in production the issuing CA(s) of the
    officials' certificates. Nothing is fetched from the network (no AIA, CRL or OCSP): revocation is
    checked only against information embedded in the document, and its absence is tolerated (soft-fail).
    """

    def __init__(self, trust_roots: Sequence[x509.Certificate], *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._roots = [
            asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)) for cert in trust_roots
        ]
        self._max_bytes = max_bytes

    def verify(self, data: bytes) -> VerificationResult:
        """Verify ``data`` (any bytes). Never raises; see the module docstring for what "valid" means."""
        _install_filter()
        token = _QUIET.set(True)
        try:
            result = self._verify(data)
        except Exception:  # last line of defence: unknown input problems mean "broken file"
            logger.debug("PDF verification failed on unreadable input", exc_info=True)
            result = VerificationResult(False, [], False, REASON_BROKEN)
        finally:
            _QUIET.reset(token)
        logger.debug("PDF verification: valid=%s reason=%s", result.valid, result.reason)
        return result

    def _verify(self, data: bytes) -> VerificationResult:
        if not isinstance(data, bytes | bytearray | memoryview):
            return VerificationResult(False, [], False, REASON_BROKEN)
        if len(data) > self._max_bytes:
            return VerificationResult(False, [], False, REASON_TOO_LARGE.format(mb=self._max_bytes // (1024 * 1024)))
        raw = bytes(data)
        # A PDF starts with "%PDF-" (readers tolerate some leading junk, as do we within the first kilobyte).
        if b"%PDF-" not in raw[:1024]:
            return VerificationResult(False, [], False, REASON_BROKEN)
        try:
            reader = PdfFileReader(io.BytesIO(raw))
            if reader.encrypted:
                return VerificationResult(False, [], False, REASON_ENCRYPTED)
            reader.root  # noqa: B018 - forces the catalogue to be read: a file without one is broken
        except Exception:  # pyHanko raises many kinds of errors for malformed files
            logger.debug("not a readable PDF", exc_info=True)
            return VerificationResult(False, [], False, REASON_BROKEN)
        try:
            signatures: list[EmbeddedPdfSignature] = list(reader.embedded_regular_signatures)
        except Exception:  # a signature field whose CMS blob does not parse
            logger.debug("unreadable signature", exc_info=True)
            return VerificationResult(False, [], False, REASON_DAMAGED_SIGNATURE)
        if not signatures:
            return VerificationResult(False, [], False, REASON_UNSIGNED)
        return self._judge(signatures)

    def _judge(self, signatures: list[EmbeddedPdfSignature]) -> VerificationResult:
        statuses = run_coroutine(self._validate_all(signatures))
        signers = [
            info for sig, status in zip(signatures, statuses, strict=True) if (info := _signer_info(status, sig))
        ]
        if any(status is None for status in statuses):
            return VerificationResult(False, signers, False, REASON_DAMAGED_SIGNATURE)
        checked = [s for s in statuses if s is not None]
        modified = any(_modified(s, last=i == len(checked) - 1) for i, s in enumerate(checked))
        if modified:
            return VerificationResult(False, signers, True, REASON_MODIFIED)
        if any(s.revoked for s in checked):
            return VerificationResult(False, signers, False, REASON_REVOKED)
        if not all(s.trusted for s in checked):
            return VerificationResult(False, signers, False, REASON_UNTRUSTED)
        if not all(s.bottom_line for s in checked):
            return VerificationResult(False, signers, False, REASON_CERT_INVALID)
        return VerificationResult(True, signers, False, _valid_sentence(signers))

    async def _validate_all(self, signatures: list[EmbeddedPdfSignature]) -> list[PdfSignatureStatus | None]:
        # One validation context for the whole document: its certificate and path caches are shared between
        # the signatures; nothing is fetched.
        context = ValidationContext(trust_roots=self._roots, allow_fetching=False, revocation_mode="soft-fail")
        statuses: list[PdfSignatureStatus | None] = []
        for sig in signatures:
            try:
                statuses.append(await async_validate_pdf_signature(sig, signer_validation_context=context))
            except Exception:  # unsupported or damaged signature: reported, never raised
                logger.debug("signature %s could not be validated", sig.field_name, exc_info=True)
                statuses.append(None)
        return statuses
