"""Public statistics, open data, and the leaders' dashboard (docs/statistics-and-open-data.md).

Public answers hold aggregate counts and catalog facts only — no dossier, no person. They carry an ETag and a short
public cache; in the process, rendered answers are kept per (counters version, URL), so a page polled by many
readers is computed once per change of the counters, and one version read tells whether it is still current.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from math import ceil
from typing import Any

from flask import Blueprint, Response, current_app, request
from flask.blueprints import BlueprintSetupState

from motcua.api import schemas
from motcua.api.open_data import PROCEDURE_COLUMNS, STATS_COLUMNS, procedure_row, render
from motcua.api.presenters import iso
from motcua.api.routing import Access, api_route
from motcua.api.security import current_session, device_label
from motcua.domain.errors import InvalidInput
from motcua.domain.lifecycle import label_vi
from motcua.services.statistics_report import StatsQuery

bp = Blueprint("stats", __name__, url_prefix="/api/v1")

FILTERS = (("unit", "Unit id", False), ("level", "province|district|commune", False),
           ("field", "Field of work id ('-' for feedback about no procedure)", False),
           ("procedure", "Procedure code", False), ("from", "First month, YYYY-MM (default: 11 months before 'to')",
                                                    False),
           ("to", "Last month, YYYY-MM (default: this month, Vietnam time)", False))
ERRORS = {401: schemas.ErrorReply, 403: schemas.ErrorReply, 422: schemas.ErrorReply}


def _c():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"]


def _json(payload: Any, *, cache: str) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = cache
    if cache.startswith("public"):
        response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response


class RenderedAnswers:
    """The last rendered public answers (bounded, least recently used out), keyed by counters version and URL."""

    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[tuple[object, ...], tuple[bytes, list[tuple[str, str]]]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> Response | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        return Response(hit[0], headers=hit[1]) if hit else None

    def put(self, key: tuple[object, ...], response: Response) -> None:
        if response.status_code != 200:
            return
        with self._lock:
            self._items[key] = (response.get_data(), list(response.headers.items()))
            while len(self._items) > self._size:
                self._items.popitem(last=False)


@bp.record_once
def _answers_cache(state: BlueprintSetupState) -> None:
    state.app.extensions["motcua_stats_answers"] = RenderedAnswers()


def _public(build: Callable[[], Response], *, counted: bool = True) -> Response:
    """A public answer from the in-process cache when the counters have not changed since it was rendered."""
    answers: RenderedAnswers = current_app.extensions["motcua_stats_answers"]
    key = (_c().stats.version() if counted else None, request.path, request.query_string)
    response = answers.get(key)
    if response is None:
        response = build()
        answers.put(key, response)
    return response.make_conditional(request)


@api_route(bp, "/stats", access=Access.PUBLIC, tag="statistics",
           summary="Public figures: counts, on-time rate, online share, online payment, apologies, satisfaction, "
                   "feedback; optionally grouped per unit, field or month; QĐ 766 indicator groups",
           query=(*FILTERS, ("group_by", "unit|field|month", False)),
           responses={200: schemas.StatsReply, 304: None, 422: schemas.ErrorReply})
def stats() -> Response:
    report = _c().stats
    return _public(lambda: _json(report.report(report.parse(request.args)), cache="public, max-age=60"))


def _open_stats(fmt: str) -> Response:
    report = _c().stats
    query = report.parse(request.args, allow_group=False)
    return _public(lambda: render(fmt, "thong-ke-giai-quyet-tthc", STATS_COLUMNS, report.open_data(query),
                                  extra={"period": {"from": query.month_from, "to": query.month_to}}))


def _open_procedures(fmt: str) -> Response:
    catalog = _c().catalog
    return _public(lambda: render(fmt, "danh-muc-thu-tuc-hanh-chinh", PROCEDURE_COLUMNS,
                                  [procedure_row(catalog, p) for p in catalog.all()]), counted=False)


@api_route(bp, "/open-data/stats.csv", access=Access.PUBLIC, tag="open data", query=FILTERS,
           summary="Open data: monthly figures per unit and field of work (CSV, UTF-8 with BOM; CC BY 4.0)",
           responses={200: "text/csv", 304: None, 422: schemas.ErrorReply})
def open_stats_csv() -> Response:
    return _open_stats("csv")


@api_route(bp, "/open-data/stats.json", access=Access.PUBLIC, tag="open data", query=FILTERS,
           summary="Open data: monthly figures per unit and field of work (JSON, same columns as the CSV)",
           responses={200: schemas.OpenDataDocument, 304: None, 422: schemas.ErrorReply})
def open_stats_json() -> Response:
    return _open_stats("json")


@api_route(bp, "/open-data/procedures.csv", access=Access.PUBLIC, tag="open data",
           summary="Open data: the procedure catalog (CSV, UTF-8 with BOM; CC BY 4.0)",
           responses={200: "text/csv", 304: None})
def open_procedures_csv() -> Response:
    return _open_procedures("csv")


@api_route(bp, "/open-data/procedures.json", access=Access.PUBLIC, tag="open data",
           summary="Open data: the procedure catalog (JSON, same columns as the CSV)",
           responses={200: schemas.OpenDataDocument, 304: None})
def open_procedures_json() -> Response:
    return _open_procedures("json")


# --- leaders' dashboard ---------------------------------------------------------------------------------------


def _leader():  # type: ignore[no-untyped-def]
    return _c().workflow.actor(current_session(), device_label()).official


def _min_resolved() -> int:
    raw = request.args.get("min_resolved") or "10"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        raise InvalidInput("invalid_filter", "Bộ lọc không hợp lệ: số hồ sơ tối thiểu phải là số nguyên.",
                           message_en="min_resolved must be a whole number.",
                           fields={"min_resolved": "Số nguyên không âm."})
    return int(raw)


@api_route(bp, "/dashboard/units", access=Access.OFFICIAL, tag="dashboard",
           summary="Units this leader follows on the dashboard (provincial leaders: all)",
           responses={200: schemas.DashboardUnits, **ERRORS})
def dashboard_units() -> Response:
    c = _c()
    items = [{"id": u, "name": c.catalog.units.get(u).name} for u in c.stats.visible_units(_leader())]
    return _json({"items": items}, cache="no-store")


@api_route(bp, "/dashboard/worst-units", access=Access.OFFICIAL, tag="dashboard",
           summary="Lowest on-time rates among the leader's units with at least min_resolved resolved dossiers",
           query=(("field", "Field of work id", False), ("from", "First month, YYYY-MM", False),
                  ("to", "Last month, YYYY-MM", False), ("min_resolved", "Volume threshold (default 10)", False)),
           responses={200: schemas.WorstUnits, **ERRORS})
def worst_units() -> Response:
    c = _c()
    official = _leader()
    query: StatsQuery = c.stats.parse({k: v for k, v in request.args.items() if k in ("field", "from", "to")},
                                      allow_group=False)
    threshold = _min_resolved()
    items = c.stats.worst_units(official, query, min_resolved=threshold)
    return _json({"filters": {**query.filters(), "group_by": "unit"}, "min_resolved": threshold, "items": items},
                 cache="no-store")


@api_route(bp, "/dashboard/overdue", access=Access.OFFICIAL, tag="dashboard",
           summary="Unresolved dossiers of one unit past their due time (paged through the worklist index)",
           query=(("unit", "Unit id (default: the leader's first unit)", False),
                  ("page_token", "Opaque token from the previous page", False)),
           responses={200: schemas.OverdueList, **ERRORS})
def overdue() -> Response:
    c = _c()
    unit_arg = request.args.get("unit") or None
    token = request.args.get("page_token") or None
    if (unit_arg and len(unit_arg) > 100) or (token and len(token) > 500):
        raise InvalidInput("validation_failed", "Tham số quá dài.", message_en="Parameter too long.")
    unit_id, page = c.stats.overdue(_leader(), unit_arg, page_token=token)
    now = c.clock.now()
    items = [{"id": d.id, "code": d.code,
              "procedure": {"id": d.procedure_code, "name": c.catalog.get(d.procedure_code).name},
              "status": d.status.value, "status_label_vi": label_vi(d.status), "due_at": iso(d.due_at),
              "days_overdue": _days(now, d.due_at),
              "holder_unit": {"id": d.holder_unit_id or "", "name": c.catalog.units.get(d.holder_unit_id).name}}
             for d in page.items]
    return _json({"unit": {"id": unit_id, "name": c.catalog.units.get(unit_id).name}, "items": items,
                  "next_page_token": page.next_page_token}, cache="no-store")


def _days(now: datetime, due: datetime | None) -> int:
    return max(1, ceil((now - due).total_seconds() / 86400)) if due else 0
