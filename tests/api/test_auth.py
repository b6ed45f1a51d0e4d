"""Citizen sign-in by phone + one-time code, sessions and CSRF."""

from conftest import ApiClient, latest_code


def test_sign_in_with_a_code_sent_by_sms(api):
    assert api.post("/api/v1/auth/otp", json={"phone": "+84 912 345 678"}).status_code == 202
    sms = api.get("/dev/outbox").get_json()["items"][0]
    assert sms["channel"] == "sms" and sms["to"] == "0912345678"
    assert sms["body"].isascii() and len(sms["body"]) <= 160  # Vietnamese SMS practice: no diacritics, 1 segment
    reply = api.post("/api/v1/auth/verify", json={"phone": "0912345678", "code": latest_code(api.client, "0912345678")})
    assert reply.status_code == 200
    assert reply.get_json()["user"]["phone"] == "0912345678"
    cookie = reply.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookie if c.startswith("motcua_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert api.get("/api/v1/auth/session").get_json()["user"]["phone"] == "0912345678"


def test_the_code_is_stored_hashed_never_in_clear(api, container):
    api.post("/api/v1/auth/otp", json={"phone": "0912345678"})
    code = latest_code(api.client, "0912345678")
    with container.uow(readonly=True) as uow:
        stored = uow.otps.get("0912345678")
    assert code not in stored.code_hash and len(stored.code_hash) == 64


def test_wrong_code_counts_and_locks_after_five_tries(api):
    api.post("/api/v1/auth/otp", json={"phone": "0912345678"})
    right = latest_code(api.client, "0912345678")
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        reply = api.post("/api/v1/auth/verify", json={"phone": "0912345678", "code": wrong})
        assert reply.status_code == 401 and reply.get_json()["error"]["code"] == "wrong_code"
        assert f"Còn {left} lần thử" in reply.get_json()["error"]["message"]
    locked = api.post("/api/v1/auth/verify", json={"phone": "0912345678", "code": right})
    assert locked.status_code == 401 and locked.get_json()["error"]["code"] == "code_expired"


def test_code_expires_after_five_minutes(api, clock):
    api.post("/api/v1/auth/otp", json={"phone": "0912345678"})
    code = latest_code(api.client, "0912345678")
    clock.advance(minutes=5, seconds=1)
    reply = api.post("/api/v1/auth/verify", json={"phone": "0912345678", "code": code})
    assert reply.status_code == 401 and reply.get_json()["error"]["code"] == "code_expired"


def test_a_code_works_only_once(api):
    api.post("/api/v1/auth/otp", json={"phone": "0912345678"})
    code = latest_code(api.client, "0912345678")
    assert api.post("/api/v1/auth/verify", json={"phone": "0912345678", "code": code}).status_code == 200
    again = ApiClient(api.client.application.test_client())
    assert again.post("/api/v1/auth/verify", json={"phone": "0912345678", "code": code}).status_code == 401


def test_resend_is_throttled_to_once_a_minute_and_five_an_hour(api, clock):
    assert api.post("/api/v1/auth/otp", json={"phone": "0912345678"}).status_code == 202
    too_soon = api.post("/api/v1/auth/otp", json={"phone": "0912345678"})
    assert too_soon.status_code == 429 and int(too_soon.headers["Retry-After"]) > 0
    for _ in range(4):
        clock.advance(seconds=61)
        assert api.post("/api/v1/auth/otp", json={"phone": "0912345678"}).status_code == 202
    clock.advance(seconds=61)
    assert api.post("/api/v1/auth/otp", json={"phone": "0912345678"}).status_code == 429
    clock.advance(hours=1)
    assert api.post("/api/v1/auth/otp", json={"phone": "0912345678"}).status_code == 202


def test_bad_phone_numbers_get_a_vietnamese_message_naming_the_field(api):
    for bad in ["123", "", None, 912345678, "<script>", "0" * 500]:
        reply = api.post("/api/v1/auth/otp", json={"phone": bad})
        assert reply.status_code == 422
        assert reply.get_json()["error"]["fields"]["phone"].startswith("Số điện thoại")


def test_state_changing_requests_need_the_csrf_token(api):
    reply = api.client.post("/api/v1/auth/otp", json={"phone": "0912345678"})
    assert reply.status_code == 403 and reply.get_json()["error"]["code"] == "csrf_failed"
    forged = api.client.post("/api/v1/auth/otp", json={"phone": "0912345678"}, headers={"X-CSRF-Token": "a.b"})
    assert forged.status_code == 403


def test_cross_site_requests_are_refused_even_with_a_token(api):
    reply = api.post("/api/v1/auth/otp", json={"phone": "0912345678"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert reply.status_code == 403


def test_the_csrf_token_changes_with_the_session(citizen):
    # The anonymous token must not work once signed in (it is bound to the session cookie).
    anonymous = ApiClient(citizen.client.application.test_client())
    reply = citizen.client.post("/api/v1/dossiers", json={"procedure_code": "1.001193"},
                                headers={"X-CSRF-Token": anonymous.csrf})
    assert reply.status_code == 403


def test_sign_out_ends_the_session(citizen):
    assert citizen.post("/api/v1/auth/logout").status_code == 204
    assert citizen.get("/api/v1/auth/session").get_json()["user"] is None
    assert citizen.get("/api/v1/dossiers").status_code == 401


def test_expired_sessions_codes_and_idempotency_records_are_purged(citizen, container, clock):
    from motcua.services.housekeeping import HousekeepingService

    citizen.post("/api/v1/dossiers", json={"procedure_code": "1.001193"}, headers={"Idempotency-Key": "purge-me-1"})
    clock.advance(days=31)  # past the 30-day session and the one-day idempotency window
    removed = HousekeepingService(container.uow, container.clock).run()
    assert removed["sessions"] == 1 and removed["idempotency_keys"] == 1 and removed["otp_challenges"] == 0
    assert citizen.get("/api/v1/dossiers").status_code == 401  # the session is gone (it had expired anyway)
