"""The dossier lifecycle: one status enum, one transition table, one mapping to the national codes.

Statuses are never spelled as strings elsewhere; the national status codes (1–10) are used only where an
integration needs them (STYLE.md).
"""

from __future__ import annotations

from enum import StrEnum


class DossierStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    IN_PROGRESS = "in_progress"
    FEE_DUE = "fee_due"
    REFUSED = "refused"
    WITHDRAWAL_REQUESTED = "withdrawal_requested"
    STOPPED = "stopped"
    DONE = "done"
    RETURNED = "returned"


class Action(StrEnum):
    CREATE = "create"
    SUBMIT = "submit"
    RECEIVE = "receive"
    REQUEST_SUPPLEMENT = "request_supplement"
    RESUBMIT = "resubmit"
    REFUSE = "refuse"
    START_PROCESSING = "start_processing"
    REQUEST_FEE = "request_fee"
    CONFIRM_FEE = "confirm_fee"
    REQUEST_WITHDRAWAL = "request_withdrawal"
    STOP = "stop"
    APPROVE = "approve"
    RETURN_RESULT = "return_result"
    # Steps inside "in progress" (the status a citizen sees does not change) and notices:
    RESUME_PROCESSING = "resume_processing"
    ASSIGN = "assign"
    PROPOSE = "propose"
    SEND_BACK = "send_back"
    APOLOGY = "apology"
    PAY_FEE = "pay_fee"


# National status codes (1 new … 10 result returned). A draft has none: it does not exist for the state yet.
NATIONAL_STATUS: dict[DossierStatus, int] = {
    DossierStatus.SUBMITTED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.REFUSED: 3,
    DossierStatus.IN_PROGRESS: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.FEE_DUE: 6,
    DossierStatus.WITHDRAWAL_REQUESTED: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.DONE: 9,
    DossierStatus.RETURNED: 10,
}

STATUS_LABELS: dict[DossierStatus, tuple[str, str]] = {
    DossierStatus.DRAFT: ("Nháp", "Draft"),
    DossierStatus.SUBMITTED: ("Đã nộp, chờ tiếp nhận", "Submitted, awaiting intake"),
    DossierStatus.RECEIVED: ("Đã tiếp nhận", "Received"),
    DossierStatus.SUPPLEMENT_REQUESTED: ("Yêu cầu bổ sung hồ sơ", "Supplement requested"),
    DossierStatus.IN_PROGRESS: ("Đang giải quyết", "In progress"),
    DossierStatus.FEE_DUE: ("Chờ thực hiện nghĩa vụ tài chính", "Fee due"),
    DossierStatus.REFUSED: ("Từ chối tiếp nhận", "Refused"),
    DossierStatus.WITHDRAWAL_REQUESTED: ("Đề nghị rút hồ sơ", "Withdrawal requested"),
    DossierStatus.STOPPED: ("Dừng xử lý", "Stopped"),
    DossierStatus.DONE: ("Đã có kết quả", "Result ready"),
    DossierStatus.RETURNED: ("Đã trả kết quả", "Result returned"),
}

ACTION_LABELS: dict[Action, tuple[str, str]] = {
    Action.CREATE: ("Tạo hồ sơ nháp", "Draft created"),
    Action.SUBMIT: ("Nộp hồ sơ trực tuyến", "Submitted online"),
    Action.RECEIVE: ("Tiếp nhận hồ sơ", "Received"),
    Action.REQUEST_SUPPLEMENT: ("Yêu cầu bổ sung, hoàn thiện hồ sơ", "Supplement requested"),
    Action.RESUBMIT: ("Nộp bổ sung hồ sơ", "Supplement submitted"),
    Action.REFUSE: ("Từ chối tiếp nhận, giải quyết hồ sơ", "Refused"),
    Action.START_PROCESSING: ("Chuyển xử lý", "Processing started"),
    Action.REQUEST_FEE: ("Yêu cầu thực hiện nghĩa vụ tài chính", "Fee requested"),
    Action.CONFIRM_FEE: ("Đã thực hiện nghĩa vụ tài chính", "Fee paid"),
    Action.REQUEST_WITHDRAWAL: ("Đề nghị rút hồ sơ", "Withdrawal requested"),
    Action.STOP: ("Dừng xử lý hồ sơ", "Processing stopped"),
    Action.APPROVE: ("Phê duyệt, ký kết quả", "Approved and signed"),
    Action.RETURN_RESULT: ("Trả kết quả", "Result returned"),
    Action.RESUME_PROCESSING: ("Nộp bổ sung hồ sơ, tiếp tục giải quyết", "Supplement submitted, processing resumes"),
    Action.ASSIGN: ("Phân công chuyên viên thụ lý", "Assigned to a specialist"),
    Action.PROPOSE: ("Trình lãnh đạo phê duyệt", "Proposed to the leader"),
    Action.SEND_BACK: ("Lãnh đạo trả lại để xử lý lại", "Sent back by the leader"),
    Action.APOLOGY: ("Xin lỗi và hẹn lại ngày trả kết quả", "Apology and new date"),
    Action.PAY_FEE: ("Đã thanh toán lệ phí trực tuyến", "Fee paid online"),
}

