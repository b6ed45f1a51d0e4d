"""Request parsing, error replies and idempotent replays: the plumbing every blueprint shares."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, jsonify, redirect, request
from werkzeug.exceptions import HTTPException

from motcua.domain.errors import Conflict, DomainError, InvalidInput, NotFound, TooManyRequests
from motcua.services.ports import IdempotencyRecord

log = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"


def error_response(code: str, message: str, status: int, *, message_en: str | None = None,
                   fields: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"code": code, "message": message, "message_en": message_en or message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def domain_error_response(exc: DomainError) -> Response:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    return error_response(exc.code, exc.message, exc.http_status, message_en=exc.message_en, fields=exc.fields,
                          headers=headers)


HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ.", "Bad request."),
    404: ("not_found", "Không tìm thấy.", "Not found."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."),
    413: ("file_too_large", "Tệp hoặc yêu cầu quá lớn.", "Request too large."),
    415: ("unsupported_media_type", "Định dạng dữ liệu không được hỗ trợ.", "Unsupported media type."),
}


def http_error_response(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, vi, en = HTTP_MESSAGES.get(status, ("http_error", "Yêu cầu không thể xử lý.", exc.name))
    return error_response(code, vi, status, message_en=en)


def json_body() -> dict[str, Any]:
    """The request's JSON object; anything else is a clear 4xx, never a 500."""
    if not request.data:
        return {}
    if not request.is_json:
        raise InvalidInput("unsupported_media_type", "Nội dung phải là JSON.",
                           message_en="Send the body as application/json.")
    try:
        value = json.loads(request.get_data(cache=True))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("invalid_json", "Dữ liệu JSON không hợp lệ.", message_en="Malformed JSON.") from exc
    if not isinstance(value, dict):
        raise InvalidInput("invalid_json", "Dữ liệu phải là một đối tượng JSON.", message_en="Send a JSON object.")
    return value


def idempotent(scope_of: Callable[[], str]) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Honour ``Idempotency-Key``: the same key and body replay the first reply; another body gets 409.

    The key is reserved before the work starts, so two identical requests racing each other cannot both act (on
    SQLite the second waits for the first and replays it; stores without one transaction answer 409
    ``request_in_progress``). Only 2xx replies are stored, so a corrected retry with the same key acts.
    """

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            key = request.headers.get(IDEMPOTENCY_HEADER)
            if key is None:
                return view(*args, **kwargs)
            if not (8 <= len(key) <= 200) or not key.isascii() or not key.isprintable():
                raise InvalidInput("invalid_idempotency_key", "Idempotency-Key không hợp lệ.",
                                   message_en="Idempotency-Key must be 8–200 printable ASCII characters.")
            container = current_app.config["MOTCUA"]
            scope = f"{scope_of()}|{request.method} {request.path}"
            request_hash = _request_fingerprint()
            # One unit of work

            with container.uow() as uow:
                existing = uow.idempotency.reserve(scope, key, request_hash, now=container.clock.now())
                if existing is not None:
                    return _replay(existing, request_hash)
                try:
                    response = view(*args, **kwargs)
                except DomainError as exc:
                    return domain_error_response(exc)  # nothing is kept: a corrected retry with this key acts
                if not 200 <= response.status_code < 300:
                    return response
                uow.idempotency.complete(scope, key, status_code=response.status_code, body=response.get_data(),
                                         headers={"Content-Type": response.content_type or "application/json"})
                uow.commit()
            return response

        return wrapper

    return decorate


def _request_fingerprint() -> str:
    """What "the same request" means: the JSON body as sent, or for a multipart upload its fields and file bytes
    (a retry from the phone has a new multipart boundary, so the raw bytes would differ)."""
    digest = hashlib.sha256()
    if request.mimetype == "multipart/form-data":
        for name in sorted(request.form):
            digest.update(f"field:{name}={request.form[name]}\n".encode())
        for name in sorted(request.files):
            for storage in request.files.getlist(name):
                digest.update(f"file:{name}:{storage.filename}:".encode())
                digest.update(hashlib.sha256(storage.stream.read()).digest())
                storage.stream.seek(0)
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(existing: IdempotencyRecord, request_hash: str) -> Response:
    if existing.request_hash != request_hash:
        raise Conflict("idempotency_key_reused", "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.",
                       message_en="This Idempotency-Key was used for a different request.")
    if existing.status_code is None:
        raise Conflict("request_in_progress", "Yêu cầu đang được xử lý. Vui lòng thử lại sau giây lát.",
                       message_en="The same request is still being processed. Retry shortly.")
    replay = Response(existing.body, status=existing.status_code, headers=existing.headers)
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


def private_file_response(data: bytes, content_type: str, *, filename: str | None = None) -> Response:
    """A private file (an attachment, a PDF made for one person) shown inline; personal data, so never cached by
    browsers or proxies."""
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"' if filename else "inline"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def pdf_response(data: bytes, filename: str) -> Response:
    """A private PDF shown inline under ``filename`` (see :func:`private_file_response`)."""
    return private_file_response(data, "application/pdf", filename=filename)


def stored_pdf_response(container: Any, storage_key: str, filename: str) -> Response:
    """A stored PDF (a signed result). On AWS: a redirect to a presigned S3 link that expires within minutes
    (``MOTCUA_DOWNLOAD_URL_TTL``), so a large PDF never passes through Lambda; otherwise the bytes themselves."""
    if container.aws is not None:
        url = container.aws.results.download_url(storage_key, filename=filename,
                                                 expires_in=container.settings.aws.download_url_ttl)
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    data = container.files.get(storage_key)
    if data is None:
        raise NotFound("file_not_found", "Không tìm thấy tệp.", message_en="File not found.")
    return pdf_response(data, filename)


def uploaded_file(max_bytes: int) -> tuple[bytes, str, object]:
    """The multipart ``file`` (read up to one byte past the limit, so the size check can refuse it), its name, and
    the form's ``document_id``; a clear 422 when no file was sent."""
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("validation_failed", "Chưa chọn tệp.", message_en="No file was sent.",
                           fields={"file": "Tệp: chưa chọn tệp."})
    return upload.stream.read(max_bytes + 1), upload.filename or "", request.form.get("document_id")


def no_store(payload: object, status: int = 200) -> Response:
    """JSON that no cache keeps: personal or per-person answers."""
    response = jsonify(payload)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def query_arg(name: str, *, max_length: int = 500) -> str | None:
    """A query-string filter: None when absent or empty, 422 naming it when absurdly long."""
    value = request.args.get(name) or None
    if value is not None and len(value) > max_length:
        raise InvalidInput("validation_failed", "Tham số quá dài.", message_en=f"{name} is too long.",
                           fields={name: "Quá dài."})
    return value


def page_token_arg() -> str | None:
    """The ``page_token`` query argument of a paged list: None when absent, a 422 invalid_page_token when too long
    to be one of ours (the store refuses any other bad token the same way)."""
    token = request.args.get("page_token") or None
    if token is not None and len(token) > 500:
        raise InvalidInput("invalid_page_token", "Mã trang không hợp lệ.", message_en="Invalid page token.")
    return token
