"""What officials do with a dossier, step by step: who may act, when, and what each step changes.

The citizen sees the national status (lifecycle.py); inside "in progress" the dossier moves through stages
(assignment, appraisal, approval) that only officials see. Each rule names the role and the unit it must be
held in: the receiving office, the competent unit, or (for the specialist) the person assigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .calendar import VN_TZ, WorkingCalendar
from .dossiers import Apology, Dossier, Handover, MissingItem, SignedResult, SupplementRequest
from .errors import Conflict, Forbidden, InvalidInput
from .lifecycle import Action, DossierStatus
from .officials import Official, Role
from .processing_time import ProcessingTime


class Stage(StrEnum):
    INTAKE = "intake"
    COMPETENT_UNIT = "competent_unit"
    APPRAISAL = "appraisal"
    APPROVAL = "approval"
    RESULT = "result"
    CLOSED = "closed"


STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.INTAKE: ("Tiếp nhận", "Intake"),
    Stage.COMPETENT_UNIT: ("Chờ phân công", "Awaiting assignment"),
    Stage.APPRAISAL: ("Thẩm định", "Appraisal"),
    Stage.APPROVAL: ("Chờ lãnh đạo duyệt", "Awaiting approval"),
    Stage.RESULT: ("Trả kết quả", "Returning the result"),
    Stage.CLOSED: ("Đã kết thúc", "Closed"),
}


class Step(StrEnum):
    RECEIVE = "receive"
    REQUEST_SUPPLEMENT = "request_supplement"
    REFUSE = "refuse"
    FORWARD = "forward"
    ASSIGN = "assign"
    PROPOSE = "propose"
    SEND_BACK = "send_back"
    APPROVE = "approve"
    RETURN_RESULT = "return_result"
    STOP = "stop"
    APOLOGY = "apology"
    REQUEST_FEE = "request_fee"


STEP_LABELS: dict[Step, str] = {
    Step.RECEIVE: "Tiếp nhận hồ sơ",
    Step.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    Step.REFUSE: "Từ chối",
    Step.FORWARD: "Chuyển cơ quan giải quyết",
    Step.ASSIGN: "Phân công thụ lý",
    Step.PROPOSE: "Trình lãnh đạo",
    Step.SEND_BACK: "Trả lại chuyên viên",
    Step.APPROVE: "Ký duyệt",
    Step.RETURN_RESULT: "Trả kết quả",
    Step.STOP: "Dừng xử lý",
    Step.APOLOGY: "Xin lỗi, hẹn lại",
    Step.REQUEST_FEE: "Yêu cầu nghĩa vụ tài chính",
}

RECEIVING, COMPETENT, ASSIGNEE = "receiving", "competent", "assignee"
OPEN = frozenset({DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS, DossierStatus.SUPPLEMENT_REQUESTED,
                  DossierStatus.FEE_DUE})


@dataclass(frozen=True)
class Rule:
    statuses: frozenset[DossierStatus]
    stages: frozenset[Stage]
    role: Role
    where: str  # RECEIVING | COMPETENT | ASSIGNEE


def _rule(statuses: set[DossierStatus], stages: set[Stage], role: Role, where: str) -> Rule:
    return Rule(frozenset(statuses), frozenset(stages), role, where)


S, ST = DossierStatus, Stage
RULES: dict[Step, tuple[Rule, ...]] = {
    Step.RECEIVE: (_rule({S.SUBMITTED}, {ST.INTAKE}, Role.RECEIVING_OFFICER, RECEIVING),),
    Step.REQUEST_SUPPLEMENT: (
        _rule({S.SUBMITTED}, {ST.INTAKE}, Role.RECEIVING_OFFICER, RECEIVING),
        _rule({S.IN_PROGRESS}, {ST.APPRAISAL}, Role.SPECIALIST, ASSIGNEE),
    ),
    Step.REFUSE: (
        _rule({S.SUBMITTED}, {ST.INTAKE}, Role.RECEIVING_OFFICER, RECEIVING),
        _rule({S.IN_PROGRESS}, {ST.APPROVAL}, Role.LEADER, COMPETENT),
    ),
    Step.FORWARD: (_rule({S.RECEIVED}, {ST.INTAKE}, Role.RECEIVING_OFFICER, RECEIVING),),
    Step.ASSIGN: (_rule({S.IN_PROGRESS}, {ST.COMPETENT_UNIT, ST.APPRAISAL}, Role.LEADER, COMPETENT),),
    Step.PROPOSE: (_rule({S.IN_PROGRESS}, {ST.APPRAISAL}, Role.SPECIALIST, ASSIGNEE),),
    Step.SEND_BACK: (_rule({S.IN_PROGRESS}, {ST.APPROVAL}, Role.LEADER, COMPETENT),),
    Step.APPROVE: (_rule({S.IN_PROGRESS}, {ST.APPROVAL}, Role.LEADER, COMPETENT),),
    Step.RETURN_RESULT: (_rule({S.DONE}, {ST.RESULT}, Role.RECEIVING_OFFICER, RECEIVING),),
    Step.STOP: (
        _rule({S.RECEIVED, S.IN_PROGRESS, S.WITHDRAWAL_REQUESTED}, set(ST) - {ST.CLOSED}, Role.LEADER, COMPETENT),
        _rule({S.WITHDRAWAL_REQUESTED}, {ST.INTAKE}, Role.RECEIVING_OFFICER, RECEIVING),
    ),
    Step.APOLOGY: (_rule(set(OPEN), set(ST) - {ST.CLOSED, ST.RESULT}, Role.LEADER, COMPETENT),),
    Step.REQUEST_FEE: (_rule({S.IN_PROGRESS}, {ST.APPRAISAL}, Role.SPECIALIST, ASSIGNEE),),
}


def _holds(official: Official, dossier: Dossier, rule: Rule) -> bool:
    if rule.where == RECEIVING:
        return official.has_role(dossier.receiving_office_id, rule.role)
    if rule.where == COMPETENT:
        return official.has_role(dossier.competent_unit_id, rule.role)
    return dossier.assignee_id == official.id and official.has_role(dossier.competent_unit_id, rule.role)


def _fits(dossier: Dossier, rule: Rule) -> bool:
    return dossier.status in rule.statuses and dossier.stage in rule.stages


def can_see(official: Official, dossier: Dossier) -> bool:
    """Officials see the dossiers of the units they work in (receiving office or competent unit) only."""
    units = set(official.units())
    return dossier.code is not None and bool(units & {dossier.receiving_office_id, dossier.competent_unit_id})


def allowed_steps(official: Official, dossier: Dossier) -> list[Step]:
    return [step for step, rules in RULES.items() if any(_fits(dossier, r) and _holds(official, dossier, r)
                                                          for r in rules)]


def authorize(official: Official, dossier: Dossier, step: Step) -> None:
    """409 if the step does not fit the dossier's state, 403 if it does but not for this official."""
    rules = [r for r in RULES[step] if _fits(dossier, r)]
    if not rules:
        raise Conflict("illegal_transition", "Thao tác không hợp lệ với trạng thái hiện tại của hồ sơ.",
                       message_en=f"'{step}' is not possible while the dossier is {dossier.status}/{dossier.stage}.")
    if not any(_holds(official, dossier, r) for r in rules):
        raise Forbidden("not_allowed", "Bạn không có quyền thực hiện thao tác này với hồ sơ này.",
                        message_en=f"Your roles do not allow '{step}' on this dossier.")


