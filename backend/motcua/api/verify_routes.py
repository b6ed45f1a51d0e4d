"""Public verification of signed results: upload a PDF, or follow the QR code printed on it."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from motcua.api import schemas
from motcua.api.routing import Access, api_route
from motcua.domain.codes import normalise_code
from motcua.domain.errors import InvalidInput, NotFound
from motcua.services.ports import VerificationResult

bp = Blueprint("verify", __name__, url_prefix="/api/v1/verify")

MAX_PDF_BYTES = 20 * 1024 * 1024


def _out(result: VerificationResult) -> dict[str, object]:
    return {
        "valid": result.valid,
        "signers": [{"name": s.name, "unit": s.unit, "signed_at": s.signed_at.isoformat() if s.signed_at else None}
                    for s in result.signers],
        "modified_after_signing": result.modified_after_signing,
        "reason": result.reason,
    }


@api_route(bp, "", methods=("POST",), access=Access.PUBLIC, tag="verify",
           summary="Is this signed PDF valid, who signed it, and was it changed after signing?",
           request=schemas.VerifyUpload, request_content="multipart/form-data",
           responses={200: schemas.VerifyReply, 413: schemas.ErrorReply, 422: schemas.ErrorReply})
def verify_upload() -> Response:
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("validation_failed", "Chưa chọn tệp PDF.", message_en="No file was sent.",
                           fields={"file": "Chọn tệp PDF cần kiểm tra."})
    data = upload.stream.read(MAX_PDF_BYTES + 1)
    response = jsonify(_out(current_app.config["MOTCUA"].verifier.verify(data)))
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(bp, "/<code>", access=Access.PUBLIC, tag="verify",
           summary="Check the signed result kept for a dossier code (the QR code on the document leads here)",
           responses={200: schemas.VerifyReply, 404: schemas.ErrorReply})
def verify_code(code: str) -> Response:
    c = current_app.config["MOTCUA"]
    normalised = normalise_code(code)
    dossier = None
    if normalised:
        with c.uow(readonly=True) as uow:
            dossier = uow.dossiers.get_by_code(normalised)
    data = c.signing.signed_result(dossier) if dossier is not None else None
    if data is None:
        raise NotFound("not_found", "Không có kết quả được ký số với mã hồ sơ này.",
                       message_en="No signed result exists for this code.")
    # The document itself holds personal data: it is given to its owner, never to whoever knows a code.
    response = jsonify({**_out(c.verifier.verify(data)), "download_url": None})
    response.headers["Cache-Control"] = "no-store"
    return response
