"""What the citizen and officials are told at each step: Vietnamese first, English second, and SMS text without
diacritics in one GSM-7 segment (Vietnamese SMS practice). All wording lives here."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from motcua.domain.calendar import VN_TZ

SMS_LIMIT = 160


@dataclass(frozen=True)
class Notice:
    title_vi: str
    body_vi: str
    title_en: str
    body_en: str
    sms: str | None = None  # None: not worth an SMS
    urgent: bool = False  # urgent notices use Urgency: high
    reminder: bool = False  # reminders wait for the end of the person's quiet hours


def ascii_vi(text: str) -> str:
    """Vietnamese without diacritics, as SMS gateways expect ("Trấn Biên" → "Tran Bien")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def sms_text(text: str) -> str:
    text = ascii_vi(text)
    return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 3] + "..."


def local(value: str | datetime | None) -> str:
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def citizen_notice(action: str, *, code: str, procedure: str, due: str, note: str = "",
                   new_date: str = "") -> Notice | None:
    """The notice a citizen gets for a lifecycle action, or None when the action is internal."""
    if action == "submit":
        return Notice(f"Đã nộp hồ sơ {code}", f"{procedure}. Hẹn trả kết quả: {due}.",
                      f"Dossier {code} submitted", f"{procedure}. Result due: {due}.",
                      sms_text(f"DVC Dong Nai: Ho so {code} da duoc nop. Hen tra ket qua {due}."))
    if action == "receive":
        return Notice(f"Hồ sơ {code} đã được tiếp nhận", f"Hẹn trả kết quả: {due}.",
                      f"Dossier {code} received", f"Result due: {due}.",
                      sms_text(f"DVC Dong Nai: Ho so {code} da duoc tiep nhan. Hen tra ket qua {due}."))
    if action == "request_supplement":
        return Notice(f"Hồ sơ {code} cần bổ sung", _short(f"Vui lòng bổ sung giấy tờ: {note}") if note else
                      "Vui lòng xem yêu cầu bổ sung và nộp lại.", f"Dossier {code} needs more documents",
                      "Open the app to see what is missing and send it.",
                      sms_text(f"DVC Dong Nai: Ho so {code} can bo sung giay to. Xem chi tiet tren ung dung."),
                      urgent=True)
    if action == "refuse":
        return Notice(f"Hồ sơ {code} bị từ chối", _short(f"Lý do: {note}"), f"Dossier {code} refused",
                      _short(f"Reason: {note}"), sms_text(f"DVC Dong Nai: Ho so {code} bi tu choi. Ly do: {note}"),
                      urgent=True)
    if action == "approve":
        return Notice(f"Hồ sơ {code} đã có kết quả", "Kết quả đã được ký số. Bạn có thể tải về trên ứng dụng.",
                      f"Result ready for {code}", "The signed result can be downloaded in the app.",
                      sms_text(f"DVC Dong Nai: Ho so {code} da co ket qua. Tai ve tren ung dung."), urgent=True)
    if action == "return_result":
        return Notice(f"Đã trả kết quả hồ sơ {code}", _short(note or "Kết quả đã được trả."),
                      f"Result of {code} returned", _short(note) or "The result was handed over.",
                      sms_text(f"DVC Dong Nai: Da tra ket qua ho so {code}. {note}"))
    if action == "apology":
        return Notice(f"Xin lỗi: hồ sơ {code} chậm hẹn", _short(f"Hẹn lại ngày {new_date}. Lý do: {note}"),
                      f"Sorry: dossier {code} is delayed", _short(f"New date {new_date}. Reason: {note}"),
                      sms_text(f"DVC Dong Nai xin loi: ho so {code} hen lai ngay {new_date}."), urgent=True)
    if action == "stop":
        return Notice(f"Hồ sơ {code} đã dừng xử lý", _short(f"Lý do: {note}"), f"Dossier {code} stopped",
                      _short(f"Reason: {note}"), sms_text(f"DVC Dong Nai: Ho so {code} da dung xu ly."))
    if action == "request_withdrawal":
        return Notice(f"Đã ghi nhận đề nghị rút hồ sơ {code}", "Cơ quan sẽ dừng xử lý và thông báo cho bạn.",
                      f"Withdrawal of {code} requested", "The office will stop processing and let you know.")
    return None


