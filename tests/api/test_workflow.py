"""Officials process a dossier: intake, forward, assign, appraise, propose, and the rules around each step."""

import threading
import uuid

import pytest

from api.helpers import ready_to_submit

RECEIVER, SPECIALIST, LEADER = "can-bo-tiep-nhan-tran-bien", "chuyen-vien-tran-bien", "lanh-dao-tran-bien"
OTHER_RECEIVER, ADMIN = "can-bo-tiep-nhan-trung-tam", "quan-tri"


def submitted(citizen) -> dict:
    dossier = ready_to_submit(citizen)
    reply = citizen.post(f"/api/v1/dossiers/{dossier['id']}/submit", json={},
                         headers={"Idempotency-Key": uuid.uuid4().hex})
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def act(client, dossier_id, action, **body):
    version = client.get(f"/api/v1/work/dossiers/{dossier_id}").get_json()["version"]
    return client.post(f"/api/v1/work/dossiers/{dossier_id}/actions/{action}", json={"version": version, **body})


def ok(reply):
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def propose(officials, dossier_id: str, *, note: str = "Đủ điều kiện, đề nghị cấp.", received: bool = False) -> dict:
    """A submitted dossier through the office to the leader: received (unless it was at the counter), forwarded,
    assigned to the specialist, proposed."""
    if not received:
        ok(act(officials(RECEIVER), dossier_id, "receive"))
    ok(act(officials(RECEIVER), dossier_id, "forward"))
    ok(act(officials(LEADER), dossier_id, "assign", assignee_id=SPECIALIST))
    return ok(act(officials(SPECIALIST), dossier_id, "propose", note=note))


def to_approval(citizen, officials) -> dict:
    return propose(officials, submitted(citizen)["id"])


def test_the_receiving_officer_sees_a_new_online_dossier_in_the_worklist(citizen, officials):
    d = submitted(citizen)
    items = officials(RECEIVER).get("/api/v1/work/dossiers?unit=phuong-tran-bien").get_json()["items"]
    item = next(i for i in items if i["id"] == d["id"])
    assert item["stage"] == "intake" and item["stage_label_vi"] == "Tiếp nhận"
    assert item["applicant_name"] == "Nguyễn Thị Ngọc Ánh" and item["badge"] == "at_risk"  # 1-day procedure


def test_a_dossier_moves_from_intake_to_the_leader_with_a_control_sheet(citizen, officials, clock):
    d = submitted(citizen)
    clock.advance(minutes=30)
    received = ok(act(officials(RECEIVER), d["id"], "receive"))
    assert received["status"] == "received" and received["stage"] == "intake"
    forwarded = ok(act(officials(RECEIVER), d["id"], "forward"))
    assert forwarded["status"] == "in_progress" and forwarded["stage"] == "competent_unit"
    assigned = ok(act(officials(LEADER), d["id"], "assign", assignee_id=SPECIALIST))
    assert assigned["assignee"]["name"] == "Lê Minh Tuấn" and assigned["stage"] == "appraisal"
    proposed = ok(act(officials(SPECIALIST), d["id"], "propose", note="Đủ điều kiện"))
    assert proposed["stage"] == "approval"
    sheet = proposed["handovers"]
    assert [(h["from_person"], h["to_person"]) for h in sheet] == [
        ("Trần Thị Thu Hà", "Ủy ban nhân dân phường Trấn Biên"), ("Nguyễn Văn Bình", "Lê Minh Tuấn"),
        ("Lê Minh Tuấn", "Lãnh đạo đơn vị")]
    assert all(h["outcome"] in ("early", "on_time") for h in sheet)
    # the citizen sees "in progress", never the internal stage
    mine = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()
    assert mine["status"] == "in_progress" and "stage" not in mine


def test_the_citizen_follows_the_history(citizen, officials):
    d = submitted(citizen)
    ok(act(officials(RECEIVER), d["id"], "receive"))
    history = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()["history"]
    assert [h["action"] for h in history] == ["submit", "receive"]


def test_a_supplement_is_asked_once_then_the_citizen_resubmits(citizen, officials):
    d = submitted(citizen)
    missing = [{"name": "Giấy chứng sinh bản chính", "kind": "original", "reason": "Ảnh chụp bị mờ"}]
    asked = ok(act(officials(RECEIVER), d["id"], "request_supplement", missing=missing, note="Chụp lại rõ nét"))
    assert asked["status"] == "supplement_requested"
    seen = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()
    assert seen["supplement_request"]["missing"][0]["reason"] == "Ảnh chụp bị mờ"
    again = act(officials(RECEIVER), d["id"], "request_supplement", missing=missing)
    assert again.status_code == 409
    back = citizen.post(f"/api/v1/dossiers/{d['id']}/resubmit", json={},
                        headers={"Idempotency-Key": uuid.uuid4().hex})
    assert back.status_code == 200 and back.get_json()["status"] == "submitted"
    assert act(officials(RECEIVER), d["id"], "request_supplement", missing=missing).status_code == 409
    assert ok(act(officials(RECEIVER), d["id"], "receive"))["status"] == "received"


