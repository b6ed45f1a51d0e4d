"""Notifications at each step: the in-app list, SMS and e-mail, once each, even when delivery is retried or the
worker dies between sending and recording."""

import pytest

from api.helpers import drain
from api.test_workflow import LEADER, RECEIVER, SPECIALIST, act, ok, submitted


def sms_to(citizen, phone):
    return [m for m in citizen.get("/dev/outbox?limit=200").get_json()["items"]
            if m["channel"] == "sms" and m["to"] == phone]


def test_the_citizen_hears_about_submission_and_receipt_once_each(citizen, officials, container, clock):
    d = submitted(citizen)
    drain(container)
    clock.advance(minutes=20)
    ok(act(officials(RECEIVER), d["id"], "receive"))
    drain(container)
    drain(container)
    titles = [n["title"] for n in citizen.get("/api/v1/notifications").get_json()["items"]]
    assert titles == [f"Hồ sơ {d['code']} đã được tiếp nhận", f"Đã nộp hồ sơ {d['code']}"]
    texts = [m["body"] for m in sms_to(citizen, "0912345678") if d["code"] in m["body"]]
    assert len(texts) == 2 and all(t.isascii() and len(t) <= 160 for t in texts)


def test_officials_hear_about_their_part(citizen, officials, container):
    d = submitted(citizen)
    drain(container)
    assert any(d["code"] in n["title"] for n in officials(RECEIVER).get("/api/v1/notifications").get_json()["items"])
    ok(act(officials(RECEIVER), d["id"], "receive"))
    ok(act(officials(RECEIVER), d["id"], "forward"))
    ok(act(officials(LEADER), d["id"], "assign", assignee_id=SPECIALIST))
    drain(container)
    mine = officials(SPECIALIST).get("/api/v1/notifications").get_json()["items"]
    assert mine[0]["title"] == f"Bạn được giao hồ sơ {d['code']}" and mine[0]["url"] == f"/can-bo/ho-so/{d['id']}"
    ok(act(officials(SPECIALIST), d["id"], "propose"))
    drain(container)
    assert officials(LEADER).get("/api/v1/notifications").get_json()["items"][0]["title"] == (
        f"Hồ sơ {d['code']} chờ bạn ký duyệt")


def test_a_redelivered_event_is_not_shown_or_sent_twice(citizen, container):
    d = submitted(citizen)
    with container.uow() as uow:
        messages = uow.outbox.claim(now=container.clock.now(), limit=50, lease_seconds=60)
        uow.commit()
    for message in messages:  # the same events handled twice, as an at-least-once queue may do
        for handler in (container.worker._handlers.get(message.topic) or []):
            handler(message)
            handler(message)
    assert len([n for n in citizen.get("/api/v1/notifications").get_json()["items"] if d["code"] in n["title"]]) == 1
    assert len([m for m in sms_to(citizen, "0912345678") if d["code"] in m["body"]]) == 1


def test_a_worker_that_dies_between_sending_and_recording_loses_nothing_and_sends_nothing_twice(
        citizen, container, clock, monkeypatch):
    from motcua.services import notifications

    d = submitted(citizen)
    real_record = notifications.NotificationDispatcher._record
    crashed = {"done": False}

    def crash_after_sms_sent(self, deliveries):
        if any(d.channel == "sms" for d in deliveries) and not crashed["done"]:
            crashed["done"] = True
            raise SystemExit("worker killed")  # the process dies after sending, before recording
        return real_record(self, deliveries)

    monkeypatch.setattr(notifications.NotificationDispatcher, "_record", crash_after_sms_sent)
    with pytest.raises(SystemExit):
        container.worker.run_once()
    clock.advance(seconds=120)  # the lease on the unfinished message runs out
    drain(container)
    assert len([m for m in sms_to(citizen, "0912345678") if d["code"] in m["body"]]) == 1
    assert len([n for n in citizen.get("/api/v1/notifications").get_json()["items"] if d["code"] in n["title"]]) == 1
    with container.uow(readonly=True) as uow:
        sms = [x for x in uow.deliveries.for_dossier(d["id"]) if x.channel == "sms" and x.user_kind == "citizen"]
    assert [(x.status, x.attempts) for x in sms] == [("sent", 2)]


