"""The written notices of the lifecycle (supplement request, refusal, apology) and the control sheet, as PDFs.

Rendered on request from the dossier's record (the record, not the PDF, is the source of truth).
"""

from __future__ import annotations

from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import NotFound
from motcua.domain.workflow import STAGE_LABELS, Stage
from motcua.services.ports import OfficialRepository, UnitOfWorkFactory

if TYPE_CHECKING:
    from motcua.documents import official_forms as forms

SLIP_KINDS = ("supplement", "refusal", "apology")


def _missing() -> NotFound:
    return NotFound("document_not_found", "Hồ sơ không có văn bản này.", message_en="This dossier has no such notice.")


class SlipService:
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, public_base_url: str) -> None:
        self._uow = uow
        self._catalog = catalog
        self._base = public_base_url.rstrip("/")

    def _ref(self, d: Dossier) -> forms.DossierRef:
        units = self._catalog.units
        office = units.find(d.receiving_office_id or "")
        competent = units.find(d.competent_unit_id or "")
        return _forms().DossierRef(
            code=d.code or "", tracking_url=f"{self._base}/tra-cuu?ma={d.code}",
            procedure_name=self._catalog.get(d.procedure_code).name,
            applicant_name=str(d.form.get("applicant_name", "")),
            applicant_address=str(d.form["applicant_address"]) if d.form.get("applicant_address") else None,
            applicant_phone=str(d.form.get("applicant_phone") or d.applicant_phone),
            receiving_office_name=office.name if office else "",
            competent_unit_name=competent.name if competent else "",
            received_at=d.received_at, due_at=d.due_at)

    def _name(self, officials: OfficialRepository, official_id: str) -> tuple[str, str]:
        official = officials.get(official_id)
        return (official.name, official.title) if official else ("", "")

    def slip(self, d: Dossier, kind: str) -> bytes:
        """One of the notices a citizen receives in writing; 404 if the dossier has none of that kind."""
        ref = self._ref(d)
        with self._uow(readonly=True) as uow:
            if kind == "supplement" and d.supplements:
                last = d.supplements[-1]
                name, _ = self._name(uow.officials, last.by)
                unit = ref.receiving_office_name if last.stage == "intake" else ref.competent_unit_name
                return _forms().render_supplement_request(
                    ref, items=[_forms().MissingItem(i.name, i.kind, i.reason) for i in last.items], note=last.note,
                    issued_at=last.requested_at, officer_name=name, unit_name=unit)
            if kind == "refusal" and d.refusal_reason:
                refusal = next(h for h in reversed(d.history) if h.action.value == "refuse")
                name, _ = self._name(uow.officials, refusal.actor.split(":", 1)[-1])
                unit = ref.receiving_office_name if d.received_at is None else ref.competent_unit_name
                return _forms().render_refusal(ref, reasons=d.refusal_reason, issued_at=refusal.at, officer_name=name,
                                            unit_name=unit)
            if kind == "apology" and d.apologies:
                last_apology = d.apologies[-1]
                name, title = self._name(uow.officials, last_apology.by)
                return _forms().render_apology(ref, reason=last_apology.reason, new_due_at=last_apology.new_due_at,
                                            issued_at=last_apology.issued_at, signer_name=name, signer_title=title,
                                            unit_name=ref.competent_unit_name)
        raise _missing()

    def control_sheet(self, d: Dossier, *, printed_at: datetime) -> bytes:
        units = self._catalog.units
        rows = [
            _forms().HandoverRow(from_unit=(units.find(h.from_unit_id) or _Unit).name, from_person=h.from_person,
                              to_unit=(units.find(h.to_unit_id) or _Unit).name, to_person=h.to_person, at=h.at,
                              step_label=STAGE_LABELS[Stage(h.step)][0], outcome=h.outcome, note=h.note)
            for h in d.handovers
        ]
        return _forms().render_control_sheet(self._ref(d), rows=rows, printed_at=printed_at)


class _Unit:
    name = ""


def _forms() -> ModuleType:
    """The forms module: reportlab loads with the first slip, not on every cold start."""
    from motcua.documents import official_forms

    return official_forms
