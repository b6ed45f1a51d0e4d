"""A month in one ward, driven through the real API (citizen, counter, officials, the payment IPN, passkey
signing), with known figures; the known-answer and the personal-data tests both replay it.

Phường Trấn Biên decides every dossier below. Monday 2 November 2026, 09:00 in Đồng Nai unless said otherwise:

  A  2.000720 (3 days, no fee)       online   approved Mon 10:00, due Wed          → early
  B  1.004873 (3 days, 15.000 đ)     online   paid online; approved Wed 09:00 (due Wed 17:00) → on time
  C  1.001612 (3 days, 50.000 đ)     counter  apology Tue (new date Fri); approved Thu → late (apology keeps the
                                              legal date)
  D  1.001193 (1 day)  filed at Phường Biên Hòa (cross-office), refused there at intake
  E  1.004873 (3 days, 15.000 đ)     online   supplement asked Tue, completed Tue 10/11 (clock restarts, due
                                              Thu 12/11); approved Thu 12/11 09:00 → on time (late without the pause)
  F  1.001193  withdrawn by the citizen, then stopped          → withdrawn
  G  1.001193  received, then stopped by the leader            → stopped
  H  1.001193  supplement asked at intake, never completed
  J  1.001193  received and forwarded, then left               → overdue
  I  1.001193  submitted Tuesday 1 December                    → December
Plus three ratings (5, 4, 2) and two pieces of feedback (one answered on time, one late) through the ratings
branch's event contract, put straight into the outbox.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from api.helpers import attach_documents, complete_answers, drain, jpeg_bytes, uploadable_documents
from api.test_payments import callback, ipn
from api.test_signing_flow import preview, sign
from api.test_workflow import LEADER, RECEIVER, SPECIALIST, act, ok, propose
from conftest import OfficialClient
from motcua.domain.officials import Membership, Official, Role

OTHER_RECEIVER = "can-bo-tiep-nhan-bien-hoa"
WARD, OTHER_WARD = "phuong-tran-bien", "phuong-bien-hoa"
NO_FEE_3D, MARRIAGE_STATUS, HOUSEHOLD_BUSINESS, BIRTH = "2.000720", "1.004873", "1.001612", "1.001193"


def vn(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour - 7, 0, tzinfo=UTC)


@dataclass
class Texts:
    """Every free text the story types in; the personal-data test fills them with sentinels."""

    name: str = "Nguyễn Thị Ngọc Ánh"
    phone: str = "0912345678"
    counter_phone: str = "0977777777"
    address: str = "Số 12 Phạm Văn Thuận, Phường Trấn Biên"
    id_number: str = "075190001234"
    email: str = "ngocanh@example.vn"
    note: str = "Chụp lại rõ nét"
    reason: str = "Không thuộc thẩm quyền giải quyết."
    comment: str = "Thủ tục nhanh, cán bộ nhiệt tình."
    extra_form: dict[str, str] = field(default_factory=dict)


@dataclass
class Story:
    dossiers: dict[str, dict] = field(default_factory=dict)


def _form(client, code: str, t: Texts) -> dict:
    procedure = client.get(f"/api/v1/procedures/{code}").get_json()
    form = {**complete_answers(procedure), "applicant_name": t.name, "applicant_phone": t.phone,
            "applicant_address": t.address, "applicant_id_number": t.id_number}
    for f in procedure["form"]:
        if f["type"] in ("text", "textarea") and f["name"] not in form:
            form[f["name"]] = t.extra_form.get("text", t.name)
        if f["type"] == "email":
            form[f["name"]] = t.email
    return {k: v for k, v in form.items() if k in {f["name"] for f in procedure["form"]}}


def file_online(citizen, code: str, t: Texts, *, office: str = WARD) -> dict:
    procedure = citizen.get(f"/api/v1/procedures/{code}").get_json()
    reply = citizen.post("/api/v1/dossiers", json={"procedure_code": code, "form": _form(citizen, code, t),
                                                   "receiving_office_id": office, "competent_unit_id": WARD})
    assert reply.status_code == 201, reply.get_json()
    draft = reply.get_json()
    attach_documents(citizen, f"/api/v1/dossiers/{draft['id']}/attachments", procedure)
    done = citizen.post(f"/api/v1/dossiers/{draft['id']}/submit", json={},
                        headers={"Idempotency-Key": uuid.uuid4().hex})
    assert done.status_code == 200, done.get_json()
    return done.get_json()


def file_at_counter(officer, code: str, t: Texts) -> dict:
    procedure = officer.get(f"/api/v1/procedures/{code}").get_json()
    form = {**_form(officer, code, t), "applicant_phone": t.counter_phone}
    reply = officer.post("/api/v1/work/intake", json={"office_id": WARD, "applicant_phone": t.counter_phone,
                                                      "procedure_code": code, "form": form})
    assert reply.status_code == 201, reply.get_json()
    draft = reply.get_json()
    attach_documents(officer, f"/api/v1/work/intake/{draft['id']}/attachments", procedure)
    return ok(officer.post(f"/api/v1/work/intake/{draft['id']}/submit", json={}))


def approve(officials, dossier_id: str) -> None:
    leader = officials(LEADER)
    reply = sign(leader, [{"dossier_id": dossier_id, "sha256": preview(leader, dossier_id)}])
    assert reply.status_code == 200 and reply.get_json()["results"][0]["status"] == "signed", reply.get_json()


def put_event(container, topic: str, payload: dict) -> None:
    with container.uow() as uow:
        uow.outbox.add(topic, payload, now=container.clock.now())
        uow.commit()


def add_other_receiver(container) -> None:
    with container.uow() as uow:
        uow.officials.put(Official(OTHER_RECEIVER, "Võ Thị Mai", "CÁN BỘ TIẾP NHẬN", None, None,
                                   (Membership(OTHER_WARD, Role.RECEIVING_OFFICER),)))
        uow.commit()


def play(citizen, officials, container, api, clock, t: Texts | None = None) -> Story:
    t = t or Texts()
    story = Story()
    d = story.dossiers
    add_other_receiver(container)
    officials("quan-tri")  # the demo officials are seeded by the fixture
    clients: dict[tuple[str, object], OfficialClient] = {}

    def officials(official_id: str) -> OfficialClient:  # noqa: F811 - sessions last 12 hours: sign in each day
        key = (official_id, clock.current.date())
        if key not in clients:
            clients[key] = OfficialClient(citizen.client.application.test_client(), container, official_id)
        return clients[key]
    missing = [{"name": "Giấy tờ bổ sung", "kind": "copy", "reason": t.note}]

    clock.current = vn(2, 9)
    d["A"] = file_online(citizen, NO_FEE_3D, t)
    d["B"] = file_online(citizen, MARRIAGE_STATUS, t)
    d["C"] = file_at_counter(officials(RECEIVER), HOUSEHOLD_BUSINESS, t)
    d["D"] = file_online(citizen, BIRTH, t, office=OTHER_WARD)
    d["E"] = file_online(citizen, MARRIAGE_STATUS, t)
    for name in "FGHJ":
        d[name] = file_online(citizen, BIRTH, t)
    payment = citizen.post(f"/api/v1/dossiers/{d['B']['id']}/payments", json={"purpose": "fee", "gateway": "vnpay"},
                           headers={"Idempotency-Key": uuid.uuid4().hex}).get_json()["payment"]
    assert ipn(api, callback(container, payment)) == "00"
    for name in "AB":
        propose(officials, d[name]["id"], note=t.note)
    propose(officials, d["C"]["id"], note=t.note, received=True)
    ok(act(officials(RECEIVER), d["E"]["id"], "receive"))
    ok(act(officials(RECEIVER), d["E"]["id"], "forward"))
    ok(act(officials(LEADER), d["E"]["id"], "assign", assignee_id=SPECIALIST))
    ok(act(officials(OTHER_RECEIVER), d["D"]["id"], "refuse", reason=t.reason))
    withdrawn = citizen.post(f"/api/v1/dossiers/{d['F']['id']}/withdraw", json={"reason": t.comment})
    assert withdrawn.status_code == 200, withdrawn.get_json()
    ok(act(officials(RECEIVER), d["F"]["id"], "stop", reason=t.reason))
    ok(act(officials(RECEIVER), d["G"]["id"], "receive"))
    ok(act(officials(LEADER), d["G"]["id"], "stop", reason=t.reason))
    ok(act(officials(RECEIVER), d["H"]["id"], "request_supplement", missing=missing, note=t.note))
    ok(act(officials(RECEIVER), d["J"]["id"], "receive"))
    ok(act(officials(RECEIVER), d["J"]["id"], "forward"))
    drain(container)

    clock.current = vn(2, 10)
    approve(officials, d["A"]["id"])
    clock.current = vn(3, 9)
    ok(act(officials(SPECIALIST), d["E"]["id"], "request_supplement", missing=missing, note=t.note))
    ok(act(officials(LEADER), d["C"]["id"], "apology", reason=t.reason, new_due_date="2026-11-06"))
    drain(container)
    clock.current = vn(4, 9)
    approve(officials, d["B"]["id"])
    clock.current = vn(5, 9)
    approve(officials, d["C"]["id"])
    drain(container)

    clock.current = vn(10, 9)
    document = uploadable_documents(citizen.get(f"/api/v1/procedures/{MARRIAGE_STATUS}").get_json())[0]
    added = citizen.post(f"/api/v1/dossiers/{d['E']['id']}/attachments",
                         data={"document_id": document["id"], "file": (io.BytesIO(jpeg_bytes()), "bo-sung.jpg")},
                         content_type="multipart/form-data")
    assert added.status_code == 201, added.get_json()
    back = citizen.post(f"/api/v1/dossiers/{d['E']['id']}/resubmit", json={},
                        headers={"Idempotency-Key": uuid.uuid4().hex})
    assert back.status_code == 200 and back.get_json()["status"] == "in_progress", back.get_json()
    ok(act(officials(SPECIALIST), d["E"]["id"], "propose", note=t.note))
    clock.current = vn(12, 9)
    approve(officials, d["E"]["id"])
    drain(container)

    for overall, criteria in ((5, {"time": 5, "visits": 5, "attitude": 5, "guidance": 4, "clarity": 5, "cost": 5}),
                              (4, {"time": 4, "visits": None, "attitude": 5, "guidance": 4, "clarity": 4,
                                   "cost": None}),
                              (2, {"time": 1, "visits": 2, "attitude": 3, "guidance": 2, "clarity": 2, "cost": 3})):
        put_event(container, "rating.submitted", {
            "rating_id": uuid.uuid4().hex, "dossier_id": d["A"]["id"], "unit_id": WARD,
            "procedure_code": NO_FEE_3D, "channel": "online", "overall": overall, "criteria": criteria,
            "at": vn(12, 10).isoformat(), "comment": t.comment, "name": t.name, "phone": t.phone})
    for index, on_time in enumerate((True, False)):
        feedback_id = f"fb-{index}"
        put_event(container, "feedback.submitted", {
            "feedback_id": feedback_id, "unit_id": WARD, "subject_kind": "procedure", "procedure_code": BIRTH,
            "at": vn(12, 10).isoformat(), "due_at": vn(20, 17).isoformat(), "content": t.comment,
            "name": t.name, "phone": t.phone, "address": t.address})
        put_event(container, "feedback.answered", {
            "feedback_id": feedback_id, "unit_id": WARD, "procedure_code": BIRTH,
            "answered_at": vn(25 if not on_time else 18, 10).isoformat(), "due_at": vn(20, 17).isoformat(),
            "on_time": on_time, "answer": t.comment})
    drain(container)

    clock.current = vn(1, 9, month=12)
    d["I"] = file_online(citizen, BIRTH, t)
    drain(container)
    return story
