"""Dossier ⇄ plain JSON-able dict, shared by every store (SQLite now, DynamoDB later)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.domain.dossiers import Attachment, Dossier, HistoryEntry
from motcua.domain.lifecycle import Action, DossierStatus


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
        version=int(data.get("version") or 0),
    )