# (from, action) → to. Everything not listed is illegal. Steps inside "in progress" (assign, propose, send back)
# and the apology do not change the status; they are governed by the step rules in workflow.py.
TRANSITIONS: dict[tuple[DossierStatus, Action], DossierStatus] = {
    (DossierStatus.DRAFT, Action.SUBMIT): DossierStatus.SUBMITTED,
    (DossierStatus.SUBMITTED, Action.RECEIVE): DossierStatus.RECEIVED,
    (DossierStatus.SUBMITTED, Action.REQUEST_SUPPLEMENT): DossierStatus.SUPPLEMENT_REQUESTED,
    (DossierStatus.SUBMITTED, Action.REFUSE): DossierStatus.REFUSED,
    (DossierStatus.SUPPLEMENT_REQUESTED, Action.RESUBMIT): DossierStatus.SUBMITTED,
    (DossierStatus.SUPPLEMENT_REQUESTED, Action.RESUME_PROCESSING): DossierStatus.IN_PROGRESS,
    (DossierStatus.RECEIVED, Action.START_PROCESSING): DossierStatus.IN_PROGRESS,
    (DossierStatus.IN_PROGRESS, Action.REQUEST_SUPPLEMENT): DossierStatus.SUPPLEMENT_REQUESTED,
    (DossierStatus.IN_PROGRESS, Action.REFUSE): DossierStatus.REFUSED,
    (DossierStatus.IN_PROGRESS, Action.REQUEST_FEE): DossierStatus.FEE_DUE,
    (DossierStatus.FEE_DUE, Action.CONFIRM_FEE): DossierStatus.IN_PROGRESS,
    (DossierStatus.IN_PROGRESS, Action.APPROVE): DossierStatus.DONE,
    (DossierStatus.DONE, Action.RETURN_RESULT): DossierStatus.RETURNED,
    (DossierStatus.SUBMITTED, Action.REQUEST_WITHDRAWAL): DossierStatus.WITHDRAWAL_REQUESTED,
    (DossierStatus.RECEIVED, Action.REQUEST_WITHDRAWAL): DossierStatus.WITHDRAWAL_REQUESTED,
    (DossierStatus.IN_PROGRESS, Action.REQUEST_WITHDRAWAL): DossierStatus.WITHDRAWAL_REQUESTED,
    (DossierStatus.SUPPLEMENT_REQUESTED, Action.REQUEST_WITHDRAWAL): DossierStatus.WITHDRAWAL_REQUESTED,
    (DossierStatus.WITHDRAWAL_REQUESTED, Action.STOP): DossierStatus.STOPPED,
    (DossierStatus.RECEIVED, Action.STOP): DossierStatus.STOPPED,
    (DossierStatus.IN_PROGRESS, Action.STOP): DossierStatus.STOPPED,
}


def next_status(current: DossierStatus, action: Action) -> DossierStatus | None:
    """The status after ``action``, or None when the action is not allowed from ``current``."""
    return TRANSITIONS.get((current, action))


def label_vi(status: DossierStatus) -> str:
    return STATUS_LABELS[status][0]


def label_en(status: DossierStatus) -> str:
    return STATUS_LABELS[status][1]