def test_preferences_turn_sms_off_and_switch_to_english(citizen, officials, container):
    prefs = citizen.get("/api/v1/me/preferences").get_json()
    assert prefs == {"channels": {"push": True, "sms": True, "email": True}, "quiet_hours": True, "lang": "vi"}
    reply = citizen.client.put("/api/v1/me/preferences", headers={"X-CSRF-Token": citizen.csrf},
                               json={"channels": {"push": True, "sms": False, "email": True}, "quiet_hours": True,
                                     "lang": "en"})
    assert reply.status_code == 200
    d = submitted(citizen)
    drain(container)
    assert [m for m in sms_to(citizen, "0912345678") if d["code"] in m["body"]] == []
    assert citizen.get("/api/v1/notifications").get_json()["items"][0]["title"] == f"Dossier {d['code']} submitted"
    bad = citizen.client.put("/api/v1/me/preferences", headers={"X-CSRF-Token": citizen.csrf},
                             json={"channels": {"sms": "yes"}})
    assert bad.status_code == 422


def test_an_email_goes_out_when_the_applicant_gave_one(citizen, container):
    from api.helpers import attach_all, new_draft

    d = new_draft(citizen)
    citizen.patch(f"/api/v1/dossiers/{d['id']}", json={"form": {"applicant_email": "ngocanh@example.vn"}})
    attach_all(citizen, d)
    done = citizen.post(f"/api/v1/dossiers/{d['id']}/submit", json={}).get_json()
    drain(container)
    mails = [m for m in citizen.get("/dev/outbox").get_json()["items"] if m["channel"] == "email"]
    assert mails[0]["to"] == "ngocanh@example.vn" and mails[0]["subject"] == f"Đã nộp hồ sơ {done['code']}"
    assert "http://127.0.0.1:8080/ho-so/" in mails[0]["body"]


def test_officials_see_the_delivery_log_of_a_dossier(citizen, officials, container):
    d = submitted(citizen)
    drain(container)
    log = officials(RECEIVER).get(f"/api/v1/work/dossiers/{d['id']}/deliveries").get_json()["items"]
    sms = next(x for x in log if x["channel"] == "sms")
    assert sms["status"] == "sent" and sms["recipient"] == "0912***678"
    assert citizen.get(f"/api/v1/work/dossiers/{d['id']}/deliveries").status_code == 401


def test_marking_notifications_read(citizen, container):
    submitted(citizen)
    drain(container)
    items = citizen.get("/api/v1/notifications").get_json()["items"]
    assert citizen.post("/api/v1/notifications/read", json={"ids": [items[0]["id"]]}).status_code == 204
    assert citizen.get("/api/v1/notifications").get_json()["items"][0]["read"] is True
    assert citizen.post("/api/v1/notifications/read", json={"ids": "x"}).status_code == 422


