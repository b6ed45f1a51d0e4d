"""The newcomer's tour of the public side through the real APIs, no event put by hand: a citizen rates a returned
dossier and sends feedback, an official answers, and the public statistics, the open-data files and the published
answer reflect it — without a trace of the citizen's personal data."""

from __future__ import annotations

import csv
import io

from api.helpers import drain
from api.public_side import returned
from api.test_feedback import answer
from api.test_workflow import LEADER
from conftest import ApiClient

NAME = "Zqxtour Lê Thị Hạnh"
PHONE = "0987001122"
ID_NUMBER = "075190009876"
NEEDLES = ["zqxtour", "0987001122", "0987 001 122", "075190009876", "hanh.zqx@example.vn"]


def month(container) -> str:
    from motcua.domain.statistics import month_of

    return month_of(container.clock.now())


def test_a_rating_and_an_answered_feedback_reach_the_statistics_and_open_data_but_no_personal_data(
        app, citizen, officials, container):
    d = returned(citizen, officials, container)
    rated = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json={
        "overall": 5, "criteria": {"time": 5, "visits": 4, "attitude": 5, "guidance": 5, "clarity": 4, "cost": 5},
        "comment": f"{NAME} rất hài lòng, gọi {PHONE}"})
    assert rated.status_code == 201, rated.get_json()
    sent = citizen.post("/api/v1/feedback", json={
        "subject_kind": "dossier", "dossier_id": d["id"], "sender_name": NAME, "sender_email": "hanh.zqx@example.vn",
        "question": f"Tôi là {NAME}, số điện thoại 0987 001 122, CCCD {ID_NUMBER}. Vì sao hồ sơ {d['code']} "
                    f"phải nộp bản sao giấy khai sinh?"})
    assert sent.status_code == 201, sent.get_json()
    feedback_id = sent.get_json()["id"]
    answered = answer(officials(LEADER), feedback_id, "Theo quy định, bản sao giấy khai sinh là thành phần bắt buộc.")
    assert answered.status_code == 200, answered.get_json()
    drain(container)

    public = ApiClient(app.test_client())  # nobody signed in
    this_month = month(container)
    totals = public.get(f"/api/v1/stats?from={this_month}&to={this_month}").get_json()["totals"]
    assert totals["ratings"] == 1 and totals["rating_sum"] == 5 and totals["ratings_satisfied"] == 1
    assert totals["satisfaction_rate"] == 1.0
    assert totals["feedback_received"] == 1 and totals["feedback_answered"] == 1
    assert totals["feedback_answered_on_time"] == 1 and totals["resolved"] == 1

    rows = list(csv.DictReader(io.StringIO(
        public.client.get(f"/api/v1/open-data/stats.csv?from={this_month}&to={this_month}").data.decode("utf-8-sig"))))
    assert sum(int(r["ratings"]) for r in rows) == 1
    assert sum(int(r["feedback_answered"]) for r in rows) == 1

    listed = public.get("/api/v1/feedback/public").get_json()["items"]
    assert [item["id"] for item in listed] == [feedback_id]
    published = public.get(f"/api/v1/feedback/public/{feedback_id}").get_json()
    assert "bản sao giấy khai sinh là thành phần bắt buộc" in published["answer"]

    outputs = [f"/api/v1/stats?from={this_month}&to={this_month}&group_by=unit",
               f"/api/v1/open-data/stats.json?from={this_month}&to={this_month}",
               f"/api/v1/open-data/stats.csv?from={this_month}&to={this_month}",
               "/api/v1/feedback/public", f"/api/v1/feedback/public/{feedback_id}"]
    for url in outputs:
        text = public.client.get(url).data.decode("utf-8", "replace").lower()
        for needle in NEEDLES:
            assert needle not in text, f"{needle!r} leaked in {url}"
        assert d["code"].lower() not in text, f"the dossier code leaked in {url}"
