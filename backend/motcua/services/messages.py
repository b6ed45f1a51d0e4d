"""What the citizen is told, on which channel. SMS: no diacritics, one GSM-7 segment; e-mail: full Vietnamese."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.domain.calendar import VN_TZ
from motcua.services.ports import EmailSender, SmsSender


def _local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def submitted_sms(payload: dict[str, Any]) -> str:
    text = f"DVC Dong Nai: Ho so {payload['code']} da duoc nop. Hen tra ket qua {_local(payload['due_at'])}."
    return text[:160]


def submitted_email(payload: dict[str, Any], tracking_url: str) -> tuple[str, str]:
    subject = f"Hồ sơ {payload['code']} đã được nộp"
    body = (
        f"Kính gửi Quý ông/bà,\n\n"
        f"Hồ sơ \"{payload['procedure_name']}\" đã được nộp thành công.\n"
        f"Mã hồ sơ: {payload['code']}\n"
        f"Thời gian hẹn trả kết quả: {_local(payload['due_at'])}\n\n"
        f"Theo dõi tiến độ tại: {tracking_url}\n\n"
        f"Trân trọng,\nDịch vụ công Đồng Nai"
    )
    return subject, body


class SubmissionNotifier:
    """Handler for ``dossier.submitted``: the electronic receipt by SMS (and e-mail when given)."""

    def __init__(self, sms: SmsSender, email: EmailSender, public_base_url: str) -> None:
        self._sms = sms
        self._email = email
        self._base = public_base_url.rstrip("/")

    def __call__(self, payload: dict[str, Any]) -> None:
        self._sms.send_sms(payload["applicant_phone"], submitted_sms(payload))
        if payload.get("applicant_email"):
            subject, body = submitted_email(payload, f"{self._base}/tra-cuu?ma={payload['code']}")
            self._email.send_email(payload["applicant_email"], subject, body)