# --- deadlines of each step -------------------------------------------------------------------------------------

# Share of the legal processing time by the end of each step (cumulative), counted in working days from the
# start of the count; intake is due the same working day. A rule of thumb until a province sets its own.
STEP_SHARE = {Stage.COMPETENT_UNIT: 0.1, Stage.APPRAISAL: 0.7, Stage.APPROVAL: 0.9, Stage.RESULT: 1.0}


def step_deadline(calendar: WorkingCalendar, dossier: Dossier, stage: Stage) -> datetime | None:
    start_at = dossier.received_at or dossier.submitted_at
    if start_at is None or dossier.due_at is None:
        return None
    start = calendar.start_of_count(start_at)
    if stage is Stage.INTAKE:
        return calendar.due_at(dossier.submitted_at or start_at, ProcessingTime(1))
    total = max(1, calendar.working_days_between(start, dossier.due_at.astimezone(VN_TZ).date()))
    days = max(1, round(total * STEP_SHARE.get(stage, 1.0)))
    day = calendar.add_working_days(start, days - 1)
    return datetime.combine(day, calendar.afternoon_end, tzinfo=VN_TZ)


def classify(calendar: WorkingCalendar, finished: datetime, deadline: datetime | None) -> str | None:
    """early (before the deadline's working day), on_time (by the deadline) or late."""
    if deadline is None:
        return None
    if finished > deadline:
        return "late"
    return "on_time" if finished.astimezone(VN_TZ).date() == deadline.astimezone(VN_TZ).date() else "early"


