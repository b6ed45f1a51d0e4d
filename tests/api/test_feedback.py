"""Feedback (PAKN): a citizen sends it, the responsible unit answers within 10 working days, the public reads the
answer without any personal data, the citizen is notified."""

import io
import json

import pytest

from api.helpers import KHAI_SINH, drain, jpeg_bytes, outbox_payloads, pdf_bytes
from api.test_workflow import LEADER, OTHER_RECEIVER, RECEIVER, SPECIALIST, submitted
from conftest import ApiClient

QUESTION = ("Tôi là Nguyễn Thị Ngọc Ánh, số điện thoại 0912 345 678, email ngocanh@example.vn, CCCD 075190001234. "
            "Hồ sơ {code} đã quá hẹn mà chưa có kết quả, đề nghị cơ quan trả lời.")


def send(citizen, d, **extra):
    body = {"subject_kind": "dossier", "dossier_id": d["id"], "sender_name": "Nguyễn Thị Ngọc Ánh",
            "question": QUESTION.format(code=d["code"]), **extra}
    reply = citizen.post("/api/v1/feedback", json=body)
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()


def worklist(official, status="open", unit="phuong-tran-bien"):
    reply = official.get(f"/api/v1/work/feedback?unit={unit}&status={status}")
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()["items"]


def answer(official, fb_id, text="Cơ quan đã kiểm tra và sẽ trả kết quả trong ngày 30/11/2026."):
    version = official.get(f"/api/v1/work/feedback/{fb_id}").get_json()["version"]
    return official.post(f"/api/v1/work/feedback/{fb_id}/answer", json={"answer": text, "version": version})


def test_feedback_about_my_dossier_goes_to_its_unit_with_a_10_working_day_deadline(citizen, officials, container):
    d = submitted(citizen)
    fb = send(citizen, d)
    assert fb["unit"]["id"] == "phuong-tran-bien" and fb["status"] == "open" and fb["dossier_code"] == d["code"]
    # submitted Thursday 26/11/2026 09:00 → day 1 is that Thursday; the 10th working day is Wednesday 9/12, 17:00
    assert fb["due_at"] == "2026-12-09T10:00:00Z"
    items = worklist(officials(RECEIVER))
    assert [i["id"] for i in items] == [fb["id"]] and items[0]["sender_phone"] == "0912345678"
    event = outbox_payloads(container, "feedback.submitted")[0]
    assert event == {"feedback_id": fb["id"], "unit_id": "phuong-tran-bien", "subject_kind": "dossier",
                     "procedure_code": KHAI_SINH, "at": "2026-11-26T02:00:00Z", "due_at": "2026-12-09T10:00:00Z"}


def test_the_worklist_is_ordered_by_deadline_and_pages_with_a_token(citizen, officials, container, clock):
    d = submitted(citizen)
    ids = []
    for _ in range(22):
        ids.append(send(citizen, d)["id"])
        clock.advance(hours=6)
    official = officials(LEADER)
    first = official.get("/api/v1/work/feedback?unit=phuong-tran-bien").get_json()
    assert len(first["items"]) == 20 and first["next_page_token"]
    rest = official.get(f"/api/v1/work/feedback?unit=phuong-tran-bien&page_token={first['next_page_token']}")
    items = first["items"] + rest.get_json()["items"]
    assert sorted(i["id"] for i in items) == sorted(ids)  # each once, none lost between pages
    keys = [(i["due_at"], i["id"]) for i in items]
    assert keys == sorted(keys) and keys[0][0] < keys[-1][0]  # earliest deadline first
    assert official.get("/api/v1/work/feedback?unit=phuong-tran-bien&page_token=@@@").status_code == 422


