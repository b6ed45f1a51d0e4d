"""Public statistics: what is counted, when, and under which key; the rates derived from the counts.

Pure: no I/O. Two paths produce the same facts, so the operator's recount equals the running counters:
``facts_from_event`` reads one committed event (the outbox consumer) and ``facts_from_dossier`` reads a dossier's
history (``python -m motcua rebuild-stats``). Each fact becomes increments of a few counter rows.

Counter rows are keyed by (unit, field of work, procedure, month in Vietnam time). Besides the unit's own rows
(one per procedure, and one for the whole field with procedure ``""``), each increment also lands on rollup rows,
so that any filter reads at most units × fields × months rows and the common questions read far fewer:
``(unit, "*")`` all fields of a unit, ``("*", field)`` the whole province, ``("level:commune", field)`` one level.

What counts (DOMAIN.md): a dossier is *received* when it is submitted (online, at the counter or by post), and
*cross-office* (phi địa giới) when it was filed at an office other than the competent unit's own. It is *resolved*
when a leader approves and signs its result, classed early / on time / late against its due date at that moment —
the legal date, pushed back only by a supplement that paused the clock; an apology gives the citizen a new date but
does not move the legal one, so a dossier that needed an apology still counts late. Refusals, stops (withdrawn when
the applicant asked for it) are counted when they happen, not as resolved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .calendar import VN_TZ, WorkingCalendar
from .dossiers import Dossier
from .lifecycle import Action, DossierStatus
from .ratings import CRITERIA
from .units import UnitTree
from .workflow import classify

DOSSIER_METRICS: tuple[str, ...] = (
    "received", "received_online", "received_counter", "received_post", "received_cross_office", "fee_bearing",
    "resolved", "resolved_early", "resolved_on_time", "resolved_late",
    "refused", "withdrawn", "stopped", "supplements_requested", "apologies", "paid_online",
)
RATING_METRICS: tuple[str, ...] = (
    "ratings", "rating_sum", "ratings_satisfied",
    *(f"rating_{c}_{part}" for c in CRITERIA for part in ("sum", "count")),
)
FEEDBACK_METRICS: tuple[str, ...] = ("feedback_received", "feedback_answered", "feedback_answered_on_time")
METRICS: tuple[str, ...] = DOSSIER_METRICS + RATING_METRICS + FEEDBACK_METRICS

ALL = "*"  # the rollup over every unit, or every field
NO_FIELD = "-"  # feedback not about a procedure
SATISFIED_FROM = 4  # an overall score of 4 or 5 out of 5 counts as satisfied


def level_scope(level: str) -> str:
    return f"level:{level}"


def month_of(at: datetime) -> str:
    """The month (YYYY-MM) a moment falls in, in Vietnam time: 23:30 on 31 October in Đồng Nai is October."""
    return at.astimezone(VN_TZ).strftime("%Y-%m")


@dataclass(frozen=True)
class StatKey:
    unit_id: str  # a unit id, ALL, or level_scope(...)
    field: str  # a field of work id, ALL, or NO_FIELD
    procedure_code: str  # "" for every procedure of the field
    month: str  # YYYY-MM


@dataclass(frozen=True)
class Fact:
    """Something countable that happened to one unit's figures at one moment."""

    at: datetime
    unit_id: str
    procedure_code: str
    deltas: Mapping[str, int] = field(default_factory=dict)


def is_cross_office(units: UnitTree, receiving_office_id: str | None, competent_unit_id: str | None) -> bool:
    """Filed at another office than the competent unit's own (phi địa giới).

    A unit with its own one-stop office (a commune) receives its own dossiers; a unit without one (a department)
    has them received by an office at its own level (the provincial centre). Anywhere else is cross-office.
    """
    if not receiving_office_id or not competent_unit_id or receiving_office_id == competent_unit_id:
        return False
    competent, office = units.find(competent_unit_id), units.find(receiving_office_id)
    if competent is None or office is None:
        return False
    return competent.has_one_stop_office or office.level is not competent.level


def _received(channel: str, fee_vnd: int, cross_office: bool) -> dict[str, int]:
    deltas = {"received": 1, f"received_{channel if channel in ('online', 'counter', 'post') else 'online'}": 1}
    if cross_office:
        deltas["received_cross_office"] = 1
    if fee_vnd > 0:
        deltas["fee_bearing"] = 1
    return deltas


