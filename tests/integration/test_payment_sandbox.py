"""The sandbox gateway over real HTTP: the VNPay adapter pays through it, a merchant stub receives its IPNs.

Both servers are werkzeug servers on free loopback ports in threads. The merchant stub answers IPNs the way the app
must (verify with the adapter, 97 for a bad signature, 00 the first time, 02 afterwards) and records when each
request started and ended, so concurrency and delays can be checked.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from motcua.adapters import vnpay
from motcua.adapters.vnpay import (
    GatewayError,
    InvalidSignature,
    MalformedCallback,
    VnpayClient,
    VnpayConfig,
    parse_callback,
    payment_url,
)
from motcua.payment_sandbox import SandboxSettings, create_app

TMN, SECRET = "MOTCUA01", "integration-secret-0123456789"


class MerchantStub:
    """The merchant's IPN endpoint, minimal but honest about idempotency."""

    def __init__(self, config: VnpayConfig) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.hold = 0.0  # seconds each IPN is held, to make overlapping requests observable
        self.clear()

    def clear(self) -> None:
        with self.lock:
            self.received: list[dict] = []
            self.settled: set[str] = set()

    @Request.application
    def __call__(self, request: Request) -> Response:
        started = time.monotonic()
        time.sleep(self.hold)
        try:
            result = parse_callback(request.args, self.config)
        except InvalidSignature:
            code, result = "97", None
        except MalformedCallback:
            code, result = "99", None
        else:
            with self.lock:
                code = "02" if result.txn_ref in self.settled else "00"
                self.settled.add(result.txn_ref)
        with self.lock:
            self.received.append({"result": result, "code": code, "started": started, "ended": time.monotonic()})
        return Response(f'{{"RspCode":"{code}","Message":"ok"}}', content_type="application/json")


def serve(app) -> tuple[str, object]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


@pytest.fixture(scope="module")
def servers():
    stub_config = VnpayConfig(TMN, SECRET, "", "", "")
    stub = MerchantStub(stub_config)
    merchant_base, merchant_server = serve(stub)
    sandbox_app = create_app(SandboxSettings(tmn_code=TMN, hash_secret=SECRET, ipn_url=f"{merchant_base}/ipn",
                                             merchant_name="UBND xã Tân Phú", ipn_timeout=5))
    sandbox_base, sandbox_server = serve(sandbox_app)
    config = VnpayConfig(tmn_code=TMN, hash_secret=SECRET, pay_url=f"{sandbox_base}/paymentv2/vpcpay.html",
                         api_url=f"{sandbox_base}/merchant_webapi/api/transaction",
                         return_url=f"{merchant_base}/api/v1/payments/vnpay/return?lang=vi")
    yield sandbox_base, stub, config
    sandbox_server.shutdown()
    merchant_server.shutdown()


@pytest.fixture
def gateway(servers):
    base, stub, _ = servers
    assert requests.post(f"{base}/sandbox/reset", timeout=5).ok
    stub.clear()
    stub.hold = 0.0
    return servers


def new_ref() -> str:
    return f"H19.23-261126-{uuid.uuid4().hex[:8]}"


def open_page(config: VnpayConfig, txn_ref: str, *, amount: int = 100_000,
              order_info: str = "Lệ phí đăng ký khai sinh", created: datetime | None = None) -> requests.Response:
    created = created or datetime.now(UTC)
    url = payment_url(config, txn_ref=txn_ref, amount_vnd=amount, order_info=order_info, ip="113.161.1.2",
                      created_at=created, expire_at=created + timedelta(minutes=15))
    return requests.get(url, timeout=5)


def choose(base: str, page: requests.Response, outcome: str = "success", bank: str = "NCB") -> requests.Response:
    token = re.search(r'name="session" value="([^"]+)"', page.text).group(1)
    return requests.post(f"{base}/paymentv2/confirm", data={"session": token, "outcome": outcome, "bank": bank},
                         allow_redirects=False, timeout=15)


