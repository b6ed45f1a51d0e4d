"""Feedback and complaints (PAKN): citizens send and follow theirs; the public reads the answers (redacted)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from motcua.api import public_schemas as ps
from motcua.api import schemas
from motcua.api.http import idempotent, json_body, no_store, page_token_arg, private_file_response, uploaded_file
from motcua.api.public_presenters import feedback_attachment_out, feedback_out, public_feedback_out
from motcua.api.routing import Access, api_route
from motcua.api.security import current_actor

bp = Blueprint("feedback", __name__, url_prefix="/api/v1/feedback")

ERRORS = {401: schemas.ErrorReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply, 422: schemas.ErrorReply}
FILES = "/api/v1/feedback"
PAGE = (("page_token", "Opaque token from the previous page", False),)


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def _public(payload: object) -> Response:
    """Answered feedback as the public reads it (redacted): a short public cache."""
    response = jsonify(payload)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _scope() -> str:
    return f"citizen:{current_actor().session.user_id}"


@api_route(bp, "", methods=("POST",), access=Access.CITIZEN, tag="feedback",
           summary="Send feedback or a complaint about my dossier, a procedure or an office (answered within 10 "
                   "working days)", request=ps.FeedbackIn, responses={201: ps.FeedbackOut, **ERRORS},
           idempotent=True)
@idempotent(_scope)
def submit() -> Response:
    actor = current_actor()
    c = _c()
    return no_store(feedback_out(c.catalog, c.feedback.submit(actor, json_body()), file_base=FILES), 201)


@api_route(bp, "/mine", access=Access.CITIZEN, tag="feedback", summary="My feedback, newest first", query=PAGE,
           responses={200: ps.FeedbackList, **ERRORS})
def mine() -> Response:
    c = _c()
    page = c.feedback.mine(current_actor(), page_token=page_token_arg())
    return no_store({"items": [feedback_out(c.catalog, f, file_base=FILES) for f in page.items],
                     "next_page_token": page.next_page_token})


@api_route(bp, "/public", access=Access.PUBLIC, tag="feedback",
           summary="Answered feedback, newest answer first (no personal data)", query=PAGE,
           responses={200: ps.PublicFeedbackList, 422: schemas.ErrorReply})
def public_list() -> Response:
    c = _c()
    page = c.feedback.public_list(page_token=page_token_arg())
    return _public({"items": [public_feedback_out(c.catalog, f) for f in page.items],
                    "next_page_token": page.next_page_token})


@api_route(bp, "/public/<feedback_id>", access=Access.PUBLIC, tag="feedback",
           summary="One answered feedback (no personal data)", responses={200: ps.PublicFeedback,
                                                                          404: schemas.ErrorReply})
def public_get(feedback_id: str) -> Response:
    c = _c()
    return _public(public_feedback_out(c.catalog, c.feedback.public_get(feedback_id)))


@api_route(bp, "/<feedback_id>", access=Access.CITIZEN, tag="feedback", summary="One of my feedback items",
           responses={200: ps.FeedbackOut, **ERRORS})
def get(feedback_id: str) -> Response:
    c = _c()
    return no_store(feedback_out(c.catalog, c.feedback.get_own(current_actor(), feedback_id), file_base=FILES))


@api_route(bp, "/<feedback_id>/attachments", methods=("POST",), access=Access.CITIZEN, tag="feedback",
           summary="Attach a photo or PDF (JPEG, PNG, PDF; up to 5) while the feedback is unanswered",
           request=ps.FeedbackUpload, request_content="multipart/form-data",
           responses={201: ps.FeedbackAttachmentOut, 413: schemas.ErrorReply, 415: schemas.ErrorReply, **ERRORS},
           idempotent=True)
@idempotent(_scope)
def attach(feedback_id: str) -> Response:
    actor = current_actor()
    c = _c()
    data, filename, _ = uploaded_file(c.settings.max_upload_bytes)
    a = c.feedback.add_attachment(actor, feedback_id, data=data, filename=filename)
    return no_store(feedback_attachment_out(feedback_id, a, file_base=FILES), 201)


@api_route(bp, "/<feedback_id>/attachments/<attachment_id>", access=Access.CITIZEN, tag="feedback",
           summary="One of my attached files", responses={200: "application/octet-stream", **ERRORS})
def attachment(feedback_id: str, attachment_id: str) -> Response:
    c = _c()
    found, data = c.feedback.file_of(c.feedback.get_own(current_actor(), feedback_id), attachment_id)
    return private_file_response(data, found.content_type)