OUTCOME_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Trễ hạn"}


def badge(calendar: WorkingCalendar, dossier: Dossier, now: datetime) -> str | None:
    """'overdue' past the due time; 'at_risk' when due within one working day and not yet approved."""
    if dossier.due_at is None or dossier.status in {S.DONE, S.RETURNED, S.REFUSED, S.STOPPED}:
        return None
    if now > dossier.due_at:
        return "overdue"
    today = now.astimezone(VN_TZ).date()
    return "at_risk" if dossier.due_at.astimezone(VN_TZ).date() <= calendar.next_working_day(today) else None


# --- the steps themselves -----------------------------------------------------------------------------------------

def _hand_over(calendar: WorkingCalendar, d: Dossier, *, now: datetime, from_person: str, to_unit: str,
               to_person: str, note: str = "") -> None:
    stage = Stage(d.stage) if d.stage else Stage.INTAKE
    outcome = classify(calendar, now, step_deadline(calendar, d, stage))
    d.handovers.append(Handover(at=now, step=stage.value, from_unit_id=d.holder_unit_id or "",
                                from_person=from_person, to_unit_id=to_unit, to_person=to_person, outcome=outcome,
                                note=note))
    d.holder_unit_id = to_unit


def receive(d: Dossier, official: Official, *, now: datetime, due_at: datetime) -> None:
    """Intake checked the dossier: complete. The legal time counts from now (a new due date)."""
    d.received_at = now
    d.due_at = due_at
    d.transition(Action.RECEIVE, actor=f"official:{official.id}", now=now)


def request_supplement(d: Dossier, official: Official, *, now: datetime, items: list[MissingItem], note: str) -> None:
    """Ask ONCE per phase, in writing, for everything missing; the clock stops until the citizen completes it."""
    stage = d.stage or Stage.INTAKE
    if any(r.stage == stage for r in d.supplements):
        raise Conflict("supplement_already_requested",
                       "Hồ sơ đã được yêu cầu bổ sung một lần ở bước này; cần yêu cầu đầy đủ ngay từ lần đầu.",
                       message_en="A supplement was already requested at this step (the rule allows one).")
    if not items:
        raise InvalidInput("validation_failed", "Cần nêu ít nhất một giấy tờ cần bổ sung.",
                           message_en="List at least one missing item.", fields={"missing": "Chưa nêu giấy tờ nào."})
    d.supplements.append(SupplementRequest(requested_at=now, stage=stage, by=official.id, items=tuple(items),
                                           note=note))
    d.transition(Action.REQUEST_SUPPLEMENT, actor=f"official:{official.id}", now=now, note=note)


def resubmit(d: Dossier, *, actor: str, now: datetime, due_at: datetime) -> None:
    """The citizen completed the dossier: back to intake, or back to the specialist; the time restarts."""
    pending = d.supplements[-1]
    d.supplements[-1] = SupplementRequest(requested_at=pending.requested_at, stage=pending.stage, by=pending.by,
                                          items=pending.items, note=pending.note, resubmitted_at=now)
    if pending.stage == Stage.INTAKE:
        d.transition(Action.RESUBMIT, actor=actor, now=now)
    else:
        d.due_at = due_at
        d.transition(Action.RESUME_PROCESSING, actor=actor, now=now)


