"""Officials' sign-in with passkeys: enrolment from a single-use link, then sign-in."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from motcua.api import schemas
from motcua.api.http import json_body
from motcua.api.routing import Access, api_route
from motcua.api.security import CSRF_COOKIE, SESSION_COOKIE, device_label, make_csrf_token, session_binding, set_cookie
from motcua.api.work_presenters import official_user
from motcua.services.official_auth import OfficialSignedIn

bp = Blueprint("officials", __name__, url_prefix="/api/v1/officials")

ERRORS = {401: schemas.ErrorReply, 403: schemas.ErrorReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply,
          422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def _signed_in(signed: OfficialSignedIn) -> Response:
    token = make_csrf_token(session_binding(signed.raw_token))
    response = jsonify({"user": official_user(_c().catalog, signed.official), "csrf_token": token})
    ttl = int((signed.session.expires_at - signed.session.created_at).total_seconds())
    set_cookie(response, SESSION_COOKIE, signed.raw_token, max_age=ttl)
    set_cookie(response, CSRF_COOKIE, token, max_age=None)
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "/enrol/options", methods=("POST",), access=Access.PUBLIC, tag="officials",
           summary="Passkey creation options for a single-use enrolment link", request=schemas.EnrolOptionsRequest,
           responses={200: schemas.EnrolOptionsReply, **ERRORS})
def enrol_options() -> Response:
    challenge_id, options, official = _c().official_auth.enrolment_options(json_body().get("token"))
    return jsonify({"challenge_id": challenge_id, "options": options, "official": {"name": official.name}})


@api_route(bp, "/enrol/verify", methods=("POST",), access=Access.PUBLIC, tag="officials",
           summary="Register the passkey and sign in", request=schemas.EnrolVerifyRequest,
           responses={200: schemas.SessionReply, **ERRORS})
def enrol_verify() -> Response:
    body = json_body()
    signed = _c().official_auth.enrol(body.get("token"), body.get("challenge_id"), body.get("credential"),
                                      device=device_label())
    return _signed_in(signed)


@api_route(bp, "/login/options", methods=("POST",), access=Access.PUBLIC, tag="officials",
           summary="Passkey sign-in options (discoverable credentials)", responses={200: schemas.ChallengeReply})
def login_options() -> Response:
    challenge_id, options = _c().official_auth.login_options()
    return jsonify({"challenge_id": challenge_id, "options": options})


@api_route(bp, "/login/verify", methods=("POST",), access=Access.PUBLIC, tag="officials",
           summary="Check the passkey assertion and sign in", request=schemas.LoginVerifyRequest,
           responses={200: schemas.SessionReply, **ERRORS})
def login_verify() -> Response:
    body = json_body()
    return _signed_in(_c().official_auth.login(body.get("challenge_id"), body.get("credential"),
                                               device=device_label()))