def test_refusal_needs_a_reason_and_ends_the_dossier(citizen, officials):
    d = submitted(citizen)
    assert act(officials(RECEIVER), d["id"], "refuse").status_code == 422
    refused = ok(act(officials(RECEIVER), d["id"], "refuse", reason="Không thuộc thẩm quyền giải quyết."))
    assert refused["status"] == "refused" and refused["allowed_actions"] == []


def test_the_leader_can_send_back_to_the_specialist(citizen, officials):
    d = to_approval(citizen, officials)
    back = ok(act(officials(LEADER), d["id"], "send_back", comment="Bổ sung ý kiến thẩm định."))
    assert back["stage"] == "appraisal"
    assert "propose" in [a["action"] for a in officials(SPECIALIST).get(
        f"/api/v1/work/dossiers/{d['id']}").get_json()["allowed_actions"]]


def test_each_official_is_offered_only_what_their_role_allows(citizen, officials):
    d = to_approval(citizen, officials)
    offered = {who: [a["action"] for a in officials(who).get(f"/api/v1/work/dossiers/{d['id']}").get_json()
                     ["allowed_actions"]] for who in (RECEIVER, SPECIALIST, LEADER)}
    assert offered[RECEIVER] == []
    assert offered[SPECIALIST] == []
    assert set(offered[LEADER]) == {"refuse", "send_back", "stop", "apology"}
    assert officials(LEADER).get(f"/api/v1/work/dossiers/{d['id']}").get_json()["can_sign"] is True


def test_a_step_out_of_turn_is_a_conflict_and_a_wrong_role_is_forbidden(citizen, officials):
    d = submitted(citizen)
    assert act(officials(LEADER), d["id"], "propose").status_code == 409  # not in appraisal
    forbidden = act(officials(SPECIALIST), d["id"], "receive")
    assert forbidden.status_code == 403 and forbidden.get_json()["error"]["code"] == "not_allowed"


def test_officials_of_another_unit_see_nothing(citizen, officials):
    d = submitted(citizen)
    other = officials(OTHER_RECEIVER)
    assert other.get(f"/api/v1/work/dossiers/{d['id']}").status_code == 404
    assert other.post(f"/api/v1/work/dossiers/{d['id']}/actions/receive", json={"version": 2}).status_code == 404
    assert other.get("/api/v1/work/dossiers?unit=phuong-tran-bien").status_code == 403
    mine = other.get("/api/v1/work/dossiers?unit=trung-tam-phuc-vu-hanh-chinh-cong").get_json()["items"]
    assert all(i["id"] != d["id"] for i in mine)


def test_citizens_and_anonymous_callers_cannot_use_the_officials_api(citizen, api, officials):
    d = submitted(citizen)
    for client in (citizen, api):
        assert client.get("/api/v1/work/dossiers?unit=phuong-tran-bien").status_code == 401
        assert client.get(f"/api/v1/work/dossiers/{d['id']}").status_code == 401
        reply = client.post(f"/api/v1/work/dossiers/{d['id']}/actions/receive", json={"version": 2})
        assert reply.status_code == 401
    assert officials(ADMIN).get(f"/api/v1/work/dossiers/{d['id']}").status_code == 404


def test_a_stale_version_is_refused_and_shows_the_new_state(citizen, officials):
    d = submitted(citizen)
    receiver = officials(RECEIVER)
    version = receiver.get(f"/api/v1/work/dossiers/{d['id']}").get_json()["version"]
    ok(receiver.post(f"/api/v1/work/dossiers/{d['id']}/actions/receive", json={"version": version}))
    late = receiver.post(f"/api/v1/work/dossiers/{d['id']}/actions/refuse", json={"version": version, "reason": "x"})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "stale_version"


def test_two_officials_acting_at_once_exactly_one_wins(app, citizen, officials):
    d = submitted(citizen)
    receiver = officials(RECEIVER)
    version = receiver.get(f"/api/v1/work/dossiers/{d['id']}").get_json()["version"]
    clients = [officials(RECEIVER), officials(RECEIVER)]
    results: list[int] = []

    def go(client, action, body):
        reply = client.post(f"/api/v1/work/dossiers/{d['id']}/actions/{action}", json={"version": version, **body})
        results.append(reply.status_code)

    threads = [threading.Thread(target=go, args=(clients[0], "receive", {})),
               threading.Thread(target=go, args=(clients[1], "refuse", {"reason": "Trùng hồ sơ"}))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]


