"""Records ⇄ plain JSON-able dicts (dossiers, payments, officials, ratings, feedback), and the compact JSON text of
stored records, shared by every store (SQLite and DynamoDB)."""

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
from motcua.domain.feedback import Feedback, FeedbackAttachment
from motcua.domain.lifecycle import Action, DossierStatus
from motcua.domain.officials import Membership, Official, Role
from motcua.domain.payments import Payment, PaymentStatus
from motcua.domain.ratings import Rating


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


# --- payments, officials, ratings, feedback: the same records in both stores ---


def payment_to_dict(p: Payment) -> dict[str, object]:
    return {
        "id": p.id, "dossier_id": p.dossier_id, "citizen_id": p.citizen_id, "purpose": p.purpose,
        "amount_vnd": p.amount_vnd, "gateway": p.gateway, "txn_ref": p.txn_ref, "created_at": p.created_at.isoformat(),
        "expires_at": p.expires_at.isoformat(), "updated_at": p.updated_at.isoformat(), "status": p.status.value,
        "returned_at": p.returned_at.isoformat() if p.returned_at else None,
        "paid_at": p.paid_at.isoformat() if p.paid_at else None, "transaction_no": p.transaction_no,
        "bank_code": p.bank_code, "response_code": p.response_code,
        "refunded_at": p.refunded_at.isoformat() if p.refunded_at else None, "log": p.log,
        "dossier_code": p.dossier_code,
    }


def payment_from_dict(d: dict[str, Any], version: int = 0) -> Payment:
    return Payment(
        id=d["id"], dossier_id=d["dossier_id"], citizen_id=d["citizen_id"], purpose=d["purpose"],
        amount_vnd=int(d["amount_vnd"]), gateway=d["gateway"], txn_ref=d["txn_ref"],
        created_at=datetime.fromisoformat(d["created_at"]), expires_at=datetime.fromisoformat(d["expires_at"]),
        updated_at=datetime.fromisoformat(d["updated_at"]), status=PaymentStatus(d["status"]),
        returned_at=_dt(d.get("returned_at")), paid_at=_dt(d.get("paid_at")),
        transaction_no=d.get("transaction_no", ""), bank_code=d.get("bank_code", ""),
        response_code=d.get("response_code", ""),
        refunded_at=_dt(d.get("refunded_at")), log=list(d.get("log") or []), version=version,
        dossier_code=d.get("dossier_code", ""))


def official_to_json(official: Official) -> str:
    return json.dumps({"id": official.id, "name": official.name, "title": official.title, "phone": official.phone,
                       "email": official.email,
                       "memberships": [{"unit_id": m.unit_id, "role": m.role.value} for m in official.memberships]},
                      ensure_ascii=False)


def official_from_json(text: str) -> Official:
    data = json.loads(text)
    return Official(id=data["id"], name=data["name"], title=data["title"], phone=data.get("phone"),
                    email=data.get("email"),
                    memberships=tuple(Membership(m["unit_id"], Role(m["role"])) for m in data["memberships"]))


def rating_to_dict(r: Rating) -> dict[str, Any]:
    return {"id": r.id, "dossier_id": r.dossier_id, "unit_id": r.unit_id, "procedure_code": r.procedure_code,
            "channel": r.channel, "overall": r.overall, "criteria": r.criteria, "comment": r.comment,
            "created_at": _ts(r.created_at), "citizen_id": r.citizen_id}


def rating_from_dict(d: dict[str, Any]) -> Rating:
    return Rating(id=d["id"], dossier_id=d["dossier_id"], unit_id=d["unit_id"], procedure_code=d["procedure_code"],
                  channel=d["channel"], overall=d["overall"], criteria=d["criteria"], comment=d["comment"],
                  created_at=datetime.fromisoformat(d["created_at"]), citizen_id=d.get("citizen_id"))


def feedback_to_dict(f: Feedback) -> dict[str, Any]:
    return {
        "id": f.id, "subject_kind": f.subject_kind, "unit_id": f.unit_id, "citizen_id": f.citizen_id,
        "sender_phone": f.sender_phone, "sender_name": f.sender_name, "sender_email": f.sender_email,
        "question": f.question,
        "created_at": _ts(f.created_at), "due_at": _ts(f.due_at), "dossier_id": f.dossier_id,
        "dossier_code": f.dossier_code, "procedure_code": f.procedure_code, "applicant_name": f.applicant_name,
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "storage_key": a.storage_key, "created_at": _ts(a.created_at)}
                        for a in f.attachments],
        "status": f.status, "answer": f.answer, "answered_at": _ts(f.answered_at), "answered_by": f.answered_by,
        "answered_by_name": f.answered_by_name, "edited_at": _ts(f.edited_at),
        "public_question": f.public_question, "public_answer": f.public_answer,
    }


def feedback_from_dict(d: dict[str, Any], version: int = 0) -> Feedback:
    return Feedback(
        id=d["id"], subject_kind=d["subject_kind"], unit_id=d["unit_id"], citizen_id=d["citizen_id"],
        sender_phone=d["sender_phone"], sender_name=d["sender_name"], question=d["question"],
        created_at=datetime.fromisoformat(d["created_at"]), due_at=datetime.fromisoformat(d["due_at"]),
        dossier_id=d.get("dossier_id"), dossier_code=d.get("dossier_code"), procedure_code=d.get("procedure_code"),
        applicant_name=d.get("applicant_name"), sender_email=d.get("sender_email"),
        attachments=[FeedbackAttachment(id=a["id"], filename=a["filename"], content_type=a["content_type"],
                                        size=a["size"], sha256=a["sha256"], storage_key=a["storage_key"],
                                        created_at=datetime.fromisoformat(a["created_at"]))
                     for a in d.get("attachments", [])],
        status=d["status"], answer=d.get("answer"), answered_at=_dt(d.get("answered_at")),
        answered_by=d.get("answered_by"), answered_by_name=d.get("answered_by_name"),
        edited_at=_dt(d.get("edited_at")), public_question=d.get("public_question"),
        public_answer=d.get("public_answer"), version=version,
    )
