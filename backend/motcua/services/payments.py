"""Cashless payment: starting a payment, the gateway's confirmations (IPN), the return page, reconciliation and
refunds. Confirmation semantics follow the VNPay protocol (DOMAIN.md): signature → order → amount → still pending
→ paid only on success; replies 00 / 01 / 02 / 04 / 97 / 99; never a 5xx, whatever arrives.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from motcua.domain import workflow as wf
from motcua.domain.catalog import Catalog
from motcua.domain.errors import Conflict, InvalidInput, NotFound
from motcua.domain.payments import Payment, PaymentStatus, Verdict
from motcua.services.dossiers import Actor
from motcua.services.ports import (
    CallbackRejected,
    Clock,
    GatewayUnavailable,
    OutboxMessage,
    PaymentGateway,
    UnitOfWorkFactory,
)

log = logging.getLogger(__name__)

MIN_ONLINE_AMOUNT = 5_000  # the gateway's payment page refuses less
PAYMENT_TTL = timedelta(minutes=15)  # vnp_ExpireDate: the gateway refuses payment after this
RECONCILE_AFTER = timedelta(minutes=5)  # pending longer than this: ask the gateway
GIVE_UP_AFTER = timedelta(days=1)  # still unknown to the gateway a day later: expired for good
REPLIES = {"00": "Confirm Success", "01": "Order not found", "02": "Order already confirmed",
           "04": "Invalid amount", "97": "Invalid signature", "99": "Unknown error"}


@dataclass(frozen=True)
class Started:
    payment: Payment
    redirect_url: str
    created: bool


def _not_found() -> NotFound:
    return NotFound("payment_not_found", "Không tìm thấy giao dịch.", message_en="Payment not found.")


class PaymentService:
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, clock: Clock, gateway: PaymentGateway) -> None:
        self._uow = uow
        self._catalog = catalog
        self._clock = clock
        self._gateway = gateway

    # --- the citizen's side --------------------------------------------------------------------------------------

    def start(self, actor: Actor, dossier_id: str, *, purpose: object, ip: str, locale: str = "vn") -> Started:
        """Start (or resume) paying what is due. One live payment per dossier and purpose."""
        now = self._clock.now()
        with self._uow() as uow:
            dossier = uow.dossiers.get(dossier_id) if isinstance(dossier_id, str) and len(dossier_id) <= 64 else None
            if dossier is None or dossier.applicant_id != actor.session.user_id:
                raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.", message_en="Dossier not found.")
            procedure = self._catalog.get(dossier.procedure_code)
            due = wf.payment_due(dossier, procedure.name)
            existing = [p for p in uow.payments.for_dossier(dossier.id) if p.purpose == purpose]
            if any(p.status is PaymentStatus.PAID for p in existing):
                raise Conflict("already_paid", "Khoản này đã được thanh toán.", message_en="Already paid.")
            if due is None or due["purpose"] != purpose:
                raise InvalidInput("nothing_due", "Hồ sơ không có khoản cần thanh toán này.",
                                   message_en="Nothing of this kind is due on the dossier.",
                                   fields={"purpose": "Không có khoản cần thanh toán."})
            if int(str(due["amount_vnd"])) < MIN_ONLINE_AMOUNT:
                raise InvalidInput("amount_too_small", "Khoản dưới 5.000 đồng không thanh toán trực tuyến được; "
                                   "vui lòng nộp tại bộ phận một cửa.",
                                   message_en="Amounts under 5,000 VND cannot be paid online; pay at the counter.")
            live = next((p for p in existing if p.status is PaymentStatus.PENDING and p.expires_at > now), None)
            created = live is None
            if live is None:
                live = Payment(id=uuid.uuid4().hex, dossier_id=dossier.id, citizen_id=actor.session.user_id,
                               purpose=str(purpose), amount_vnd=int(str(due["amount_vnd"])), gateway=self._gateway.name,
                               txn_ref=uuid.uuid4().hex[:20].upper(), created_at=now, expires_at=now + PAYMENT_TTL,
                               updated_at=now, dossier_code=dossier.code or "")
                live.note(now, "started", ip=ip)
                uow.payments.add(live)
                uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action="start_payment",
                                 device=actor.device, at=now, before=None,
                                 after={"payment": live.id, "amount_vnd": live.amount_vnd, "purpose": live.purpose})
                uow.commit()
        url = self._gateway.payment_url(txn_ref=live.txn_ref, amount_vnd=live.amount_vnd,
                                        order_info=f"Thanh toan {live.purpose} ho so {dossier.code}", ip=ip,
                                        created_at=live.created_at, expire_at=live.expires_at, locale=locale)
        return Started(payment=live, redirect_url=url, created=created)

    def get(self, actor: Actor, payment_id: str) -> Payment:
        with self._uow(readonly=True) as uow:
            payment = uow.payments.get(payment_id) if isinstance(payment_id, str) and len(payment_id) <= 64 else None
        if payment is None or payment.citizen_id != actor.session.user_id:
            raise _not_found()
        return payment

    def for_dossier(self, actor: Actor, dossier_id: str) -> list[Payment]:
        with self._uow(readonly=True) as uow:
            dossier = uow.dossiers.get(dossier_id) if len(dossier_id) <= 64 else None
            if dossier is None or dossier.applicant_id != actor.session.user_id:
                raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.", message_en="Dossier not found.")
            return uow.payments.for_dossier(dossier.id)

    # --- the gateway's side -------------------------------------------------------------------------------------

    def ipn(self, query: Mapping[str, str]) -> dict[str, str]:
        """The server-to-server confirmation. Idempotent; concurrent duplicates change the state once."""
        try:
            callback = self._gateway.parse_callback(query)
        except CallbackRejected as rejected:
            log.warning("IPN rejected (%s): %s", rejected.code, rejected.reason)
            return _reply(rejected.code)
        except Exception:  # garbage must get a protocol answer, never a 500
            log.exception("IPN could not be read")
            return _reply("99")
        # A concurrent duplicate may win the race; re-read and answer as of its result. SQLite queues writers, but
        # optimistic stores (DynamoDB) let one of N racing duplicates through per round, so allow a few rounds.
        for _ in range(10):
            try:
                return self._apply(callback.txn_ref, callback.report, source="ipn")
            except Conflict:
                continue
        return _reply("99")

    def _apply(self, txn_ref: str, report: Any, *, source: str) -> dict[str, str]:
        now = self._clock.now()
        with self._uow() as uow:
            payment = uow.payments.get_by_txn_ref(txn_ref)
            if payment is None:
                log.warning("%s for unknown order %s", source, txn_ref)
                return _reply("01")
            verdict = payment.apply(report, now=now, source=source)
            uow.payments.save(payment)
            if verdict is Verdict.CONFIRMED:
                uow.audit.append(f"dossier:{payment.dossier_id}", actor=f"gateway:{payment.gateway}",
                                 action=f"payment_{payment.status.value}", device=source, at=now, before=None,
                                 after={"payment": payment.id, "txn": report.transaction_no,
                                        "code": report.response_code})
            uow.commit()
        if verdict is Verdict.WRONG_AMOUNT:
            log.warning("%s for %s: amount %s, expected %s", source, txn_ref, report.amount_vnd, payment.amount_vnd)
            return _reply("04")
        return _reply("02" if verdict is Verdict.ALREADY else "00")

    def returned(self, query: Mapping[str, str]) -> str | None:
        """The browser came back: note it (the page shows 'đang xác nhận'); never marks anything paid."""
        try:
            callback = self._gateway.parse_callback(query)
        except Exception as exc:  # noqa: BLE001 - a forged or broken return just goes to the app
            log.warning("return URL rejected: %s", exc)
            return None
        now = self._clock.now()
        with self._uow() as uow:
            payment = uow.payments.get_by_txn_ref(callback.txn_ref)
            if payment is None:
                return None
            payment.mark_returned(now=now)
            uow.payments.save(payment)
            uow.commit()
        return payment.id

    # --- keeping nothing pending forever -------------------------------------------------------------------------

    def reconcile(self, *, older_than: timedelta = RECONCILE_AFTER) -> int:
        """Ask the gateway about payments pending (or failed/expired recently) and settle them."""
        now = self._clock.now()
        settled = 0
        with self._uow(readonly=True) as uow:
            candidates = uow.payments.in_status_created_before(PaymentStatus.PENDING.value, now - older_than,
                                                              limit=100)
            candidates += [p for status in (PaymentStatus.FAILED, PaymentStatus.EXPIRED)
                           for p in uow.payments.in_status_created_before(status.value, now, limit=100)
                           if p.created_at > now - GIVE_UP_AFTER]
        for payment in candidates:
            try:
                report = self._gateway.query(txn_ref=payment.txn_ref, created_at=payment.created_at, ip="127.0.0.1")
            except GatewayUnavailable as exc:
                log.warning("reconciliation of %s postponed: %s", payment.txn_ref, exc)
                continue
            try:
                if report is not None and (report.success or payment.status is PaymentStatus.PENDING):
                    settled += self._apply(payment.txn_ref, report, source="query")["RspCode"] == "00"
                elif report is None and payment.status is PaymentStatus.PENDING and now > payment.expires_at:
                    settled += self._expire(payment.id, now)
            except Conflict:
                continue
        return settled

    def _expire(self, payment_id: str, now: datetime) -> int:
        with self._uow() as uow:
            payment = uow.payments.get(payment_id)
            if payment is None or payment.status is not PaymentStatus.PENDING:
                return 0
            payment.expire(now=now)
            uow.payments.save(payment)
            uow.commit()
        return 1

    # --- consequences -------------------------------------------------------------------------------------------

    def on_confirmed(self, message: OutboxMessage) -> None:
        """Outbox handler for ``payment.confirmed``: the dossier learns it was paid."""
        now = self._clock.now()
        with self._uow() as uow:
            dossier = uow.dossiers.get(message.payload["dossier_id"])
            if dossier is None:
                return
            wf.fee_settled(dossier, purpose=message.payload["purpose"], now=now)
            uow.dossiers.save(dossier)
            uow.commit()

    def on_dossier_closed(self, message: OutboxMessage) -> None:
        """Outbox handler: refuse, stop or withdrawal before processing refunds what was paid."""
        if message.payload.get("action") not in ("refuse", "stop"):
            return
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            paid = [p for p in uow.payments.for_dossier(message.payload["dossier_id"])
                    if p.status is PaymentStatus.PAID]
        for payment in paid:
            ok = self._gateway.refund(txn_ref=payment.txn_ref, amount_vnd=payment.amount_vnd,
                                      transaction_no=payment.transaction_no,
                                      transaction_date=payment.paid_at or payment.created_at,
                                      created_by="motcua", ip="127.0.0.1")
            if not ok:
                raise GatewayUnavailable(f"refund of {payment.txn_ref} refused; will retry")
            with self._uow() as uow:
                fresh = uow.payments.get(payment.id)
                if fresh is not None and fresh.status is PaymentStatus.PAID:
                    fresh.refund(now=now, reason=str(message.payload.get("action")))
                    uow.payments.save(fresh)
                    uow.commit()


def _reply(code: str) -> dict[str, str]:
    return {"RspCode": code, "Message": REPLIES[code]}

