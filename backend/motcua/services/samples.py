"""Sample dossiers (hồ sơ mẫu) for every procedure, and a citizen's draft printed as the declaration form.

A sample is rendered only when its catalog entry changes: the stored file's key holds a hash of everything
printed from (the procedure entry, the offices and units named, the renderer's version), so a changed entry
gets a new key and a new file while an unchanged one is read back from the file store — across processes and
restarts — and never rendered again. Storing a new render deletes the older renders of that procedure. The
strong ETag is the SHA-256 of the stored bytes; the hash of the key and the ETag are remembered per process so a
conditional request (If-None-Match) costs no file read.

The declaration of a draft holds personal data: it is rendered on each request and never stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from motcua.documents.declaration_data import DeclarationData, FormLine, PaperLine, SampleDossierData
from motcua.domain.catalog import Catalog, decided_by
from motcua.domain.dossiers import Dossier
from motcua.domain.money_words import vnd
from motcua.domain.procedures import Channel, Document, DocumentKind, FieldType, OnlineLevel, Procedure
from motcua.domain.samples import SAMPLE_DATE, display_value, sample_answers
from motcua.domain.units import Level, Unit
from motcua.services.ports import FileStore

# Part of every sample's key, with a hash of the renderer's source: bump it when something outside those files
# changes what a sample prints (the fonts, reportlab itself).
RENDERER_VERSION = "sample-dossier-1"

log = logging.getLogger(__name__)

_KIND_GUIDANCE = {
    DocumentKind.ORIGINAL: "Nộp bản chính (giấy tờ gốc).",
    DocumentKind.CERTIFIED_COPY: "Nộp bản sao đã được chứng thực từ bản chính (hoặc bản sao được cấp từ sổ gốc).",
    DocumentKind.COPY: "Nộp bản sao (bản chụp); nộp trực tiếp thì mang theo bản chính để cán bộ đối chiếu.",
    DocumentKind.PRESENT: "Xuất trình bản chính để cán bộ kiểm tra; không phải nộp lại giấy tờ này.",
}
_KIND_MISTAKE = {
    DocumentKind.ORIGINAL: "nộp bản chụp thay cho bản chính.",
    DocumentKind.CERTIFIED_COPY: "nộp bản chụp không có chứng thực thay cho bản sao có chứng thực.",
}
_CHANNEL_VI = {Channel.ONLINE: "trực tuyến", Channel.COUNTER: "trực tiếp", Channel.POST: "qua bưu chính"}
_PLACE_VI = {Level.COMMUNE: "xã, phường", Level.DISTRICT: "huyện", Level.PROVINCE: "tỉnh"}


@dataclass(frozen=True)
class SamplePdf:
    key: str
    etag: str  # SHA-256 of the bytes, hex
    data: bytes | None  # None when only the ETag was needed (a matching If-None-Match)


class SampleDossierService:
    def __init__(self, catalog: Catalog, files: FileStore, public_base_url: str) -> None:
        self._catalog = catalog
        self._files = files
        self._base = public_base_url.rstrip("/")
        self._keys: dict[str, str] = {}  # procedure code → storage key (a pure function of the catalog)
        self._etags: dict[str, str] = {}  # storage key → ETag of its bytes
        self._lock = threading.Lock()

    # --- the sample dossier -----------------------------------------------------------------------------------

    def key(self, procedure: Procedure) -> str:
        """Where the sample of this entry is stored: ``samples/<code>/<hash of entry, units, renderer>.pdf``."""
        cached = self._keys.get(procedure.code)
        if cached is not None and self._catalog.find(procedure.code) is procedure:
            return cached
        digest = hashlib.sha256(json.dumps({
            "renderer": RENDERER_VERSION,
            "code": _renderer_source_digest(),
            "base": self._base,
            "procedure": procedure.model_dump(mode="json"),
            "answers": sample_answers(procedure),
            "units": [_unit_fingerprint(u) for u in self._units_printed(procedure)],
        }, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        key = f"samples/{procedure.code}/{digest[:40]}.pdf"
        if self._catalog.find(procedure.code) is procedure:
            self._keys[procedure.code] = key
        return key

    def sample(self, code: str, *, if_none_match: Callable[[str], bool] | None = None) -> SamplePdf:
        """The sample dossier of a procedure (``NotFound`` for an unknown code).

        When ``if_none_match(etag)`` says the client already has the current version, the bytes are not read
        (``data`` is None).
        """
        procedure = self._catalog.get(code)
        key = self.key(procedure)
        etag = self._etags.get(key)
        if etag is not None and if_none_match is not None and if_none_match(etag):
            return SamplePdf(key, etag, None)
        data = self._files.get(key)
        if data is None:
            with self._lock:  # one render per process, however many requests arrive at once
                data = self._files.get(key)
                if data is None:
                    from motcua.documents.declaration import render_sample_dossier  # reportlab on first render

                    data = render_sample_dossier(self.sample_data(procedure))
                    self._files.put(key, data, content_type="application/pdf")
                    self._sweep(procedure.code, keep=key)
        etag = self._etags.setdefault(key, hashlib.sha256(data).hexdigest())
        if if_none_match is not None and if_none_match(etag):
            return SamplePdf(key, etag, None)
        return SamplePdf(key, etag, data)

    def _sweep(self, code: str, *, keep: str) -> None:
        """Delete the renders of earlier versions of this entry: nothing serves them once the key has moved on.

        Best effort: a failure is logged and the next render tries again; the citizen's sample is already stored.
        While two versions of the app run side by side (a deploy), each may delete the other's render and render
        again: a few extra renders for the length of the deploy."""
        try:
            for old in self._files.keys(f"samples/{code}/"):
                if old != keep:
                    self._files.delete(old)
        except Exception:
            log.warning("could not sweep old sample renders of %s", code, exc_info=True)

    def sample_data(self, procedure: Procedure) -> SampleDossierData:
        catalog = self._catalog
        field_name = catalog.fields_of_work[procedure.field].name
        answers = sample_answers(procedure)
        addressee = self._sample_addressee(procedure, str(answers.get("applicant_address", "")))
        filled = DeclarationData(
            procedure_code=procedure.code, procedure_name=procedure.official_name, addressee=addressee,
            lines=form_lines(procedure, answers), on_date=SAMPLE_DATE,
            signer_name=str(answers.get("applicant_name", "")),
            reference="(Dữ liệu giả định, chỉ để minh họa)")
        blank = DeclarationData(procedure_code=procedure.code, procedure_name=procedure.official_name,
                                addressee="", lines=form_lines(procedure, {}), on_date=None)
        fee_notes = [note for note in (procedure.fee.note, online_fee_line(procedure)) if note]
        return SampleDossierData(
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            official_name=procedure.official_name,
            field_name=field_name,
            level_label=procedure.level.label_vi(),
            url=f"{self._base}/thu-tuc/{procedure.code}",
            fee_label=procedure.fee.label_vi,
            fee_notes=fee_notes,
            processing_time_label=procedure.processing_time.label_vi(),
            result=procedure.result,
            channels_label=", ".join(_CHANNEL_VI[c] for c in procedure.channels).capitalize(),
            online_label=procedure.online_level.label_vi(),
            where=self.where_lines(procedure),
            papers=[paper_line(d) for d in procedure.documents],
            common_mistakes=list(procedure.common_mistakes),
            legal_basis=list(procedure.legal_basis),
            caveats=_caveats(procedure),
            filled=filled,
            blank=blank,
        )

    def where_lines(self, procedure: Procedure) -> list[str]:
        """Where to file and who decides, as printed in the sample and answered by the assistant."""
        lines = [f"Cơ quan giải quyết: {self.competent_label(procedure)}."]
        if Channel.ONLINE in procedure.channels:
            lines.append(f"Nộp trực tuyến tại {self._base}/thu-tuc/{procedure.code} "
                         f"({procedure.online_level.label_vi().lower()}).")
        if Channel.COUNTER in procedure.channels:
            offices = self._catalog.units.offices()
            names = "; ".join(u.office_name or u.name for u in offices)
            lines.append("Nộp trực tiếp tại bộ phận một cửa (Trung tâm Phục vụ hành chính công) bất kỳ trong tỉnh, "
                         f"không phụ thuộc nơi cư trú: {names}.")
        if Channel.POST in procedure.channels:
            lines.append("Gửi hồ sơ qua dịch vụ bưu chính công ích đến một trong các nơi tiếp nhận trên.")
        return lines

    def competent_label(self, procedure: Procedure) -> str:
        if procedure.authority.unit is not None:
            return self._catalog.units.get(procedure.authority.unit).name
        place = _PLACE_VI[procedure.authority.level or Level.COMMUNE]
        return f"Ủy ban nhân dân cấp {place} (thường là nơi người yêu cầu cư trú)"

    def _sample_addressee(self, procedure: Procedure, address: str) -> str:
        """The fixed competent unit, else the unit of the sample applicant's ward (or the first that decides)."""
        if procedure.authority.unit is not None:
            return self._catalog.units.get(procedure.authority.unit).name
        deciding = [u for u in self._catalog.units.offices() if decided_by(procedure, u)]
        for unit in deciding:
            if unit.short_name.lower() in address.lower():
                return unit.name
        return deciding[0].name if deciding else ""

    def _units_printed(self, procedure: Procedure) -> list[Unit]:
        units = list(self._catalog.units.offices())
        if procedure.authority.unit is not None:
            units.append(self._catalog.units.get(procedure.authority.unit))
        return units

    # --- a citizen's declaration ------------------------------------------------------------------------------

    def declaration(self, dossier: Dossier) -> bytes:
        """The owner's dossier printed as the declaration form (tờ khai) with what they have filled in so far."""
        procedure = self._catalog.get(dossier.procedure_code)
        units = self._catalog.units
        unit_id = dossier.competent_unit_id or (procedure.authority.unit or "")
        unit = units.find(unit_id) if unit_id else None
        if unit is None and dossier.receiving_office_id:
            office = units.find(dossier.receiving_office_id)
            unit = office if office is not None and decided_by(procedure, office) else None
        reference = f"Mã hồ sơ: {dossier.code}" if dossier.code else "Bản in từ hồ sơ nháp trên ứng dụng"
        data = DeclarationData(
            procedure_code=procedure.code, procedure_name=procedure.official_name,
            addressee=unit.name if unit is not None else "", lines=form_lines(procedure, dossier.form),
            on_date=None, signer_name=str(dossier.form.get("applicant_name") or ""), reference=reference)
        from motcua.documents.declaration import render_declaration  # reportlab on first render

        return render_declaration(data)


