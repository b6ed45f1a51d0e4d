"""The e-receipt (biên lai điện tử) of a confirmed payment, rendered once and kept through the file port (served
from there: a short-lived presigned link on S3)."""

from __future__ import annotations

from motcua.domain.catalog import Catalog
from motcua.domain.errors import NotFound
from motcua.domain.payments import Payment
from motcua.services.ports import FileStore, UnitOfWorkFactory

GATEWAY_LABELS = {"vnpay": "VNPay", "momo": "MoMo"}


class PaymentReceiptService:
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, files: FileStore, public_base_url: str) -> None:
        self._uow = uow
        self._catalog = catalog
        self._files = files
        self._base = public_base_url.rstrip("/")

    def stored_key(self, payment: Payment) -> str:
        """Where the e-receipt is stored; rendered and stored on the first request. The caller serves the stored
        file (a short-lived link on S3)."""
        key = f"payments/{payment.id}/receipt.pdf"
        if self._files.exists(key):
            return key
        with self._uow(readonly=True) as uow:
            dossier = uow.dossiers.get(payment.dossier_id)
        if dossier is None or payment.paid_at is None:
            raise NotFound("receipt_not_ready", "Chưa có biên lai.", message_en="No receipt yet.")
        procedure = self._catalog.get(dossier.procedure_code)
        unit = self._catalog.units.find(dossier.competent_unit_id or "")
        what = "Phí, lệ phí" if payment.purpose == "fee" else "Nghĩa vụ tài chính"
        # reportlab loads with the first e-receipt, not on every cold start
        from motcua.documents.payment_receipt import PaymentReceiptData, render_payment_receipt

        data = PaymentReceiptData(
            receipt_number=f"BL-{payment.paid_at.strftime('%y%m%d')}-{payment.txn_ref[-6:]}",
            issuer_name=unit.name if unit else "", payer_name=str(dossier.form.get("applicant_name", "")),
            payer_address=str(dossier.form["applicant_address"]) if dossier.form.get("applicant_address") else None,
            dossier_code=dossier.code or "", procedure_name=procedure.name,
            items=[(f"{what}: {procedure.name}", payment.amount_vnd)], total_vnd=payment.amount_vnd,
            gateway_label=GATEWAY_LABELS.get(payment.gateway, payment.gateway),
            gateway_transaction_no=payment.transaction_no, bank_code=payment.bank_code or None,
            paid_at=payment.paid_at, verify_url=f"{self._base}/tra-cuu?ma={dossier.code}")
        self._files.put(key, render_payment_receipt(data), content_type="application/pdf")
        return key
