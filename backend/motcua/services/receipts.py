"""The receipt (Mẫu 01): rendered once per dossier, kept through the file port, served to its owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict
from motcua.services.ports import FileStore

if TYPE_CHECKING:
    from motcua.documents.receipt import ReceiptData

KIND_LABELS = {
    "original": "Bản chính",
    "certified_copy": "Bản sao chứng thực",
    "copy": "Bản sao",
    "present": "Xuất trình",
}


CHANNEL_LABELS = {"online": "Trực tuyến", "counter": "Trực tiếp", "post": "Bưu chính"}


class ReceiptService:
    def __init__(self, catalog: Catalog, files: FileStore, public_base_url: str) -> None:
        self._catalog = catalog
        self._files = files
        self._base = public_base_url.rstrip("/")

    @staticmethod
    def key(dossier: Dossier) -> str:
        return f"dossiers/{dossier.id}/receipt.pdf"

    def stored_key(self, dossier: Dossier) -> str:
        """Where the receipt is stored; rendered and stored on the first request (what it prints never changes
        after submit). The caller serves the stored file (a short-lived link on S3)."""
        if dossier.code is None or dossier.submitted_at is None or dossier.due_at is None:
            raise Conflict("not_submitted", "Hồ sơ chưa nộp nên chưa có giấy tiếp nhận.",
                           message_en="The dossier has not been submitted, so there is no receipt yet.")
        key = self.key(dossier)
        if not self._files.exists(key):
            from motcua.documents.receipt import render_receipt  # reportlab loads on the first receipt, not at start

            self._files.put(key, render_receipt(self.receipt_data(dossier)), content_type="application/pdf")
        return key

    def receipt_data(self, dossier: Dossier) -> ReceiptData:
        from motcua.documents.receipt import ReceiptData, ReceivedDocument

        procedure = self._catalog.get(dossier.procedure_code)
        units = self._catalog.units
        office = units.get(dossier.receiving_office_id or "")
        competent = units.get(dossier.competent_unit_id or "")
        counts: dict[str, int] = {}
        for attachment in dossier.attachments:
            counts[attachment.document_id] = counts.get(attachment.document_id, 0) + 1
        documents = [
            ReceivedDocument(name=doc.name, kind_label=KIND_LABELS.get(str(doc.kind), str(doc.kind)),
                             count=counts[doc.id])
            for doc in procedure.documents if doc.id in counts
        ]
        form = dossier.form
        fee = dossier.fee_vnd
        return ReceiptData(
            dossier_code=dossier.code or "",
            tracking_url=f"{self._base}/tra-cuu?ma={dossier.code}",
            receiving_office_name=office.name,
            competent_unit_name=competent.name,
            applicant_name=str(form.get("applicant_name", "")),
            applicant_id_number=_opt(form.get("applicant_id_number")),
            applicant_phone=str(form.get("applicant_phone") or dossier.applicant_phone),
            applicant_address=_opt(form.get("applicant_address")),
            applicant_email=_opt(form.get("applicant_email")),
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            documents=documents,
            sets=1,
            processing_time_label=procedure.processing_time.label_vi(),
            received_at=dossier.submitted_at,  # type: ignore[arg-type]
            due_at=dossier.due_at,  # type: ignore[arg-type]
            return_place=f"Trực tuyến hoặc tại {office.name}",
            fee_label="Miễn phí" if fee == 0 else f"{fee:,} đồng".replace(",", "."),
            channel_label=CHANNEL_LABELS.get(dossier.channel, "Trực tuyến"),
        )


def _opt(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