def pay(gateway, outcome: str = "success", bank: str = "NCB", **kwargs) -> tuple[str, requests.Response]:
    base, _, config = gateway
    txn_ref = new_ref()
    page = open_page(config, txn_ref, **kwargs)
    assert page.status_code == 200, page.text
    return txn_ref, choose(base, page, outcome, bank)


def returned(config: VnpayConfig, redirect: requests.Response) -> vnpay.VnpayResult:
    assert redirect.status_code == 302
    location = redirect.headers["Location"]
    assert location.startswith(config.return_url + "&")  # the merchant's own "?lang=vi" is kept
    return parse_callback(dict(parse_qsl(urlsplit(location).query)), config)


def ipn_log(base: str, txn_ref: str) -> list[dict]:
    return requests.get(f"{base}/sandbox/ipn-log", params={"txn_ref": txn_ref}, timeout=5).json()["entries"]


def set_switches(base: str, **switches) -> dict:
    answer = requests.post(f"{base}/sandbox/switches", json=switches, timeout=5)
    assert answer.ok, answer.text
    return answer.json()


# ---- the payment page --------------------------------------------------------------------------------------------

def test_the_page_shows_merchant_amount_and_order_info_under_a_strict_csp(gateway):
    base, _, config = gateway
    page = open_page(config, "H19.23-261126-0001-1", amount=100_000)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    html = page.text
    assert '<html lang="vi">' in html and 'name="viewport"' in html
    assert "100.000 ₫" in html and "UBND xã Tân Phú" in html and "Lệ phí đăng ký khai sinh" in html
    for testid in ("sandbox-pay-success", "sandbox-pay-fail", "sandbox-pay-cancel", "sandbox-bank"):
        assert f'data-testid="{testid}"' in html
    for label in ("Thanh toán thành công", "Thanh toán thất bại (số dư không đủ)", "Hủy giao dịch", "Vietcombank",
                  "VietinBank", "BIDV", "Agribank", "VNPAY QR", "NCB"):
        assert label in html
    assert "<script" not in html and " style=" not in html and "<style" not in html
    assert not re.search(r'(src|href|action)="(https?:)?//', html)  # no external assets
    css = requests.get(f"{base}/paymentv2/sandbox.css", timeout=5)
    assert css.headers["Content-Type"].startswith("text/css") and "max-width:360px" in css.text


def test_a_tampered_payment_url_gets_a_vietnamese_signature_error(gateway):
    _, _, config = gateway
    created = datetime.now(UTC)
    url = payment_url(config, txn_ref=new_ref(), amount_vnd=100_000, order_info="Le phi", ip="10.0.0.1",
                      created_at=created, expire_at=created + timedelta(minutes=15))
    page = requests.get(url.replace("vnp_Amount=10000000", "vnp_Amount=100000"), timeout=5)
    assert page.status_code == 400
    assert "Sai chữ ký" in page.text and 'data-reason="signature"' in page.text


def test_another_terminal_and_an_expired_link_are_refused(gateway):
    base, _, config = gateway
    other = VnpayConfig("OTHER001", SECRET, config.pay_url, config.api_url, config.return_url)
    assert 'data-reason="merchant"' in open_page(other, new_ref()).text
    stale = datetime.now(UTC) - timedelta(hours=1)
    expired = open_page(config, new_ref(), created=stale)
    assert expired.status_code == 400 and "quá thời gian chờ thanh toán" in expired.text
    set_switches(base, enforce_expiry=False)  # for a merchant running on a frozen clock
    assert open_page(config, new_ref(), created=stale).status_code == 200


def test_a_page_session_can_be_used_once(gateway):
    base, _, config = gateway
    page = open_page(config, new_ref())
    assert choose(base, page).status_code == 302
    again = choose(base, page)
    assert again.status_code == 400 and 'data-reason="session"' in again.text


# ---- result, return URL and IPN ----------------------------------------------------------------------------------

