"""Direct uploads (S3 inbox) go through the same inspection as API uploads: good ones come out sanitised and
tagged as checked, bad ones are moved byte for byte to quarantine with the reason. Real objects in moto."""

from __future__ import annotations

import hashlib
import io
from urllib.parse import unquote

import pytest
from PIL import Image

from api.helpers import jpeg_bytes, pdf_bytes
from motcua.adapters.s3_files import S3UploadInbox
from motcua.adapters.upload_inspection import UploadLimits
from motcua.bootstrap import InspectingUploadChecker
from motcua.services.upload_check import UploadCheckService


@pytest.fixture
def s3(aws):
    return aws.client("s3")


@pytest.fixture
def service(aws, bucket):
    return UploadCheckService(S3UploadInbox(aws, bucket), InspectingUploadChecker(UploadLimits(max_bytes=200_000)),
                              max_bytes=200_000)


def upload(s3, bucket, key, data, filename="ảnh.jpg"):
    from urllib.parse import quote

    s3.put_object(Bucket=bucket, Key=key, Body=data, Metadata={"filename": quote(filename, safe="")})


def tags(s3, bucket, key):
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


def keys(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_a_phone_photo_is_accepted_without_its_gps_position(service, s3, bucket):
    upload(s3, bucket, "incoming/dossiers/d1/u1", jpeg_bytes(gps=True), "CCCD mặt trước.JPG")
    verdict = service.check("incoming/dossiers/d1/u1")
    assert verdict.outcome == "accepted" and verdict.stored_key == "checked/dossiers/d1/u1"
    assert keys(s3, bucket) == ["checked/dossiers/d1/u1"]  # the raw upload is gone
    stored = s3.get_object(Bucket=bucket, Key="checked/dossiers/d1/u1")
    data = stored["Body"].read()
    assert stored["ContentType"] == "image/jpeg" and stored["ServerSideEncryption"] == "AES256"
    assert unquote(stored["Metadata"]["filename"]) == "CCCD mặt trước.jpg"
    assert b"PhoneMaker" not in data and len(Image.open(io.BytesIO(data)).getexif()) == 0
    assert tags(s3, bucket, "checked/dossiers/d1/u1") == {"motcua-check": "passed",
                                                           "sha256": hashlib.sha256(data).hexdigest()}
    assert verdict.sha256 == hashlib.sha256(data).hexdigest()


def test_a_pdf_is_accepted_byte_for_byte(service, s3, bucket):
    data = pdf_bytes()
    upload(s3, bucket, "incoming/dossiers/d1/u2", data, "giay-chung-sinh.pdf")
    assert service.check("incoming/dossiers/d1/u2").outcome == "accepted"
    assert s3.get_object(Bucket=bucket, Key="checked/dossiers/d1/u2")["Body"].read() == data


@pytest.mark.parametrize(("data", "reason"), [
    (b"<html><script>alert(1)</script></html>", "unsupported_file_type"),
    (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF", "unsafe_pdf"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "corrupt_file"),
    (b"", "empty_file"),
])
def test_hostile_uploads_are_quarantined_unchanged_with_the_reason(service, s3, bucket, data, reason):
    upload(s3, bucket, "incoming/dossiers/d1/bad", data, "anh.jpg")
    verdict = service.check("incoming/dossiers/d1/bad")
    assert (verdict.outcome, verdict.reason) == ("quarantined", reason)
    assert keys(s3, bucket) == ["quarantine/dossiers/d1/bad"]
    assert s3.get_object(Bucket=bucket, Key="quarantine/dossiers/d1/bad")["Body"].read() == data
    assert tags(s3, bucket, "quarantine/dossiers/d1/bad") == {"motcua-check": "refused", "reason": reason}


def test_an_oversized_upload_is_quarantined_without_being_read(service, s3, bucket):
    upload(s3, bucket, "incoming/dossiers/d1/big", b"\xff\xd8\xff" + b"0" * 300_000)
    verdict = service.check("incoming/dossiers/d1/big")
    assert (verdict.outcome, verdict.reason) == ("quarantined", "file_too_large")
    assert keys(s3, bucket) == ["quarantine/dossiers/d1/big"]


def test_quarantine_may_be_a_bucket_of_its_own(aws, s3, bucket):
    from aws.aws_support import REGION, unique_name

    vault = unique_name("motcua-quarantine")
    s3.create_bucket(Bucket=vault, CreateBucketConfiguration={"LocationConstraint": REGION})
    service = UploadCheckService(S3UploadInbox(aws, bucket, quarantine_bucket=vault),
                                 InspectingUploadChecker(UploadLimits()), max_bytes=1000)
    upload(s3, bucket, "incoming/x/1", b"MZ\x90\x00 an exe")
    assert service.check("incoming/x/1").outcome == "quarantined"
    assert keys(s3, bucket) == [] and keys(s3, vault) == ["quarantine/x/1"]


def test_the_same_event_twice_changes_nothing_the_second_time(service, s3, bucket):
    upload(s3, bucket, "incoming/dossiers/d1/u3", jpeg_bytes())
    assert service.check("incoming/dossiers/d1/u3").outcome == "accepted"
    assert service.check("incoming/dossiers/d1/u3").outcome == "missing"
    assert keys(s3, bucket) == ["checked/dossiers/d1/u3"]


@pytest.mark.parametrize("key", ["checked/dossiers/d1/u1", "quarantine/a", "incoming/", "dossiers/x", "incoming/a\nb",
                                 "incoming/" + "x" * 1024])
def test_keys_outside_the_inbox_are_never_touched(service, s3, bucket, key):
    with pytest.raises(ValueError):
        service.check(key)
