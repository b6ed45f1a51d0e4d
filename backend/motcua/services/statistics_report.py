"""Reading the statistics: the public figures (``GET /api/v1/stats``), the open-data table, and the leaders'
dashboard (worst-performing units, overdue dossiers).

Every answer reads counter rows only — at most units × fields × months of them, usually the rollups — never the
dossiers; the overdue list pages through the worklist index of one unit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from motcua.domain import statistics as st
from motcua.domain.calendar import VN_TZ
from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Forbidden, InvalidInput
from motcua.domain.lifecycle import DossierStatus
from motcua.domain.officials import Official, Role
from motcua.domain.units import Level
from motcua.services.page_tokens import decode_page_token, encode_page_token
from motcua.services.ports import Clock, Page, UnitOfWorkFactory

SCHEMA_VERSION = "1.0"
MONTH = re.compile(r"20[0-9]{2}-(0[1-9]|1[0-2])")
MAX_MONTHS = 36
DEFAULT_MONTHS = 12
GROUPS = ("unit", "field", "month")
# Unresolved and on the administration's clock: a dossier waiting for the citizen (supplement, fee) is not overdue.
OVERDUE_STATUSES = (DossierStatus.SUBMITTED, DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS,
                    DossierStatus.WITHDRAWAL_REQUESTED)


@dataclass(frozen=True)
class StatsQuery:
    month_from: str
    month_to: str
    unit: str | None = None
    level: str | None = None
    field: str | None = None
    procedure: str | None = None
    group_by: str | None = None

    def filters(self) -> dict[str, str | None]:
        return {"unit": self.unit, "level": self.level, "field": self.field, "procedure": self.procedure,
                "from": self.month_from, "to": self.month_to, "group_by": self.group_by}


def _bad(name: str, vi: str, en: str) -> InvalidInput:
    return InvalidInput("invalid_filter", f"Bộ lọc không hợp lệ: {vi}", message_en=f"Invalid filter: {en}",
                        fields={name: vi})


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(month_from: str, month_to: str) -> list[str]:
    return [month_name(i) for i in range(month_index(month_from), month_index(month_to) + 1)]


class StatisticsReport:
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, clock: Clock) -> None:
        self._uow = uow
        self._catalog = catalog
        self._clock = clock

    # --- filters ----------------------------------------------------------------------------------------------

    def parse(self, args: Mapping[str, str], *, allow_group: bool = True) -> StatsQuery:
        """Validate query-string filters; a clear 422 names the first bad one. Defaults: the last 12 months."""
        def arg(name: str) -> str | None:
            value = args.get(name)
            if value is None or value == "":
                return None
            if len(value) > 100:
                raise _bad(name, "quá dài.", "too long.")
            return value

        now_month = self._clock.now().astimezone(VN_TZ).strftime("%Y-%m")
        month_to, month_from = arg("to"), arg("from")
        for name, value in (("from", month_from), ("to", month_to)):
            if value is not None and not MONTH.fullmatch(value):
                raise _bad(name, "tháng phải có dạng YYYY-MM (ví dụ 2026-11).", f"{name} must be YYYY-MM.")
        month_to = month_to or (now_month if month_from is None or month_from <= now_month
                                else month_from)
        month_from = month_from or month_name(month_index(month_to) - DEFAULT_MONTHS + 1)
        if month_from > month_to:
            raise _bad("from", "tháng bắt đầu sau tháng kết thúc.", "from is after to.")
        if month_index(month_to) - month_index(month_from) + 1 > MAX_MONTHS:
            raise _bad("from", f"tối đa {MAX_MONTHS} tháng mỗi lần.", f"at most {MAX_MONTHS} months at a time.")
        unit, level, field, procedure = arg("unit"), arg("level"), arg("field"), arg("procedure")
        if unit is not None and unit not in self._catalog.units:
            raise _bad("unit", "không có đơn vị này.", "unknown unit.")
        if level is not None and level not in {lv.value for lv in Level}:
            raise _bad("level", "cấp phải là province, district hoặc commune.", "level must be a Level.")
        if unit is not None and level is not None and self._catalog.units.get(unit).level.value != level:
            raise _bad("level", "đơn vị không thuộc cấp này.", "the unit is not at that level.")
        if field is not None and field not in self._catalog.fields_of_work and field != st.NO_FIELD:
            raise _bad("field", "không có lĩnh vực này.", "unknown field of work.")
        if procedure is not None and self._catalog.find(procedure) is None:
            raise _bad("procedure", "không có thủ tục này.", "unknown procedure.")
        group_by = arg("group_by")
        if group_by is not None and (not allow_group or group_by not in GROUPS):
            raise _bad("group_by", "nhóm theo unit, field hoặc month.", "group_by must be unit, field or month.")
        return StatsQuery(month_from, month_to, unit, level, field, procedure, group_by)

    # --- reading ----------------------------------------------------------------------------------------------

    def version(self) -> int:
        """Changes whenever the counters do (cache key of the public answers)."""
        with self._uow(readonly=True) as uow:
            return uow.statistics.version()

    def _units_at(self, level: str | None) -> list[str]:
        return [u.id for u in self._catalog.units if level is None or u.level.value == level]

    def _plan(self, q: StatsQuery) -> tuple[list[str], list[str], str]:
        """Which counter rows answer the query: the rollups unless the query needs units or fields one by one."""
        procedure = q.procedure or ""
        if q.unit:
            units = [q.unit]
        elif q.group_by == "unit" or procedure:
            units = self._units_at(q.level)
        elif q.level:
            units = [st.level_scope(q.level)]
        else:
            units = [st.ALL]
        if procedure:
            home = self._catalog.get(procedure).field
            fields = [home] if q.field in (None, home) else []
        elif q.field:
            fields = [q.field]
        elif q.group_by == "field":
            fields = [*self._catalog.fields_of_work, st.NO_FIELD]
        else:
            fields = [st.ALL]
        return units, fields, procedure

    def _rows(self, q: StatsQuery) -> list[tuple[st.StatKey, tuple[int, ...]]]:
        units, fields, procedure = self._plan(q)
        with self._uow(readonly=True) as uow:
            return uow.statistics.read(units=units, fields=fields, procedure_code=procedure,
                                       month_from=q.month_from, month_to=q.month_to)

    def report(self, q: StatsQuery) -> dict[str, Any]:
        rows = self._rows(q)
        report: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "filters": q.filters(),
                                  "totals": figures(st.sum_rows(r for _, r in rows))}
        if q.group_by:
            report["groups"] = self._groups(q, rows)
        report["indicators"] = [vars(i) for i in st.indicators(report["totals"])]
        return report

    def _groups(self, q: StatsQuery, rows: list[tuple[st.StatKey, tuple[int, ...]]]) -> list[dict[str, Any]]:
        buckets: dict[str, list[tuple[int, ...]]] = {}
        for key, values in rows:
            name = {"unit": key.unit_id, "field": key.field, "month": key.month}[q.group_by or "month"]
            buckets.setdefault(name, []).append(values)
        if q.group_by == "month":
            order = months_between(q.month_from, q.month_to)  # every month, so a chart has no gaps
        elif q.group_by == "unit":
            order = [u.id for u in self._catalog.units.offices()] + sorted(
                u.id for u in self._catalog.units if not u.has_one_stop_office)
            order = [k for k in dict.fromkeys(order) if k in buckets]
        else:
            order = [k for k in [*self._catalog.fields_of_work, st.NO_FIELD] if k in buckets]
        return [{"key": k, **self.label(q.group_by or "month", k), **figures(st.sum_rows(buckets.get(k, [])))}
                for k in order]

    def label(self, kind: str, key: str) -> dict[str, str]:
        if kind == "unit":
            unit = self._catalog.units.find(key)
            return {"label": unit.name if unit else key, "label_en": unit.name_en if unit else key}
        if kind == "field":
            found = self._catalog.fields_of_work.get(key)
            return {"label": found.name if found else "Không gắn lĩnh vực",
                    "label_en": found.name_en if found else "No field of work"}
        return {"label": key, "label_en": key}

    def open_data(self, q: StatsQuery) -> list[dict[str, Any]]:
        """The open-data table: one row per month, unit and field with any figure (schema in the docs)."""
        units = [q.unit] if q.unit else self._units_at(q.level)
        fields = [q.field] if q.field else [*self._catalog.fields_of_work, st.NO_FIELD]
        with self._uow(readonly=True) as uow:
            rows = uow.statistics.read(units=units, fields=fields, procedure_code="", month_from=q.month_from,
                                       month_to=q.month_to)
        rank = {u: i for i, u in enumerate(self._units_at(None))}
        field_rank = {f: i for i, f in enumerate([*self._catalog.fields_of_work, st.NO_FIELD])}
        rows.sort(key=lambda r: (r[0].month, rank.get(r[0].unit_id, 0), field_rank.get(r[0].field, 0)))
        return [self._open_row(key, dict(zip(st.METRICS, values, strict=True))) for key, values in rows if any(values)]

    def _open_row(self, key: st.StatKey, values: dict[str, int]) -> dict[str, Any]:
        unit = self._catalog.units.get(key.unit_id)
        field = self._catalog.fields_of_work.get(key.field)
        r = st.rates(values)
        row: dict[str, Any] = {"month": key.month, "unit_id": unit.id, "unit_name": unit.name,
                               "unit_level": unit.level.value, "field_id": field.id if field else "",
                               "field_name": field.name if field else ""}
        row.update({name: values[name] for name in OPEN_COUNTS})
        row.update({name: r[name] for name in OPEN_RATES})
        return row

    # --- leaders' dashboard -----------------------------------------------------------------------------------

    def visible_units(self, official: Official) -> list[str]:
        """Leaders see their units and the units under them; a leader or administrator of the province (a root
        unit) sees every unit. Other officials have no dashboard."""
        roots: list[str] = []
        for membership in official.memberships:
            if membership.role in (Role.LEADER, Role.ADMIN):
                unit = self._catalog.units.find(membership.unit_id)
                if unit is not None and (membership.role is Role.LEADER or unit.parent_id is None):
                    roots.append(unit.id)
        if not roots:
            raise Forbidden("not_a_leader", "Trang tổng quan dành cho lãnh đạo đơn vị.",
                            message_en="The dashboard is for leaders.")
        seen: dict[str, None] = {}
        pending = list(roots)
        while pending:
            unit_id = pending.pop(0)
            if unit_id not in seen:
                seen[unit_id] = None
                pending += [c.id for c in self._catalog.units.children(unit_id)]
        return list(seen)

    def worst_units(self, official: Official, q: StatsQuery, *, min_resolved: int, limit: int = 10
                    ) -> list[dict[str, Any]]:
        """Units with the lowest on-time rate among those that resolved at least ``min_resolved`` dossiers."""
        visible = self.visible_units(official)
        with self._uow(readonly=True) as uow:
            rows = uow.statistics.read(units=visible, fields=[q.field or st.ALL], procedure_code="",
                                       month_from=q.month_from, month_to=q.month_to)
        per_unit: dict[str, list[tuple[int, ...]]] = {}
        for key, values in rows:
            per_unit.setdefault(key.unit_id, []).append(values)
        ranked = []
        for unit_id, unit_rows in per_unit.items():
            f = figures(st.sum_rows(unit_rows))
            if f["resolved"] >= min_resolved and f["on_time_rate"] is not None:
                ranked.append({"key": unit_id, **self.label("unit", unit_id), **f})
        ranked.sort(key=lambda g: (g["on_time_rate"], -g["resolved_late"], g["key"]))
        return ranked[:limit]

    def overdue(self, official: Official, unit_id: str | None, *, page_token: str | None, limit: int = 20
                ) -> tuple[str, Page[Dossier]]:
        """Unresolved dossiers held by one unit and past their due time, most overdue first within each status.

        Reads the worklist index (holder unit, status, due date) a page at a time and stops at the first dossier
        not yet due, so it never reads more than the overdue dossiers plus one page.
        """
        visible = self.visible_units(official)
        unit_id = unit_id or visible[0]
        if unit_id not in visible:
            raise Forbidden("not_your_unit", "Bạn không theo dõi đơn vị này.",
                            message_en="This unit is not one of yours.")
        position = _decode(page_token)
        now = self._clock.now()
        found: list[Dossier] = []
        status_index, inner = int(position.get("s", 0)), position.get("t")
        next_token: str | None = None
        with self._uow(readonly=True) as uow:
            while status_index < len(OVERDUE_STATUSES) and len(found) < limit:
                page = uow.dossiers.list_worklist(unit_id, limit=limit - len(found), page_token=inner,
                                                  status=OVERDUE_STATUSES[status_index].value)
                due = [d for d in page.items if d.due_at is not None and d.due_at < now]
                found += due
                if page.next_page_token is not None and len(due) == len(page.items):
                    inner = page.next_page_token
                    continue
                status_index, inner = status_index + 1, None
            if status_index < len(OVERDUE_STATUSES):
                next_token = encode_page_token({"s": status_index, "t": inner})
        return unit_id, Page(items=found, next_page_token=next_token)


OPEN_COUNTS = ("received", "received_online", "received_counter", "received_post", "received_cross_office",
               "resolved", "resolved_early", "resolved_on_time", "resolved_late", "refused", "withdrawn", "stopped",
               "supplements_requested", "apologies", "fee_bearing", "paid_online", "ratings", "ratings_satisfied",
               "feedback_received", "feedback_answered", "feedback_answered_on_time")
OPEN_RATES = ("on_time_rate", "online_share", "online_payment_share", "satisfaction_rate", "rating_average",
              "feedback_on_time_rate")
OPEN_STATS_COLUMNS = ("month", "unit_id", "unit_name", "unit_level", "field_id", "field_name", *OPEN_COUNTS,
                      *OPEN_RATES)


def figures(totals: Mapping[str, int]) -> dict[str, Any]:
    return {**totals, **st.rates(totals)}


def _decode(token: str | None) -> dict[str, Any]:
    """The overdue list's position: which status (``s``) and that status's own page token (``t``)."""
    if not token:
        return {}
    value = decode_page_token(token)
    if (not isinstance(value.get("s"), int) or not 0 <= value["s"] < len(OVERDUE_STATUSES)
            or not isinstance(value.get("t"), str | None)):
        raise InvalidInput("invalid_page_token", "Mã trang không hợp lệ.", message_en="Invalid page token.")
    return value
