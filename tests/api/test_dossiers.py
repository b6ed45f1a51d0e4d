"""A citizen's dossier through the API: draft, answers, attachments, submit, receipt, list."""

import io
import threading
import uuid

from PIL import Image

from api.helpers import KHAI_SINH, OFFICE, attach_all, jpeg_bytes, new_draft, pdf_bytes, ready_to_submit
from conftest import ApiClient


def submit(citizen, dossier_id, key=None):
    return citizen.post(f"/api/v1/dossiers/{dossier_id}/submit", json={},
                        headers={"Idempotency-Key": key or uuid.uuid4().hex})


def test_filing_end_to_end_gives_a_code_a_due_date_and_a_history(citizen):
    dossier = ready_to_submit(citizen)
    assert dossier["status"] == "draft" and dossier["code"] is None
    reply = submit(citizen, dossier["id"])
    assert reply.status_code == 200, reply.get_json()
    done = reply.get_json()
    assert done["status"] == "submitted" and done["national_status"] == 1
    assert done["status_label_vi"] == "Đã nộp, chờ tiếp nhận"
    assert done["code"].split("-")[1:] == ["261126", "0001"]  # Thursday 26/11/2026, first of the day
    # Khai sinh: 1 working day, filed 09:00 on a working day → due 17:00 the same day (10:00 UTC).
    assert done["due_at"] == "2026-11-26T10:00:00Z"
    assert [h["action"] for h in done["history"]] == ["submit"]
    assert done["receiving_office"]["id"] == OFFICE and done["competent_unit"] is not None
    assert done["receipt_url"] == f"/api/v1/dossiers/{done['id']}/receipt.pdf"


def test_submitted_after_1500_counts_from_the_next_working_day(citizen, clock):
    clock.advance(hours=6, minutes=30)  # 15:30 local on Thursday
    dossier = ready_to_submit(citizen)
    done = submit(citizen, dossier["id"]).get_json()
    assert done["due_at"] == "2026-11-27T10:00:00Z"  # Friday 17:00 local


def test_codes_count_up_per_office_and_day(citizen):
    codes = [submit(citizen, ready_to_submit(citizen)["id"]).get_json()["code"] for _ in range(3)]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    assert len({c.rsplit("-", 1)[0] for c in codes}) == 1