def test_success_redirects_with_a_signed_result_and_the_ipn_verifies(gateway):
    base, stub, config = gateway
    txn_ref, redirect = pay(gateway, bank="VIETCOMBANK")
    result = returned(config, redirect)
    assert result.success and result.txn_ref == txn_ref and result.amount_vnd == 100_000
    assert result.bank_code == "VIETCOMBANK" and result.transaction_no.isdigit() and result.pay_date is not None
    [entry] = ipn_log(base, txn_ref)
    assert entry["kind"] == "result" and entry["status"] == 200 and entry["response"]["RspCode"] == "00"
    [received] = stub.received
    assert received["result"] == result  # the IPN and the return URL say the same thing


@pytest.mark.parametrize(("outcome", "code"), [("fail", "51"), ("cancel", "24")])
def test_failure_and_cancel_are_signed_and_not_success(gateway, outcome, code):
    _, stub, config = gateway
    _, redirect = pay(gateway, outcome)
    result = returned(config, redirect)
    assert not result.success and result.response_code == code and result.transaction_status == "02"
    assert stub.received[0]["result"] == result
    if outcome == "cancel":
        assert result.transaction_no == "0"


def test_duplicate_sends_three_ipns_two_of_them_at_once(gateway):
    base, stub, config = gateway
    set_switches(base, ipn="duplicate")
    stub.hold = 0.3
    txn_ref, redirect = pay(gateway)
    assert returned(config, redirect).success
    entries = ipn_log(base, txn_ref)
    assert [e["kind"] for e in entries] == ["duplicate"] * 3
    assert sorted(e["response"]["RspCode"] for e in entries) == ["00", "02", "02"]
    spans = sorted((r["started"], r["ended"]) for r in stub.received)
    assert spans[1][0] < spans[0][1]  # the second began before the first was answered


def test_missing_sends_nothing_and_querydr_tells_the_truth(gateway):
    base, stub, config = gateway
    set_switches(base, ipn="missing")
    created = datetime.now(UTC)
    txn_ref = new_ref()
    redirect = choose(base, open_page(config, txn_ref, created=created))
    assert returned(config, redirect).success
    time.sleep(0.2)
    assert ipn_log(base, txn_ref) == [] and stub.received == []
    found = VnpayClient(config).query(txn_ref=txn_ref, created_at=created, ip="10.0.0.5")
    assert found.found and found.success and found.amount_vnd == 100_000 and found.transaction_status == "00"


def test_delayed_sends_after_the_redirect(gateway):
    base, stub, config = gateway
    set_switches(base, ipn="delayed", ipn_delay_seconds=0.8)
    started = time.monotonic()
    txn_ref, redirect = pay(gateway)
    assert returned(config, redirect).success
    assert ipn_log(base, txn_ref) == []  # the citizen is back before the gateway confirms
    deadline = time.monotonic() + 10
    while not ipn_log(base, txn_ref) and time.monotonic() < deadline:
        time.sleep(0.05)
    [entry] = ipn_log(base, txn_ref)
    assert entry["kind"] == "delayed" and entry["response"]["RspCode"] == "00"
    assert stub.received[0]["started"] - started >= 0.7


def test_tamper_sends_a_forged_success_first_which_the_merchant_refuses(gateway):
    base, stub, config = gateway
    set_switches(base, tamper=True)
    txn_ref, redirect = pay(gateway, "fail")
    assert not returned(config, redirect).success
    forged, real = ipn_log(base, txn_ref)
    assert forged["forged"] and forged["params"]["vnp_ResponseCode"] == "00" and forged["response"]["RspCode"] == "97"
    assert real["kind"] == "result" and real["response"]["RspCode"] == "00"
    with pytest.raises(InvalidSignature):
        parse_callback(dict(parse_qsl(urlsplit(forged["url"]).query)), config)


def test_reorder_sends_a_stale_signed_failure_after_the_success(gateway):
    base, _, config = gateway
    set_switches(base, ipn="reorder")
    txn_ref, redirect = pay(gateway)
    success = returned(config, redirect)
    first, stale = ipn_log(base, txn_ref)
    assert (first["kind"], stale["kind"]) == ("result", "stale")
    late = parse_callback(dict(parse_qsl(urlsplit(stale["url"]).query)), config)
    assert not late.success and late.txn_ref == txn_ref and late.pay_date < success.pay_date
    assert stale["response"]["RspCode"] == "02"  # the stub keeps the success, as the app must


