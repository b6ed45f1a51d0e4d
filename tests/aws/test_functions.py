"""The Lambda entry points in functions/, called with real event shapes (SQS batch, S3 Put notification,
EventBridge Scheduled Event) on the aws runtime built from the environment, every service in moto over HTTP:
DynamoDB, S3, SQS (with a dead-letter queue), SNS, SES, KMS."""

from __future__ import annotations

import io
import json
import random
import re
from urllib.parse import quote, quote_plus

import pytest

from api.helpers import jpeg_bytes
from aws.aws_support import REGION, moto_state, unique_name
from aws.lambda_sqs import bodies, drain, make_queue, poll, sqs_event
from motcua.adapters.dynamodb_schema import create_tables

SCHEDULED = {
    "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
    "source": "aws.events", "account": "123456789012", "time": "2026-11-26T02:00:00Z", "region": REGION,
    "resources": ["arn:aws:events:ap-southeast-1:123456789012:rule/motcua-outbox-relay"], "detail": {},
}


@pytest.fixture
def runtime(aws, moto_url, verified_sender, monkeypatch, tmp_path):
    """The environment serverless.yml gives the functions, pointing at fresh resources in moto."""
    from functions import _runtime

    prefix = unique_name("t") + "-"
    create_tables(aws.client("dynamodb"), prefix)
    s3 = aws.client("s3")
    buckets = {}
    for role in ("results", "uploads"):
        buckets[role] = unique_name(f"motcua-{role}")
        s3.create_bucket(Bucket=buckets[role], CreateBucketConfiguration={"LocationConstraint": REGION})
    queue, dlq = make_queue(aws.client("sqs"), unique_name("motcua-outbox"), max_receive_count=2)
    env = {
        "MOTCUA_RUNTIME": "aws", "MOTCUA_ENV": "development", "AWS_REGION": REGION, "AWS_ENDPOINT_URL": moto_url,
        "MOTCUA_TABLE_PREFIX": prefix, "MOTCUA_RESULTS_BUCKET": buckets["results"],
        "MOTCUA_UPLOADS_BUCKET": buckets["uploads"], "MOTCUA_OUTBOX_QUEUE_URL": queue,
        "MOTCUA_EMAIL_SENDER": verified_sender, "MOTCUA_KMS_KEY_ALIAS_PREFIX": unique_name("motcua") + "/",
        "MOTCUA_DATA_DIR": str(tmp_path / "var"), "SECRET_KEY": "test-secret", "PUBLIC_BASE_URL": "https://dvc.test",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _runtime.reset()
    yield {"queue": queue, "dlq": dlq, **buckets, "prefix": prefix}
    _runtime.reset()


class PwaClient:
    """The PWA's way of calling the API: a CSRF token on every unsafe request."""

    def __init__(self, client):
        self.client = client
        self.csrf = client.get("/api/v1/auth/session").get_json()["csrf_token"]

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers={"X-CSRF-Token": self.csrf}, **kw)


def sms_to(moto_url, phone):
    return [m["message"] for m in moto_state(moto_url).get("sns", {}).get("SMS", [])
            if m["phone_number"] == "+84" + phone[1:]]


def signed_in(app, moto_url) -> PwaClient:
    """A citizen with a random phone signed in by the code SNS delivered (read back from moto)."""
    client = PwaClient(app.test_client())
    client.phone = "09" + "".join(random.choice("0123456789") for _ in range(8))
    assert client.post("/api/v1/auth/otp", json={"phone": client.phone}).status_code == 202
    [otp] = sms_to(moto_url, client.phone)
    reply = client.post("/api/v1/auth/verify",
                        json={"phone": client.phone, "code": re.search(r"\d{6}", otp).group()})
    assert reply.status_code == 200, reply.get_json()
    client.csrf = reply.get_json()["csrf_token"]
    return client