def test_an_official_answers_the_public_sees_it_redacted_and_the_citizen_is_notified(citizen, officials, container,
                                                                                      api):
    d = submitted(citizen)
    fb = send(citizen, d)
    reply = answer(officials(SPECIALIST), fb["id"], "Kính gửi bà Nguyễn Thị Ngọc Ánh: hồ sơ sẽ có kết quả ngày 30/11.")
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["status"] == "answered" and reply.get_json()["on_time"] is True
    assert worklist(officials(RECEIVER)) == []
    assert [i["id"] for i in worklist(officials(RECEIVER), "answered")] == [fb["id"]]
    public = api.get("/api/v1/feedback/public").get_json()["items"]
    assert [p["id"] for p in public] == [fb["id"]]
    item = api.get(f"/api/v1/feedback/public/{fb['id']}").get_json()
    text = json.dumps(item, ensure_ascii=False)
    for secret in ("Ngọc Ánh", "0912", "345 678", "ngocanh@", "075190001234", d["code"], "sender", "phone",
                   d["id"], "attachments"):
        assert secret not in text, secret
    assert "[số điện thoại]" in item["question"] and "[họ tên]" in item["question"]
    assert item["answer"] == "Kính gửi bà [họ tên]: hồ sơ sẽ có kết quả ngày 30/11."
    assert item["unit"]["id"] == "phuong-tran-bien" and item["on_time"] is True
    assert set(item) == {"id", "subject_kind", "unit", "procedure", "question", "answer", "asked_at", "answered_at",
                         "due_at", "on_time", "edited_at"}
    event = outbox_payloads(container, "feedback.answered")[0]
    assert event == {"feedback_id": fb["id"], "unit_id": "phuong-tran-bien", "procedure_code": KHAI_SINH,
                     "answered_at": "2026-11-26T02:00:00Z", "due_at": "2026-12-09T10:00:00Z", "on_time": True}
    # the citizen reads the full answer in the app, and is told through the notification channels
    mine = citizen.get(f"/api/v1/feedback/{fb['id']}").get_json()
    assert mine["answer"].startswith("Kính gửi bà Nguyễn Thị Ngọc Ánh")
    drain(container)
    inbox = citizen.get("/api/v1/notifications").get_json()["items"]
    assert any(n["title"] == "Phản ánh của bạn đã được trả lời" and n["url"] == f"/phan-anh/{fb['id']}"
               for n in inbox)
    sms = [m for m in citizen.get("/dev/outbox").get_json()["items"] if "Phan anh" in m["body"]]
    assert [m["to"] for m in sms] == ["0912345678"] and len(sms[0]["body"]) <= 160


def test_officials_of_the_unit_are_told_about_new_feedback(citizen, officials, container):
    d = submitted(citizen)
    leader = officials(LEADER)
    fb = send(citizen, d)
    drain(container)
    inbox = leader.get("/api/v1/notifications").get_json()["items"]
    assert any(n["title"] == "Phản ánh, kiến nghị mới" and n["url"] == f"/can-bo/phan-anh/{fb['id']}"
               and "09/12/2026" in n["body"] for n in inbox)
    other = officials(OTHER_RECEIVER).get("/api/v1/notifications").get_json()["items"]
    assert not any("Phản ánh" in n["title"] for n in other)


def test_one_answer_then_only_the_leader_corrects_it_and_the_edit_is_audited(app, citizen, officials, container):
    d = submitted(citizen)
    fb = send(citizen, d)
    assert answer(officials(SPECIALIST), fb["id"]).status_code == 200
    second = answer(officials(SPECIALIST), fb["id"], "Một câu trả lời khác hẳn câu trước.")
    assert second.status_code == 403 and second.get_json()["error"]["code"] == "leader_only"
    fixed = answer(officials(LEADER), fb["id"], "Câu trả lời đã được lãnh đạo đính chính, gửi bà Ngọc Ánh.")
    assert fixed.status_code == 200 and fixed.get_json()["edited_at"]
    public = ApiClient(app.test_client()).get(f"/api/v1/feedback/public/{fb['id']}").get_json()
    assert public["answer"] == "Câu trả lời đã được lãnh đạo đính chính, gửi bà [họ tên]." and public["edited_at"]
    assert fixed.get_json()["answered_by_name"] == "Lê Minh Tuấn"
    with container.uow(readonly=True) as uow:
        log = uow.audit.entries(f"feedback:{fb['id']}")
    assert [e.action for e in log] == ["submit", "answer", "edit_answer"]
    assert log[2].before["answer"].startswith("Cơ quan đã kiểm tra") and log[2].actor == f"official:{LEADER}"
    assert len(outbox_payloads(container, "feedback.answered")) == 1  # a correction is not a second answer


