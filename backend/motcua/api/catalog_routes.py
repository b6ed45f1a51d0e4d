"""The public catalog: procedures, search, fields of work, offices, due-date estimates."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, current_app, jsonify, request

from motcua.api import schemas
from motcua.api.presenters import (
    iso,
    local_iso,
    procedure_detail,
    procedure_summary,
    processing_time_out,
    unit_out,
)
from motcua.api.routing import Access, api_route
from motcua.domain.errors import InvalidInput
from motcua.domain.procedures import PROCEDURE_CODE

bp = Blueprint("catalog", __name__, url_prefix="/api/v1")

PUBLIC_CACHE = "public, max-age=300, stale-while-revalidate=86400"


def _public(payload: object) -> Response:
    response = jsonify(payload)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


def _container():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def _query_arg(name: str, max_length: int = 100) -> str | None:
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if len(value) > max_length:
        raise InvalidInput("validation_failed", "Từ khóa quá dài.", message_en="Query too long.",
                           fields={name: f"Tối đa {max_length} ký tự."})
    return value


@api_route(bp, "/procedures", access=Access.PUBLIC, tag="catalog", summary="Search procedures",
           query=(("q", "Search text, with or without diacritics", False),
                  ("level", "province|district|commune", False),
                  ("field", "Field of work id", False), ("unit", "Competent unit id", False)),
           responses={200: schemas.ProcedureList, 422: schemas.ErrorReply})
def list_procedures() -> Response:
    catalog = _container().catalog
    found = catalog.search(_query_arg("q", 200) or "", level=_query_arg("level"), field=_query_arg("field"),
                           unit=_query_arg("unit"))
    return _public({"items": [procedure_summary(catalog, p) for p in found]})


@api_route(bp, "/procedures/<code>", access=Access.PUBLIC, tag="catalog", summary="One procedure in full",
           responses={200: schemas.ProcedureDetail, 404: schemas.ErrorReply})
def get_procedure(code: str) -> Response:
    catalog = _container().catalog
    return _public(procedure_detail(catalog, catalog.get(code)))


SAMPLE_CACHE = "public, max-age=300, must-revalidate"


@api_route(bp, "/procedures/<code>/sample-dossier.pdf", access=Access.PUBLIC, tag="catalog",
           summary="The sample dossier (hồ sơ mẫu): filled and blank declaration, papers, fee, time, where to file",
           responses={200: "application/pdf", 304: None, 404: schemas.ErrorReply, 422: schemas.ErrorReply})
def sample_dossier(code: str) -> Response:
    if not PROCEDURE_CODE.fullmatch(code):
        raise InvalidInput("invalid_procedure_code", "Mã thủ tục không hợp lệ.",
                           message_en="A procedure code looks like 1.001193.")
    sample = _container().samples.sample(code, if_none_match=request.if_none_match.contains_weak)
    if sample.data is None:
        response = Response(status=304)
    else:
        response = Response(sample.data, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="ho-so-mau-{code}.pdf"'
    response.set_etag(sample.etag)
    response.headers["Cache-Control"] = SAMPLE_CACHE
    return response


@api_route(bp, "/procedures/<code>/due-date", access=Access.PUBLIC, tag="catalog",
           summary="When the result is due if the dossier is received at the given time (default: now)",
           query=(("received_at", "ISO 8601 date-time with offset", False),),
           responses={200: schemas.DueDateReply, 404: schemas.ErrorReply, 422: schemas.ErrorReply})
def due_date(code: str) -> Response:
    container = _container()
    procedure = container.catalog.get(code)
    raw = request.args.get("received_at")
    if raw:
        try:
            received_at = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
        except ValueError:
            received_at = None
        if received_at is None or received_at.tzinfo is None:
            raise InvalidInput("validation_failed", "Thời điểm nộp không hợp lệ.",
                               message_en="received_at must be an ISO 8601 date-time with a time zone.",
                               fields={"received_at": "Thời điểm nộp: dùng định dạng ISO 8601 có múi giờ."})
    else:
        received_at = container.clock.now()
    if not 2000 <= received_at.year <= 2100:
        raise InvalidInput("validation_failed", "Thời điểm nộp ngoài phạm vi.", message_en="received_at out of range.",
                           fields={"received_at": "Thời điểm nộp: ngoài phạm vi."})
    due = container.calendar.due_at(received_at, procedure.processing_time)
    response = jsonify({"due_at": iso(due), "due_at_local": local_iso(due),
                        "processing_time": processing_time_out(procedure.processing_time)})
    response.headers["Cache-Control"] = "no-cache" if not raw else PUBLIC_CACHE
    return response


@api_route(bp, "/fields", access=Access.PUBLIC, tag="catalog", summary="Fields of work (lĩnh vực)",
           responses={200: schemas.FieldList})
def fields() -> Response:
    catalog = _container().catalog
    return _public({"items": [{"id": f.id, "name": f.name, "name_en": f.name_en}
                              for f in catalog.fields_of_work.values()]})


@api_route(bp, "/offices", access=Access.PUBLIC, tag="catalog",
           summary="One-stop offices where a dossier may be filed (any of them: phi địa giới)",
           responses={200: schemas.UnitList})
def offices() -> Response:
    return _public({"items": [unit_out(u) for u in _container().catalog.units.offices()]})


@api_route(bp, "/units", access=Access.PUBLIC, tag="catalog", summary="Units, optionally of one level",
           query=(("level", "province|district|commune", False),), responses={200: schemas.UnitList})
def units() -> Response:
    level = _query_arg("level")
    items = [u for u in _container().catalog.units if level is None or str(u.level) == level]
    return _public({"items": [unit_out(u) for u in items]})


@api_route(bp, "/config", access=Access.PUBLIC, tag="meta", summary="What the PWA needs to know about this server",
           responses={200: schemas.ConfigReply})
def config() -> Response:
    settings = _container().settings
    return jsonify({"dev_mode": settings.dev_mode, "province": "Đồng Nai",
                    "max_upload_bytes": settings.max_upload_bytes, "vapid_public_key": None,
                    "direct_uploads": _container().direct_uploads is not None})
