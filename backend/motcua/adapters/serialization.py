"""Dossier ⇄ plain JSON-able dict, and the compact JSON text of stored records, shared by every store (SQLite and
DynamoDB)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from motcua.domain.dossiers import (
    Apology,
    Attachment,
    Dossier,
    Handover,
    HistoryEntry,
    MissingItem,
    SignedResult,
    SupplementRequest,
)
from motcua.domain.lifecycle import Action, DossierStatus


def store_json(value: object) -> str:
    """The JSON every store writes (records, outbox payloads, page tokens): compact, UTF-8 text as is, anything
    else JSON cannot hold as its ``str``. One function, so an event's outbox JSON is the same bytes in every store."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def dossier_to_dict(d: Dossier) -> dict[str, Any]:
    return {
        "id": d.id,
        "procedure_code": d.procedure_code,
        "applicant_id": d.applicant_id,
        "applicant_phone": d.applicant_phone,
        "created_at": _ts(d.created_at),
        "updated_at": _ts(d.updated_at),
        "status": d.status.value,
        "channel": d.channel,
        "form": d.form,
        "attachments": [
            {
                "id": a.id, "document_id": a.document_id, "filename": a.filename, "content_type": a.content_type,
                "size": a.size, "sha256": a.sha256, "storage_key": a.storage_key, "created_at": _ts(a.created_at),
            }
            for a in d.attachments
        ],
        "receiving_office_id": d.receiving_office_id,
        "competent_unit_id": d.competent_unit_id,
        "code": d.code,
        "submitted_at": _ts(d.submitted_at),
        "due_at": _ts(d.due_at),
        "fee_vnd": d.fee_vnd,
        "history": [
            {"at": _ts(h.at), "action": h.action.value, "status": h.status.value, "actor": h.actor, "note": h.note}
            for h in d.history
        ],
        "stage": d.stage,
        "holder_unit_id": d.holder_unit_id,
        "assignee_id": d.assignee_id,
        "received_at": _ts(d.received_at),
        "handovers": [
            {"at": _ts(h.at), "step": h.step, "from_unit_id": h.from_unit_id, "from_person": h.from_person,
             "to_unit_id": h.to_unit_id, "to_person": h.to_person, "outcome": h.outcome, "note": h.note}
            for h in d.handovers
        ],
        "supplements": [
            {"requested_at": _ts(r.requested_at), "stage": r.stage, "by": r.by, "note": r.note,
             "resubmitted_at": _ts(r.resubmitted_at),
             "items": [{"name": i.name, "kind": i.kind, "reason": i.reason} for i in r.items]}
            for r in d.supplements
        ],
        "apologies": [
            {"issued_at": _ts(a.issued_at), "by": a.by, "reason": a.reason, "new_due_at": _ts(a.new_due_at)}
            for a in d.apologies
        ],
        "refusal_reason": d.refusal_reason,
        "result": None if d.result is None else {
            "storage_key": d.result.storage_key, "sha256": d.result.sha256, "signed_at": _ts(d.result.signed_at),
            "signer_id": d.result.signer_id, "signer_name": d.result.signer_name},
        "return_method": d.return_method,
        "tracking_number": d.tracking_number,
        "postal_address": d.postal_address,
        "finished_at": _ts(d.finished_at),
        "at_risk_alerted_for": _ts(d.at_risk_alerted_for),
        "supplement_reminded_at": _ts(d.supplement_reminded_at),
        "fee_paid_at": _ts(d.fee_paid_at),
        "obligation": d.obligation,
        "version": d.version,
    }


def dossier_from_dict(data: dict[str, Any]) -> Dossier:
    return Dossier(
        id=data["id"],
        procedure_code=data["procedure_code"],
        applicant_id=data["applicant_id"],
        applicant_phone=data["applicant_phone"],
        created_at=_dt(data["created_at"]),  # type: ignore[arg-type]
        updated_at=_dt(data["updated_at"]),  # type: ignore[arg-type]
        status=DossierStatus(data["status"]),
        channel=data.get("channel", "online"),
        form=dict(data.get("form") or {}),
        attachments=[
            Attachment(
                id=a["id"], document_id=a["document_id"], filename=a["filename"], content_type=a["content_type"],
                size=int(a["size"]), sha256=a["sha256"], storage_key=a["storage_key"],
                created_at=_dt(a["created_at"]),  # type: ignore[arg-type]
            )
            for a in data.get("attachments") or []
        ],
        receiving_office_id=data.get("receiving_office_id"),
        competent_unit_id=data.get("competent_unit_id"),
        code=data.get("code"),
        submitted_at=_dt(data.get("submitted_at")),
        due_at=_dt(data.get("due_at")),
        fee_vnd=int(data.get("fee_vnd") or 0),
        history=[
            HistoryEntry(
                at=_dt(h["at"]),  # type: ignore[arg-type]
                action=Action(h["action"]), status=DossierStatus(h["status"]), actor=h["actor"],
                note=h.get("note", ""),
            )
            for h in data.get("history") or []
        ],
        stage=data.get("stage"),
        holder_unit_id=data.get("holder_unit_id"),
        assignee_id=data.get("assignee_id"),
        received_at=_dt(data.get("received_at")),
        handovers=[
            Handover(at=_dt(h["at"]), step=h["step"], from_unit_id=h["from_unit_id"],  # type: ignore[arg-type]
                     from_person=h["from_person"], to_unit_id=h["to_unit_id"], to_person=h["to_person"],
                     outcome=h.get("outcome"), note=h.get("note", ""))
            for h in data.get("handovers") or []
        ],
        supplements=[
            SupplementRequest(requested_at=_dt(r["requested_at"]), stage=r["stage"], by=r["by"],  # type: ignore[arg-type]
                              note=r.get("note", ""), resubmitted_at=_dt(r.get("resubmitted_at")),
                              items=tuple(MissingItem(i["name"], i["kind"], i["reason"]) for i in r["items"]))
            for r in data.get("supplements") or []
        ],
        apologies=[
            Apology(issued_at=_dt(a["issued_at"]), by=a["by"], reason=a["reason"],  # type: ignore[arg-type]
                    new_due_at=_dt(a["new_due_at"]))  # type: ignore[arg-type]
            for a in data.get("apologies") or []
        ],
        refusal_reason=data.get("refusal_reason"),
        result=None if not data.get("result") else SignedResult(
            storage_key=data["result"]["storage_key"], sha256=data["result"]["sha256"],
            signed_at=_dt(data["result"]["signed_at"]),  # type: ignore[arg-type]
            signer_id=data["result"]["signer_id"], signer_name=data["result"]["signer_name"]),
        return_method=data.get("return_method"),
        tracking_number=data.get("tracking_number"),
        postal_address=data.get("postal_address"),
        finished_at=_dt(data.get("finished_at")),
        at_risk_alerted_for=_dt(data.get("at_risk_alerted_for")),
        supplement_reminded_at=_dt(data.get("supplement_reminded_at")),
        fee_paid_at=_dt(data.get("fee_paid_at")),
        obligation=data.get("obligation"),
        version=int(data.get("version") or 0),
    )