def refuse(d: Dossier, official: Official, *, now: datetime, reason: str) -> None:
    d.refusal_reason = reason
    d.stage = Stage.CLOSED
    d.finished_at = now
    d.transition(Action.REFUSE, actor=f"official:{official.id}", now=now, note=reason)


def forward(calendar: WorkingCalendar, d: Dossier, official: Official, *, now: datetime, unit_name: str) -> None:
    _hand_over(calendar, d, now=now, from_person=official.name, to_unit=d.competent_unit_id or "",
               to_person=unit_name)
    d.stage = Stage.COMPETENT_UNIT
    d.transition(Action.START_PROCESSING, actor=f"official:{official.id}", now=now)


def assign(calendar: WorkingCalendar, d: Dossier, official: Official, specialist: Official, *, now: datetime) -> None:
    if not specialist.has_role(d.competent_unit_id, Role.SPECIALIST):
        raise InvalidInput("validation_failed", "Người được phân công không phải chuyên viên của đơn vị.",
                           message_en="The assignee is not a specialist of the competent unit.",
                           fields={"assignee_id": "Chọn một chuyên viên của đơn vị."})
    _hand_over(calendar, d, now=now, from_person=official.name, to_unit=d.competent_unit_id or "",
               to_person=specialist.name)
    d.assignee_id = specialist.id
    d.stage = Stage.APPRAISAL
    d.record(Action.ASSIGN, actor=f"official:{official.id}", now=now, note=specialist.name)


def propose(calendar: WorkingCalendar, d: Dossier, official: Official, *, now: datetime, note: str) -> None:
    _hand_over(calendar, d, now=now, from_person=official.name, to_unit=d.competent_unit_id or "",
               to_person="Lãnh đạo đơn vị", note=note)
    d.stage = Stage.APPROVAL
    d.record(Action.PROPOSE, actor=f"official:{official.id}", now=now, note=note)


def send_back(calendar: WorkingCalendar, d: Dossier, official: Official, *, now: datetime, comment: str,
              specialist_name: str) -> None:
    _hand_over(calendar, d, now=now, from_person=official.name, to_unit=d.competent_unit_id or "",
               to_person=specialist_name, note=comment)
    d.stage = Stage.APPRAISAL
    d.record(Action.SEND_BACK, actor=f"official:{official.id}", now=now, note=comment)


def approve(calendar: WorkingCalendar, d: Dossier, official: Official, *, now: datetime, result: SignedResult,
            office_name: str) -> None:
    """The leader signed the result: done, and the dossier goes to the receiving office to be returned."""
    _hand_over(calendar, d, now=now, from_person=official.name, to_unit=d.receiving_office_id or "",
               to_person=office_name)
    d.result = result
    d.stage = Stage.RESULT
    d.finished_at = now
    d.transition(Action.APPROVE, actor=f"official:{official.id}", now=now)


RETURN_METHODS = {"online": "Trả kết quả trực tuyến", "counter": "Trả tại bộ phận một cửa", "post": "Gửi qua bưu chính"}


def return_result(d: Dossier, official: Official, *, now: datetime, method: str, tracking_number: str | None,
                  address: str | None = None) -> None:
    if method not in RETURN_METHODS:
        raise InvalidInput("validation_failed", "Hình thức trả kết quả không hợp lệ.", message_en="Unknown method.",
                           fields={"method": "Chọn trực tuyến, tại bộ phận một cửa hoặc bưu chính."})
    if method == "post" and not (tracking_number and address):
        raise InvalidInput("validation_failed", "Cần địa chỉ nhận và số hiệu bưu gửi khi trả qua bưu chính.",
                           message_en="Posting the result needs the address and the tracking number.",
                           fields={k: v for k, v in (("tracking_number", "Số hiệu bưu gửi: không được để trống."),
                                                     ("address", "Địa chỉ nhận: không được để trống."))
                                   if not (tracking_number if k == "tracking_number" else address)})
    d.return_method = method
    d.tracking_number = tracking_number
    d.postal_address = address if method == "post" else None
    d.stage = Stage.CLOSED
    d.transition(Action.RETURN_RESULT, actor=f"official:{official.id}", now=now,
                 note=RETURN_METHODS[method] + (f" — {tracking_number}" if tracking_number else ""))


