"""Shape domain objects into the JSON the API documents (schemas.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.domain.calendar import VN_TZ
from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Attachment, Dossier, HistoryEntry
from motcua.domain.lifecycle import ACTION_LABELS, label_en, label_vi
from motcua.domain.procedures import Procedure
from motcua.domain.processing_time import ProcessingTime
from motcua.domain.units import Unit
from motcua.domain.workflow import payment_due
from motcua.services.receipts import KIND_LABELS


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def local_iso(value: datetime) -> str:
    return value.astimezone(VN_TZ).isoformat()


def unit_out(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.name, "name_en": unit.name_en, "short_name": unit.short_name,
            "level": str(unit.level), "parent_id": unit.parent_id, "address": unit.address}


def unit_ref(catalog: Catalog, unit_id: str | None) -> dict[str, str] | None:
    unit = catalog.units.find(unit_id) if unit_id else None
    return {"id": unit.id, "name": unit.name} if unit else None


def processing_time_out(t: ProcessingTime) -> dict[str, Any]:
    return {"amount": t.amount, "unit": str(t.unit), "label_vi": t.label_vi(), "label_en": t.label_en()}


def procedure_summary(catalog: Catalog, p: Procedure) -> dict[str, Any]:
    field = catalog.fields_of_work[p.field]
    authority_unit = getattr(p.authority, "unit", None)
    authority_level = getattr(p.authority, "level", None)
    return {
        "code": p.code,
        "name": p.name,
        "name_en": p.name_en,
        "field": {"id": field.id, "name": field.name, "name_en": field.name_en},
        "level": str(p.level),
        "online_level": str(p.online_level),
        "processing_time": processing_time_out(p.processing_time),
        "fee": {"amount_vnd": p.fee.amount_vnd, "online_amount_vnd": p.fee.online_amount_vnd,
                "label_vi": p.fee.label_vi, "is_example": p.fee.is_example},
        "authority": {"unit": unit_ref(catalog, authority_unit),
                      "level": str(authority_level) if authority_level else None},
    }


def procedure_detail(catalog: Catalog, p: Procedure) -> dict[str, Any]:
    return {
        **procedure_summary(catalog, p),
        "official_name": p.official_name,
        "documents": [
            {"id": d.id, "name": d.name, "kind": str(d.kind), "kind_label_vi": KIND_LABELS.get(str(d.kind), ""),
             "count": d.count, "required": d.required, "upload_required": d.upload_required,
             "note": d.note or None}
            for d in p.documents
        ],
        "form": [
            {"name": f.name, "label": f.label, "label_en": f.label_en, "type": str(f.type), "required": f.required,
             "min_length": f.min_length, "max_length": f.max_length, "pattern": f.pattern,
             "min": _jsonable(f.min), "max": _jsonable(f.max), "not_future": bool(f.not_future),
             "options": [{"value": o.value, "label": o.label, "label_en": o.label_en} for o in (f.options or [])],
             "help": f.help, "group": f.group}
            for f in p.form
        ],
        "result": p.result,
        "legal_basis": list(p.legal_basis),
    }


def _jsonable(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def attachment_out(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, "document_id": a.document_id, "filename": a.filename, "content_type": a.content_type,
            "size": a.size, "created_at": iso(a.created_at)}


def history_out(h: HistoryEntry) -> dict[str, Any]:
    vi, en = ACTION_LABELS[h.action]
    return {"at": iso(h.at), "status": h.status.value, "action": h.action.value, "action_label_vi": vi,
            "action_label_en": en, "note": h.note}


def fee_label(amount: int) -> str:
    return "Miễn phí" if amount == 0 else f"{amount:,} đồng".replace(",", ".")


def dossier_out(catalog: Catalog, d: Dossier, *, problems: dict[str, str], with_history: bool = True
                ) -> dict[str, Any]:
    procedure = catalog.get(d.procedure_code)
    return {
        "id": d.id,
        "code": d.code,
        "status": d.status.value,
        "status_label_vi": label_vi(d.status),
        "status_label_en": label_en(d.status),
        "national_status": d.national_status,
        "procedure": {"code": procedure.code, "name": procedure.name, "name_en": procedure.name_en},
        "form": d.form,
        "attachments": [attachment_out(a) for a in d.attachments],
        "receiving_office": unit_ref(catalog, d.receiving_office_id),
        "competent_unit": unit_ref(catalog, d.competent_unit_id),
        "channel": d.channel,
        "created_at": iso(d.created_at),
        "updated_at": iso(d.updated_at),
        "submitted_at": iso(d.submitted_at),
        "due_at": iso(d.due_at),
        "fee": {"amount_vnd": d.fee_vnd if not d.is_draft else procedure.fee_for(d.channel),  # type: ignore[arg-type]
                "label_vi": fee_label(d.fee_vnd if not d.is_draft else procedure.fee_for(d.channel))},  # type: ignore[arg-type]
        "problems": problems,
        "history": [history_out(h) for h in d.history] if with_history else [],
        "receipt_url": f"/api/v1/dossiers/{d.id}/receipt.pdf" if d.code else None,
        "supplement_request": supplement_out(d, f"/api/v1/dossiers/{d.id}"),
        "apologies": apologies_out(d, f"/api/v1/dossiers/{d.id}"),
        "result_url": f"/api/v1/dossiers/{d.id}/result.pdf" if d.result else None,
        "payment_due": _due(d, procedure.name),
    }


def _due(d: Dossier, procedure_name: str) -> dict[str, Any] | None:
    due = payment_due(d, procedure_name)
    if due is None:
        return None
    amount = int(str(due["amount_vnd"]))
    return {"purpose": due["purpose"], "amount_vnd": amount, "amount_label_vi": fee_label(amount),
            "reason": due["reason"]}


def track_out(catalog: Catalog, d: Dossier) -> dict[str, Any]:
    procedure = catalog.get(d.procedure_code)
    return {
        "code": d.code,
        "status": d.status.value,
        "status_label_vi": label_vi(d.status),
        "status_label_en": label_en(d.status),
        "procedure": {"code": procedure.code, "name": procedure.name, "name_en": procedure.name_en},
        "receiving_office": unit_ref(catalog, d.receiving_office_id),
        "competent_unit": unit_ref(catalog, d.competent_unit_id),
        "submitted_at": iso(d.submitted_at),
        "due_at": iso(d.due_at),
        "history": [history_out(h) for h in d.history],
    }


MISSING_KIND_LABELS = {"original": "Bản chính", "certified_copy": "Bản sao có chứng thực", "copy": "Bản sao"}


def supplement_out(d: Dossier, base: str) -> dict[str, Any] | None:
    if not d.supplements:
        return None
    last = d.supplements[-1]
    return {"missing": [{"name": i.name, "kind": i.kind, "kind_label_vi": MISSING_KIND_LABELS.get(i.kind, ""),
                         "reason": i.reason} for i in last.items],
            "note": last.note, "requested_at": iso(last.requested_at), "resubmitted_at": iso(last.resubmitted_at),
            "slip_url": f"{base}/documents/supplement.pdf"}


def apologies_out(d: Dossier, base: str) -> list[dict[str, Any]]:
    return [{"reason": a.reason, "new_due_date": a.new_due_at.date().isoformat(), "issued_at": iso(a.issued_at),
             "slip_url": f"{base}/documents/apology.pdf"} for a in d.apologies]