def form_lines(procedure: Procedure, values: Mapping[str, object]) -> list[FormLine]:
    """The procedure's form fields as printed lines, with the given answers (missing ones stay blank)."""
    lines = []
    for field in procedure.form:
        lines.append(FormLine(
            label=field.label,
            value=display_value(field, values.get(field.name)),
            group=field.group,
            required=field.required,
            multiline=field.type is FieldType.TEXTAREA,
            checkbox=field.type is FieldType.CHECKBOX,
            choices=tuple(o.label for o in field.options),
            help=field.help,
        ))
    return lines


def paper_line(document: Document) -> PaperLine:
    """One paper of the dossier with guidance (what its kind means, the catalog's notes) and common mistakes."""
    guidance = [_KIND_GUIDANCE[document.kind]]
    if document.note:
        guidance.append(document.note)
    if document.guidance:
        guidance.append(document.guidance)
    mistakes = list(document.common_mistakes)
    generic = _KIND_MISTAKE.get(document.kind)
    if generic and document.required:
        mistakes.append(generic[0].upper() + generic[1:])  # what the kind itself rules out
    if document.count > 1:
        mistakes.append(f"Nộp thiếu: cần {document.count:02d} bản.")
    return PaperLine(name=document.name, kind_label=document.kind.label_vi(), count=document.count,
                     required=document.required, guidance=guidance, mistakes=mistakes)


