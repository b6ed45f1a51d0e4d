"""Payments of fees and financial obligations: one aggregate per attempt, driven by gateway confirmations.

The rules that keep trust: a payment becomes paid only on a signed confirmation (IPN or query), never on the
browser coming back; whatever order and however many confirmations arrive, the state changes once; a payment the
gateway later reports as successful is recovered from failed or expired; money is integer VND.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .errors import Conflict
from .events import Event


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    REFUNDED = "refunded"


PAYMENT_LABELS = {
    "pending": ("Chờ thanh toán", "Awaiting payment"),
    "confirming": ("Đang xác nhận", "Confirming"),
    "paid": ("Đã thanh toán", "Paid"),
    "failed": ("Thất bại", "Failed"),
    "expired": ("Hết hạn", "Expired"),
    "refunded": ("Đã hoàn tiền", "Refunded"),
}

LIVE = {PaymentStatus.PENDING, PaymentStatus.PAID}

# Why a payment failed, in plain words (VNPay response codes).
FAILURE_REASONS = {
    "07": ("Giao dịch bị nghi ngờ gian lận.", "The transaction was flagged as suspicious."),
    "09": ("Thẻ hoặc tài khoản chưa đăng ký thanh toán trực tuyến.", "The card is not enabled for online payment."),
    "11": ("Hết thời gian chờ thanh toán.", "The payment timed out."),
    "12": ("Thẻ hoặc tài khoản bị khóa.", "The card or account is locked."),
    "24": ("Bạn đã hủy giao dịch.", "You cancelled the payment."),
    "51": ("Tài khoản không đủ số dư.", "Insufficient balance."),
    "65": ("Tài khoản đã vượt hạn mức giao dịch trong ngày.", "The daily limit was exceeded."),
    "75": ("Ngân hàng đang bảo trì.", "The bank is under maintenance."),
}


@dataclass(frozen=True)
class PaymentConfirmed(Event):
    topic = "payment.confirmed"  # type: ignore[assignment]
    payment_id: str
    dossier_id: str
    purpose: str
    amount_vnd: int


@dataclass(frozen=True)
class PaymentRefunded(Event):
    topic = "payment.refunded"  # type: ignore[assignment]
    payment_id: str
    dossier_id: str
    amount_vnd: int


@dataclass(frozen=True)
class GatewayReport:
    """What a signed gateway message says about one order (from an IPN or a query)."""

    amount_vnd: int
    success: bool
    response_code: str
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: datetime | None = None


class Verdict(StrEnum):
    """The outcome of applying a report, mapped by the adapter to the gateway's reply codes."""

    CONFIRMED = "confirmed"  # state changed (paid or failed)
    ALREADY = "already"  # nothing to do: it was settled before
    WRONG_AMOUNT = "wrong_amount"


@dataclass
class Payment:
    id: str
    dossier_id: str
    citizen_id: str
    purpose: str  # "fee" | "obligation"
    amount_vnd: int
    gateway: str
    txn_ref: str
    created_at: datetime
    expires_at: datetime
    updated_at: datetime
    status: PaymentStatus = PaymentStatus.PENDING
    dossier_code: str = ""
    returned_at: datetime | None = None
    paid_at: datetime | None = None
    transaction_no: str = ""
    bank_code: str = ""
    response_code: str = ""
    refunded_at: datetime | None = None
    log: list[dict[str, Any]] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def note(self, now: datetime, what: str, **details: Any) -> None:
        """Every callback, valid or not, is kept with the reason (an auditor's first question)."""
        self.log.append({"at": now.isoformat(), "what": what, **details})
        self.updated_at = now

    def apply(self, report: GatewayReport, *, now: datetime, source: str) -> Verdict:
        """Apply a signed report. Paid only on success; failed/expired are recovered by a later success."""
        if report.amount_vnd != self.amount_vnd:
            self.note(now, "wrong_amount", source=source, reported=report.amount_vnd)
            return Verdict.WRONG_AMOUNT
        if self.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
            self.note(now, "already_settled", source=source, code=report.response_code)
            return Verdict.ALREADY
        if report.success:
            recovered = self.status is not PaymentStatus.PENDING
            self.status = PaymentStatus.PAID
            self.paid_at = report.paid_at or now
            self.transaction_no, self.bank_code = report.transaction_no, report.bank_code
            self.response_code = report.response_code
            self.note(now, "recovered" if recovered else "paid", source=source, txn=report.transaction_no)
            self.events.append(PaymentConfirmed(payment_id=self.id, dossier_id=self.dossier_id, purpose=self.purpose,
                                                amount_vnd=self.amount_vnd))
            return Verdict.CONFIRMED
        if self.status is PaymentStatus.PENDING:
            self.status = PaymentStatus.FAILED
            self.response_code = report.response_code
            self.note(now, "failed", source=source, code=report.response_code)
            return Verdict.CONFIRMED
        self.note(now, "already_settled", source=source, code=report.response_code)
        return Verdict.ALREADY

    def expire(self, *, now: datetime) -> None:
        if self.status is PaymentStatus.PENDING:
            self.status = PaymentStatus.EXPIRED
            self.note(now, "expired")

    def mark_returned(self, *, now: datetime) -> None:
        if self.status is PaymentStatus.PENDING and self.returned_at is None:
            self.returned_at = now
            self.note(now, "returned")

    def refund(self, *, now: datetime, reason: str) -> None:
        if self.status is not PaymentStatus.PAID:
            raise Conflict("not_refundable", "Chỉ hoàn tiền khoản đã thanh toán.",
                           message_en="Only a paid payment can be refunded.")
        self.status = PaymentStatus.REFUNDED
        self.refunded_at = now
        self.note(now, "refunded", reason=reason)
        self.events.append(PaymentRefunded(payment_id=self.id, dossier_id=self.dossier_id,
                                           amount_vnd=self.amount_vnd))

    def display_status(self) -> str:
        if self.status is PaymentStatus.PENDING and self.returned_at is not None:
            return "confirming"
        return self.status.value