def test_concurrent_submissions_never_share_a_code(app, citizen):
    drafts = [ready_to_submit(citizen)["id"] for _ in range(8)]
    codes, errors = [], []

    def go(dossier_id):
        reply = submit(citizen, dossier_id)
        (codes if reply.status_code == 200 else errors).append(reply.get_json().get("code"))

    threads = [threading.Thread(target=go, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(codes)) == 8


def test_same_idempotency_key_replays_the_first_result(citizen):
    dossier = ready_to_submit(citizen)
    first = submit(citizen, dossier["id"], key="offline-queue-key-1")
    again = submit(citizen, dossier["id"], key="offline-queue-key-1")
    assert again.status_code == 200 and again.get_json()["code"] == first.get_json()["code"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(citizen.get("/api/v1/dossiers").get_json()["items"]) == 1


def test_same_idempotency_key_with_a_different_body_is_a_conflict(citizen):
    body = {"procedure_code": KHAI_SINH, "receiving_office_id": OFFICE}
    first = citizen.post("/api/v1/dossiers", json=body, headers={"Idempotency-Key": "create-key-123"})
    assert first.status_code == 201
    replay = citizen.post("/api/v1/dossiers", json=body, headers={"Idempotency-Key": "create-key-123"})
    assert replay.status_code == 201 and replay.get_json()["id"] == first.get_json()["id"]
    other = citizen.post("/api/v1/dossiers", json={**body, "form": {"applicant_name": "B"}},
                         headers={"Idempotency-Key": "create-key-123"})
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "idempotency_key_reused"


def test_a_refused_submit_can_be_retried_with_the_same_key_after_fixing(citizen):
    dossier = new_draft(citizen)
    refused = submit(citizen, dossier["id"], key="retry-after-fix")
    assert refused.status_code == 422
    attach_all(citizen, dossier)
    assert submit(citizen, dossier["id"], key="retry-after-fix").status_code == 200


def test_submit_of_an_incomplete_draft_names_every_missing_item(citizen):
    dossier = new_draft(citizen, complete=False, office=None)
    reply = submit(citizen, dossier["id"])
    assert reply.status_code == 422
    fields = reply.get_json()["error"]["fields"]
    assert "applicant_name" in fields and fields["applicant_name"].endswith("không được để trống.")
    assert "receiving_office_id" in fields
    assert any(k.startswith("documents.") for k in fields)
    # the draft shows the same problems while it is being filled in
    assert set(citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["problems"]) == set(fields)


def test_autosave_accepts_partial_answers_but_refuses_wrong_ones(citizen):
    dossier = new_draft(citizen, complete=False)
    ok = citizen.patch(f"/api/v1/dossiers/{dossier['id']}", json={"form": {"applicant_name": "  Lê Văn Tám "}})
    assert ok.status_code == 200 and ok.get_json()["form"]["applicant_name"] == "Lê Văn Tám"
    bad = citizen.patch(f"/api/v1/dossiers/{dossier['id']}",
                        json={"form": {"applicant_id_number": "12ab", "no_such_field": "x"}})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"applicant_id_number", "no_such_field"}
    kept = citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()
    assert kept["form"]["applicant_name"] == "Lê Văn Tám" and "no_such_field" not in kept["form"]


def test_photos_lose_their_gps_location_on_upload(citizen):
    dossier = new_draft(citizen)
    procedure = citizen.get(f"/api/v1/procedures/{KHAI_SINH}").get_json()
    doc = next(d for d in procedure["documents"] if d["kind"] != "present")
    reply = citizen.post(f"/api/v1/dossiers/{dossier['id']}/attachments",
                         data={"document_id": doc["id"], "file": (io.BytesIO(jpeg_bytes(gps=True)), "IMG_0001.JPG")},
                         content_type="multipart/form-data")
    assert reply.status_code == 201
    attachment = reply.get_json()
    stored = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{attachment['id']}")
    assert stored.status_code == 200 and stored.mimetype == "image/jpeg"
    assert not Image.open(io.BytesIO(stored.data)).getexif()


def test_file_type_is_decided_by_content_not_by_name(citizen):
    dossier = new_draft(citizen)
    procedure = citizen.get(f"/api/v1/procedures/{KHAI_SINH}").get_json()
    doc = next(d for d in procedure["documents"] if d["kind"] != "present")
    url = f"/api/v1/dossiers/{dossier['id']}/attachments"
    script = io.BytesIO(b"<html><script>x</script>")
    html = citizen.post(url, data={"document_id": doc["id"], "file": (script, "a.jpg")},
                        content_type="multipart/form-data")
    assert html.status_code == 415 and html.get_json()["error"]["code"] == "unsupported_file_type"
    pdf = citizen.post(url, data={"document_id": doc["id"], "file": (io.BytesIO(pdf_bytes()), "<script>.png")},
                       content_type="multipart/form-data")
    assert pdf.status_code == 201
    assert pdf.get_json()["content_type"] == "application/pdf" and "<" not in pdf.get_json()["filename"]
    unknown_doc = citizen.post(url, data={"document_id": "nope", "file": (io.BytesIO(pdf_bytes()), "a.pdf")},
                               content_type="multipart/form-data")
    assert unknown_doc.status_code == 422
    nothing = citizen.post(url, data={"document_id": doc["id"]}, content_type="multipart/form-data")
    assert nothing.status_code == 422


def test_an_oversized_upload_is_refused_and_loses_nothing(citizen, app):
    dossier = ready_to_submit(citizen)
    before = citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["attachments"]
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (app.config["MOTCUA"].settings.max_upload_bytes + 10))
    reply = citizen.post(f"/api/v1/dossiers/{dossier['id']}/attachments",
                         data={"document_id": before[0]["document_id"], "file": (big, "big.pdf")},
                         content_type="multipart/form-data")
    assert reply.status_code == 413
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["attachments"] == before


def test_removing_an_attachment(citizen):
    dossier = ready_to_submit(citizen)
    first = citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["attachments"][0]
    assert citizen.delete(f"/api/v1/dossiers/{dossier['id']}/attachments/{first['id']}").status_code == 204
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{first['id']}").status_code == 404


def test_another_citizens_dossier_is_invisible_and_untouchable(app, citizen):
    dossier = ready_to_submit(citizen)
    other = ApiClient(app.test_client())
    other.sign_in("0987654321")
    for reply in (
        other.get(f"/api/v1/dossiers/{dossier['id']}"),
        other.patch(f"/api/v1/dossiers/{dossier['id']}", json={"form": {"applicant_name": "X"}}),
        other.post(f"/api/v1/dossiers/{dossier['id']}/submit", json={}),
        other.get(f"/api/v1/dossiers/{dossier['id']}/receipt.pdf"),
        other.delete(f"/api/v1/dossiers/{dossier['id']}"),
    ):
        assert reply.status_code == 404 and reply.get_json()["error"]["code"] == "dossier_not_found"
    assert other.get("/api/v1/dossiers").get_json()["items"] == []
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["status"] == "draft"


