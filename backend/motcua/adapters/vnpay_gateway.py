"""The payment port on VNPay 2.1.0 (the real gateway, or the local sandbox that speaks the same protocol)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from motcua.adapters import vnpay
from motcua.domain.payments import GatewayReport
from motcua.services.ports import CallbackRejected, GatewayCallback, GatewayUnavailable


class VnpayGateway:
    name = "vnpay"

    def __init__(self, config: vnpay.VnpayConfig) -> None:
        self._config = config
        self._client = vnpay.VnpayClient(config)

    def payment_url(self, *, txn_ref: str, amount_vnd: int, order_info: str, ip: str, created_at: datetime,
                    expire_at: datetime, locale: str) -> str:
        # VNPay asks for order info without diacritics.
        return vnpay.payment_url(self._config, txn_ref=txn_ref, amount_vnd=amount_vnd,
                                 order_info=vnpay.plain_order_info(order_info), ip=ip, created_at=created_at,
                                 expire_at=expire_at, locale=locale)

    def parse_callback(self, query: Mapping[str, str]) -> GatewayCallback:
        try:
            result = vnpay.parse_callback(query, self._config)
        except vnpay.InvalidSignature as exc:
            raise CallbackRejected("97", str(exc)) from exc
        except vnpay.MalformedCallback as exc:
            raise CallbackRejected("99", str(exc)) from exc
        return GatewayCallback(txn_ref=result.txn_ref, report=GatewayReport(
            amount_vnd=result.amount_vnd, success=result.success, response_code=result.response_code,
            transaction_no=result.transaction_no, bank_code=result.bank_code, paid_at=result.pay_date))

    def query(self, *, txn_ref: str, created_at: datetime, ip: str) -> GatewayReport | None:
        try:
            found = self._client.query(txn_ref=txn_ref, created_at=created_at, ip=ip)
        except vnpay.GatewayError as exc:
            raise GatewayUnavailable(str(exc)) from exc
        if not found.found:
            return None
        return GatewayReport(amount_vnd=found.amount_vnd, success=found.success,
                             response_code=found.transaction_status, transaction_no=found.transaction_no,
                             paid_at=found.pay_date)

    def refund(self, *, txn_ref: str, amount_vnd: int, transaction_no: str, transaction_date: datetime,
               created_by: str, ip: str) -> bool:
        try:
            return self._client.refund(txn_ref=txn_ref, amount_vnd=amount_vnd, transaction_no=transaction_no,
                                       transaction_date=transaction_date, created_by=created_by, ip=ip).ok
        except vnpay.GatewayError as exc:
            raise GatewayUnavailable(str(exc)) from exc
