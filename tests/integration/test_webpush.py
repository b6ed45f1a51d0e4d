"""WebPushSender against a local push service that verifies VAPID and decrypts (tests/support/push_service.py):
the round trip, every answer a push service gives, payload trimming, endpoint refusal and key storage."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import py_vapid
import pytest

from motcua.adapters.webpush_sender import (
    MAX_ENCRYPTED_BYTES,
    MAX_PLAINTEXT_BYTES,
    PushTarget,
    VapidKeys,
    WebPushSender,
    check_target,
    encode_payload,
    fit_payload,
    parse_retry_after,
)
from support.push_service import LocalPushService, new_subscription

VIETNAMESE = {
    "title": "Hồ sơ đã được tiếp nhận",
    "body": "Hồ sơ cấp đổi giấy phép lái xe của ông Nguyễn Văn Đức đã được Bộ phận Một cửa phường Trấn Biên tiếp nhận.",
    "tag": "hs-000123",
    "data": {"url": "/ho-so/000123", "buoc": "tiếp nhận"},
}


@pytest.fixture
def service():
    with LocalPushService() as svc:
        yield svc


@pytest.fixture
def keys(tmp_path) -> VapidKeys:
    return VapidKeys.load_or_create(tmp_path / "keys")


@pytest.fixture
def sender(keys):
    with WebPushSender(keys, timeout=5.0) as s:
        yield s


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- round trip -------------------------------------------------------------------------------------------------


def test_round_trip_decrypts_to_the_vietnamese_payload_with_headers_and_verified_vapid(service, sender, keys):
    sub = service.subscribe(application_server_key=keys.public_key_b64url)

    outcome = sender.send(sub.target, VIETNAMESE, ttl=86_400, urgency="high", topic="hs-000123")

    assert outcome.delivered and outcome.status == 201 and not outcome.gone and outcome.retry_after is None
    assert not outcome.retryable
    [got] = service.received
    assert got.payload == VIETNAMESE
    assert got.plaintext == json.dumps(VIETNAMESE, ensure_ascii=False, separators=(",", ":")).encode()
    assert got.headers["ttl"] == "86400"
    assert got.headers["urgency"] == "high"
    assert got.headers["topic"] == "hs-000123"
    assert got.headers["content-encoding"] == "aes128gcm"
    assert got.vapid_key == keys.public_key_b64url  # checked by the service too (403 otherwise)
    assert got.claims["aud"] == service.origin
    assert got.claims["sub"] == "mailto:1022@dongnai.gov.vn"
    assert service.rejected == []


def test_defaults_send_normal_urgency_and_no_topic(service, sender):
    sub = service.subscribe()
    assert sender.send(sub.target, {"title": "Xin chào"}, ttl=0).delivered
    [got] = service.received
    assert got.headers["ttl"] == "0" and got.headers["urgency"] == "normal" and "topic" not in got.headers


def test_a_sender_keeps_its_connection_alive(service, sender):
    sub = service.subscribe()
    for _ in range(5):
        assert sender.send(sub.target, VIETNAMESE, ttl=60).delivered
    assert service.connections == 1


def test_one_sender_is_safe_to_share_between_threads(service, sender):
    subs = [service.subscribe() for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda n: sender.send(subs[n % 4].target, {"n": n}, ttl=60), range(60)))
    assert all(o.delivered for o in outcomes)
    assert sorted(r.payload["n"] for r in service.received) == list(range(60))
    assert service.connections <= 4  # one keep-alive connection per concurrent sender, not per message


# -- what the push service answers ------------------------------------------------------------------------------


def test_410_means_gone(service, sender):
    sub = service.subscribe()
    service.respond(sub.id, 410)
    outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert (outcome.status, outcome.gone, outcome.delivered, outcome.retryable) == (410, True, False, False)


def test_404_means_gone(service, sender):
    sub = service.subscribe()
    service.forget(sub.id)  # the service no longer knows it: an expired subscription
    outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert (outcome.status, outcome.gone, outcome.delivered) == (404, True, False)


def test_429_gives_retry_after_in_seconds(service, sender):
    sub = service.subscribe()
    service.respond(sub.id, 429, retry_after="120", times=1)
    outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert (outcome.status, outcome.retry_after, outcome.retryable, outcome.gone) == (429, 120.0, True, False)
    assert sender.send(sub.target, VIETNAMESE, ttl=60).delivered  # the scripted answer was used up


def test_retry_after_as_an_http_date(service, sender):
    sub = service.subscribe()
    service.respond(sub.id, 503, retry_after="Wed, 21 Oct 2099 07:28:00 GMT")
    outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert outcome.status == 503 and outcome.retryable and outcome.retry_after is not None
    assert outcome.retry_after > 365 * 86_400


def test_500_once_is_retryable_then_delivered(service, sender):
    sub = service.subscribe()
    service.respond(sub.id, 500, times=1)
    first = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert (first.status, first.retryable, first.retry_after) == (500, True, None)
    assert not first.delivered and not first.gone
    assert sender.send(sub.target, VIETNAMESE, ttl=60).delivered
    assert len(service.received) == 1


def test_network_error_is_retryable_not_raised(sender):
    sub = new_subscription(f"http://127.0.0.1:{closed_port()}/push/abc")
    outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert (outcome.status, outcome.retryable, outcome.delivered, outcome.gone) == (0, True, False, False)


def test_a_push_service_that_never_answers_times_out_as_retryable(keys):
    with socket.socket() as listener:  # accepts connections (backlog) but never reads or answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        sub = new_subscription(f"http://127.0.0.1:{listener.getsockname()[1]}/push/abc")
        with WebPushSender(keys, timeout=0.3) as sender:
            outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert outcome.status == 0 and outcome.retryable


def test_a_redirect_is_not_followed(service, sender):
    # Following it would let an attacker's endpoint steer the server to a host check_target refused.
    sub, elsewhere = service.subscribe(), service.subscribe()
    service.respond(sub.id, 307, headers={"Location": elsewhere.target.endpoint})
    outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert (outcome.status, outcome.delivered, outcome.gone, outcome.retryable) == (307, False, False, False)
    assert service.received == []


def test_a_subscription_bound_to_another_vapid_key_is_refused_403_not_gone(service, sender):
    sub = service.subscribe(application_server_key=VapidKeys.generate().public_key_b64url)
    outcome = sender.send(sub.target, VIETNAMESE, ttl=60)
    assert (outcome.status, outcome.delivered, outcome.gone, outcome.retryable) == (403, False, False, False)


# -- pywebpush pitfalls -----------------------------------------------------------------------------------------


def test_claims_are_fresh_per_call_across_push_services(sender):
    # webpush() writes `aud` into the claims dict it is handed: sharing one would sign service A's origin for B.
    with LocalPushService() as a, LocalPushService() as b:
        sub_a, sub_b = a.subscribe(), b.subscribe()
        outcomes = [sender.send(s.target, VIETNAMESE, ttl=60) for s in (sub_a, sub_b, sub_a, sub_b)]
        assert all(o.delivered for o in outcomes), (a.rejected, b.rejected)
        assert [r.claims["aud"] for r in a.received] == [a.origin, a.origin]
        assert [r.claims["aud"] for r in b.received] == [b.origin, b.origin]


def test_the_pem_is_not_read_again_after_loading(tmp_path, service, monkeypatch):
    keys = VapidKeys.load_or_create(tmp_path)
    (tmp_path / "vapid_private.pem").unlink()

    def no_reload(*args, **kwargs):
        raise AssertionError("the VAPID key was loaded again")

    for name in ("from_file", "from_pem", "from_der", "from_string", "from_raw"):
        monkeypatch.setattr(py_vapid.Vapid01, name, classmethod(no_reload))
    sub = service.subscribe(application_server_key=keys.public_key_b64url)
    with WebPushSender(keys) as sender:
        assert sender.send(sub.target, VIETNAMESE, ttl=60).delivered
        assert sender.send(sub.target, VIETNAMESE, ttl=60).delivered
    assert not (tmp_path / "vapid_private.pem").exists()


# -- payload size -----------------------------------------------------------------------------------------------


def test_a_payload_too_big_is_trimmed_and_still_decrypts(service, sender):
    sub = service.subscribe()
    big = {
        "title": "Kết quả giải quyết hồ sơ",
        "body": "Hồ sơ của bạn đã được phê duyệt và trả kết quả. " * 200,  # ~10 kB of UTF-8
        "icon": "/icons/192.png",
        "image": "/img/" + "x" * 300,
        "tag": "hs-000124",
        "data": {"url": "/ho-so/000124"},
    }
    outcome = sender.send(sub.target, big, ttl=60)
    assert outcome.delivered
    [got] = service.received
    assert got.body_size <= MAX_ENCRYPTED_BYTES
    assert got.payload["title"] == big["title"] and got.payload["tag"] == "hs-000124"
    assert got.payload["data"] == {"url": "/ho-so/000124"}  # kept: only decorations and the body's tail went
    assert "icon" not in got.payload and "image" not in got.payload
    assert got.payload["body"].endswith("…") and big["body"].startswith(got.payload["body"][:-1])
    assert len(got.plaintext) > MAX_PLAINTEXT_BYTES - 100  # trimmed to fit, not to nothing
    assert big["icon"] == "/icons/192.png"  # the caller's dict is untouched


def test_exactly_the_plaintext_limit_fills_the_4096_byte_record(service, sender):
    sub = service.subscribe()
    overhead = len(encode_payload({"title": ""}))
    payload = {"title": "a" * (MAX_PLAINTEXT_BYTES - overhead)}
    assert len(encode_payload(payload)) == MAX_PLAINTEXT_BYTES
    assert sender.send(sub.target, payload, ttl=60).delivered
    assert service.received[0].body_size == MAX_ENCRYPTED_BYTES
    assert fit_payload(payload) == (encode_payload(payload), [])


def test_trimming_order_drops_data_only_when_no_body_fits_then_the_body():
    huge_data = {"title": "T", "body": "Nội dung", "data": {"blob": "y" * 4000}}
    data, changed = fit_payload(huge_data)
    assert changed == ["data"] and json.loads(data) == {"title": "T", "body": "Nội dung"}
    nothing_but_title = {"title": "ệ" * 1325, "body": "Nội dung dài"}  # 3975 bytes: not even "N…" fits beside it
    data, changed = fit_payload(nothing_but_title)
    assert changed == ["body"] and json.loads(data) == {"title": "ệ" * 1325}


def test_a_decomposed_accent_is_not_split_when_the_body_is_cut():
    body = "Nguye\u0302\u0303n " * 700  # NFD: e + circumflex + tilde
    data, changed = fit_payload({"title": "T", "body": body})
    assert changed == ["body…"]
    cut = json.loads(data)["body"][:-1]
    assert not cut.endswith("e") and not cut.endswith("\u0302")


def test_a_payload_that_cannot_fit_is_a_value_error(service, sender):
    sub = service.subscribe()
    with pytest.raises(ValueError, match="does not fit"):
        sender.send(sub.target, {"title": "Đ" * 3000}, ttl=60)
    assert service.received == [] and service.rejected == []


# -- refusing endpoints and options -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # plain http to a real host
        "ftp://fcm.googleapis.com/x",
        "file:///etc/passwd",
        "https://10.0.0.5/push",
        "https://192.168.1.1/push",
        "https://172.16.0.1/push",
        "https://100.64.0.1/push",  # carrier-grade NAT
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://0.0.0.0/push",
        "https://[fe80::1]/push",
        "https://[fd00::1]/push",
        "https://[::ffff:10.0.0.1]/push",  # IPv4-mapped
        "https://[64:ff9b::a00:1]/push",  # NAT64 of 10.0.0.1
        "https://167772161/push",  # 10.0.0.1 as one integer
        "https://0x0a000001/push",
        "https://10.1/push",  # inet_aton shorthand for 10.0.0.1
        "https://intranet/push",  # single-label name
        "https://user@fcm.googleapis.com/push",
        "https://evil.example\\@10.0.0.1/push",
        " https://fcm.googleapis.com/x",
        "https://fcm.googleapis.com/x\r\nX-Injected: 1",
        "https://xn--80ak6aa92e.com%2f@10.0.0.1/x",
        "https://đồngnai.vn/push",
        "https:///push",
        "https://fcm.googleapis.com:99999/x",
        "",
    ],
)
def test_endpoints_that_are_not_public_https_are_refused(sender, endpoint):
    target = new_subscription("https://push.example.com/push/x").target
    bad = PushTarget(endpoint=endpoint, p256dh=target.p256dh, auth=target.auth)
    with pytest.raises(ValueError):
        sender.send(bad, VIETNAMESE, ttl=60)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH-abc_DEF",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABl-x_y",
        "https://web.push.apple.com/QGuQyavXutnMH_abc",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD%2bk3%3d",
        "https://8.8.8.8/push",  # a public IP literal is not refused
        "https://FCM.googleapis.com:443/fcm/send/x",
    ],
)
def test_real_push_service_endpoints_pass(endpoint):
    target = new_subscription("https://push.example.com/push/x").target
    origin = check_target(PushTarget(endpoint=endpoint, p256dh=target.p256dh, auth=target.auth))
    assert origin.startswith("https://") and ":443" not in origin and origin == origin.lower()


def test_post_alone_refuses_a_private_endpoint_too(sender):
    with pytest.raises(ValueError):
        sender.post("https://10.0.0.1/push", {"TTL": "60"}, b"x")


def test_loopback_can_be_refused_for_production(service, keys):
    sub = service.subscribe()
    with WebPushSender(keys, allow_loopback=False) as sender, pytest.raises(ValueError, match="this machine"):
        sender.send(sub.target, VIETNAMESE, ttl=60)
    assert service.connections == 0


@pytest.mark.parametrize(
    ("p256dh", "auth"),
    [("AAAA", None), (None, "AAAA"), ("not base64!", None), ("B" + "A" * 86, None)],  # last: 0x04… not on curve
)
def test_bad_subscription_keys_are_refused(sender, p256dh, auth):
    good = new_subscription("https://push.example.com/push/x").target
    bad = PushTarget(endpoint=good.endpoint, p256dh=p256dh or good.p256dh, auth=auth or good.auth)
    with pytest.raises(ValueError):
        sender.send(bad, VIETNAMESE, ttl=60)


@pytest.mark.parametrize(
    "options",
    [
        {"ttl": -1},
        {"ttl": 1.5},
        {"ttl": True},
        {"ttl": 60, "urgency": "urgent"},
        {"ttl": 60, "topic": "x" * 33},
        {"ttl": 60, "topic": "hồ-sơ"},
        {"ttl": 60, "topic": "a/b"},
        {"ttl": 60, "topic": ""},
    ],
)
def test_bad_options_are_refused(service, sender, options):
    sub = service.subscribe()
    with pytest.raises(ValueError):
        sender.send(sub.target, VIETNAMESE, **options)
    assert service.connections == 0


def test_a_subject_py_vapid_would_refuse_is_caught_at_construction(keys):
    with pytest.raises(ValueError, match="subject"):
        WebPushSender(keys, subject="1022@dongnai.gov.vn")
    WebPushSender(keys, subject="https://dichvucong.dongnai.gov.vn")


def test_parse_retry_after():
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == 30.0
    assert parse_retry_after("Thu, 26 Nov 2026 07:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Thu, 26 Nov 2026 06:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


# -- VAPID keys -------------------------------------------------------------------------------------------------


def test_keys_are_created_once_with_mode_0600_and_reused(tmp_path):
    first = VapidKeys.load_or_create(tmp_path / "var")
    path = tmp_path / "var" / "vapid_private.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    before = path.read_bytes()
    second = VapidKeys.load_or_create(tmp_path / "var")
    assert second.public_key_b64url == first.public_key_b64url
    assert path.read_bytes() == before
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["vapid_private.pem"]  # no temporary left over


def test_concurrent_first_use_agrees_on_one_key(tmp_path):
    barrier = threading.Barrier(8)

    def load(_: int) -> str:
        barrier.wait()
        return VapidKeys.load_or_create(tmp_path).public_key_b64url

    with ThreadPoolExecutor(8) as pool:
        assert len(set(pool.map(load, range(8)))) == 1


def test_public_key_is_what_pushmanager_subscribe_takes(keys):
    raw = keys.public_key_b64url
    assert "=" not in raw and len(raw) == 87  # 65 bytes, unpadded base64url
    assert VapidKeys.from_pem(keys.private_pem).public_key_b64url == raw


def test_keys_from_an_environment_pem(keys):
    from_env = keys.private_pem.decode() + "\n"  # as an env var typically holds it
    assert VapidKeys.from_pem(from_env).public_key_b64url == keys.public_key_b64url
    with pytest.raises(ValueError):
        VapidKeys.from_pem(b"-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")
