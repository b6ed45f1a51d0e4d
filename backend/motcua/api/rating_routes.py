"""Satisfaction ratings: the dossier's owner online, and the counter's kiosk by dossier code (anonymous)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from motcua.api import public_schemas as ps
from motcua.api import schemas
from motcua.api.http import json_body, no_store
from motcua.api.public_presenters import rating_out
from motcua.api.routing import Access, api_route
from motcua.api.security import client_ip, current_actor, device_label
from motcua.domain.lifecycle import DossierStatus

bp = Blueprint("ratings", __name__, url_prefix="/api/v1")

ERRORS = {401: schemas.ErrorReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply, 422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]



@api_route(bp, "/dossiers/<dossier_id>/rating", access=Access.CITIZEN, tag="ratings",
           summary="My rating of a dossier, and whether I can still rate it",
           responses={200: ps.DossierRatingReply, **ERRORS})
def get_rating(dossier_id: str) -> Response:
    dossier, rating = _c().ratings.for_own(current_actor(), dossier_id)
    return no_store({"can_rate": rating is None and dossier.status is DossierStatus.RETURNED,
                      "rating": rating_out(rating) if rating else None})


@api_route(bp, "/dossiers/<dossier_id>/rating", methods=("POST",), access=Access.CITIZEN, tag="ratings",
           summary="Rate the service once the result is returned (once per dossier; 409 not_returned / already_rated)",
           request=ps.RatingIn, responses={201: ps.RatingOut, **ERRORS})
def rate(dossier_id: str) -> Response:
    actor = current_actor()  # who asks comes before what they sent
    rating = _c().ratings.rate_own(actor, dossier_id, json_body())
    return no_store(rating_out(rating), 201)


@api_route(bp, "/kiosk/ratings", methods=("POST",), access=Access.PUBLIC, tag="ratings",
           summary="Kiosk at the counter: rate a returned dossier by its code (anonymous; replies say only thanks, "
                   "already rated, or not found / not finished)",
           request=ps.KioskRatingIn,
           responses={201: ps.KioskReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply, 422: schemas.ErrorReply,
                      429: schemas.ErrorReply})
def kiosk_rate() -> Response:
    body = json_body()
    _c().ratings.rate_at_kiosk(body.get("code"), body, client_ip=client_ip(), device=device_label())
    return no_store({"result": "thanks", "message": "Cảm ơn bạn đã đánh giá!",
                      "message_en": "Thank you for your rating!"}, 201)