def _step_deltas(calendar: WorkingCalendar, action: str, at: datetime, due_at: datetime | None,
                 previous_status: str | None) -> dict[str, int]:
    if action == Action.APPROVE:
        outcome = classify(calendar, at, due_at) or "on_time"
        return {"resolved": 1, f"resolved_{outcome}": 1}
    if action == Action.REFUSE:
        return {"refused": 1}
    if action == Action.STOP:
        return {"withdrawn" if previous_status == DossierStatus.WITHDRAWAL_REQUESTED else "stopped": 1}
    if action == Action.REQUEST_SUPPLEMENT:
        return {"supplements_requested": 1}
    if action == Action.APOLOGY:
        return {"apologies": 1}
    if action == Action.PAY_FEE:
        return {"paid_online": 1}
    return {}


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def facts_from_event(calendar: WorkingCalendar, units: UnitTree, topic: str, payload: Mapping[str, Any],
                     created_at: datetime) -> list[Fact]:
    """The facts a dossier event carries (``dossier.submitted``, ``dossier.status_changed``, ``dossier.step``).

    Events without a unit (raised before these fields existed) carry nothing countable: the consumer fills them
    from the dossier first.
    """
    unit_id, procedure = payload.get("unit_id"), payload.get("procedure_code")
    at = parse_time(payload.get("at")) or created_at
    if topic == "dossier.submitted":
        unit_id = payload.get("competent_unit_id")
        if not isinstance(unit_id, str) or not isinstance(procedure, str):
            return []
        fee = payload.get("fee_vnd")
        deltas = _received(str(payload.get("channel") or "online"), fee if isinstance(fee, int) else 0,
                           is_cross_office(units, payload.get("receiving_office_id"), unit_id))
        return [Fact(at, unit_id, procedure, deltas)]
    if not isinstance(unit_id, str) or not isinstance(procedure, str):
        return []
    deltas = _step_deltas(calendar, str(payload.get("action")), at, parse_time(payload.get("due_at")),
                          payload.get("previous_status"))
    return [Fact(at, unit_id, procedure, deltas)] if deltas else []


def facts_from_dossier(calendar: WorkingCalendar, units: UnitTree, dossier: Dossier) -> list[Fact]:
    """The same facts, read back from a dossier's history (the recount)."""
    if dossier.competent_unit_id is None:
        return []
    facts: list[Fact] = []
    previous: DossierStatus | None = None
    for entry in dossier.history:
        if entry.action is Action.SUBMIT:
            deltas = _received(dossier.channel, dossier.fee_vnd,
                               is_cross_office(units, dossier.receiving_office_id, dossier.competent_unit_id))
        else:
            deltas = _step_deltas(calendar, entry.action.value, entry.at, dossier.due_at,
                                  previous.value if previous else None)
        if deltas:
            facts.append(Fact(entry.at, dossier.competent_unit_id, dossier.procedure_code, deltas))
        previous = entry.status
    return facts