def stop(d: Dossier, official: Official, *, now: datetime, reason: str) -> None:
    d.stage = Stage.CLOSED
    d.finished_at = now
    d.transition(Action.STOP, actor=f"official:{official.id}", now=now, note=reason)


def apologise(d: Dossier, official: Official, *, now: datetime, reason: str, new_due_at: datetime) -> None:
    """The apology and new date; the dossier keeps its legal due date, so statistics still count it late."""
    if d.due_at is not None and new_due_at <= d.due_at:
        raise InvalidInput("validation_failed", "Ngày hẹn mới phải sau ngày hẹn trả kết quả ban đầu.",
                           message_en="The new date must be after the original due date.",
                           fields={"new_due_date": "Ngày hẹn mới phải sau ngày hẹn ban đầu."})
    d.apologies.append(Apology(issued_at=now, by=official.id, reason=reason, new_due_at=new_due_at))
    d.record(Action.APOLOGY, actor=f"official:{official.id}", now=now, note=reason)


def request_fee(d: Dossier, official: Official, *, now: datetime, amount_vnd: int, reason: str) -> None:
    """A financial obligation (e.g. a tax or charge computed during appraisal): the clock waits for payment."""
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or not 1_000 <= amount_vnd <= 10_000_000_000:
        raise InvalidInput("validation_failed", "Số tiền phải là số nguyên đồng, từ 1.000 đồng.",
                           message_en="The amount must be a whole number of VND (at least 1,000).",
                           fields={"amount_vnd": "Số tiền: số nguyên đồng, từ 1.000 đồng."})
    d.obligation = {"amount_vnd": amount_vnd, "reason": reason, "requested_at": now.isoformat(), "paid_at": None}
    d.transition(Action.REQUEST_FEE, actor=f"official:{official.id}", now=now, note=reason)


def fee_settled(d: Dossier, *, purpose: str, now: datetime) -> None:
    """A confirmed payment: the procedure fee is noted; an obligation releases the dossier back to processing."""
    if purpose == "obligation" and d.obligation is not None and d.status is DossierStatus.FEE_DUE:
        d.obligation = {**d.obligation, "paid_at": now.isoformat()}
        d.transition(Action.CONFIRM_FEE, actor="system", now=now)
    elif purpose == "fee" and d.fee_paid_at is None:
        d.fee_paid_at = now
        d.record(Action.PAY_FEE, actor="system", now=now)


PAYABLE = frozenset({DossierStatus.SUBMITTED, DossierStatus.RECEIVED, DossierStatus.IN_PROGRESS,
                     DossierStatus.SUPPLEMENT_REQUESTED})


def payment_due(d: Dossier, procedure_name: str) -> dict[str, object] | None:
    """What the citizen still has to pay on this dossier, if anything."""
    if d.status is DossierStatus.FEE_DUE and d.obligation and not d.obligation.get("paid_at"):
        return {"purpose": "obligation", "amount_vnd": int(d.obligation["amount_vnd"]),
                "reason": str(d.obligation["reason"])}
    if d.code and d.fee_vnd > 0 and d.fee_paid_at is None and d.status in PAYABLE:
        return {"purpose": "fee", "amount_vnd": d.fee_vnd, "reason": f"Phí, lệ phí: {procedure_name}"}
    return None


def withdraw(d: Dossier, *, actor: str, now: datetime, reason: str) -> None:
    """The applicant asks to withdraw; an official then stops processing."""
    d.transition(Action.REQUEST_WITHDRAWAL, actor=actor, now=now, note=reason)