def s3_put_event(bucket, *keys):
    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION, "eventTime": "2026-11-26T02:00:00.000Z",
        "eventName": "ObjectCreated:Post", "userIdentity": {"principalId": "AWS:AROAEXAMPLE"},
        "requestParameters": {"sourceIPAddress": "113.161.1.1"}, "responseElements": {},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "upload-check",
               "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A3EXAMPLE"},
                          "arn": f"arn:aws:s3:::{bucket}"},
               "object": {"key": quote_plus(key, safe="/"), "size": 1, "eTag": "0", "sequencer": "0"}},
    } for key in keys]}


def test_scheduled_functions_run_their_job_and_say_how_much_they_did(runtime):
    from functions import deadline_sweep, housekeeping, outbox_relay, reconcile_payments

    assert outbox_relay.handler(SCHEDULED, None) == {"relayed": 0}
    assert deadline_sweep.handler(SCHEDULED, None) == {"events": 0}
    assert reconcile_payments.handler(SCHEDULED, None) == {"settled": 0}
    removed = housekeeping.handler(SCHEDULED, None)["removed"]
    assert isinstance(removed, dict) and all(v == 0 for v in removed.values())


def test_a_citizen_files_on_aws_and_the_notice_arrives_by_sms_through_relay_queue_and_consumer(runtime, moto_url, aws):
    """Sign-in code by SNS, attachment in S3, dossier in DynamoDB, the submitted event relayed to SQS by
    outbox_relay, consumed by queue_consumer (three times: SQS may redeliver), and the SMS about it published
    once through SNS."""
    from functions import _runtime, outbox_relay, queue_consumer

    from api.helpers import KHAI_SINH, complete_answers, uploadable_documents
    from motcua.api.app import create_app

    app = create_app(container=_runtime.container())
    client = signed_in(app, moto_url)
    phone = client.phone

    procedure = client.get(f"/api/v1/procedures/{KHAI_SINH}").get_json()
    answers = {**complete_answers(procedure), "applicant_phone": phone}
    dossier = client.post("/api/v1/dossiers", json={"procedure_code": KHAI_SINH, "form": answers,
                                                    "receiving_office_id": "phuong-tran-bien"}).get_json()
    for document in uploadable_documents(procedure):
        reply = client.post(f"/api/v1/dossiers/{dossier['id']}/attachments",
                            data={"document_id": document["id"], "file": (io.BytesIO(jpeg_bytes()), "anh.jpg")},
                            content_type="multipart/form-data")
        assert reply.status_code == 201, reply.get_json()
    stored = aws.client("s3").list_objects_v2(Bucket=runtime["results"], Prefix=f"dossiers/{dossier['id']}/")
    assert len(stored["Contents"]) == len(uploadable_documents(procedure))
    submitted = client.post(f"/api/v1/dossiers/{dossier['id']}/submit")
    assert submitted.status_code == 200, submitted.get_json()
    code = submitted.get_json()["code"]

    assert outbox_relay.handler(SCHEDULED, None)["relayed"] >= 1
    assert outbox_relay.handler(SCHEDULED, None) == {"relayed": 0}  # done means done
    sqs = aws.client("sqs")
    # SQS delivers at least once: hand the same batch over twice, then let the poller deliver it a third time.
    messages = sqs.receive_message(QueueUrl=runtime["queue"], MaxNumberOfMessages=10, AttributeNames=["All"],
                                   VisibilityTimeout=0)["Messages"]
    event = sqs_event(sqs, runtime["queue"], messages)
    assert queue_consumer.handler(event, None) == queue_consumer.handler(event, None) == {"batchItemFailures": []}
    replies = drain(sqs, runtime["queue"], queue_consumer.handler)
    assert replies and all(r == {"batchItemFailures": []} for r in replies)
    notices = [m for m in sms_to(moto_url, phone) if code in m]
    assert notices == [f"DVC Dong Nai: Ho so {code} da duoc nop. Hen tra ket qua "
                       f"{notices[0].split('Hen tra ket qua ')[1]}"]
    assert bodies(sqs, runtime["dlq"]) == []