def test_a_stale_version_is_refused(citizen, officials):
    fb = send(citizen, submitted(citizen))
    official = officials(LEADER)
    reply = official.post(f"/api/v1/work/feedback/{fb['id']}/answer", json={"answer": "Trả lời đủ dài.", "version": 99})
    assert reply.status_code == 409 and reply.get_json()["error"]["code"] == "stale_version"


def test_outsiders_see_nothing_of_a_units_feedback(app, citizen, officials):
    fb = send(citizen, submitted(citizen))
    other_official = officials(OTHER_RECEIVER)
    assert other_official.get(f"/api/v1/work/feedback/{fb['id']}").status_code == 404
    assert answer_raw(other_official, fb["id"]).status_code == 404
    assert other_official.get("/api/v1/work/feedback?unit=phuong-tran-bien").status_code == 403
    admin = officials("quan-tri")
    assert admin.get(f"/api/v1/work/feedback/{fb['id']}").status_code == 404
    anonymous = ApiClient(app.test_client())
    assert anonymous.get(f"/api/v1/work/feedback/{fb['id']}").status_code == 401
    assert anonymous.get(f"/api/v1/feedback/{fb['id']}").status_code == 401
    assert citizen.get(f"/api/v1/work/feedback/{fb['id']}").status_code == 401
    other = ApiClient(app.test_client())
    other.sign_in("0987654321")
    assert other.get(f"/api/v1/feedback/{fb['id']}").status_code == 404
    assert other.get("/api/v1/feedback/mine").get_json()["items"] == []
    assert anonymous.get(f"/api/v1/feedback/public/{fb['id']}").status_code == 404  # not answered yet


def answer_raw(official, fb_id):
    return official.post(f"/api/v1/work/feedback/{fb_id}/answer", json={"answer": "Trả lời đủ dài.", "version": 1})


def test_feedback_about_anothers_dossier_is_not_found(app, citizen):
    d = submitted(citizen)
    other = ApiClient(app.test_client())
    other.sign_in("0987654321")
    reply = other.post("/api/v1/feedback", json={"subject_kind": "dossier", "dossier_id": d["id"],
                                                 "question": "Hồ sơ này của ai vậy?"})
    assert reply.status_code == 404


def test_feedback_about_a_procedure_or_an_office_is_routed_to_that_unit(citizen, officials):
    by_procedure = citizen.post("/api/v1/feedback", json={
        "subject_kind": "procedure", "procedure_code": KHAI_SINH, "unit_id": "phuong-tran-bien",
        "question": "Thủ tục đăng ký khai sinh cần những giấy tờ gì?"})
    assert by_procedure.status_code == 201 and by_procedure.get_json()["unit"]["id"] == "phuong-tran-bien"
    without_unit = citizen.post("/api/v1/feedback", json={"subject_kind": "procedure", "procedure_code": KHAI_SINH,
                                                          "question": "Thủ tục này nộp ở đâu ạ?"})
    assert without_unit.status_code == 422 and "competent_unit_id" in without_unit.get_json()["error"]["fields"]
    by_office = citizen.post("/api/v1/feedback", json={"subject_kind": "office", "unit_id": "phuong-tran-bien",
                                                       "question": "Bộ phận một cửa đông quá, cần thêm quầy."})
    assert by_office.status_code == 201 and by_office.get_json()["procedure"] is None
    assert len(worklist(officials(LEADER))) == 2


@pytest.mark.parametrize("body, field", [
    ({"subject_kind": "x", "question": "Một câu hỏi đủ dài."}, "subject_kind"),
    ({"subject_kind": "office", "unit_id": "phuong-tran-bien", "question": "ngắn"}, "question"),
    ({"subject_kind": "office", "unit_id": "phuong-tran-bien", "question": "x" * 4001}, "question"),
    ({"subject_kind": "office", "unit_id": "phuong-tran-bien", "question": 12345678901}, "question"),
    ({"subject_kind": "office", "unit_id": "khong-co", "question": "Một câu hỏi đủ dài."}, "unit_id"),
    ({"subject_kind": "procedure", "procedure_code": "9.999999", "question": "Một câu hỏi đủ dài."}, "procedure_code"),
    ({"subject_kind": "office", "unit_id": "phuong-tran-bien", "question": "Một câu hỏi đủ dài.",
      "sender_name": "x" * 101}, "sender_name"),
])
def test_bad_feedback_names_the_field(citizen, body, field):
    reply = citizen.post("/api/v1/feedback", json=body)
    assert reply.status_code == 422 and field in reply.get_json()["error"]["fields"], reply.get_json()
    assert citizen.get("/api/v1/feedback/mine").get_json()["items"] == []


