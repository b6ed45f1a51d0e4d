"""The real services, wired exactly as ``bootstrap`` wires them, on each store: a citizen files and pays, officials
process and sign, the outbox worker notifies — over HTTP through the Flask app, on SQLite and on DynamoDB (moto
server). What the citizen and the officials see must be the same on both."""

from __future__ import annotations

import uuid

import pytest

from api.helpers import attach_all, complete_answers, drain
from api.test_payments import HOUSEHOLD_BUSINESS, callback, ipn, paid_state, start
from api.test_signing_flow import preview, sign
from api.test_workflow import LEADER, RECEIVER, SPECIALIST, act, ok
from motcua.bootstrap import bootstrap
from motcua.services.audit import AuditService
from support.stores import STORES


@pytest.fixture(params=STORES)
def container(request, settings, clock, monkeypatch):
    """``bootstrap`` itself, with the unit-of-work factory of the runtime under test."""
    if request.param == "dynamodb":
        factory = request.getfixturevalue("dynamodb_factory")
        monkeypatch.setattr("motcua.bootstrap.SqliteUnitOfWorkFactory", lambda db: factory)
    built = bootstrap(settings, clock=clock)
    assert (type(built.uow).__name__ == "DynamoUnitOfWorkFactory") == (request.param == "dynamodb")
    return built


def test_file_pay_process_sign_and_hear_about_each_step(citizen, officials, api, container, clock):
    # The citizen files a dossier with a fee and submits it; a retried submit replays the same reply.
    procedure = citizen.get(f"/api/v1/procedures/{HOUSEHOLD_BUSINESS}").get_json()
    draft = citizen.post("/api/v1/dossiers", json={"procedure_code": HOUSEHOLD_BUSINESS,
                                                   "form": complete_answers(procedure),
                                                   "receiving_office_id": "phuong-tran-bien"}).get_json()
    attach_all(citizen, draft)
    key = uuid.uuid4().hex
    submitted = citizen.post(f"/api/v1/dossiers/{draft['id']}/submit", json={}, headers={"Idempotency-Key": key})
    assert submitted.status_code == 200, submitted.get_json()
    again = citizen.post(f"/api/v1/dossiers/{draft['id']}/submit", json={}, headers={"Idempotency-Key": key})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json()["code"] == submitted.get_json()["code"]
    d = submitted.get_json()
    assert d["status"] == "submitted" and d["code"].endswith("-0001")
    mine = citizen.get("/api/v1/dossiers").get_json()["items"]
    assert [m["id"] for m in mine] == [d["id"]]

    # Anyone can track it with its code and the phone number.
    tracked = api.get(f"/api/v1/track/{d['code']}?phone=0912345678")
    assert tracked.status_code == 200, tracked.get_json()
    assert api.get(f"/api/v1/track/{d['code']}?phone=0987654321").status_code == 404

    # The fee is paid at the gateway; its signed IPN confirms it once, a duplicate is answered "already".
    payment = start(citizen, d).get_json()["payment"]
    assert ipn(api, callback(container, payment)) == "00"
    assert ipn(api, callback(container, payment)) == "02"
    assert paid_state(citizen, payment["id"]) == "paid"
    drain(container)

    # Officials: the receiving officer sees it in the worklist, then it goes to the leader and is signed.
    clock.advance(minutes=20)
    worklist = officials(RECEIVER).get("/api/v1/work/dossiers?unit=phuong-tran-bien").get_json()["items"]
    assert d["id"] in [i["id"] for i in worklist]
    ok(act(officials(RECEIVER), d["id"], "receive"))
    ok(act(officials(RECEIVER), d["id"], "forward"))
    ok(act(officials(LEADER), d["id"], "assign", assignee_id=SPECIALIST))
    ok(act(officials(SPECIALIST), d["id"], "propose", note="Đủ điều kiện, đề nghị cấp."))
    leader = officials(LEADER)
    signed = sign(leader, [{"dossier_id": d["id"], "sha256": preview(leader, d["id"])}])
    assert signed.status_code == 200, signed.get_json()
    assert signed.get_json()["results"][0]["status"] == "signed"
    done = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()
    assert done["status"] == "done" and [h["action"] for h in done["history"]][:3] == ["submit", "pay_fee", "receive"]
    drain(container)

    # The citizen heard about each step once, in Vietnamese, newest first.
    titles = [n["title"] for n in citizen.get("/api/v1/notifications").get_json()["items"]]
    assert titles[-1] == f"Đã nộp hồ sơ {d['code']}" and f"Hồ sơ {d['code']} đã được tiếp nhận" in titles
    assert len(titles) == len(set(titles))
    assert drain(container) == 0  # nothing left, nothing sent twice

    # The running statistics count the dossier, and a recount from the dossiers gives the same figures.
    def figures() -> dict:
        reply = api.get("/api/v1/stats?unit=phuong-tran-bien")
        assert reply.status_code == 200, reply.get_json()
        return reply.get_json()["totals"]

    running = figures()
    assert running["received"] == 1
    assert container.statistics.rebuild(page_size=2) == 1
    assert figures() == running

    # Every change left an intact audit chain.
    reports = AuditService(container.uow).check_all()
    assert f"dossier:{d['id']}" in [r.subject for r in reports] and all(r.intact for r in reports)


def test_rate_once_and_ask_a_question_that_is_answered_in_public(citizen, officials, api, container):
    from api.public_side import GOOD, returned
    from api.test_feedback import answer, send, worklist

    d = returned(citizen, officials, container)
    first = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD)
    assert first.status_code == 201, first.get_json()
    again = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json={"overall": 1})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_rated"
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/rating").get_json()["rating"]["overall"] == 4

    fb = send(citizen, d)
    assert [i["id"] for i in worklist(officials(RECEIVER))] == [fb["id"]]
    reply = answer(officials(SPECIALIST), fb["id"], "Kính gửi bà Nguyễn Thị Ngọc Ánh: đã trả kết quả ngày 30/11.")
    assert reply.status_code == 200, reply.get_json()
    assert worklist(officials(RECEIVER)) == []
    public = api.get("/api/v1/feedback/public").get_json()["items"]
    assert [p["id"] for p in public] == [fb["id"]] and "Ngọc Ánh" not in public[0]["answer"]
    drain(container)
    titles = [n["title"] for n in citizen.get("/api/v1/notifications").get_json()["items"]]
    assert len(titles) == len(set(titles)) and drain(container) == 0
