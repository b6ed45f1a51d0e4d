"""What ratings and feedback tell people: the sender when answered (in their language, each channel once), the
unit when feedback arrives, the unit's leaders when a rating is low."""

from api.helpers import drain
from api.public_side import returned
from api.test_feedback import answer, send
from api.test_workflow import LEADER, RECEIVER, SPECIALIST, submitted


def inbox(client) -> list[dict]:
    return client.get("/api/v1/notifications").get_json()["items"]


def test_a_low_rating_reaches_the_units_leaders_and_a_good_one_does_not(citizen, officials, container):
    leader = officials(LEADER)
    low = returned(citizen, officials, container)
    good = returned(citizen, officials, container)
    assert citizen.post(f"/api/v1/dossiers/{low['id']}/rating", json={"overall": 2}).status_code == 201
    assert citizen.post(f"/api/v1/dossiers/{good['id']}/rating", json={"overall": 5}).status_code == 201
    drain(container)
    alerts = [n for n in inbox(leader) if n["title"].startswith("Đánh giá chưa hài lòng")]
    assert [(n["title"], n["url"]) for n in alerts] == [("Đánh giá chưa hài lòng (2/5)", f"/can-bo/ho-so/{low['id']}")]
    assert low["code"] in alerts[0]["body"]
    assert not any("Đánh giá" in n["title"] for n in inbox(officials(SPECIALIST)))


def test_the_answer_notice_follows_the_senders_language_and_is_sent_once(citizen, officials, container):
    reply = citizen.client.put("/api/v1/me/preferences", headers={"X-CSRF-Token": citizen.csrf},
                               json={"channels": {"push": True, "sms": True, "email": True}, "quiet_hours": True,
                                     "lang": "en"})
    assert reply.status_code == 200, reply.get_json()
    fb = send(citizen, submitted(citizen))
    assert answer(officials(RECEIVER), fb["id"]).status_code == 200
    drain(container)
    drain(container)  # a second pass changes nothing
    answered = [n for n in inbox(citizen) if n["url"] == f"/phan-anh/{fb['id']}"]
    assert [n["title"] for n in answered] == ["Your feedback has been answered"]
    sms = [m for m in citizen.get("/dev/outbox").get_json()["items"] if "Phan anh" in m["body"]]
    assert len(sms) == 1 and sms[0]["body"].isascii()


def test_the_answer_notice_never_carries_the_question_or_the_answer(citizen, officials, container):
    fb = send(citizen, submitted(citizen))
    assert answer(officials(LEADER), fb["id"], "Nội dung trả lời riêng tư cho người gửi.").status_code == 200
    drain(container)
    texts = [m["body"] for m in citizen.get("/dev/outbox").get_json()["items"]]
    texts += [n["title"] + n["body"] for n in inbox(citizen)]
    assert not any("riêng tư" in t or "rieng tu" in t or "quá hẹn" in t for t in texts)


def test_an_email_given_with_the_feedback_gets_the_answer_notice_and_is_never_published(citizen, officials,
                                                                                         container, api):
    d = submitted(citizen)
    fb = send(citizen, d, sender_email="bao.pham@example.vn")
    assert fb["sender_email"] == "bao.pham@example.vn"
    assert answer(officials(LEADER), fb["id"]).status_code == 200
    drain(container)
    mails = [m for m in citizen.get("/dev/outbox").get_json()["items"]
             if m["channel"] == "email" and m["to"] == "bao.pham@example.vn"]
    assert len(mails) == 1 and mails[0]["subject"] == "Phản ánh của bạn đã được trả lời"
    assert f"/phan-anh/{fb['id']}" in mails[0]["body"]
    assert "bao.pham" not in api.get(f"/api/v1/feedback/public/{fb['id']}").get_data(as_text=True)


def test_a_malformed_email_is_refused_by_name(citizen):
    reply = citizen.post("/api/v1/feedback", json={"subject_kind": "office", "unit_id": "phuong-tran-bien",
                                                   "question": "Một câu hỏi đủ dài.", "sender_email": "khong-phai"})
    assert reply.status_code == 422 and "sender_email" in reply.get_json()["error"]["fields"]