def test_resend_is_a_gateway_retry(gateway):
    base, _, _ = gateway
    txn_ref, _ = pay(gateway)
    again = requests.post(f"{base}/sandbox/resend-ipn", json={"txn_ref": txn_ref}, timeout=5).json()
    assert again["kind"] == "resend" and again["response"]["RspCode"] == "02"
    assert requests.post(f"{base}/sandbox/resend-ipn", json={"txn_ref": "nope"}, timeout=5).status_code == 404


def test_switches_are_validated_read_and_reset(gateway):
    base, _, _ = gateway
    assert requests.post(f"{base}/sandbox/switches", json={"ipn": "sometimes"}, timeout=5).status_code == 400
    assert requests.post(f"{base}/sandbox/switches", json={"ipn_delay_seconds": -1}, timeout=5).status_code == 400
    assert requests.post(f"{base}/sandbox/switches", json={"colour": "red"}, timeout=5).status_code == 400
    assert set_switches(base, ipn="reorder", tamper=True)["ipn"] == "reorder"
    assert requests.get(f"{base}/sandbox/switches", timeout=5).json()["tamper"] is True
    assert requests.post(f"{base}/sandbox/reset", timeout=5).json() == {
        "ipn": "normal", "ipn_delay_seconds": 3.0, "tamper": False, "enforce_expiry": True}


# ---- query and refund API ----------------------------------------------------------------------------------------

def paid(gateway) -> tuple[str, datetime, vnpay.VnpayResult]:
    base, _, config = gateway
    created, txn_ref = datetime.now(UTC), new_ref()
    result = returned(config, choose(base, open_page(config, txn_ref, created=created)))
    return txn_ref, created, result


def test_querydr_of_an_unknown_or_unfinished_order(gateway):
    _, _, config = gateway
    client = VnpayClient(config)
    assert not client.query(txn_ref=new_ref(), created_at=datetime.now(UTC), ip="10.0.0.5").found
    created, txn_ref = datetime.now(UTC), new_ref()
    open_page(config, txn_ref, created=created)  # opened, never paid
    pending = client.query(txn_ref=txn_ref, created_at=created, ip="10.0.0.5")
    assert pending.found and not pending.success and pending.transaction_status == "01"
    # The date is how VNPay finds the order: another date is another (unknown) order.
    assert not client.query(txn_ref=txn_ref, created_at=created + timedelta(seconds=1), ip="10.0.0.5").found


def test_querydr_answers_the_paid_details(gateway):
    _, _, config = gateway
    txn_ref, created, result = paid(gateway)
    found = VnpayClient(config).query(txn_ref=txn_ref, created_at=created, ip="10.0.0.5")
    assert (found.transaction_no, found.pay_date, found.amount_vnd) == (result.transaction_no, result.pay_date,
                                                                          100_000)


def test_a_full_refund_is_accepted_once(gateway):
    _, _, config = gateway
    txn_ref, created, result = paid(gateway)
    client = VnpayClient(config)
    kwargs = dict(txn_ref=txn_ref, amount_vnd=100_000, transaction_no=result.transaction_no,
                  transaction_date=created, created_by="canbo.mc", ip="10.0.0.5")
    assert client.refund(**kwargs).ok
    again = client.refund(**kwargs)
    assert not again.ok and again.response_code == "04"


def test_partial_refunds_up_to_the_amount(gateway):
    _, _, config = gateway
    txn_ref, created, result = paid(gateway)
    client = VnpayClient(config)

    def refund(amount: int) -> vnpay.VnpayRefundResult:
        return client.refund(txn_ref=txn_ref, amount_vnd=amount, transaction_no=result.transaction_no,
                             transaction_date=created, created_by="canbo.mc", ip="10.0.0.5", full=False)

    assert refund(60_000).ok
    assert refund(50_000).response_code == "93"
    assert refund(40_000).ok


