"""S3 specifics behind the file port: encryption on every put, presigned GET for downloads, the presigned POST a
phone uploads with (its policy decoded and checked, since moto does not enforce it) and a real POST to moto."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import requests

from api.helpers import jpeg_bytes, pdf_bytes
from motcua.adapters.s3_files import S3FileStore


@pytest.fixture
def store(aws, bucket) -> S3FileStore:
    return S3FileStore(aws, bucket)


def test_every_put_is_encrypted_at_rest(store, aws, bucket):
    store.put("results/d1/result.pdf", pdf_bytes(), content_type="application/pdf")
    head = aws.client("s3").head_object(Bucket=bucket, Key="results/d1/result.pdf")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "application/pdf"


def test_kms_encryption_when_a_key_is_configured(aws, bucket):
    key_id = aws.client("kms").create_key(Description="motcua files")["KeyMetadata"]["KeyId"]
    S3FileStore(aws, bucket, kms_key_id=key_id).put("a/b.pdf", b"%PDF", content_type="application/pdf")
    head = aws.client("s3").head_object(Bucket=bucket, Key="a/b.pdf")
    assert head["ServerSideEncryption"] == "aws:kms" and key_id in head["SSEKMSKeyId"]


def test_presigned_download_serves_the_file_under_its_vietnamese_name(store):
    data = pdf_bytes("ket qua")
    store.put("results/d1/result.pdf", data, content_type="application/pdf")
    url = store.download_url("results/d1/result.pdf", filename="kết-quả-H19.23-261126-0001.pdf")
    assert parse_qs(urlparse(url).query)["X-Amz-Expires"] == ["300"]  # short-lived
    reply = requests.get(url, timeout=10)
    assert reply.status_code == 200 and reply.content == data
    assert reply.headers["Content-Type"] == "application/pdf"
    assert reply.headers["Cache-Control"] == "private, no-store"  # a citizen's document stays out of caches
    disposition = reply.headers["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "kết-quả-H19.23-261126-0001.pdf"


def _conditions(policy: dict) -> dict:
    found = {}
    for condition in policy["conditions"]:
        if isinstance(condition, dict):
            found.update(condition)
        else:
            found[tuple(condition[:2])] = condition[2:]
    return found


def test_upload_policy_limits_size_type_key_encryption_and_time(store, bucket):
    form = store.upload_form("incoming/dossiers/d1/u1", content_type="image/jpeg", max_bytes=10 * 1024 * 1024,
                             filename="Ảnh CCCD mặt trước.jpg", expires_in=600)
    policy = form.policy()
    conditions = _conditions(policy)
    assert conditions[("content-length-range", 1)] == [10 * 1024 * 1024]
    assert conditions["Content-Type"] == "image/jpeg"
    assert conditions["key"] == "incoming/dossiers/d1/u1"
    assert conditions[("starts-with", "$key")] == ["incoming/dossiers/d1/"]
    assert conditions["bucket"] == bucket
    assert conditions["x-amz-server-side-encryption"] == "AES256"
    assert conditions["success_action_status"] == "201"
    assert unquote(conditions["x-amz-meta-filename"]) == "Ảnh CCCD mặt trước.jpg"
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 600
    assert form.expires_at == expires
    # Every field the phone must send is covered by a condition (S3 refuses fields the policy does not name).
    for name in form.fields:
        if name.lower() not in ("policy", "key", "x-amz-signature"):
            assert name in conditions or name.lower() in {k.lower() for k in conditions if isinstance(k, str)}


@pytest.mark.parametrize("bad", [
    {"key": "dossiers/d1/u1"},  # not under the inbox prefix
    {"key": "incoming/../x"},
    {"content_type": "text/html"},
    {"content_type": "image/svg+xml"},
    {"max_bytes": 0},
    {"expires_in": 86400},
])
def test_upload_forms_are_only_built_for_sane_requests(store, bad):
    args = {"key": "incoming/dossiers/d1/u1", "content_type": "image/png", "max_bytes": 1000, "expires_in": 60}
    args.update(bad)
    with pytest.raises(ValueError):
        store.upload_form(args.pop("key"), **args)


def test_a_phone_uploads_with_the_form_and_the_object_lands_in_the_inbox(store, aws, bucket):
    data = jpeg_bytes()
    form = store.upload_form("incoming/dossiers/d1/u2", content_type="image/jpeg", max_bytes=len(data) + 10,
                             filename="giấy chứng sinh.jpg")
    reply = requests.post(form.url, data=form.fields, files={"file": ("giay.jpg", data, "image/jpeg")}, timeout=10)
    assert reply.status_code == 201, reply.text
    head = aws.client("s3").head_object(Bucket=bucket, Key="incoming/dossiers/d1/u2")
    assert head["ContentType"] == "image/jpeg"
    # (moto ignores the encryption field of a POST; the policy test above shows the phone must send it.)
    assert unquote(head["Metadata"]["filename"]) == "giấy chứng sinh.jpg"
    assert store.get("incoming/dossiers/d1/u2") == data
