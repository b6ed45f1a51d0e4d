"""Administration: enrolment links for officials, and the audit trail check."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from motcua.api import schemas
from motcua.api.http import no_store
from motcua.api.presenters import iso
from motcua.api.routing import Access, api_route
from motcua.api.work_presenters import official_user
from motcua.api.work_routes import official_actor
from motcua.domain.errors import Forbidden
from motcua.services.audit import AuditService, ChainReport
from motcua.services.workflow import OfficialActor

bp = Blueprint("admin", __name__, url_prefix="/api/v1/admin")

ERRORS = {401: schemas.ErrorReply, 403: schemas.ErrorReply, 404: schemas.ErrorReply}


def _admin() -> OfficialActor:
    actor = official_actor()
    if not actor.official.is_admin():
        raise Forbidden("admin_only", "Chỉ quản trị viên được dùng chức năng này.", message_en="Administrators only.")
    return actor


def _report(report: ChainReport) -> dict[str, object]:
    return {"subject": report.subject, "entries": report.entries, "intact": report.intact,
            "broken_at": report.broken_at, "problem": report.problem}



@api_route(bp, "/officials", access=Access.OFFICIAL, tag="admin", summary="Officials and their roles (admins)",
           responses={200: schemas.OfficialList, **ERRORS})
def officials() -> Response:
    _admin()
    c = current_app.config["MOTCUA"]
    with c.uow(readonly=True) as uow:
        people = uow.officials.all()
    return no_store({"items": [official_user(c.catalog, o) for o in people]})


@api_route(bp, "/officials/<official_id>/enrolment", methods=("POST",), access=Access.OFFICIAL, tag="admin",
           summary="Issue a single-use passkey enrolment link (valid 72 hours)",
           responses={200: schemas.EnrolmentLinkReply, **ERRORS})
def enrolment(official_id: str) -> Response:
    _admin()
    c = current_app.config["MOTCUA"]
    token = c.official_auth.issue_enrolment(official_id)
    return no_store({"url": f"{c.settings.webauthn_origin}/can-bo/dang-ky?token={token}"})


@api_route(bp, "/audit", access=Access.OFFICIAL, tag="admin",
           summary="Check every audit hash chain; lists the broken ones",
           responses={200: schemas.AuditSummary, **ERRORS})
def audit_all() -> Response:
    _admin()
    reports = AuditService(current_app.config["MOTCUA"].uow).check_all()
    return no_store({"checked": len(reports), "broken": [_report(r) for r in reports if not r.intact]})


@api_route(bp, "/audit/<dossier_id>", access=Access.OFFICIAL, tag="admin",
           summary="One dossier's audit trail and its chain check", responses={200: schemas.AuditTrail, **ERRORS})
def audit_one(dossier_id: str) -> Response:
    _admin()
    c = current_app.config["MOTCUA"]
    subject = f"dossier:{dossier_id[:64]}"
    with c.uow(readonly=True) as uow:
        entries = uow.audit.entries(subject)
    service = AuditService(c.uow)
    return no_store({
        "check": _report(service.check(subject)),
        "entries": [{"seq": e.seq, "at": iso(e.at), "actor": e.actor, "action": e.action, "device": e.device,
                     "before": e.before, "after": e.after, "hash": e.hash} for e in entries],
    })
