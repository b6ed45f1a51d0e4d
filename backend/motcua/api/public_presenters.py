"""Ratings and feedback as the API shows them. The public shape is built field by field from what may be
published: the redacted question and the answer, never the sender, the dossier or the attachments."""

from __future__ import annotations

from typing import Any

from motcua.api.presenters import iso, unit_ref
from motcua.domain.catalog import Catalog
from motcua.domain.feedback import ANSWERED, Feedback, FeedbackAttachment, can_handle
from motcua.domain.officials import Official, Role
from motcua.domain.ratings import CRITERIA, Rating


def rating_out(r: Rating) -> dict[str, Any]:
    return {"id": r.id, "channel": r.channel, "overall": r.overall,
            "criteria": {name: r.criteria.get(name) for name in CRITERIA}, "comment": r.comment,
            "created_at": iso(r.created_at)}


def _procedure(catalog: Catalog, code: str | None) -> dict[str, str] | None:
    procedure = catalog.find(code) if code else None
    return {"code": procedure.code, "name": procedure.name, "name_en": procedure.name_en} if procedure else None


def feedback_attachment_out(feedback_id: str, a: FeedbackAttachment, *, file_base: str) -> dict[str, Any]:
    return {"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
            "created_at": iso(a.created_at), "url": f"{file_base}/{feedback_id}/attachments/{a.id}"}


def feedback_out(catalog: Catalog, f: Feedback, *, file_base: str) -> dict[str, Any]:
    return {
        "id": f.id, "subject_kind": f.subject_kind, "unit": unit_ref(catalog, f.unit_id),
        "procedure": _procedure(catalog, f.procedure_code), "dossier_id": f.dossier_id,
        "dossier_code": f.dossier_code, "sender_name": f.sender_name, "sender_email": f.sender_email,
        "question": f.question,
        "attachments": [feedback_attachment_out(f.id, a, file_base=file_base) for a in f.attachments],
        "status": f.status, "created_at": iso(f.created_at), "due_at": iso(f.due_at), "answer": f.answer,
        "answered_at": iso(f.answered_at), "answered_by_name": f.answered_by_name, "edited_at": iso(f.edited_at),
        "on_time": f.on_time, "version": f.version,
    }


def work_feedback_out(catalog: Catalog, f: Feedback, official: Official) -> dict[str, Any]:
    out = feedback_out(catalog, f, file_base="/api/v1/work/feedback")
    out.update(sender_phone=f.sender_phone, can_answer=f.status != ANSWERED and can_handle(official, f),
               can_edit=f.status == ANSWERED and official.has_role(f.unit_id, Role.LEADER))
    return out


def public_feedback_out(catalog: Catalog, f: Feedback) -> dict[str, Any]:
    assert f.answer is not None and f.answered_at is not None
    return {"id": f.id, "subject_kind": f.subject_kind, "unit": unit_ref(catalog, f.unit_id),
            "procedure": _procedure(catalog, f.procedure_code), "question": f.published_question(),
            "answer": f.published_answer(), "asked_at": iso(f.created_at), "answered_at": iso(f.answered_at),
            "due_at": iso(f.due_at), "on_time": bool(f.on_time), "edited_at": iso(f.edited_at)}
