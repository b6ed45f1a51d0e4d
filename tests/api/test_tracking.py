"""Public tracking: code and phone must both match; failures are rate limited and give no hint."""

import uuid

from api.helpers import ready_to_submit
from conftest import ApiClient


def submitted(citizen) -> dict:
    dossier = ready_to_submit(citizen)
    return citizen.post(f"/api/v1/dossiers/{dossier['id']}/submit", json={},
                        headers={"Idempotency-Key": uuid.uuid4().hex}).get_json()


def test_anyone_with_code_and_phone_sees_status_and_history(app, citizen):
    done = submitted(citizen)
    stranger = ApiClient(app.test_client())
    reply = stranger.get(f"/api/v1/track/{done['code'].lower()}?phone=+84912345678")
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["code"] == done["code"] and body["status"] == "submitted"
    assert body["due_at"] == done["due_at"] and body["history"][0]["action_label_vi"] == "Nộp hồ sơ trực tuyến"
    assert body["receiving_office"]["id"] == done["receiving_office"]["id"]
    assert "form" not in body and "attachments" not in body  # no personal data beyond the status
    assert reply.headers["Cache-Control"] == "no-store"


def test_wrong_phone_and_unknown_code_look_exactly_the_same(app, citizen):
    done = submitted(citizen)
    stranger = ApiClient(app.test_client())
    wrong_phone = stranger.get(f"/api/v1/track/{done['code']}?phone=0987654321")
    unknown = stranger.get("/api/v1/track/H19.99-261126-9999?phone=0912345678")
    garbage = stranger.get("/api/v1/track/%3Cscript%3E?phone=x")
    assert wrong_phone.status_code == unknown.status_code == garbage.status_code == 404
    assert wrong_phone.get_json() == unknown.get_json() == garbage.get_json()


def test_failed_lookups_are_rate_limited_per_address(app, citizen, clock):
    done = submitted(citizen)
    stranger = ApiClient(app.test_client())
    for n in range(10):
        assert stranger.get(f"/api/v1/track/H19.99-261126-{n:04d}?phone=0912345678").status_code == 404
    blocked = stranger.get(f"/api/v1/track/{done['code']}?phone=0912345678")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    clock.advance(minutes=16)
    assert stranger.get(f"/api/v1/track/{done['code']}?phone=0912345678").status_code == 200
