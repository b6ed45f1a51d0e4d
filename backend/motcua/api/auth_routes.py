"""Citizen sign-in: phone number + one-time code; the session cookie and the CSRF token."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from motcua.api import schemas
from motcua.api.http import json_body
from motcua.api.routing import Access, api_route
from motcua.api.security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    client_ip,
    current_csrf_token,
    current_session,
    device_label,
    make_csrf_token,
    session_binding,
    set_cookie,
)
from motcua.api.work_presenters import official_user
from motcua.services.ports import Session

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


def _with_csrf(payload: dict[str, object], token: str) -> Response:
    response = jsonify({**payload, "csrf_token": token})
    set_cookie(response, CSRF_COOKIE, token, max_age=None)
    return response


def session_user(s: Session) -> dict[str, object] | None:
    if s.user_kind == "official":
        c = current_app.config["MOTCUA"]
        with c.uow(readonly=True) as uow:
            official = uow.officials.get(s.user_id)
        return official_user(c.catalog, official) if official else None
    return {"id": s.user_id, "kind": "citizen", "phone": s.phone}


@api_route(bp, "/session", access=Access.PUBLIC, tag="auth", summary="Current user and a CSRF token",
           responses={200: schemas.SessionReply})
def session() -> Response:
    s = current_session()
    user = session_user(s) if s else None
    response = _with_csrf({"user": user}, current_csrf_token())
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "/otp", methods=("POST",), access=Access.PUBLIC, tag="auth",
           summary="Send a one-time code by SMS", request=schemas.OtpRequest,
           responses={202: schemas.OtpReply, 422: schemas.ErrorReply, 429: schemas.ErrorReply})
def request_otp() -> Response:
    body = json_body()
    result = current_app.config["MOTCUA"].auth.request_code(body.get("phone"), client_ip=client_ip())
    response = jsonify({"sent": True, **result})
    response.status_code = 202
    return response


@api_route(bp, "/verify", methods=("POST",), access=Access.PUBLIC, tag="auth",
           summary="Check the code and sign in", request=schemas.VerifyRequest,
           responses={200: schemas.SessionReply, 401: schemas.ErrorReply, 422: schemas.ErrorReply})
def verify() -> Response:
    body = json_body()
    signed_in = current_app.config["MOTCUA"].auth.verify(body.get("phone"), body.get("code"), device=device_label())
    ttl = int((signed_in.session.expires_at - signed_in.session.created_at).total_seconds())
    # The new CSRF token is bound to the NEW session cookie.
    response = _with_csrf({"user": {"id": signed_in.citizen.id, "kind": "citizen", "phone": signed_in.citizen.phone}},
                          make_csrf_token(session_binding(signed_in.raw_token)))
    set_cookie(response, SESSION_COOKIE, signed_in.raw_token, max_age=ttl)
    return response


@api_route(bp, "/logout", methods=("POST",), access=Access.PUBLIC, tag="auth", summary="Sign out",
           responses={204: None})
def logout() -> Response:
    current_app.config["MOTCUA"].auth.sign_out(request.cookies.get(SESSION_COOKIE))
    response = Response(status=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response