def test_a_poison_message_fails_alone_and_ends_in_the_dead_letter_queue(runtime, aws):
    from functions import queue_consumer

    sqs = aws.client("sqs")
    sqs.send_message(QueueUrl=runtime["queue"], MessageBody='{"topic": "dossier.step"')  # cut short
    good = json.dumps({"id": "m1", "topic": "no.such.topic", "payload": {}, "created_at": "2026-11-26T02:00:00+00:00"})
    sqs.send_message(QueueUrl=runtime["queue"], MessageBody=good)
    first, count = poll(sqs, runtime["queue"], queue_consumer.handler)
    assert count == 2 and len(first["batchItemFailures"]) == 1
    drain(sqs, runtime["queue"], queue_consumer.handler)
    assert bodies(sqs, runtime["dlq"]) == ['{"topic": "dossier.step"']
    assert bodies(sqs, runtime["queue"]) == []


def test_upload_check_handles_encoded_keys_and_every_record_of_an_event(runtime, aws):
    from functions import upload_check

    s3 = aws.client("s3")
    good, bad = "incoming/dossiers/d1/Ảnh CCCD mặt+trước.jpg", "incoming/dossiers/d1/hoá đơn (1).pdf"
    s3.put_object(Bucket=runtime["uploads"], Key=good, Body=jpeg_bytes(gps=True),
                  Metadata={"filename": quote("Ảnh CCCD mặt trước.jpg", safe="")})
    s3.put_object(Bucket=runtime["uploads"], Key=bad, Body=b"<script>alert(1)</script>")
    event = s3_put_event(runtime["uploads"], good, bad)
    event["Records"].append(s3_put_event("another-bucket", "incoming/x")["Records"][0])
    reply = upload_check.handler(event, None)
    assert [(r["key"], r["outcome"], r["reason"]) for r in reply["results"]] == [
        (good, "accepted", None), (bad, "quarantined", "unsupported_file_type")]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=runtime["uploads"])["Contents"])
    assert keys == ["checked/dossiers/d1/Ảnh CCCD mặt+trước.jpg", "quarantine/dossiers/d1/hoá đơn (1).pdf"]
    # The same notification again (S3 delivers at least once): nothing left to do.
    again = upload_check.handler(s3_put_event(runtime["uploads"], good, bad), None)
    assert [r["outcome"] for r in again["results"]] == ["missing", "missing"]


def test_upload_check_skips_keys_outside_the_inbox_and_malformed_records(runtime, aws):
    from functions import upload_check

    aws.client("s3").put_object(Bucket=runtime["uploads"], Key="checked/x.jpg", Body=b"already checked")
    event = s3_put_event(runtime["uploads"], "checked/x.jpg")
    event["Records"] += [{"eventSource": "aws:s3"}, None]
    reply = upload_check.handler(event, None)
    assert [r["outcome"] for r in reply["results"]] == ["skipped"]
    assert aws.client("s3").get_object(Bucket=runtime["uploads"], Key="checked/x.jpg")["Body"].read() == \
        b"already checked"


def test_the_aws_runtime_names_what_is_missing(monkeypatch):
    from functions import _runtime, outbox_relay

    monkeypatch.setenv("MOTCUA_RUNTIME", "aws")
    for name in ("MOTCUA_RESULTS_BUCKET", "MOTCUA_UPLOADS_BUCKET", "MOTCUA_OUTBOX_QUEUE_URL", "MOTCUA_EMAIL_SENDER"):
        monkeypatch.delenv(name, raising=False)
    _runtime.reset()
    with pytest.raises(ValueError, match="MOTCUA_RESULTS_BUCKET, MOTCUA_UPLOADS_BUCKET, MOTCUA_OUTBOX_QUEUE_URL"):
        outbox_relay.handler(SCHEDULED, None)
    _runtime.reset()
