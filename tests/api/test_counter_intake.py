"""A receiving officer enters a paper dossier at the counter on a citizen's behalf."""

import io

from api.helpers import complete_answers, jpeg_bytes
from api.test_workflow import RECEIVER, SPECIALIST
from conftest import ApiClient

CERTIFIED_COPY = "2.000815"  # certification of copies: counter only


def start(officer, procedure_code=CERTIFIED_COPY, phone="0977777777"):
    procedure = officer.get(f"/api/v1/procedures/{procedure_code}").get_json()
    form = {**complete_answers(procedure), "applicant_phone": phone}
    return officer.post("/api/v1/work/intake", json={"office_id": "phuong-tran-bien", "applicant_phone": phone,
                                                     "procedure_code": procedure_code, "form": form}), procedure


def test_a_paper_dossier_is_entered_scanned_and_received_in_one_visit(app, officials, container):
    officer = officials(RECEIVER)
    reply, procedure = start(officer)
    assert reply.status_code == 201, reply.get_json()
    draft = reply.get_json()
    assert draft["channel"] == "counter" and draft["status"] == "draft"
    for document in procedure["documents"]:
        if document["upload_required"]:
            scan = officer.post(f"/api/v1/work/intake/{draft['id']}/attachments",
                                data={"document_id": document["id"], "file": (io.BytesIO(jpeg_bytes()), "scan.jpg")},
                                content_type="multipart/form-data")
            assert scan.status_code == 201, scan.get_json()
    received = officer.post(f"/api/v1/work/intake/{draft['id']}/submit", json={})
    assert received.status_code == 200, received.get_json()
    body = received.get_json()
    assert body["status"] == "received" and body["code"] and [h["action"] for h in body["history"]] == [
        "submit", "receive"]
    # the citizen finds it in their own list after signing in with that phone number
    citizen = ApiClient(app.test_client())
    citizen.sign_in("0977777777")
    mine = citizen.get("/api/v1/dossiers").get_json()["items"]
    assert [d["code"] for d in mine] == [body["code"]]
    # and the audit trail says the officer did it
    with container.uow(readonly=True) as uow:
        actors = {e.actor for e in uow.audit.entries(f"dossier:{draft['id']}")}
    assert actors == {f"official:{RECEIVER}"}


def test_only_receiving_officers_of_that_office_take_paper_dossiers(officials):
    reply, _ = start(officials(SPECIALIST))
    assert reply.status_code == 403
    other = officials("can-bo-tiep-nhan-trung-tam")
    draft = start(officials(RECEIVER))[0].get_json()
    assert other.post(f"/api/v1/work/intake/{draft['id']}/submit", json={}).status_code == 404


def test_a_bad_phone_number_is_refused(officials):
    reply, _ = start(officials(RECEIVER), phone="12345")
    assert reply.status_code == 422 and "applicant_phone" in reply.get_json()["error"]["fields"]
