"""Push subscriptions, the in-app notification list and notification preferences of the signed-in person."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from motcua.api import schemas
from motcua.api.http import json_body, no_store
from motcua.api.presenters import iso
from motcua.api.routing import Access, api_route
from motcua.api.security import current_session
from motcua.domain.errors import Unauthenticated
from motcua.services.notification_ports import Preferences
from motcua.services.ports import Session

bp = Blueprint("notifications", __name__, url_prefix="/api/v1")

ERRORS = {401: schemas.ErrorReply, 422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def _session() -> Session:
    session = current_session()
    if session is None:
        raise Unauthenticated("unauthenticated", "Vui lòng đăng nhập để tiếp tục.", message_en="Please sign in.")
    return session



@api_route(bp, "/push/public-key", access=Access.PUBLIC, tag="notifications",
           summary="The VAPID public key for PushManager.subscribe", responses={200: schemas.PushKey})
def public_key() -> Response:
    return jsonify({"publicKey": _c().push.public_key})


@api_route(bp, "/push/subscriptions", methods=("POST",), access=Access.SIGNED_IN, tag="notifications",
           summary="Register this browser's PushSubscription (idempotent per endpoint)",
           request=schemas.PushSubscriptionIn, responses={201: schemas.IdReply, **ERRORS})
def subscribe() -> Response:
    stored = _c().notification_center.subscribe(_session(), json_body(),
                                                user_agent=request.headers.get("User-Agent", ""))
    return no_store({"id": stored.id}, 201)


@api_route(bp, "/push/subscriptions", methods=("DELETE",), access=Access.SIGNED_IN, tag="notifications",
           summary="Forget this browser's subscription", request=schemas.EndpointBody, responses={204: None, **ERRORS})
def unsubscribe() -> Response:
    _c().notification_center.unsubscribe(_session(), json_body().get("endpoint"))
    return Response(status=204)


@api_route(bp, "/notifications", access=Access.SIGNED_IN, tag="notifications",
           summary="My recent notifications, newest first", responses={200: schemas.NotificationList, **ERRORS})
def inbox() -> Response:
    items = _c().notification_center.inbox(_session())
    return no_store({"items": [{"id": d.id, "at": iso(d.created_at), "title": d.title, "body": d.body, "url": d.url,
                                 "read": d.read_at is not None} for d in items]})


@api_route(bp, "/notifications/read", methods=("POST",), access=Access.SIGNED_IN, tag="notifications",
           summary="Mark notifications read", request=schemas.IdsBody, responses={204: None, **ERRORS})
def mark_read() -> Response:
    _c().notification_center.mark_read(_session(), json_body().get("ids"))
    return Response(status=204)


def _prefs(prefs: Preferences) -> Response:
    return no_store(prefs.to_dict())


@api_route(bp, "/me/preferences", access=Access.SIGNED_IN, tag="notifications",
           summary="My notification channels and quiet hours", responses={200: schemas.PreferencesOut, **ERRORS})
def get_preferences() -> Response:
    return _prefs(_c().notification_center.preferences(_session()))


@api_route(bp, "/me/preferences", methods=("PUT",), access=Access.SIGNED_IN, tag="notifications",
           summary="Change my notification channels and quiet hours", request=schemas.PreferencesOut,
           responses={200: schemas.PreferencesOut, **ERRORS})
def put_preferences() -> Response:
    return _prefs(_c().notification_center.set_preferences(_session(), json_body()))
