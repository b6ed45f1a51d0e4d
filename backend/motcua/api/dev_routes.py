"""Development-only pages. This blueprint is not registered at all in production (MOTCUA_ENV=production)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from motcua.api import schemas
from motcua.api.presenters import iso
from motcua.api.routing import Access, api_route
from motcua.api.work_presenters import official_user

bp = Blueprint("dev", __name__, url_prefix="/dev")


@api_route(bp, "/outbox", access=Access.DEV_ONLY, tag="dev",
           summary="SMS and e-mail the embedded default would have sent, newest first",
           query=(("limit", "How many (1–200)", False),), responses={200: schemas.OutboxReply})
def outbox() -> Response:
    try:
        limit = max(1, min(200, int(request.args.get("limit", "50"))))
    except ValueError:
        limit = 50
    log = current_app.config["MOTCUA"].message_log
    items = [
        {"id": m.id, "channel": m.channel, "to": m.to, "subject": m.subject, "body": m.body,
         "created_at": iso(m.created_at)}
        for m in (log.recent(limit) if log is not None else [])  # none on AWS: SNS/SES really send
    ]
    response = jsonify({"items": items})
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "/enrolment-links", access=Access.DEV_ONLY, tag="dev",
           summary="Fresh single-use passkey enrolment links for the demo officials",
           responses={200: schemas.EnrolmentLinks})
def enrolment_links() -> Response:
    c = current_app.config["MOTCUA"]
    with c.uow(readonly=True) as uow:
        officials = uow.officials.all()
    items = [
        {"official_id": o.id, "name": o.name, "memberships": official_user(c.catalog, o)["memberships"],
         "url": f"{c.settings.webauthn_origin}/can-bo/dang-ky?token={c.official_auth.issue_enrolment(o.id)}"}
        for o in officials
    ]
    response = jsonify({"items": items})
    response.headers["Cache-Control"] = "no-store"
    return response
