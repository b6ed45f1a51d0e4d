"""A citizen's own dossiers: drafts, attachments, submit, list, receipt."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from motcua.api import schemas
from motcua.api.http import (
    idempotent,
    json_body,
    page_token_arg,
    pdf_response,
    private_file_response,
    stored_pdf_response,
    uploaded_file,
)
from motcua.api.presenters import attachment_out, dossier_out
from motcua.api.routing import Access, api_route
from motcua.api.security import current_actor
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import NotFound

bp = Blueprint("dossiers", __name__, url_prefix="/api/v1/dossiers")

ERRORS = {401: schemas.ErrorReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply, 422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def _scope() -> str:
    return f"citizen:{current_actor().session.user_id}"


def _reply(dossier: Dossier, status: int = 200, *, with_history: bool = True) -> Response:
    c = _c()
    response = jsonify(dossier_out(c.catalog, dossier, problems=c.dossiers.problems(dossier),
                                   with_history=with_history))
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "", methods=("POST",), access=Access.CITIZEN, tag="dossiers", summary="Start a draft",
           request=schemas.DossierCreate, responses={201: schemas.DossierOut, **ERRORS}, idempotent=True)
@idempotent(_scope)
def create() -> Response:
    body = json_body()
    dossier = _c().dossiers.create_draft(
        current_actor(), procedure_code=body.get("procedure_code"), form=body.get("form"),
        receiving_office_id=body.get("receiving_office_id"), competent_unit_id=body.get("competent_unit_id"))
    return _reply(dossier, 201)


@api_route(bp, "", access=Access.CITIZEN, tag="dossiers", summary="My dossiers, newest first",
           query=(("page_token", "Opaque token from the previous page", False),),
           responses={200: schemas.DossierList, 401: schemas.ErrorReply, 422: schemas.ErrorReply})
def list_mine() -> Response:
    c = _c()
    page = c.dossiers.list_mine(current_actor(), page_token=page_token_arg())
    response = jsonify({
        "items": [dossier_out(c.catalog, d, problems={}, with_history=False) for d in page.items],
        "next_page_token": page.next_page_token,
    })
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "/<dossier_id>", access=Access.CITIZEN, tag="dossiers", summary="One of my dossiers",
           responses={200: schemas.DossierOut, **ERRORS})
def get(dossier_id: str) -> Response:
    return _reply(_c().dossiers.get(current_actor(), dossier_id))


@api_route(bp, "/<dossier_id>", methods=("PATCH",), access=Access.CITIZEN, tag="dossiers",
           summary="Save answers of a draft (partial; missing answers show in `problems`)",
           request=schemas.DossierUpdate, responses={200: schemas.DossierOut, **ERRORS})
def update(dossier_id: str) -> Response:
    body = json_body()
    dossier = _c().dossiers.update_draft(
        current_actor(), dossier_id, form=body.get("form"), receiving_office_id=body.get("receiving_office_id"),
        competent_unit_id=body.get("competent_unit_id"))
    return _reply(dossier)


@api_route(bp, "/<dossier_id>", methods=("DELETE",), access=Access.CITIZEN, tag="dossiers",
           summary="Delete a draft", responses={204: None, **ERRORS})
def delete(dossier_id: str) -> Response:
    _c().dossiers.delete_draft(current_actor(), dossier_id)
    return Response(status=204)


@api_route(bp, "/<dossier_id>/attachments", methods=("POST",), access=Access.CITIZEN, tag="dossiers",
           summary="Attach a file (JPEG, PNG or PDF, decided by content) to a required document",
           request=schemas.AttachmentUpload, request_content="multipart/form-data",
           responses={201: schemas.AttachmentOut, 413: schemas.ErrorReply, 415: schemas.ErrorReply, **ERRORS},
           idempotent=True)
@idempotent(_scope)
def add_attachment(dossier_id: str) -> Response:
    actor = current_actor()
    c = _c()
    data, filename, document_id = uploaded_file(c.settings.max_upload_bytes)
    attachment = c.dossiers.add_attachment(actor, dossier_id, document_id=document_id, data=data, filename=filename)
    response = jsonify(attachment_out(attachment))
    response.status_code = 201
    return response


def _direct_uploads():  # type: ignore[no-untyped-def]
    service = _c().direct_uploads
    if service is None:
        raise NotFound("direct_upload_unavailable", "Máy chủ này không nhận tệp tải thẳng lên kho lưu trữ.",
                       message_en="This server takes attachments through POST …/attachments only.")
    return service


@api_route(bp, "/<dossier_id>/attachments/upload-form", methods=("POST",), access=Access.CITIZEN, tag="dossiers",
           summary="A presigned form to upload one file straight to storage (aws runtime; GET /config says)",
           request=schemas.UploadFormRequest, responses={201: schemas.UploadFormReply, **ERRORS}, idempotent=True)
@idempotent(_scope)
def upload_form(dossier_id: str) -> Response:
    actor = current_actor()  # 401 before anything else
    body = json_body()
    form = _direct_uploads().issue_form(
        actor, dossier_id, document_id=body.get("document_id"), filename=body.get("filename"),
        content_type=body.get("content_type"), size=body.get("size"))
    response = jsonify({"url": form.url, "fields": form.fields, "key": form.key,
                        "expires_at": form.expires_at.isoformat().replace("+00:00", "Z")})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "/<dossier_id>/attachments/complete", methods=("POST",), access=Access.CITIZEN, tag="dossiers",
           summary="Attach a file uploaded with an upload form, once checked (repeating it returns the same one)",
           request=schemas.UploadComplete,
           responses={201: schemas.AttachmentOut, 413: schemas.ErrorReply, 415: schemas.ErrorReply, **ERRORS})
def complete_upload(dossier_id: str) -> Response:
    actor = current_actor()  # 401 before anything else
    body = json_body()
    attachment = _direct_uploads().complete(actor, dossier_id, body.get("key"))
    response = jsonify(attachment_out(attachment))
    response.status_code = 201
    return response


@api_route(bp, "/<dossier_id>/attachments/<attachment_id>", access=Access.CITIZEN, tag="dossiers",
           summary="Download one of my attached files", responses={200: "application/octet-stream", **ERRORS})
def get_attachment(dossier_id: str, attachment_id: str) -> Response:
    attachment, data = _c().dossiers.attachment_file(current_actor(), dossier_id, attachment_id)
    return private_file_response(data, attachment.content_type)


@api_route(bp, "/<dossier_id>/attachments/<attachment_id>", methods=("DELETE",), access=Access.CITIZEN,
           tag="dossiers", summary="Remove a file from a draft", responses={204: None, **ERRORS})
def delete_attachment(dossier_id: str, attachment_id: str) -> Response:
    _c().dossiers.remove_attachment(current_actor(), dossier_id, attachment_id)
    return Response(status=204)


@api_route(bp, "/<dossier_id>/submit", methods=("POST",), access=Access.CITIZEN, tag="dossiers",
           summary="Submit: assigns the dossier code and due date (send an Idempotency-Key)",
           responses={200: schemas.DossierOut, **ERRORS}, idempotent=True)
@idempotent(_scope)
def submit(dossier_id: str) -> Response:
    json_body()  # rejects a malformed body even though none is needed
    return _reply(_c().dossiers.submit(current_actor(), dossier_id))


@api_route(bp, "/<dossier_id>/receipt.pdf", access=Access.CITIZEN, tag="dossiers",
           summary="The receipt (Mẫu 01) as PDF", responses={200: "application/pdf", **ERRORS})
def receipt(dossier_id: str) -> Response:
    c = _c()
    dossier = c.dossiers.get(current_actor(), dossier_id)
    return stored_pdf_response(c, c.receipts.stored_key(dossier), f"giay-tiep-nhan-{dossier.code}.pdf")


@api_route(bp, "/<dossier_id>/declaration.pdf", access=Access.CITIZEN, tag="dossiers",
           summary="My dossier printed as the declaration form (tờ khai) to sign and file at the counter",
           responses={200: "application/pdf", **ERRORS})
def declaration(dossier_id: str) -> Response:
    c = _c()
    dossier = c.dossiers.get(current_actor(), dossier_id)
    return pdf_response(c.samples.declaration(dossier), f"to-khai-{dossier.procedure_code}.pdf")


@api_route(bp, "/<dossier_id>/resubmit", methods=("POST",), access=Access.CITIZEN, tag="dossiers",
           summary="Send the dossier back after adding what the supplement request asked for",
           responses={200: schemas.DossierOut, **ERRORS}, idempotent=True)
@idempotent(_scope)
def resubmit(dossier_id: str) -> Response:
    json_body()
    return _reply(_c().dossiers.resubmit(current_actor(), dossier_id))


@api_route(bp, "/<dossier_id>/withdraw", methods=("POST",), access=Access.CITIZEN, tag="dossiers",
           summary="Ask to withdraw the dossier (an official then stops processing)", request=schemas.ReasonBody,
           responses={200: schemas.DossierOut, **ERRORS})
def withdraw(dossier_id: str) -> Response:
    return _reply(_c().dossiers.withdraw(current_actor(), dossier_id, json_body().get("reason")))


@api_route(bp, "/<dossier_id>/documents/<kind>.pdf", access=Access.CITIZEN, tag="dossiers",
           summary="A written notice about my dossier: supplement | refusal | apology",
           responses={200: "application/pdf", **ERRORS})
def notice(dossier_id: str, kind: str) -> Response:
    c = _c()
    return pdf_response(c.slips.slip(c.dossiers.get(current_actor(), dossier_id), kind), f"{kind}.pdf")


@api_route(bp, "/<dossier_id>/result.pdf", access=Access.CITIZEN, tag="dossiers",
           summary="My signed result (PAdES; check it at /xac-minh); on AWS a 302 to a short-lived S3 link",
           responses={200: "application/pdf", 302: None, **ERRORS})
def result(dossier_id: str) -> Response:
    c = _c()
    dossier = c.dossiers.get(current_actor(), dossier_id)
    if dossier.result is None:
        raise NotFound("result_not_ready", "Hồ sơ chưa có kết quả.", message_en="No result yet.")
    return stored_pdf_response(c, dossier.result.storage_key, f"ket-qua-{dossier.code}.pdf")