def _score(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5 else None


def rating_deltas(payload: Mapping[str, Any]) -> dict[str, int] | None:
    """Counts for one ``rating.submitted`` event; None when the payload breaks the contract."""
    overall = _score(payload.get("overall"))
    if overall is None:
        return None
    deltas = {"ratings": 1, "rating_sum": overall, "ratings_satisfied": int(overall >= SATISFIED_FROM)}
    criteria = payload.get("criteria")
    for name in CRITERIA:
        score = _score(criteria.get(name)) if isinstance(criteria, Mapping) else None
        if score is not None:
            deltas[f"rating_{name}_sum"] = score
            deltas[f"rating_{name}_count"] = 1
    return deltas


def feedback_deltas(topic: str, payload: Mapping[str, Any]) -> dict[str, int] | None:
    if topic == "feedback.submitted":
        return {"feedback_received": 1}
    if topic == "feedback.answered":
        on_time = payload.get("on_time")
        if not isinstance(on_time, bool):
            return None
        return {"feedback_answered": 1, "feedback_answered_on_time": int(on_time)}
    return None


def keys_for(month: str, unit_id: str, level: str | None, field_id: str, procedure_code: str) -> list[StatKey]:
    """The counter rows one fact adds to: the unit's own rows and the rollups (module docstring)."""
    keys = [StatKey(unit_id, field_id, "", month), StatKey(unit_id, ALL, "", month),
            StatKey(ALL, field_id, "", month), StatKey(ALL, ALL, "", month)]
    if procedure_code:
        keys.append(StatKey(unit_id, field_id, procedure_code, month))
    if level:
        keys += [StatKey(level_scope(level), field_id, "", month), StatKey(level_scope(level), ALL, "", month)]
    return keys


def add_into(totals: dict[str, int], deltas: Mapping[str, int]) -> None:
    for name, value in deltas.items():
        totals[name] = totals.get(name, 0) + value


def sum_rows(rows: Iterable[Sequence[int]]) -> dict[str, int]:
    """Column sums of counter rows whose values are in METRICS order (transposed, so the adding runs in C)."""
    columns = list(zip(*rows, strict=True))
    if not columns:
        return dict.fromkeys(METRICS, 0)
    return {name: sum(column) for name, column in zip(METRICS, columns, strict=True)}


def ratio(part: int, whole: int) -> float | None:
    """A share between 0 and 1 with four decimals; None when there is nothing to divide by (not 0 %)."""
    return round(part / whole, 4) if whole else None


def rates(t: Mapping[str, int]) -> dict[str, float | None]:
    """The published rates from summed counts."""
    out: dict[str, float | None] = {
        "on_time_rate": ratio(t["resolved_early"] + t["resolved_on_time"], t["resolved"]),
        "late_rate": ratio(t["resolved_late"], t["resolved"]),
        "online_share": ratio(t["received_online"], t["received"]),
        "cross_office_share": ratio(t["received_cross_office"], t["received"]),
        "online_payment_share": ratio(t["paid_online"], t["fee_bearing"]),
        "satisfaction_rate": ratio(t["ratings_satisfied"], t["ratings"]),
        "rating_average": round(t["rating_sum"] / t["ratings"], 2) if t["ratings"] else None,
        "feedback_answered_share": ratio(t["feedback_answered"], t["feedback_received"]),
        "feedback_on_time_rate": ratio(t["feedback_answered_on_time"], t["feedback_answered"]),
    }
    for name in CRITERIA:
        count = t[f"rating_{name}_count"]
        out[f"rating_{name}_average"] = round(t[f"rating_{name}_sum"] / count, 2) if count else None
    return out


@dataclass(frozen=True)
class Indicator:
    """One group of the QĐ 766/QĐ-TTg index: the figure we can measure for it, or why we cannot."""

    group: str
    name_vi: str
    name_en: str
    max_points: int | None
    value: float | None
    measure: str | None  # which published rate stands for the group
    reason: str | None = None  # why it cannot be computed here


def indicators(r: Mapping[str, float | None]) -> list[Indicator]:
    """The six QĐ 766 groups. Values are the shares the groups are scored on, not the points: the scoring
    formulas were not available to us (DOMAIN.md gives only the groups and two maxima)."""
    return [
        Indicator("transparency", "Công khai, minh bạch", "Transparency", 18, None, None,
                  "Chấm theo việc công khai, đồng bộ thủ tục và hồ sơ lên Cổng Dịch vụ công quốc gia; hệ thống này "
                  "không có dữ liệu đồng bộ đó."),
        Indicator("progress", "Tiến độ giải quyết", "Processing progress", None, r["on_time_rate"], "on_time_rate"),
        Indicator("online_services", "Dịch vụ công trực tuyến", "Online services", None, r["online_share"],
                  "online_share"),
        Indicator("online_payment", "Thanh toán trực tuyến", "Online payment", 10, r["online_payment_share"],
                  "online_payment_share"),
        Indicator("satisfaction", "Mức độ hài lòng", "Satisfaction", 18, r["satisfaction_rate"], "satisfaction_rate"),
        Indicator("digitisation", "Số hóa hồ sơ, kết quả", "Digitisation of dossiers and results", None, None, None,
                  "Cần tỷ lệ hồ sơ giấy được số hóa và kết quả được tái sử dụng; hệ thống chưa ghi nhận việc số hóa "
                  "thành phần hồ sơ giấy."),
    ]