def test_anonymous_callers_must_sign_in(api):
    assert api.get("/api/v1/dossiers").status_code == 401
    reply = api.post("/api/v1/dossiers", json={"procedure_code": KHAI_SINH})
    assert reply.status_code == 401 and reply.get_json()["error"]["message"] == "Vui lòng đăng nhập để tiếp tục."


def test_my_dossiers_newest_first(citizen, clock):
    ids = []
    for _ in range(3):
        ids.append(new_draft(citizen)["id"])
        clock.advance(minutes=1)
    listed = [d["id"] for d in citizen.get("/api/v1/dossiers").get_json()["items"]]
    assert listed == list(reversed(ids))


def test_a_submitted_dossier_cannot_be_changed(citizen):
    dossier = ready_to_submit(citizen)
    submit(citizen, dossier["id"])
    reply = citizen.patch(f"/api/v1/dossiers/{dossier['id']}", json={"form": {"applicant_name": "X"}})
    assert reply.status_code == 409 and reply.get_json()["error"]["code"] == "not_a_draft"
    assert citizen.delete(f"/api/v1/dossiers/{dossier['id']}").status_code == 409


def test_a_draft_can_be_deleted(citizen):
    dossier = new_draft(citizen)
    assert citizen.delete(f"/api/v1/dossiers/{dossier['id']}").status_code == 204
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}").status_code == 404


def test_submission_sends_an_sms_receipt_through_the_outbox(citizen, container):
    dossier = ready_to_submit(citizen)
    code = submit(citizen, dossier["id"]).get_json()["code"]
    assert container.worker.run_once() >= 1
    assert container.worker.run_once() == 0  # delivered once, not again
    sms = [m for m in citizen.get("/dev/outbox").get_json()["items"] if code in m["body"]]
    assert len(sms) == 1 and sms[0]["body"].isascii()


def test_the_receipt_is_a_pdf_with_the_code_and_correct_vietnamese(citizen):
    import unicodedata

    from pypdf import PdfReader

    dossier = ready_to_submit(citizen)
    code = submit(citizen, dossier["id"]).get_json()["code"]
    reply = citizen.get(f"/api/v1/dossiers/{dossier['id']}/receipt.pdf")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(reply.data)).pages))
    for expected in (code, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Thị Ngọc Ánh", "Đăng ký khai sinh"):
        assert expected in " ".join(text.split()), expected
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/receipt.pdf").data == reply.data  # stored, not redrawn


def test_no_receipt_before_submission(citizen):
    dossier = new_draft(citizen)
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/receipt.pdf").status_code == 409


def test_a_counter_only_procedure_cannot_be_filed_online(citizen):
    reply = citizen.post("/api/v1/dossiers", json={"procedure_code": "2.000815"})
    assert reply.status_code == 422 and reply.get_json()["error"]["code"] == "not_online"


def test_an_upload_retried_with_a_new_multipart_boundary_is_replayed_not_refused(citizen):
    dossier = new_draft(citizen)
    procedure = citizen.get(f"/api/v1/procedures/{KHAI_SINH}").get_json()
    doc = next(d for d in procedure["documents"] if d["kind"] != "present")
    photo = jpeg_bytes()
    replies = [
        citizen.post(f"/api/v1/dossiers/{dossier['id']}/attachments", headers={"Idempotency-Key": "upload-key-1"},
                     data={"document_id": doc["id"], "file": (io.BytesIO(photo), "anh.jpg")},
                     content_type="multipart/form-data")
        for _ in range(2)  # the test client picks a fresh boundary each time, as a retrying phone does
    ]
    assert [r.status_code for r in replies] == [201, 201]
    assert replies[0].get_json()["id"] == replies[1].get_json()["id"]
    assert len(citizen.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["attachments"]) == 1
    other = citizen.post(f"/api/v1/dossiers/{dossier['id']}/attachments", headers={"Idempotency-Key": "upload-key-1"},
                         data={"document_id": doc["id"], "file": (io.BytesIO(jpeg_bytes((800, 600))), "anh.jpg")},
                         content_type="multipart/form-data")
    assert other.status_code == 409
