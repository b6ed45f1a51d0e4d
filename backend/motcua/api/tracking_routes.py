"""Public tracking by dossier code and phone number."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from motcua.api import schemas
from motcua.api.presenters import track_out
from motcua.api.routing import Access, api_route
from motcua.api.security import client_ip

bp = Blueprint("tracking", __name__, url_prefix="/api/v1")


@api_route(bp, "/track/<code>", access=Access.PUBLIC, tag="tracking",
           summary="Status of a dossier, if the code and the phone number both match",
           query=(("phone", "The applicant's phone number", True),),
           responses={200: schemas.TrackReply, 404: schemas.ErrorReply, 429: schemas.ErrorReply})
def track(code: str) -> Response:
    container = current_app.config["MOTCUA"]
    dossier = container.tracking.track(code, request.args.get("phone"), client_ip=client_ip())
    response = jsonify(track_out(container.catalog, dossier))
    response.headers["Cache-Control"] = "no-store"
    return response
