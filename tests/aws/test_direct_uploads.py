"""Uploads straight from the phone on the aws runtime: the API hands out a presigned POST, the file is posted to
S3 (moto, over HTTP, multipart like a browser), the upload_check function gets a real S3 Put event, and the
complete call attaches the checked object to the dossier — whichever of the event and the complete call comes
first does the check. The app and the function are two containers built from the same environment, as on AWS."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from api.helpers import KHAI_SINH, complete_answers, jpeg_bytes, pdf_bytes, uploadable_documents
from aws.test_functions import PwaClient, runtime, s3_put_event, signed_in, sms_to  # noqa: F401 - runtime is a fixture
from motcua.api.app import create_app
from motcua.api.security import CSRF_COOKIE, SESSION_COOKIE
from motcua.bootstrap import bootstrap
from motcua.config import Settings

HOSTILE_PDF = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"
HTML_AS_JPEG = b"<!doctype html><html><body><script>fetch('/api/v1/auth/session')</script></body></html>"


@pytest.fixture
def app(runtime):  # noqa: F811
    built = bootstrap(Settings.from_env())
    assert built.direct_uploads is not None
    return create_app(container=built)


@pytest.fixture
def citizen(app, moto_url):
    return signed_in(app, moto_url)


def draft(client) -> tuple[dict, list[dict]]:
    procedure = client.get(f"/api/v1/procedures/{KHAI_SINH}").get_json()
    dossier = client.post("/api/v1/dossiers", json={"procedure_code": KHAI_SINH, "form": complete_answers(procedure),
                                                    "receiving_office_id": "phuong-tran-bien"}).get_json()
    return dossier, uploadable_documents(procedure)


def ask_form(client, dossier_id, document_id, data, *, filename="Ảnh của bé Lan.jpg",
             content_type="image/jpeg", headers=None):
    return client.client.post(f"/api/v1/dossiers/{dossier_id}/attachments/upload-form",
                              json={"document_id": document_id, "filename": filename, "content_type": content_type,
                                    "size": len(data)},
                              headers={"X-CSRF-Token": client.csrf, **(headers or {})})


def post_to_s3(form: dict, data: bytes, filename: str, content_type: str) -> None:
    """What the PWA does: a multipart POST with every field of the form first, then the file."""
    reply = requests.post(form["url"], data=form["fields"], files={"file": (filename, data, content_type)},
                          timeout=10)
    assert reply.status_code == 201, reply.text


def complete(client, dossier_id, key):
    return client.post(f"/api/v1/dossiers/{dossier_id}/attachments/complete", json={"key": key})


def s3_event(runtime, key):  # noqa: F811
    from functions import upload_check

    return upload_check.handler(s3_put_event(runtime["uploads"], key), None)["results"]


def objects(aws, bucket, prefix=""):
    return sorted(o["Key"] for o in aws.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def test_a_citizen_attaches_every_document_straight_to_s3_and_submits(citizen, runtime, aws):  # noqa: F811
    assert citizen.get("/api/v1/config").get_json()["direct_uploads"] is True
    dossier, documents = draft(citizen)
    photo = jpeg_bytes(gps=True)
    for document in documents:
        reply = ask_form(citizen, dossier["id"], document["id"], photo)
        assert reply.status_code == 201, reply.get_json()
        form = reply.get_json()
        key = form["key"]
        assert key.startswith(f"incoming/dossiers/{dossier['id']}/{document['id']}/")
        assert "Lan" not in key and "b%C3%A9" not in key  # the citizen's file name never becomes part of the key
        policy = json.loads(base64.b64decode(form["fields"]["policy"]))
        assert ["content-length-range", 1, len(photo)] in policy["conditions"]  # S3 refuses a larger file
        assert {"key": key} in policy["conditions"]
        post_to_s3(form, photo, "anh.jpg", "image/jpeg")
        [result] = s3_event(runtime, key)
        assert result["outcome"] == "accepted"
        reply = complete(citizen, dossier["id"], key)
        assert reply.status_code == 201, reply.get_json()
        attached = reply.get_json()
        assert attached["document_id"] == document["id"]
        assert attached["filename"] == "Ảnh của bé Lan.jpg" and attached["content_type"] == "image/jpeg"
        stored = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{attached['id']}")
        assert stored.status_code == 200 and stored.data[:3] == b"\xff\xd8\xff"
        assert b"PhoneMaker" not in stored.data and b"PhoneMaker" in photo  # EXIF stripped by the check
        assert len(stored.data) == attached["size"]
    listed = citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()
    assert sorted(a["document_id"] for a in listed["attachments"]) == sorted(d["id"] for d in documents)
    assert "attachments" not in listed["problems"] and not any(k.startswith("documents") for k in listed["problems"])
    # The dossier's copies are in the results bucket; nothing is left behind in the uploads bucket.
    assert len(objects(aws, runtime["results"], f"dossiers/{dossier['id']}/attachments/")) == len(documents)
    assert objects(aws, runtime["uploads"]) == []
    submitted = citizen.post(f"/api/v1/dossiers/{dossier['id']}/submit")
    assert submitted.status_code == 200, submitted.get_json()
    # A submitted dossier takes no more files, by this way either.
    late = ask_form(citizen, dossier["id"], documents[0]["id"], photo)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "not_editable"


def test_complete_before_the_event_checks_it_and_the_late_event_finds_nothing_to_do(citizen, runtime, aws):  # noqa: F811
    dossier, documents = draft(citizen)
    data = pdf_bytes("Giay chung sinh")
    form = ask_form(citizen, dossier["id"], documents[0]["id"], data, filename="giấy chứng sinh.pdf",
                    content_type="application/pdf").get_json()
    post_to_s3(form, data, "gcs.pdf", "application/pdf")
    first = complete(citizen, dossier["id"], form["key"])
    assert first.status_code == 201, first.get_json()
    [late] = s3_event(runtime, form["key"])
    assert late["outcome"] == "missing"
    again = complete(citizen, dossier["id"], form["key"])  # a retry after a lost reply
    assert again.status_code == 201 and again.get_json() == first.get_json()
    attachments = citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["attachments"]
    assert [a["id"] for a in attachments] == [first.get_json()["id"]]
    body = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{first.get_json()['id']}").data
    assert body == data  # PDFs are kept byte for byte


def test_asking_twice_with_one_idempotency_key_gives_one_form(citizen):
    dossier, documents = draft(citizen)
    data = jpeg_bytes()
    headers = {"Idempotency-Key": "form-0001-abcdef"}
    one = ask_form(citizen, dossier["id"], documents[0]["id"], data, headers=headers)
    two = ask_form(citizen, dossier["id"], documents[0]["id"], data, headers=headers)
    assert one.status_code == two.status_code == 201
    assert one.get_json()["key"] == two.get_json()["key"]
    other = ask_form(citizen, dossier["id"], documents[0]["id"], data)
    assert other.get_json()["key"] != one.get_json()["key"]  # without the key, a new upload


@pytest.mark.parametrize(("data", "filename", "content_type", "event_first", "status", "code", "message"), [
    (HTML_AS_JPEG, "anh.jpg", "image/jpeg", True, 415, "unsupported_file_type", "Chỉ chấp nhận ảnh JPEG"),
    (HTML_AS_JPEG, "anh.jpg", "image/jpeg", False, 415, "unsupported_file_type", "Chỉ chấp nhận ảnh JPEG"),
    (HOSTILE_PDF, "to-khai.pdf", "application/pdf", True, 422, "unsafe_pdf", "Tệp PDF chứa mã lệnh"),
    (HOSTILE_PDF, "to-khai.pdf", "application/pdf", False, 422, "unsafe_pdf", "Tệp PDF chứa mã lệnh"),
])
def test_a_bad_file_is_quarantined_and_refused_in_vietnamese(citizen, runtime, aws, data, filename,  # noqa: F811
                                                              content_type, event_first, status, code, message):
    dossier, documents = draft(citizen)
    form = ask_form(citizen, dossier["id"], documents[0]["id"], data, filename=filename,
                    content_type=content_type).get_json()
    post_to_s3(form, data, filename, content_type)
    if event_first:
        [result] = s3_event(runtime, form["key"])
        assert (result["outcome"], result["reason"]) == ("quarantined", code)
    for _ in range(2):  # and the same answer when asked again
        reply = complete(citizen, dossier["id"], form["key"])
        assert reply.status_code == status, reply.get_json()
        error = reply.get_json()["error"]
        assert error["code"] == code and error["message"].startswith(message)
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["attachments"] == []
    quarantined = "quarantine/" + form["key"][len("incoming/"):]
    assert objects(aws, runtime["uploads"]) == [quarantined]  # kept, unchanged, for an operator
    assert aws.client("s3").get_object(Bucket=runtime["uploads"], Key=quarantined)["Body"].read() == data
    assert objects(aws, runtime["results"], f"dossiers/{dossier['id']}/") == []


def test_another_citizens_dossier_is_not_found(app, citizen, runtime, moto_url):  # noqa: F811
    dossier, documents = draft(citizen)
    data = jpeg_bytes()
    form = ask_form(citizen, dossier["id"], documents[0]["id"], data).get_json()
    post_to_s3(form, data, "anh.jpg", "image/jpeg")
    stranger = signed_in(app, moto_url)
    reply = ask_form(stranger, dossier["id"], documents[0]["id"], data)
    assert reply.status_code == 404 and reply.get_json()["error"]["code"] == "dossier_not_found"
    reply = complete(stranger, dossier["id"], form["key"])
    assert reply.status_code == 404 and reply.get_json()["error"]["code"] == "dossier_not_found"
    # The stranger's own dossier with the owner's key: not a key issued for that dossier.
    theirs, _ = draft(stranger)
    reply = complete(stranger, theirs["id"], form["key"])
    assert reply.status_code == 422 and reply.get_json()["error"]["code"] == "invalid_upload_key"
    assert complete(citizen, dossier["id"], form["key"]).status_code == 201  # the owner still can


def test_keys_not_issued_for_this_dossier_are_refused(citizen, runtime):  # noqa: F811
    dossier, documents = draft(citizen)
    other, _ = draft(citizen)
    data = jpeg_bytes()
    form = ask_form(citizen, dossier["id"], documents[0]["id"], data).get_json()
    post_to_s3(form, data, "anh.jpg", "image/jpeg")
    key = form["key"]
    head, mac = key.rsplit("-", 1)
    forged = [
        key.replace(dossier["id"], other["id"]),  # moved to another dossier: the seal no longer matches
        f"{head}-{'0' * 32}",  # a guessed seal
        key.replace(documents[0]["id"], documents[-1]["id"] if len(documents) > 1 else "giay_to_khac"),
        f"{head}-{mac}/../x", "incoming/x", "", 42, None, ["a"], "é" * 5000,
    ]
    for bad in forged:
        reply = complete(citizen, other["id"] if bad == forged[0] else dossier["id"], bad)
        assert reply.status_code == 422, (bad, reply.get_json())
        assert reply.get_json()["error"]["code"] == "invalid_upload_key"
    assert complete(citizen, other["id"], key).status_code == 422  # the real key, on another of my dossiers
    assert citizen.get(f"/api/v1/dossiers/{other['id']}").get_json()["attachments"] == []


def test_form_requests_are_validated(citizen, app):
    dossier, documents = draft(citizen)
    limit = app.config["MOTCUA"].settings.max_upload_bytes
    url = f"/api/v1/dossiers/{dossier['id']}/attachments/upload-form"
    good = {"document_id": documents[0]["id"], "filename": "anh.jpg", "content_type": "image/jpeg", "size": 1000}
    cases = [
        ({"size": limit + 1}, "file_too_large", "size"),
        ({"size": 0}, "validation_failed", "size"),
        ({"size": "1000"}, "validation_failed", "size"),
        ({"size": True}, "validation_failed", "size"),
        ({"content_type": "text/html"}, "validation_failed", "content_type"),
        ({"content_type": "image/svg+xml"}, "validation_failed", "content_type"),
        ({"filename": "x" * 300}, "validation_failed", "filename"),
        ({"filename": ["a"]}, "validation_failed", "filename"),
        ({"document_id": "khong_co"}, "unknown_document", "document_id"),
        ({"document_id": None}, "unknown_document", "document_id"),
    ]
    for change, code, field in cases:
        reply = citizen.post(url, json={**good, **change})
        assert reply.status_code == 422, (change, reply.get_json())
        error = reply.get_json()["error"]
        assert error["code"] == code and field in error["fields"], (change, error)
    assert "MB" in citizen.post(url, json={**good, "size": limit + 1}).get_json()["error"]["message"]
    assert citizen.post(url, data="not json", content_type="text/plain").status_code == 422
    assert citizen.post(url, json={**good, "size": limit}).status_code == 201


def test_complete_without_the_file_says_it_has_not_arrived(citizen):
    dossier, documents = draft(citizen)
    form = ask_form(citizen, dossier["id"], documents[0]["id"], jpeg_bytes()).get_json()
    reply = complete(citizen, dossier["id"], form["key"])
    assert reply.status_code == 409
    assert reply.get_json()["error"]["code"] == "upload_missing"
    assert reply.get_json()["error"]["message"] == "Chưa nhận được tệp tải lên; vui lòng gửi lại tệp."


def test_the_event_and_two_completes_racing_attach_the_file_once(citizen, runtime, aws):  # noqa: F811
    """S3 may announce the object while the phone is already calling complete, and a phone may call twice (a
    retry while the first call is still running): every interleaving ends with one attachment, nothing left in
    the uploads bucket, and no call failing."""
    from concurrent.futures import ThreadPoolExecutor

    dossier, documents = draft(citizen)
    second = PwaClient.__new__(PwaClient)  # the same session on a second connection (another tab)
    second.client, second.csrf = citizen.client.application.test_client(), citizen.csrf
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        second.client.set_cookie(name, citizen.client.get_cookie(name).value)
    for document in documents:
        data = jpeg_bytes()
        form = ask_form(citizen, dossier["id"], document["id"], data).get_json()
        post_to_s3(form, data, "anh.jpg", "image/jpeg")
        with ThreadPoolExecutor(3) as pool:
            event = pool.submit(s3_event, runtime, form["key"])
            replies = list(pool.map(lambda c: complete(c, dossier["id"], form["key"]), (citizen, second)))
            [result] = event.result()
        assert [r.status_code for r in replies] == [201, 201], [r.get_json() for r in replies]
        assert replies[0].get_json() == replies[1].get_json()
        assert result["outcome"] in ("accepted", "missing")
    attachments = citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["attachments"]
    assert sorted(a["document_id"] for a in attachments) == sorted(d["id"] for d in documents)
    # Nothing unchecked or quarantined is left. (An event that read the object just before complete moved it may
    # store its checked copy again after complete removed it: a leftover the checked/ lifecycle rule expires.)
    assert [k for k in objects(aws, runtime["uploads"]) if not k.startswith("checked/")] == []
    assert len(objects(aws, runtime["results"], f"dossiers/{dossier['id']}/attachments/")) == len(documents)