def approve_in_domain(container, dossier_id: str) -> None:
    """Drive a dossier awaiting approval to "done" through the domain (signing is covered by its own tests)."""
    from motcua.domain import workflow as wf
    from motcua.domain.dossiers import SignedResult

    with container.uow() as uow:
        dossier = uow.dossiers.get(dossier_id)
        leader = uow.officials.get(LEADER)
        now = container.clock.now()
        wf.approve(container.calendar, dossier, leader, now=now, office_name="UBND phường Trấn Biên",
                   result=SignedResult(storage_key="x", sha256="0" * 64, signed_at=now, signer_id=LEADER,
                                       signer_name=leader.name))
        uow.dossiers.save(dossier)
        uow.commit()


def test_returning_by_post_needs_a_tracking_number(citizen, officials, container):
    d = to_approval(citizen, officials)
    approve_in_domain(container, d["id"])
    refused = act(officials(RECEIVER), d["id"], "return_result", method="post")
    assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {"tracking_number", "address"}
    done = ok(act(officials(RECEIVER), d["id"], "return_result", method="post", tracking_number="EB123456789VN",
                  address="Số 12 Phạm Văn Thuận, Phường Trấn Biên"))
    assert done["status"] == "returned" and done["national_status"] == 10


def test_an_apology_sets_a_new_date_but_keeps_the_legal_due_date(citizen, officials):
    d = to_approval(citizen, officials)
    reply = ok(act(officials(LEADER), d["id"], "apology", reason="Cần xác minh thêm thông tin.",
                   new_due_date="2026-12-03"))
    assert reply["due_at"] == d["due_at"] and reply["apologies"][0]["new_due_date"] == "2026-12-03"
    assert act(officials(LEADER), d["id"], "apology", reason="x", new_due_date="2026-12-05").status_code == 422  # Sat


@pytest.mark.parametrize("body", [{}, {"version": "1"}, {"version": True}, {"version": 1, "missing": "x"},
                                  {"version": 1, "missing": [{"name": "a", "kind": "bogus", "reason": "b"}]},
                                  {"version": 1, "reason": 5}, {"version": 1, "assignee_id": ["x"]}])
def test_hostile_action_bodies_get_a_4xx(citizen, officials, body):
    d = submitted(citizen)
    for action in ("request_supplement", "refuse", "assign", "nonsense"):
        reply = officials(RECEIVER).post(f"/api/v1/work/dossiers/{d['id']}/actions/{action}", json=body)
        assert 400 <= reply.status_code < 500


def pdf_text(data: bytes) -> str:
    import io
    import unicodedata

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_citizen_gets_the_supplement_request_in_writing(citizen, officials):
    d = submitted(citizen)
    missing = [{"name": "Giấy chứng sinh", "kind": "original", "reason": "Ảnh chụp bị mờ, không đọc được"}]
    ok(act(officials(RECEIVER), d["id"], "request_supplement", missing=missing, note="Chụp lại rõ nét"))
    slip = citizen.get(f"/api/v1/dossiers/{d['id']}/documents/supplement.pdf")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    text = pdf_text(slip.data)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and d["code"] in text
    assert "Ảnh chụp bị mờ, không đọc được" in text and "Trần Thị Thu Hà" in text
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/documents/refusal.pdf").status_code == 404
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/documents/nonsense.pdf").status_code == 404


def test_the_control_sheet_lists_every_hand_over(citizen, officials):
    d = to_approval(citizen, officials)
    sheet = officials(LEADER).get(f"/api/v1/work/dossiers/{d['id']}/control-sheet.pdf")
    assert sheet.status_code == 200
    text = pdf_text(sheet.data)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    for person in ("Trần Thị Thu Hà", "Nguyễn Văn Bình", "Lê Minh Tuấn"):
        assert person in text
    assert citizen.get(f"/api/v1/work/dossiers/{d['id']}/control-sheet.pdf").status_code == 401


def test_the_apology_slip_gives_the_new_date(citizen, officials):
    d = to_approval(citizen, officials)
    ok(act(officials(LEADER), d["id"], "apology", reason="Cần xác minh thêm.", new_due_date="2026-12-03"))
    text = pdf_text(citizen.get(f"/api/v1/dossiers/{d['id']}/documents/apology.pdf").data)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text and "Cần xác minh thêm." in text
