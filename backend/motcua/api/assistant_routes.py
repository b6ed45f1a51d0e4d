"""The 1022 assistant (hỏi đáp 1022): public questions answered from the catalog (see services/assistant.py)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request

from motcua.api import schemas
from motcua.api.http import json_body
from motcua.api.routing import Access, api_route
from motcua.api.security import client_ip
from motcua.domain.errors import PayloadTooLarge
from motcua.services.assistant import ASPECT_LABELS

bp = Blueprint("assistant", __name__, url_prefix="/api/v1")

MAX_BODY_BYTES = 8 * 1024


@api_route(bp, "/assistant", methods=("POST",), access=Access.PUBLIC, tag="catalog",
           summary="Ask about a procedure (papers, fee, time, where to file); answered from the catalog only",
           request=schemas.AssistantQuestion,
           responses={200: schemas.AssistantReply, 413: schemas.ErrorReply, 422: schemas.ErrorReply,
                      429: schemas.ErrorReply})
def ask() -> Response:
    # A question is at most 500 characters: a body far larger is refused before it is read.
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise PayloadTooLarge("body_too_large", "Câu hỏi quá dài.", message_en="The question is too long.")
    body = json_body()
    unknown = set(body) - {"question"}
    reply = current_app.config["MOTCUA"].assistant.ask(
        body.get("question"), client_ip=client_ip(), unexpected=sorted(unknown))
    label_vi, label_en = ASPECT_LABELS[reply.aspect]
    payload = asdict(reply)
    payload["aspect"] = reply.aspect.value
    response = jsonify({"question": payload["question"], "aspect": payload["aspect"], "aspect_label_vi": label_vi,
                        "aspect_label_en": label_en, "unsure": reply.unsure, "answer": reply.answer,
                        "answer_en": reply.answer_en, "procedure": payload["procedure"],
                        "candidates": payload["candidates"], "feedback_url": reply.feedback_url})
    response.headers["Cache-Control"] = "no-store"
    return response
