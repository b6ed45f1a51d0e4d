"""Notifications on a phone: the push card (asked at a meaningful moment, "Để sau" remembered), the bell and
/thong-bao (list, open = read, mark all read, preferences), and push messages shown by the service worker.

A real push subscription cannot be made here (headless Chromium has no vendor push service), so pushes are
delivered straight to the service worker with the DevTools Protocol (ServiceWorker.deliverPushMessage)."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from api.helpers import complete_answers
from browser.conftest import PHONE_VIEWPORT, HttpCitizen, serious_axe_violations
from browser.test_citizen_journey import KHAI_SINH, camera_photo, sign_in

pytestmark = pytest.mark.browser

SHOWN = """async () => (await (await navigator.serviceWorker.ready).getNotifications()).map(n => ({
    title: n.title, body: n.body, tag: n.tag, data: n.data, icon: n.icon, badge: n.badge, lang: n.lang}))"""


def file_dossiers(server: str, phone: str, count: int) -> tuple[HttpCitizen, list[dict]]:
    """A citizen files dossiers over HTTP; each submission puts a notification in their list."""
    citizen = HttpCitizen(server, phone)
    procedure = citizen.call("GET", f"/api/v1/procedures/{KHAI_SINH}")
    photo = camera_photo()
    dossiers = [citizen.file_dossier(KHAI_SINH, {**complete_answers(procedure), "applicant_phone": phone}, photo)
                for _ in range(count)]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the outbox worker writes them in the background
        # each notice is in the list AND sent by SMS (on by default) before the browser asks for its sign-in
        # code, so that the newest SMS to this phone is that code
        listed = len(citizen.call("GET", "/api/v1/notifications")["items"])
        if listed >= count and sms_count(server, phone) >= 1 + count:
            return citizen, dossiers
        time.sleep(0.2)
    raise AssertionError("the submissions never reached the notification list")


def sms_count(server: str, phone: str) -> int:
    with urllib.request.urlopen(server + "/dev/outbox?limit=200") as reply:  # noqa: S310 - loopback
        return sum(1 for m in json.loads(reply.read())["items"] if m["to"] == phone and m["channel"] == "sms")


def registration_id(page, cdp, server: str) -> str:
    """The id the DevTools Protocol knows the app's service worker registration by (scope = the origin)."""
    seen: dict[str, str] = {}

    def updated(event: dict) -> None:
        for r in event["registrations"]:
            if not r.get("isDeleted"):
                seen[r["scopeURL"]] = r["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", updated)
    cdp.send("ServiceWorker.enable")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(100):
        if server + "/" in seen:
            return seen[server + "/"]
        page.wait_for_timeout(100)
    raise AssertionError(f"no service worker registration for {server}/: {seen}")


def shown_when(page, check, what: str) -> list[dict]:
    for _ in range(50):
        notes = page.evaluate(SHOWN)
        if check(notes):
            return notes
        page.wait_for_timeout(100)
    raise AssertionError(f"{what}: {notes}")


def test_a_push_is_shown_once_per_tag_and_garbage_becomes_the_generic_notice(phone, server):
    phone.grant_permissions(["notifications"], origin=server)
    page = phone.new_page()
    sign_in(page, server, "0975555555")
    page.goto(server + "/thong-bao")
    expect(page.locator("main h1")).to_have_text("Thông báo")
    cdp = phone.new_cdp_session(page)
    registration = registration_id(page, cdp, server)

    def push(data: str) -> None:
        cdp.send("ServiceWorker.deliverPushMessage", {"origin": server, "registrationId": registration, "data": data})

    message = {"id": "evt-1", "title": "Đã nộp hồ sơ H19.23-261126-0001",
               "body": "Đăng ký khai sinh. Hẹn trả kết quả: 17:00 30/11/2026.",
               "url": "/ho-so/abc123", "tag": "evt-1", "lang": "vi", "kind": "citizen"}
    # A busy machine may still be activating the worker when the first push arrives: deliver again (the same tag
    # replaces, so a second delivery cannot make two notifications).
    for _ in range(3):
        push(json.dumps(message))
        try:
            [note] = shown_when(page, lambda n: len(n) == 1, "the push was not shown")
            break
        except AssertionError:
            continue
    else:
        raise AssertionError("the push was never shown")
    assert note["title"] == message["title"]
    assert note["body"] == message["body"]
    assert note["tag"] == "evt-1"
    assert note["data"] == {"url": "/ho-so/abc123", "id": "evt-1"}
    assert note["icon"].endswith("/icons/icon-192.png") and note["badge"].endswith("/icons/badge-72.png")
    assert note["lang"] == "vi"

    # the server delivers at least once: the same tag again replaces the first notification, never a second one
    push(json.dumps({**message, "body": "Gửi lại lần hai"}))
    notes = shown_when(page, lambda n: any(x["body"] == "Gửi lại lần hai" for x in n),
                       "the second delivery was not shown")
    assert len(notes) == 1

    # a payload that is not JSON still shows something readable, in Vietnamese, pointing to the dossiers
    push("\x00garbage{not json")
    notes = shown_when(page, lambda n: len(n) == 2, "the garbage push was not shown")
    generic = next(x for x in notes if x["tag"] != "evt-1")
    assert generic["title"] == "Hồ sơ của bạn có cập nhật mới"
    assert generic["data"]["url"] == "/ho-so"
    assert generic["lang"] == "vi"

    # a push can only point to our own pages
    push(json.dumps({"id": "evt-2", "title": "Lừa đảo", "url": "https://evil.example/", "tag": "evt-2"}))
    notes = shown_when(page, lambda n: len(n) == 3, "the third push was not shown")
    assert next(x for x in notes if x["tag"] == "evt-2")["data"]["url"] == "/ho-so"


