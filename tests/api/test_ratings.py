"""Satisfaction ratings: once per dossier after the result is returned, online by its owner or at the kiosk."""

import uuid

import pytest

from api.helpers import outbox_payloads
from api.public_side import GOOD, returned
from api.test_workflow import submitted
from conftest import ApiClient


def test_the_owner_rates_a_returned_dossier_once_and_the_first_rating_is_kept(citizen, officials, container):
    d = returned(citizen, officials, container)
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/rating").get_json() == {"can_rate": True, "rating": None}
    first = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD)
    assert first.status_code == 201, first.get_json()
    second = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json={"overall": 1})
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "already_rated"
    shown = citizen.get(f"/api/v1/dossiers/{d['id']}/rating").get_json()
    assert shown["can_rate"] is False and shown["rating"]["overall"] == 4
    assert shown["rating"]["criteria"] == GOOD["criteria"] and shown["rating"]["comment"] == "Cán bộ nhiệt tình."
    events = outbox_payloads(container, "rating.submitted")
    assert len(events) == 1
    event = events[0]
    assert set(event) == {"rating_id", "dossier_id", "unit_id", "procedure_code", "channel", "overall", "criteria",
                          "at"}
    assert event["dossier_id"] == d["id"] and event["unit_id"] == "phuong-tran-bien" and event["channel"] == "online"
    assert event["overall"] == 4 and event["criteria"]["cost"] is None and event["at"].endswith("Z")
    assert event["procedure_code"] == d["procedure"]["code"]
    assert "nhiệt tình" not in str(event) and "0912345678" not in str(event)  # no comment, no personal data


def test_a_dossier_not_yet_returned_cannot_be_rated(citizen):
    d = submitted(citizen)
    reply = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD)
    assert reply.status_code == 409 and reply.get_json()["error"]["code"] == "not_returned"
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/rating").get_json()["can_rate"] is False


def test_another_citizens_dossier_is_not_found(app, citizen, officials, container):
    d = returned(citizen, officials, container)
    other = ApiClient(app.test_client())
    other.sign_in("0987654321")
    assert other.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD).status_code == 404
    assert other.get(f"/api/v1/dossiers/{d['id']}/rating").status_code == 404
    assert ApiClient(app.test_client()).post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD).status_code == 401
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/rating").get_json()["rating"] is None


@pytest.mark.parametrize("body, field", [
    ({}, "overall"), ({"overall": 0}, "overall"), ({"overall": 6}, "overall"), ({"overall": True}, "overall"),
    ({"overall": "5"}, "overall"), ({"overall": 4.5}, "overall"), ({"overall": 5, "criteria": []}, "criteria"),
    ({"overall": 5, "criteria": {"speed": 5}}, "criteria"), ({"overall": 5, "criteria": {"time": 9}}, "criteria.time"),
    ({"overall": 5, "comment": "x" * 501}, "comment"), ({"overall": 5, "comment": {"a": 1}}, "comment"),
])
def test_bad_ratings_name_the_field_and_store_nothing(citizen, officials, container, body, field):
    d = returned(citizen, officials, container)
    reply = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json=body)
    assert reply.status_code == 422 and field in reply.get_json()["error"]["fields"]
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/rating").get_json()["rating"] is None


def test_a_comment_with_a_script_is_stored_as_text(citizen, officials, container):
    d = returned(citizen, officials, container)
    script = "<script>alert(1)</script>\u0000 Tốt"
    assert citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json={"overall": 5, "comment": script}).status_code == 201
    rating = citizen.get(f"/api/v1/dossiers/{d['id']}/rating")
    assert rating.get_json()["rating"]["comment"] == "<script>alert(1)</script> Tốt"
    assert rating.mimetype == "application/json"


def test_the_kiosk_rates_by_code_once_across_both_channels(app, citizen, officials, container):
    d = returned(citizen, officials, container)
    kiosk = ApiClient(app.test_client())  # anonymous tablet at the counter
    reply = kiosk.post("/api/v1/kiosk/ratings", json={"code": d["code"].lower(), "overall": 5})
    assert reply.status_code == 201 and reply.get_json()["result"] == "thanks"
    assert set(reply.get_json()) == {"result", "message", "message_en"}  # nothing about the dossier
    again = kiosk.post("/api/v1/kiosk/ratings", json={"code": d["code"], "overall": 1})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_rated"
    online = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD)
    assert online.status_code == 409
    event = outbox_payloads(container, "rating.submitted")[0]
    assert event["channel"] == "kiosk" and event["overall"] == 5 and event["criteria"]["time"] is None


def test_the_kiosk_says_the_same_for_unknown_and_unfinished_dossiers(app, citizen):
    d = submitted(citizen)
    kiosk = ApiClient(app.test_client())
    unfinished = kiosk.post("/api/v1/kiosk/ratings", json={"code": d["code"], "overall": 5})
    unknown = kiosk.post("/api/v1/kiosk/ratings", json={"code": "H19.23-010101-9999", "overall": 5})
    garbage = kiosk.post("/api/v1/kiosk/ratings", json={"code": ["x"], "overall": 5})
    assert unfinished.status_code == unknown.status_code == garbage.status_code == 404
    assert unfinished.get_json() == unknown.get_json() == garbage.get_json()
    text = unfinished.get_data(as_text=True)
    assert d["code"] not in text and "Ánh" not in text and "0912345678" not in text


def test_the_kiosk_is_rate_limited(app, container):
    kiosk = ApiClient(app.test_client())
    codes = [kiosk.post("/api/v1/kiosk/ratings", json={"code": f"H19.23-010101-{n:04d}", "overall": 5}).status_code
             for n in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429
    assert int(kiosk.post("/api/v1/kiosk/ratings", json={"overall": 5}).headers["Retry-After"]) > 0
    container.clock.advance(minutes=11)
    assert kiosk.post("/api/v1/kiosk/ratings", json={"code": "H19.23-010101-0001", "overall": 5}).status_code == 404


def test_hostile_bodies_get_a_4xx(app, citizen, officials, container):
    d = returned(citizen, officials, container)
    kiosk = ApiClient(app.test_client())
    for body in [b"", b"null", b"[]", b"{", b"\xff\xfe", b'{"overall": {"$gt": 0}}', b"1e999999",
                 b'{"overall": 99999999999999999999999}', b'{"code": null, "overall": "5"}']:
        for client, url in ((citizen, f"/api/v1/dossiers/{d['id']}/rating"), (kiosk, "/api/v1/kiosk/ratings")):
            reply = client.post(url, data=body, content_type="application/json")
            assert 400 <= reply.status_code < 500, (url, body, reply.status_code)
            assert reply.get_json()["error"]["message"]
    big = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json={"overall": 5, "comment": "x" * 2_000_000})
    assert 400 <= big.status_code < 500
    assert citizen.post(f"/api/v1/dossiers/{'x' * 300}/rating", json=GOOD).status_code == 404
    assert citizen.get(f"/api/v1/dossiers/{d['id']}/rating").get_json()["rating"] is None


def test_an_idempotent_retry_from_the_phone_does_not_become_a_conflict(citizen, officials, container):
    d = returned(citizen, officials, container)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD, headers=key)
    assert first.status_code == 201
    # not declared idempotent: a retry is the second rating, and the first stands
    assert citizen.post(f"/api/v1/dossiers/{d['id']}/rating", json=GOOD, headers=key).status_code == 409