@pytest.mark.parametrize("body", [
    {"endpoint": "http://example.com/push/1", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://10.0.0.5/push/1", "keys": {"p256dh": "B" * 87, "auth": "A" * 22}},
    {"endpoint": "https://push.example.com/1", "keys": {"p256dh": "short", "auth": "A" * 22}},
    {"endpoint": "https://push.example.com/1"}, {}, {"endpoint": 5},
])
def test_hostile_push_subscriptions_are_refused(citizen, body):
    assert citizen.post("/api/v1/push/subscriptions", json=body).status_code == 422


def test_the_push_key_is_public_and_subscriptions_need_a_session(api):
    key = api.get("/api/v1/push/public-key").get_json()["publicKey"]
    assert len(key) == 87  # an uncompressed P-256 point, base64url
    assert api.post("/api/v1/push/subscriptions", json={}).status_code == 401


def subscribe_through(client, service, public_key):
    sub = service.subscribe(application_server_key=public_key)
    body = {"endpoint": sub.target.endpoint, "expirationTime": None,
            "keys": {"p256dh": sub.target.p256dh, "auth": sub.target.auth}}
    reply = client.post("/api/v1/push/subscriptions", json=body)
    assert reply.status_code == 201, reply.get_json()
    return sub


def test_a_state_change_reaches_the_phone_as_an_encrypted_push(citizen, officials, container):
    from support.push_service import LocalPushService

    with LocalPushService() as service:
        sub = subscribe_through(citizen, service, container.push.public_key)
        d = submitted(citizen)
        drain(container)
        ok(act(officials(RECEIVER), d["id"], "receive"))
        drain(container)
        pushes = [r for r in service.received if r.subscription_id == sub.id]
    assert [p.payload["title"] for p in pushes] == [f"Đã nộp hồ sơ {d['code']}", f"Hồ sơ {d['code']} đã được tiếp nhận"]
    first = pushes[0]
    assert first.payload["url"] == f"/ho-so/{d['id']}" and first.payload["tag"] == first.headers["topic"]
    assert int(first.headers["ttl"]) == 24 * 3600 and first.claims["sub"].startswith("mailto:")


def test_a_gone_subscription_is_removed(citizen, container):
    from support.push_service import LocalPushService

    with LocalPushService() as service:
        sub = subscribe_through(citizen, service, container.push.public_key)
        service.respond(sub.id, 410)
        submitted(citizen)
        drain(container)
    me = citizen.get("/api/v1/auth/session").get_json()["user"]["id"]
    with container.uow(readonly=True) as uow:
        assert uow.push_subscriptions.for_user("citizen", me) == []


def test_a_busy_push_service_is_retried_later_without_resending_the_rest(citizen, container, clock):
    from support.push_service import LocalPushService

    with LocalPushService() as service:
        sub = subscribe_through(citizen, service, container.push.public_key)
        service.respond(sub.id, 429, retry_after=30, times=1)
        d = submitted(citizen)
        drain(container)
        assert [r for r in service.received if r.subscription_id == sub.id] == []
        clock.advance(minutes=5)
        drain(container)
        pushes = [r for r in service.received if r.subscription_id == sub.id]
    assert [p.payload["title"] for p in pushes] == [f"Đã nộp hồ sơ {d['code']}"]
    assert len([m for m in sms_to(citizen, "0912345678") if d["code"] in m["body"]]) == 1


def test_a_supplement_still_awaited_after_three_days_gets_one_reminder_outside_quiet_hours(
        citizen, officials, container, clock):
    d = submitted(citizen)
    missing = [{"name": "Giấy chứng sinh", "kind": "original", "reason": "Ảnh mờ"}]
    ok(act(officials(RECEIVER), d["id"], "request_supplement", missing=missing))
    drain(container)
    clock.advance(days=3, hours=14)  # Sunday 23:00 in Đồng Nai: quiet hours
    assert container.sweep.run() == 1
    assert container.sweep.run() == 0  # once per request
    drain(container)
    reminders = [n for n in citizen.get("/api/v1/notifications").get_json()["items"] if n["title"].startswith("Nhắc")]
    assert reminders == []  # held back overnight
    clock.advance(hours=8, minutes=5)  # 07:05
    drain(container)
    reminders = [n for n in citizen.get("/api/v1/notifications").get_json()["items"] if n["title"].startswith("Nhắc")]
    assert [n["title"] for n in reminders] == [f"Nhắc: hồ sơ {d['code']} vẫn chờ bổ sung"]


def test_quiet_hours_end_at_seven_in_the_morning():
    from datetime import UTC, datetime

    from motcua.services.notifications import quiet_until

    assert quiet_until(datetime(2026, 11, 26, 3, 0, tzinfo=UTC)) is None  # 10:00 local
    assert quiet_until(datetime(2026, 11, 26, 16, 0, tzinfo=UTC)).isoformat() == "2026-11-27T07:00:00+07:00"  # 23:00
    assert quiet_until(datetime(2026, 11, 26, 20, 0, tzinfo=UTC)).isoformat() == "2026-11-27T07:00:00+07:00"  # 03:00
