"""Running the API test modules unchanged on the aws runtime: fixtures that replace the embedded container with
the aws one (DynamoDB, S3, SNS, SES, KMS in moto) for the test modules that import them.

Two things the embedded runtime gives tests for free are provided here from the real AWS side:
- ``/dev/outbox`` (how tests read sign-in codes and notices) lists what SNS and SES really sent, read from
  moto's ``/moto-api/data.json``;
- signed results answer with a redirect to a presigned S3 link; the test client follows it over real HTTP.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
import requests
from flask import Response

from aws.aws_support import REGION, SENDER, moto_state, reset_moto, unique_name
from aws.lambda_sqs import make_queue
from motcua.adapters.dynamodb_schema import create_tables
from motcua.bootstrap import bootstrap
from motcua.config import Settings
from motcua.domain.phones import normalise_phone
from motcua.services.ports import SentMessage


class MotoMessageLog:
    """``SentMessageLog`` over what moto's SNS and SES hold (newest first), for /dev/outbox in tests."""

    def __init__(self, moto_url: str) -> None:
        self._url = moto_url
        state = moto_state(moto_url)  # only what is sent from now on belongs to this test
        self._skip_sms = len(state.get("sns", {}).get("SMS", []))
        self._skip_mail = len(state.get("ses", {}).get("Message", []))

    def recent(self, limit: int = 50) -> list[SentMessage]:
        state = moto_state(self._url)
        at = datetime.now(UTC)
        sms = [SentMessage(id=m["message_id"], channel="sms", to=normalise_phone(m["phone_number"]) or "",
                           subject="", body=m["message"], created_at=at)
               for m in state.get("sns", {}).get("SMS", [])[self._skip_sms:]]
        mail = [SentMessage(id=m["id"], channel="email", to=m["destinations"]["ToAddresses"][0],
                            subject=m["subject"], body=m["body"], created_at=at)
                for m in state.get("ses", {}).get("Message", [])[self._skip_mail:]]
        # moto keeps each list in sending order; the two channels are interleaved by nothing, so SMS come first.
        return (list(reversed(sms)) + list(reversed(mail)))[:limit]


@pytest.fixture
def container(aws, moto_url, clock, tmp_path):
    reset_moto(moto_url)  # each of these tests makes all it needs; a small data.json keeps /dev/outbox fast
    aws.client("ses").verify_email_identity(EmailAddress=SENDER)
    prefix = unique_name("t") + "-"
    create_tables(aws.client("dynamodb"), prefix)
    buckets = {}
    for role in ("results", "uploads"):
        buckets[role] = unique_name(f"motcua-{role}")
        aws.client("s3").create_bucket(Bucket=buckets[role], CreateBucketConfiguration={"LocationConstraint": REGION})
    queue, _ = make_queue(aws.client("sqs"), unique_name("motcua-outbox"))
    env = {
        "MOTCUA_RUNTIME": "aws", "AWS_REGION": REGION, "AWS_ENDPOINT_URL": moto_url, "MOTCUA_TABLE_PREFIX": prefix,
        "MOTCUA_RESULTS_BUCKET": buckets["results"], "MOTCUA_UPLOADS_BUCKET": buckets["uploads"],
        "MOTCUA_OUTBOX_QUEUE_URL": queue, "MOTCUA_EMAIL_SENDER": SENDER,
        "MOTCUA_KMS_KEY_ALIAS_PREFIX": unique_name("motcua") + "/",
    }
    settings = Settings.from_env(env, data_dir=tmp_path / "var", start_worker=False, secret_key=b"test-secret",
                                 public_base_url="http://127.0.0.1:8080")
    built = bootstrap(settings, clock=clock)
    built.message_log = MotoMessageLog(moto_url)
    return built


class _FollowsS3:
    """The Flask test client, plus: a redirect to the S3 endpoint is fetched over HTTP, like a browser would."""

    def __init__(self, client, moto_url: str) -> None:
        self._client = client
        self._origin = urlsplit(moto_url).netloc

    def get(self, url, **kw):
        reply = self._client.get(url, **kw)
        if reply.status_code == 302 and urlsplit(reply.location).netloc == self._origin:
            fetched = requests.get(reply.location, timeout=10)
            return Response(fetched.content, status=fetched.status_code,
                            headers={k: v for k, v in fetched.headers.items()
                                     if k.lower() in ("content-type", "content-disposition", "cache-control")})
        return reply

    def __getattr__(self, name):
        return getattr(self._client, name)


@pytest.fixture
def api(api, moto_url):
    api.client = _FollowsS3(api.client, moto_url)
    return api