def _caveats(procedure: Procedure) -> list[str]:
    caveats = []
    if procedure.fee.is_example:
        caveats.append("Mức phí, lệ phí ghi trên là ví dụ, chưa được xác nhận: hỏi bộ phận một cửa trước khi nộp.")
    if procedure.unconfirmed and procedure.note:
        caveats.append(f"Thông tin chưa được xác nhận đầy đủ: {procedure.note}")
    if procedure.online_level is OnlineLevel.MOT_PHAN:
        caveats.append("Thủ tục trực tuyến một phần: có thể phải đến nộp bản giấy hoặc nhận kết quả trực tiếp.")
    return caveats


def online_fee_line(procedure: Procedure) -> str | None:
    """The reduced online fee, as the sample prints it and the assistant says it; None when there is none."""
    amount = procedure.fee.online_amount_vnd
    if amount is None or Channel.ONLINE not in procedure.channels:
        return None
    return f"Nộp trực tuyến: {'miễn phí' if amount == 0 else vnd(amount)}."


@cache
def _renderer_source_digest() -> str:
    """A hash of the code that shapes a sample (layout, wording, sample data): a deployment that changes any of
    it gets new keys without anyone remembering to bump ``RENDERER_VERSION``."""
    from motcua.documents import declaration, layout
    from motcua.domain import samples

    digest = hashlib.sha256()
    for module in (declaration, layout, samples, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def _unit_fingerprint(unit: Unit) -> dict[str, object]:
    return {"id": unit.id, "name": unit.name, "office_name": unit.office_name, "address": unit.address}