def test_the_list_marks_read_and_the_preferences_are_kept(phone, server):
    citizen, dossiers = file_dossiers(server, "0988888888", 2)
    page = phone.new_page()
    sign_in(page, server, "0988888888")
    bell = page.locator("[data-testid=notifications-link]")
    expect(bell).to_have_attribute("data-unread", "2")
    bell.click()
    page.wait_for_url(server + "/thong-bao")
    items = page.locator("[data-testid=notification-item]")
    expect(items).to_have_count(2)
    expect(page.locator("[data-testid=notification-item][data-read=false]")).to_have_count(2)
    # newest first: the second submission's notice is at the top and opens that dossier
    newest = items.first
    expect(newest).to_contain_text(dossiers[1]["code"])
    newest.locator("a").click()
    page.wait_for_url(f"{server}/ho-so/{dossiers[1]['id']}")
    expect(bell).to_have_attribute("data-unread", "1")
    page.go_back()
    page.wait_for_url(server + "/thong-bao")
    expect(page.locator("[data-testid=notification-item][data-read=true]")).to_have_count(1)
    # The page shows them read at once; the server's copy is checked after its POST has answered.
    with page.expect_response(lambda r: r.url.endswith("/api/v1/notifications/read") and r.request.method == "POST"):
        page.click("[data-testid=mark-all-read]")
    expect(page.locator("[data-testid=notification-item][data-read=false]")).to_have_count(0)
    expect(bell).to_have_attribute("data-unread", "0")
    assert not [x for x in citizen.call("GET", "/api/v1/notifications")["items"] if not x["read"]]

    # preferences: SMS off, e-mail on, quiet hours off → saved on the server and shown again after a reload
    page.wait_for_selector("[data-testid=pref-save]")
    expect(page.locator("[data-testid=pref-push]")).to_be_visible()
    page.locator("[data-testid=pref-sms]").set_checked(False)
    page.locator("[data-testid=pref-email]").set_checked(True)
    page.locator("[data-testid=pref-quiet]").set_checked(False)
    page.click("[data-testid=pref-save]")
    expect(page.get_by_text("Đã lưu lựa chọn của bạn.")).to_be_visible()
    prefs = citizen.call("GET", "/api/v1/me/preferences")
    assert prefs["channels"]["sms"] is False and prefs["channels"]["email"] is True and prefs["quiet_hours"] is False
    page.reload()
    expect(page.locator("[data-testid=pref-email]")).to_be_checked()
    expect(page.locator("[data-testid=pref-sms]")).not_to_be_checked()
    expect(page.locator("[data-testid=pref-quiet]")).not_to_be_checked()


def test_the_card_asks_on_a_dossier_and_later_is_remembered(phone, server):
    _, [dossier] = file_dossiers(server, "0999999999", 1)
    page = phone.new_page()
    sign_in(page, server, "0999999999")
    page.goto(f"{server}/ho-so/{dossier['id']}")
    card = page.locator("[data-testid=push-card]")
    expect(card).to_contain_text("Nhận thông báo khi hồ sơ có tiến triển?")
    expect(page.locator("[data-testid=push-enable]")).to_have_text("Bật thông báo")
    page.click("[data-testid=push-later]")
    expect(card).to_have_attribute("data-state", "later")
    page.reload()
    expect(page.locator("[data-testid=status-chip]")).to_be_visible()
    page.wait_for_timeout(500)
    expect(card).to_have_count(0)


def test_notifications_page_has_no_serious_accessibility_violations(browser, server):
    # axe-core is injected as a script, which our CSP rightly forbids: this context bypasses CSP for the check.
    context = browser.new_context(viewport=PHONE_VIEWPORT, bypass_csp=True, locale="vi-VN")
    page = context.new_page()
    sign_in(page, server, "0911111111")
    page.goto(server + "/thong-bao")
    page.wait_for_selector("[data-testid=pref-save]")
    violations = serious_axe_violations(page)
    context.close()
    assert violations == []
