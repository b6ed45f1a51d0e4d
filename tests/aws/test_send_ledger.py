"""The at-most-once record behind SNS/SES sends (S3 conditional writes in moto): a failed send can be retried,
a crashed sender's stale claim is taken over, a fresh one is respected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aws.aws_support import moto_state, unique_name
from motcua.adapters.send_ledger import S3SendLedger, SendInProgress
from motcua.adapters.ses_email import SesEmailSender
from motcua.adapters.sns_sms import SnsSmsSender, e164


class Clock:
    def __init__(self):
        self.at = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

    def __call__(self):
        return self.at


def test_a_failed_send_releases_the_key_so_the_retry_sends(aws, bucket):
    ledger = S3SendLedger(aws, bucket)
    calls = []

    def broken():
        calls.append("try")
        raise ConnectionError("SNS unreachable")

    with pytest.raises(ConnectionError):
        ledger.once("evt:sms", broken)
    assert ledger.once("evt:sms", lambda: calls.append("sent")) is True
    assert ledger.once("evt:sms", lambda: calls.append("again")) is False
    assert calls == ["try", "sent"]


def test_a_fresh_claim_of_another_sender_is_respected_and_a_stale_one_taken_over(aws, bucket):
    clock = Clock()
    ledger = S3SendLedger(aws, bucket, lease=timedelta(minutes=5), now=clock)
    assert ledger.claim("evt:email")  # a sender that then died without marking it sent
    with pytest.raises(SendInProgress):
        ledger.once("evt:email", lambda: None)
    clock.at += timedelta(minutes=6)
    sent = []
    assert ledger.once("evt:email", lambda: sent.append(1)) is True and sent == [1]
    assert ledger.once("evt:email", lambda: sent.append(2)) is False


def test_the_record_does_not_reveal_the_key(aws, bucket):
    S3SendLedger(aws, bucket).once("otp:0912345678", lambda: None)
    [obj] = aws.client("s3").list_objects_v2(Bucket=bucket)["Contents"]
    assert "0912345678" not in obj["Key"] and obj["Key"].startswith("ledger/messages/")


@pytest.mark.parametrize("phone", ["012345", "+1 202 555 0100", "0912345678<script>", "", "09123456789"])
def test_only_vietnamese_mobile_numbers_reach_sns(aws, bucket, moto_url, phone):
    before = len(moto_state(moto_url).get("sns", {}).get("SMS", []))
    with pytest.raises(ValueError):
        SnsSmsSender(aws, S3SendLedger(aws, bucket)).send_sms(phone, "x")
    assert len(moto_state(moto_url).get("sns", {}).get("SMS", [])) == before


def test_e164():
    assert e164("0912 345 678") == "+84912345678" == e164("+84912345678") == e164("84912345678")


def test_an_unverified_sender_is_refused_and_the_key_stays_free_for_the_retry(aws, bucket, moto_url):
    sender = f"{unique_name('chua-xac-minh')}@dongnai.gov.vn"
    mail = SesEmailSender(aws, S3SendLedger(aws, bucket), sender=sender)
    to = f"{unique_name('dan')}@example.vn"
    with pytest.raises(Exception, match="MessageRejected"):
        mail.send_email(to, "Thông báo", "Nội dung", key="evt:email")
    aws.client("ses").verify_email_identity(EmailAddress=sender)
    mail.send_email(to, "Thông báo", "Nội dung", key="evt:email")
    sent = [m for m in moto_state(moto_url)["ses"]["Message"] if m["destinations"]["ToAddresses"] == [to]]
    assert len(sent) == 1 and sent[0]["source"].endswith(f"<{sender}>")


@pytest.mark.parametrize("to", ["a@b.vn, c@d.vn", "a@b.vn\r\nBcc: x@y.vn", "no-at-sign", ""])
def test_one_recipient_only(aws, bucket, verified_sender, to):
    with pytest.raises(ValueError):
        SesEmailSender(aws, S3SendLedger(aws, bucket), sender=verified_sender).send_email(to, "s", "t")