def test_hostile_bodies_get_a_4xx_and_store_nothing(citizen, officials):
    fb = send(citizen, submitted(citizen))
    leader = officials(LEADER)
    for body in [b"", b"null", b"[]", b"{", b"\xff\xfe", b'{"subject_kind": {"$ne": 1}}', b"1e999999",
                 b'{"subject_kind": "dossier", "dossier_id": ["x"], "question": "abcdefghijk"}']:
        reply = citizen.post("/api/v1/feedback", data=body, content_type="application/json")
        assert 400 <= reply.status_code < 500, (body, reply.status_code)
        work = leader.post(f"/api/v1/work/feedback/{fb['id']}/answer", data=body, content_type="application/json")
        assert 400 <= work.status_code < 500, (body, work.status_code)
    for url in ["/api/v1/feedback/public?page_token=@@@", f"/api/v1/feedback/public/{'x' * 300}",
                "/api/v1/feedback/mine?page_token=" + "a" * 600, "/api/v1/feedback/%00"]:
        assert 400 <= citizen.get(url).status_code < 500, url
    assert len(citizen.get("/api/v1/feedback/mine").get_json()["items"]) == 1
    assert leader.get(f"/api/v1/work/feedback/{fb['id']}").get_json()["status"] == "open"


def test_attachments_are_checked_and_only_the_sender_and_the_unit_open_them(app, citizen, officials):
    fb = send(citizen, submitted(citizen))
    url = f"/api/v1/feedback/{fb['id']}/attachments"
    photo = citizen.post(url, data={"file": (io.BytesIO(jpeg_bytes(gps=True)), "anh.jpg")},
                         content_type="multipart/form-data")
    assert photo.status_code == 201, photo.get_json()
    assert citizen.post(url, data={"file": (io.BytesIO(pdf_bytes()), "don.pdf")},
                        content_type="multipart/form-data").status_code == 201
    fake = citizen.post(url, data={"file": (io.BytesIO(b"<html><script>x</script>"), "anh.jpg")},
                        content_type="multipart/form-data")
    assert fake.status_code in (415, 422)
    assert citizen.post(url, data={}, content_type="multipart/form-data").status_code == 422
    attachment_url = photo.get_json()["url"]
    mine = citizen.get(attachment_url)
    assert mine.status_code == 200 and mine.mimetype == "image/jpeg" and b"PhoneMaker" not in mine.data
    item = officials(LEADER).get(f"/api/v1/work/feedback/{fb['id']}").get_json()
    assert len(item["attachments"]) == 2
    assert officials(LEADER).get(item["attachments"][0]["url"]).status_code == 200
    assert officials(OTHER_RECEIVER).get(item["attachments"][0]["url"]).status_code == 404
    other = ApiClient(app.test_client())
    other.sign_in("0987654321")
    assert other.get(attachment_url).status_code == 404
    assert other.post(url, data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")},
                      content_type="multipart/form-data").status_code == 404
    # once answered, nothing more is attached
    assert answer(officials(LEADER), fb["id"]).status_code == 200
    late = citizen.post(url, data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")}, content_type="multipart/form-data")
    assert late.status_code == 409


def test_the_public_list_pages_newest_answer_first(citizen, officials, clock, api):
    d = submitted(citizen)
    ids = [send(citizen, d)["id"] for _ in range(23)]
    leader = officials(LEADER)
    for fb_id in ids:
        assert answer(leader, fb_id).status_code == 200
        clock.advance(minutes=5)
    first = api.get("/api/v1/feedback/public").get_json()
    second = api.get(f"/api/v1/feedback/public?page_token={first['next_page_token']}").get_json()
    assert [i["id"] for i in first["items"] + second["items"]] == list(reversed(ids))
    assert second["next_page_token"] is None