def test_a_failed_payment_cannot_be_refunded(gateway):
    base, _, config = gateway
    created, txn_ref = datetime.now(UTC), new_ref()
    result = returned(config, choose(base, open_page(config, txn_ref, created=created), "fail"))
    answer = VnpayClient(config).refund(txn_ref=txn_ref, amount_vnd=100_000, transaction_no=result.transaction_no,
                                        transaction_date=created, created_by="canbo", ip="10.0.0.5")
    assert answer.response_code == "95"


def test_a_request_with_a_bad_hash_is_refused(gateway):
    base, _, config = gateway
    txn_ref, created, _ = paid(gateway)
    body = {"vnp_RequestId": uuid.uuid4().hex, "vnp_Version": "2.1.0", "vnp_Command": "querydr", "vnp_TmnCode": TMN,
            "vnp_TxnRef": txn_ref, "vnp_OrderInfo": "Truy van", "vnp_TransactionDate": vnpay.format_date(created),
            "vnp_CreateDate": vnpay.format_date(datetime.now(UTC)), "vnp_IpAddr": "10.0.0.5"}
    body["vnp_SecureHash"] = vnpay.sign_fields(body, vnpay.QUERY_REQUEST_FIELDS, "not-the-secret")
    answer = requests.post(config.api_url, json=body, timeout=5).json()
    assert answer["vnp_ResponseCode"] == "97" and "vnp_Amount" not in answer
    assert answer["vnp_SecureHash"] == vnpay.sign_fields(answer, vnpay.QUERY_RESPONSE_FIELDS, SECRET)
    # A merchant configured with the wrong secret cannot trust the answer either.
    wrong = VnpayConfig(TMN, "not-the-secret", config.pay_url, config.api_url, config.return_url)
    with pytest.raises(GatewayError):
        VnpayClient(wrong).query(txn_ref=txn_ref, created_at=created, ip="10.0.0.5")


def test_a_repeated_request_id_is_94(gateway):
    _, _, config = gateway
    txn_ref, created, _ = paid(gateway)
    body = {"vnp_RequestId": "same-id", "vnp_Version": "2.1.0", "vnp_Command": "querydr", "vnp_TmnCode": TMN,
            "vnp_TxnRef": txn_ref, "vnp_OrderInfo": "Truy van", "vnp_TransactionDate": vnpay.format_date(created),
            "vnp_CreateDate": vnpay.format_date(datetime.now(UTC)), "vnp_IpAddr": "10.0.0.5"}
    body["vnp_SecureHash"] = vnpay.sign_fields(body, vnpay.QUERY_REQUEST_FIELDS, SECRET)
    codes = [requests.post(config.api_url, json=body, timeout=5).json()["vnp_ResponseCode"] for _ in range(2)]
    assert codes == ["00", "94"]


def test_garbage_to_the_api_is_03(gateway):
    _, _, config = gateway
    for body in ({"vnp_Command": "refund"}, {"vnp_Command": "pay"}, ["x"], {"vnp_Command": "querydr", "vnp_TxnRef": 1}):
        assert requests.post(config.api_url, json=body, timeout=5).json()["vnp_ResponseCode"] == "03"


# ---- the command line --------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_python_m_starts_the_sandbox_from_the_environment():
    port = free_port()
    # This checkout's code, not wherever the shared venv's editable install happens to point.
    backend = Path(__file__).resolve().parents[2] / "backend"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(backend), "VNPAY_TMN_CODE": "CLITEST1",
           "VNPAY_HASH_SECRET": "cli-secret"}
    process = subprocess.Popen([sys.executable, "-m", "motcua.payment_sandbox", "--port", str(port),
                                "--merchant-ipn", "http://127.0.0.1:9/ipn"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                requests.get(f"{base}/sandbox/switches", timeout=1)
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()
                time.sleep(0.1)
        config = VnpayConfig("CLITEST1", "cli-secret", f"{base}/paymentv2/vpcpay.html", "", "http://127.0.0.1:9/r")
        assert open_page(config, new_ref()).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