def payment_notice(topic: str, *, code: str, amount: str) -> Notice | None:
    if topic == "payment.confirmed":
        return Notice(f"Đã thanh toán {amount} cho hồ sơ {code}", "Biên lai điện tử có trong hồ sơ.",
                      f"Payment of {amount} received for {code}", "The e-receipt is in the dossier.",
                      sms_text(f"DVC Dong Nai: Da nhan thanh toan {amount} cho ho so {code}."))
    if topic == "payment.refunded":
        return Notice(f"Đã hoàn {amount} cho hồ sơ {code}", "Khoản đã thanh toán được hoàn lại qua cổng thanh toán.",
                      f"{amount} refunded for {code}", "The payment was refunded through the gateway.",
                      sms_text(f"DVC Dong Nai: Da hoan tien {amount} cho ho so {code}."))
    return None


def reminder_notice(kind: str, *, code: str) -> Notice | None:
    if kind == "supplement":
        return Notice(f"Nhắc: hồ sơ {code} vẫn chờ bổ sung", "Vui lòng nộp bổ sung để hồ sơ được tiếp tục giải quyết.",
                      f"Reminder: {code} still needs documents", "Send the missing documents so we can continue.",
                      sms_text(f"DVC Dong Nai nhac: ho so {code} van cho bo sung giay to."))
    return None


def official_notice(action: str, *, code: str, procedure: str, due: str) -> Notice | None:
    if action == "submit":
        return Notice(f"Hồ sơ mới {code}", f"{procedure} — cần tiếp nhận trước {due}.",
                      f"New dossier {code}", f"{procedure} — to receive before {due}.")
    if action == "assign":
        return Notice(f"Bạn được giao hồ sơ {code}", f"{procedure} — hạn {due}.",
                      f"Dossier {code} assigned to you", f"{procedure} — due {due}.")
    if action == "propose":
        return Notice(f"Hồ sơ {code} chờ bạn ký duyệt", f"{procedure} — hạn {due}.",
                      f"Dossier {code} awaits your signature", f"{procedure} — due {due}.", urgent=True)
    if action == "at_risk":
        return Notice(f"Hồ sơ {code} sắp đến hạn", f"Hạn {due}: xử lý hoặc phát hành phiếu xin lỗi.",
                      f"Dossier {code} is nearly due", f"Due {due}: finish it or issue an apology.",
                      sms_text(f"DVC Dong Nai: Ho so {code} sap den han ({due}). Xu ly hoac phat hanh phieu xin loi."),
                      urgent=True)
    return None


def feedback_notice(topic: str, *, due: str = "", overall: int = 0, code: str = "") -> Notice | None:
    """Feedback (PAKN) and satisfaction notices. The citizen's SMS names no content: only that an answer exists."""
    if topic == "feedback.answered":
        return Notice("Phản ánh của bạn đã được trả lời", "Mở ứng dụng để xem câu trả lời của cơ quan.",
                      "Your feedback has been answered", "Open the app to read the office's answer.",
                      sms_text("DVC Dong Nai: Phan anh, kien nghi cua ban da duoc tra loi. Xem tren ung dung."))
    if topic == "feedback.submitted":
        return Notice("Phản ánh, kiến nghị mới", f"Cần trả lời trước {due}.",
                      "New feedback to answer", f"Answer before {due}.")
    if topic == "rating.submitted":
        where = f" hồ sơ {code}" if code else ""
        return Notice(f"Đánh giá chưa hài lòng ({overall}/5)", f"Người dân chưa hài lòng với việc giải quyết{where}.",
                      f"Low satisfaction rating ({overall}/5)",
                      f"A citizen was not satisfied with{' dossier ' + code if code else ' a dossier'}.")
    return None
