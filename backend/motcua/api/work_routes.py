"""The officials' worklist and processing steps (role- and unit-checked in the domain)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from motcua.api import schemas
from motcua.api.http import (
    idempotent,
    json_body,
    no_store,
    pdf_response,
    private_file_response,
    query_arg,
    stored_pdf_response,
    uploaded_file,
)
from motcua.api.presenters import attachment_out, dossier_out, iso
from motcua.api.routing import Access, api_route
from motcua.api.security import current_session, device_label
from motcua.api.work_presenters import work_dossier, work_item
from motcua.domain.errors import InvalidInput
from motcua.services.workflow import OfficialActor

bp = Blueprint("work", __name__, url_prefix="/api/v1/work")

ERRORS = {401: schemas.ErrorReply, 403: schemas.ErrorReply, 404: schemas.ErrorReply, 409: schemas.ErrorReply,
          422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def official_actor() -> OfficialActor:
    return _c().workflow.actor(current_session(), device_label())  # type: ignore[no-any-return]




@api_route(bp, "/dossiers", access=Access.OFFICIAL, tag="work", summary="Worklist of one unit, most urgent first",
           query=(("unit", "Unit id (one of the official's units)", True), ("status", "Status filter", False),
                  ("procedure", "Procedure code", False), ("office", "Receiving office id", False),
                  ("page_token", "Opaque token from the previous page", False)),
           responses={200: schemas.WorkList, **ERRORS})
def worklist() -> Response:
    actor = official_actor()
    c = _c()
    page = c.workflow.worklist(actor, query_arg("unit") or "", page_token=query_arg("page_token"),
                               status=query_arg("status"), procedure_code=query_arg("procedure"),
                               office_id=query_arg("office"))
    return no_store({"items": [work_item(c.catalog, c.workflow, d) for d in page.items],
                      "next_page_token": page.next_page_token})


@api_route(bp, "/dossiers/<dossier_id>", access=Access.OFFICIAL, tag="work",
           summary="A dossier as the official works on it, with the actions this official may take",
           responses={200: schemas.WorkDossier, **ERRORS})
def detail(dossier_id: str) -> Response:
    actor = official_actor()
    c = _c()
    return no_store(work_dossier(c.catalog, c.workflow, actor, c.workflow.get(actor, dossier_id)))


@api_route(bp, "/dossiers/<dossier_id>/actions/<action>", methods=("POST",), access=Access.OFFICIAL, tag="work",
           summary="Take one step (receive, request_supplement, refuse, forward, assign, propose, send_back, "
                   "return_result, stop, apology); send the version you saw", request=schemas.WorkAction,
           responses={200: schemas.WorkDossier, **ERRORS})
def act(dossier_id: str, action: str) -> Response:
    actor = official_actor()
    c = _c()
    dossier = c.workflow.act(actor, dossier_id, action, json_body())
    return no_store(work_dossier(c.catalog, c.workflow, actor, dossier))


@api_route(bp, "/dossiers/<dossier_id>/attachments/<attachment_id>", access=Access.OFFICIAL, tag="work",
           summary="An attached file, for preview", responses={200: "application/octet-stream", **ERRORS})
def attachment(dossier_id: str, attachment_id: str) -> Response:
    actor = official_actor()
    c = _c()
    dossier = c.workflow.get(actor, dossier_id)
    found = dossier.find_attachment(attachment_id)
    data = c.files.get(found.storage_key)
    if data is None:
        raise InvalidInput("attachment_missing", "Tệp đính kèm không còn trong kho lưu trữ.",
                           message_en="The file is missing from storage.")
    return private_file_response(data, found.content_type)


@api_route(bp, "/dossiers/<dossier_id>/control-sheet.pdf", access=Access.OFFICIAL, tag="work",
           summary="The control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ)",
           responses={200: "application/pdf", **ERRORS})
def control_sheet(dossier_id: str) -> Response:
    actor = official_actor()
    c = _c()
    dossier = c.workflow.get(actor, dossier_id)
    return pdf_response(c.slips.control_sheet(dossier, printed_at=c.clock.now()), f"kiem-soat-{dossier.code}.pdf")


@api_route(bp, "/dossiers/<dossier_id>/documents/<kind>.pdf", access=Access.OFFICIAL, tag="work",
           summary="A notice issued for the dossier: supplement | refusal | apology",
           responses={200: "application/pdf", **ERRORS})
def notice(dossier_id: str, kind: str) -> Response:
    actor = official_actor()
    c = _c()
    return pdf_response(c.slips.slip(c.workflow.get(actor, dossier_id), kind), f"{kind}.pdf")


@api_route(bp, "/dossiers/<dossier_id>/result-preview.pdf", access=Access.OFFICIAL, tag="work",
           summary="The unsigned result document a leader is about to sign (header X-Content-SHA256)",
           responses={200: "application/pdf", **ERRORS})
def result_preview(dossier_id: str) -> Response:
    preview = _c().signing.preview(official_actor(), dossier_id)
    response = pdf_response(preview.pdf, "ket-qua-du-thao.pdf")
    response.headers["X-Content-SHA256"] = preview.sha256
    return response


@api_route(bp, "/dossiers/<dossier_id>/result.pdf", access=Access.OFFICIAL, tag="work",
           summary="The signed result (on AWS a 302 to a short-lived S3 link)",
           responses={200: "application/pdf", 302: None, **ERRORS})
def signed_result(dossier_id: str) -> Response:
    c = _c()
    dossier = c.workflow.get(official_actor(), dossier_id)
    if dossier.result is None:
        raise InvalidInput("not_signed", "Hồ sơ chưa có kết quả được ký.", message_en="No signed result yet.")
    return stored_pdf_response(c, dossier.result.storage_key, f"ket-qua-{dossier.code}.pdf")


@api_route(bp, "/signing/options", methods=("POST",), access=Access.OFFICIAL, tag="work",
           summary="Passkey challenge bound to the dossiers and the SHA-256 of the exact PDFs shown",
           request=schemas.SigningOptionsRequest, responses={200: schemas.ChallengeReply, **ERRORS})
def signing_options() -> Response:
    challenge_id, options = _c().signing.options(official_actor(), json_body().get("items"))
    return no_store({"challenge_id": challenge_id, "options": options})


@api_route(bp, "/signing/complete", methods=("POST",), access=Access.OFFICIAL, tag="work",
           summary="Verify the passkey assertion, sign each PDF (PAdES) and approve each dossier",
           request=schemas.SigningCompleteRequest, responses={200: schemas.SigningResults, **ERRORS})
def signing_complete() -> Response:
    body = json_body()
    results = _c().signing.complete(official_actor(), body.get("challenge_id"), body.get("credential"),
                                    body.get("items"))
    return no_store({"results": results})


@api_route(bp, "/intake", methods=("POST",), access=Access.OFFICIAL, tag="work",
           summary="Counter intake: start a paper dossier for a citizen (by phone number)",
           request=schemas.IntakeStart, responses={201: schemas.DossierOut, **ERRORS}, idempotent=True)
@idempotent(lambda: f"official:{official_actor().official.id}")
def intake_start() -> Response:
    actor = official_actor()
    body = json_body()
    c = _c()
    dossier = c.counter_intake.start(actor, office_id=body.get("office_id"),
                                     phone=body.get("applicant_phone"), procedure_code=body.get("procedure_code"),
                                     form=body.get("form"), competent_unit_id=body.get("competent_unit_id"))
    response = no_store(dossier_out(c.catalog, dossier, problems=c.dossiers.problems(dossier)))
    response.status_code = 201
    return response


@api_route(bp, "/intake/<dossier_id>/attachments", methods=("POST",), access=Access.OFFICIAL, tag="work",
           summary="Counter intake: attach a scanned paper", request=schemas.AttachmentUpload,
           request_content="multipart/form-data", responses={201: schemas.AttachmentOut, **ERRORS}, idempotent=True)
@idempotent(lambda: f"official:{official_actor().official.id}")
def intake_attach(dossier_id: str) -> Response:
    actor = official_actor()  # who asks comes before what they sent
    c = _c()
    data, filename, document_id = uploaded_file(c.settings.max_upload_bytes)
    attachment = c.counter_intake.attach(actor, dossier_id, document_id=document_id, data=data, filename=filename)
    response = no_store(attachment_out(attachment))
    response.status_code = 201
    return response


@api_route(bp, "/intake/<dossier_id>/submit", methods=("POST",), access=Access.OFFICIAL, tag="work",
           summary="Counter intake: assign the code and receive the dossier", responses={200: schemas.WorkDossier,
                                                                                       **ERRORS}, idempotent=True)
@idempotent(lambda: f"official:{official_actor().official.id}")
def intake_submit(dossier_id: str) -> Response:
    actor = official_actor()
    c = _c()
    dossier = c.counter_intake.submit(actor, dossier_id)
    return no_store(work_dossier(c.catalog, c.workflow, actor, dossier))


@api_route(bp, "/dossiers/<dossier_id>/deliveries", access=Access.OFFICIAL, tag="work",
           summary="What was sent to whom about this dossier (sent / failed / why)",
           responses={200: schemas.DeliveryLog, **ERRORS})
def deliveries(dossier_id: str) -> Response:
    c = _c()
    dossier = c.workflow.get(official_actor(), dossier_id)
    with c.uow(readonly=True) as uow:
        records = uow.deliveries.for_dossier(dossier.id)
    return no_store({"items": [
        {"at": iso(d.created_at), "channel": d.channel, "recipient": _masked(d), "title": d.title, "status": d.status,
         "attempts": d.attempts, "error": d.last_error, "sent_at": iso(d.sent_at)}
        for d in records]})


def _masked(d) -> str:  # type: ignore[no-untyped-def]
    if d.channel == "sms":
        return d.address[:4] + "***" + d.address[-3:]
    if d.channel == "email":
        name, _, domain = d.address.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{'công dân' if d.user_kind == 'citizen' else 'cán bộ'}"
