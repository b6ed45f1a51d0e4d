"""SMS and e-mail ports, one contract for both runtimes: the embedded message log and SNS/SES over HTTP (moto).
What was sent is read back from where each runtime keeps it (the log's ``recent()``, moto's ``data.json``)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from aws.aws_support import moto_state, unique_name
from motcua.adapters.message_log import SqliteMessageLog
from motcua.adapters.send_ledger import S3SendLedger
from motcua.adapters.ses_email import SesEmailSender
from motcua.adapters.sns_sms import SnsSmsSender
from motcua.domain.phones import normalise_phone

OTP = "Ma xac thuc DVC Dong Nai: 123456. Het han sau 5 phut."
SUBJECT = "Hồ sơ H19.23-261126-0001 đã có kết quả"
TEXT = "Kính gửi bà Nguyễn Thị Ngọc Ánh,\n\nHồ sơ của bà đã được phê duyệt. Mời bà tải kết quả đã ký số."


class Runtime:
    def __init__(self, sms, email, read):
        self.sms, self.email, self.read = sms, email, read


@pytest.fixture(params=["embedded", "aws"])
def runtime(request, tmp_path, clock):
    if request.param == "embedded":
        log = SqliteMessageLog(tmp_path / "messages.sqlite3", clock)

        def read(channel, to):
            return [(m.to, m.subject, m.body) for m in reversed(log.recent(1000))
                    if m.channel == channel and (normalise_phone(m.to) or m.to) == to]

        return Runtime(log, log, read)
    aws, bucket = request.getfixturevalue("aws"), request.getfixturevalue("bucket")
    ledger = S3SendLedger(aws, bucket)
    sender = request.getfixturevalue("verified_sender")
    url = request.getfixturevalue("moto_url")

    def read(channel, to):
        state = moto_state(url)
        if channel == "sms":
            return [(normalise_phone(m["phone_number"]), "", m["message"]) for m in state["sns"]["SMS"]
                    if normalise_phone(m["phone_number"]) == to]
        return [(m["destinations"]["ToAddresses"][0], m["subject"], m["body"]) for m in state["ses"]["Message"]
                if m["destinations"]["ToAddresses"] == [to]]

    return Runtime(SnsSmsSender(aws, ledger, sender_id="DONGNAI"), SesEmailSender(aws, ledger, sender=sender), read)


def fresh_phone() -> str:
    return "09" + "".join(random.choice("0123456789") for _ in range(8))


def fresh_email() -> str:
    return f"{unique_name('nguoi-dan')}@example.vn"


def test_an_sms_reaches_the_number_given_in_national_or_international_form(runtime):
    phone = fresh_phone()
    runtime.sms.send_sms(phone, OTP)
    runtime.sms.send_sms("+84 " + phone[1:], "second")
    assert [body for _, _, body in runtime.read("sms", phone)] == [OTP, "second"]


def test_the_same_sms_key_twice_is_one_message(runtime):
    phone = fresh_phone()
    runtime.sms.send_sms(phone, "Ho so da duoc tiep nhan", key="evt-1:sms")
    runtime.sms.send_sms(phone, "Ho so da duoc tiep nhan", key="evt-1:sms")
    runtime.sms.send_sms(phone, "Ho so da co ket qua", key="evt-2:sms")
    assert [body for _, _, body in runtime.read("sms", phone)] == ["Ho so da duoc tiep nhan", "Ho so da co ket qua"]


def test_messages_without_a_key_are_all_sent(runtime):
    phone = fresh_phone()
    runtime.sms.send_sms(phone, OTP)
    runtime.sms.send_sms(phone, OTP)
    assert len(runtime.read("sms", phone)) == 2


def test_an_email_keeps_its_vietnamese_subject_and_body(runtime):
    to = fresh_email()
    runtime.email.send_email(to, SUBJECT, unicodedata.normalize("NFD", TEXT), key="evt-3:email")
    [(got_to, subject, body)] = runtime.read("email", to)
    assert (got_to, subject, body) == (to, SUBJECT, TEXT)  # NFD in, NFC out
    assert unicodedata.is_normalized("NFC", subject + body)


def test_the_same_email_key_twice_is_one_email(runtime):
    to = fresh_email()
    for _ in range(3):
        runtime.email.send_email(to, SUBJECT, TEXT, key="evt-4:email")
    assert len(runtime.read("email", to)) == 1
