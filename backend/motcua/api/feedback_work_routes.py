"""Officials answer the feedback (PAKN) of their unit: a worklist by deadline, the item, the answer."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from motcua.api import public_schemas as ps
from motcua.api import schemas
from motcua.api.http import json_body, no_store, private_file_response, query_arg
from motcua.api.public_presenters import work_feedback_out
from motcua.api.routing import Access, api_route
from motcua.api.work_routes import official_actor

bp = Blueprint("feedback_work", __name__, url_prefix="/api/v1/work/feedback")

ERRORS = {401: schemas.ErrorReply, 403: schemas.ErrorReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply,
          422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]




@api_route(bp, "", access=Access.OFFICIAL, tag="work",
           summary="Feedback of one unit, earliest answer deadline first",
           query=(("unit", "Unit id (one of the official's units)", True),
                  ("status", "open (default) or answered", False),
                  ("page_token", "Opaque token from the previous page", False)),
           responses={200: ps.WorkFeedbackList, **ERRORS})
def worklist() -> Response:
    actor = official_actor()
    c = _c()
    page = c.feedback.worklist(actor, query_arg("unit") or "", query_arg("status") or "open",
                               page_token=query_arg("page_token"))
    return no_store({"items": [work_feedback_out(c.catalog, f, actor.official) for f in page.items],
                      "next_page_token": page.next_page_token})


@api_route(bp, "/<feedback_id>", access=Access.OFFICIAL, tag="work", summary="One feedback item of my unit",
           responses={200: ps.WorkFeedback, **ERRORS})
def detail(feedback_id: str) -> Response:
    actor = official_actor()
    c = _c()
    return no_store(work_feedback_out(c.catalog, c.feedback.get_for_official(actor, feedback_id), actor.official))


@api_route(bp, "/<feedback_id>/answer", methods=("POST",), access=Access.OFFICIAL, tag="work",
           summary="Answer (published at once, the sender is notified); a leader may correct it later (audited)",
           request=ps.FeedbackAnswerIn, responses={200: ps.WorkFeedback, **ERRORS})
def answer(feedback_id: str) -> Response:
    actor = official_actor()
    c = _c()
    return no_store(work_feedback_out(c.catalog, c.feedback.answer(actor, feedback_id, json_body()),
                                       actor.official))


@api_route(bp, "/<feedback_id>/attachments/<attachment_id>", access=Access.OFFICIAL, tag="work",
           summary="A file the citizen attached", responses={200: "application/octet-stream", **ERRORS})
def attachment(feedback_id: str, attachment_id: str) -> Response:
    actor = official_actor()
    c = _c()
    found, data = c.feedback.file_of(c.feedback.get_for_official(actor, feedback_id), attachment_id)
    return private_file_response(data, found.content_type)
