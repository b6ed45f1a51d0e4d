"""The sandbox gateway as a Flask app: VNPay's payment page, IPN sender and query / refund API, in memory.

It plays the gateway so that the merchant side (the motcua app) is exercised through the wire format only: it
verifies what the merchant signs, signs what it sends, and can misbehave on purpose (see :class:`Switches`) the way
real gateways do — duplicated, late, missing, reordered and forged notifications. It shares the signing code of
:mod:`motcua.adapters.vnpay` so that the two can never disagree silently; the adapter's unit tests pin that code to
hand-computed vectors.

Routes are listed in :mod:`motcua.payment_sandbox`.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask, Response, jsonify, redirect, render_template_string, request

from motcua.adapters import vnpay

DEFAULT_TMN_CODE = "MOTCUA01"
DEFAULT_HASH_SECRET = "motcua-sandbox-secret-not-for-production"  # noqa: S105 - a published dev-only default
DEFAULT_IPN_URL = "http://127.0.0.1:8080/api/v1/payments/vnpay/ipn"
IPN_MODES = ("normal", "duplicate", "delayed", "missing", "reorder")
# vnp_BankCode values as VNPay spells them, with what the citizen sees.
BANKS = (("NCB", "NCB – Ngân hàng Quốc Dân"), ("VIETCOMBANK", "Vietcombank"), ("VIETINBANK", "VietinBank"),
         ("BIDV", "BIDV"), ("AGRIBANK", "Agribank"), ("VNPAYQR", "VNPAY QR (quét mã bằng ứng dụng ngân hàng)"))
# outcome → (vnp_ResponseCode, vnp_TransactionStatus)
OUTCOMES = {"success": ("00", "00"), "fail": ("51", "02"), "cancel": ("24", "02")}
PAY_FIELDS = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef",
              "vnp_OrderInfo", "vnp_OrderType", "vnp_Locale", "vnp_ReturnUrl", "vnp_IpAddr", "vnp_CreateDate")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SandboxSettings:
    """Who the sandbox believes the merchant is, and where it sends IPNs (VNPay keeps the IPN URL per terminal)."""

    tmn_code: str = DEFAULT_TMN_CODE
    hash_secret: str = DEFAULT_HASH_SECRET
    ipn_url: str = DEFAULT_IPN_URL
    merchant_name: str = "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai"
    ipn_timeout: float = 10.0
    clock: Callable[[], datetime] = _now

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> SandboxSettings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "tmn_code": env.get("VNPAY_TMN_CODE") or DEFAULT_TMN_CODE,
            "hash_secret": env.get("VNPAY_HASH_SECRET") or DEFAULT_HASH_SECRET,
            "ipn_url": env.get("SANDBOX_IPN_URL") or DEFAULT_IPN_URL,
        }
        if env.get("SANDBOX_MERCHANT_NAME"):
            values["merchant_name"] = env["SANDBOX_MERCHANT_NAME"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(frozen=True)
class Switches:
    """How the sandbox misbehaves for the next payments (``POST /sandbox/switches``).

    ``ipn``: ``normal`` one IPN before the browser is redirected; ``duplicate`` three, the first two at the same
    instant; ``delayed`` one, ``ipn_delay_seconds`` after the redirect; ``missing`` none (the merchant must query);
    ``reorder`` the real one, then a stale, validly signed failure IPN of an earlier attempt. ``tamper`` sends a
    forged success IPN (wrong signature) before any real one. ``enforce_expiry`` refuses pages past
    ``vnp_ExpireDate`` (turn it off when the merchant runs on a frozen clock).
    """

    ipn: str = "normal"
    ipn_delay_seconds: float = 3.0
    tamper: bool = False
    enforce_expiry: bool = True

    def updated(self, changes: Mapping[str, Any]) -> Switches:
        """A copy with ``changes`` applied; ``ValueError`` names the first bad key or value."""
        known = {f.name for f in fields(self)}
        for key, value in changes.items():
            if key not in known:
                raise ValueError(f"unknown switch {key!r}")
            if key == "ipn" and value not in IPN_MODES:
                raise ValueError(f"ipn must be one of {', '.join(IPN_MODES)}")
            if key in ("tamper", "enforce_expiry") and not isinstance(value, bool):
                raise ValueError(f"{key} must be true or false")
            if key == "ipn_delay_seconds" and (isinstance(value, bool) or not isinstance(value, int | float)
                                               or not 0 <= value <= 300):
                raise ValueError("ipn_delay_seconds must be a number from 0 to 300")
        return replace(self, **changes)


@dataclass
class Transaction:
    """One payment attempt as the gateway records it (``status``: 01 opened, 00 paid, 02 failed)."""

    txn_ref: str
    amount_vnd: int
    order_info: str
    create_date: str  # the merchant's vnp_CreateDate: querydr / refund find the transaction by it
    return_url: str
    status: str = "01"
    response_code: str = ""
    transaction_no: str = ""
    bank_code: str = ""
    card_type: str = ""
    bank_tran_no: str = ""
    pay_date: str = ""
    refunds: list[dict[str, Any]] = field(default_factory=list)

    def refunded_vnd(self) -> int:
        return sum(r["amount_vnd"] for r in self.refunds)


class SandboxState:
    """Everything the sandbox remembers, behind one lock (the dev server handles requests on threads)."""

    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.lock = threading.RLock()  # held only for bookkeeping, never across an HTTP request
        self.reset()

    def reset(self) -> None:
        with self.lock:
            for timer in getattr(self, "_timers", []):
                timer.cancel()
            self._timers: list[threading.Timer] = []
            self.switches = Switches()
            self.transactions: dict[str, Transaction] = {}
            self.sessions: dict[str, dict[str, str]] = {}
            self.request_ids: set[str] = set()
            self.ipn_log: list[dict[str, Any]] = []
            self.last_ipn: dict[str, dict[str, str]] = {}  # txn_ref → the last genuine result params
            self._next_no = 14_000_000  # VNPay transaction numbers are 8 digits

    def next_transaction_no(self) -> str:
        with self.lock:
            self._next_no += 1
            return str(self._next_no)

    def set_switches(self, changes: Mapping[str, Any]) -> Switches:
        with self.lock:
            self.switches = self.switches.updated(changes)
            return self.switches

    def open_session(self, params: dict[str, str]) -> str:
        token = secrets.token_urlsafe(18)
        with self.lock:
            self.sessions[token] = params
        return token

    def close_session(self, token: str) -> dict[str, str] | None:
        with self.lock:
            return self.sessions.pop(token, None)

    def later(self, delay: float, action: Callable[[], object]) -> None:
        timer = threading.Timer(delay, action)
        timer.daemon = True
        with self.lock:
            self._timers.append(timer)
        timer.start()

    # ---- IPN -------------------------------------------------------------------------------------------------

    def send_ipn(self, params: Mapping[str, str], *, kind: str, forged: bool = False) -> dict[str, Any]:
        """GET the merchant's IPN URL with ``params`` signed (or, ``forged``, signed with a wrong key); log it."""
        secret = self.settings.hash_secret + ("-forged" if forged else "")
        url = self.settings.ipn_url
        url += ("&" if "?" in url else "?") + vnpay.signed_query(params, secret)
        entry: dict[str, Any] = {"kind": kind, "txn_ref": params.get("vnp_TxnRef", ""), "forged": forged,
                                 "url": url, "params": dict(params), "sent_at": _now().isoformat(),
                                 "status": None, "response": None, "body": "", "error": None}
        started = time.monotonic()
        try:
            answer = requests.get(url, timeout=self.settings.ipn_timeout, allow_redirects=False)
            entry["status"], entry["body"] = answer.status_code, answer.text[:1000]
            with contextlib.suppress(ValueError):  # not JSON: the raw body is logged for the test to read
                entry["response"] = answer.json()
        except requests.RequestException as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"
        entry["elapsed_ms"] = round((time.monotonic() - started) * 1000, 1)
        with self.lock:
            entry["seq"] = len(self.ipn_log) + 1
            self.ipn_log.append(entry)
        return entry

    def stale_failure(self, result: Mapping[str, str], paid_at: datetime) -> dict[str, str]:
        """A genuine-looking failure of an earlier attempt at the same order (timed out a minute before)."""
        stale = {**result, "vnp_ResponseCode": "11", "vnp_TransactionStatus": "02",
                 "vnp_TransactionNo": self.next_transaction_no(),
                 "vnp_PayDate": vnpay.format_date(paid_at - timedelta(minutes=1))}
        stale.pop("vnp_BankTranNo", None)
        return stale

    def dispatch_ipn(self, result: dict[str, str], paid_at: datetime) -> None:
        """Send the IPN(s) for one payment according to the switches; returns before a delayed one is sent."""
        switches = self.switches
        with self.lock:
            self.last_ipn[result["vnp_TxnRef"]] = result
        if switches.tamper:
            self.send_ipn({**result, "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00"}, kind="forged",
                          forged=True)
        if switches.ipn == "normal":
            self.send_ipn(result, kind="result")
        elif switches.ipn == "duplicate":
            # Two at the same instant: the merchant's "still pending?" check must not let both through.
            barrier = threading.Barrier(2)

            def concurrent() -> None:
                barrier.wait(timeout=5)
                self.send_ipn(result, kind="duplicate")

            threads = [threading.Thread(target=concurrent, daemon=True) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.send_ipn(result, kind="duplicate")
        elif switches.ipn == "delayed":
            self.later(switches.ipn_delay_seconds, lambda: self.send_ipn(result, kind="delayed"))
        elif switches.ipn == "reorder":
            self.send_ipn(result, kind="result")
            self.send_ipn(self.stale_failure(result, paid_at), kind="stale")
        # "missing": nothing — the merchant finds out through querydr.


# ---- pages -----------------------------------------------------------------------------------------------------

CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;
background:#eef2f7}
.bar{background:#005baa;color:#fff;padding:12px 16px}
.brand{margin:0;font-weight:700;letter-spacing:.02em}
.brand span{font-weight:400;background:#e30613;border-radius:4px;padding:0 6px;margin-left:6px;font-size:.85em}
main{max-width:360px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.25rem;margin:0 0 12px}
.notice{background:#fff4ce;border-left:4px solid #b58100;padding:8px 12px;margin:0 0 16px;font-size:.9rem}
dl{margin:0 0 16px}dl div{padding:8px 0;border-bottom:1px solid #e3e7ec}
dt{font-size:.85rem;color:#4a5563}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.amount{font-size:1.5rem;color:#005baa;white-space:nowrap}
label{display:block;font-weight:600;margin:0 0 4px}
select,.btn{width:100%;min-height:48px;font:inherit;border-radius:8px}
select{padding:8px;border:2px solid #4a5563;background:#fff;margin-bottom:16px}
.btn{display:block;border:2px solid #005baa;margin:0 0 12px;padding:10px 12px;cursor:pointer;font-weight:600}
.pay{background:#005baa;color:#fff}.fail{background:#fff;color:#a4000f;border-color:#a4000f}
.cancel{background:#fff;color:#1b1b1b;border-color:#4a5563}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.error h1{color:#a4000f}.detail{font-family:ui-monospace,monospace;font-size:.85rem;background:#f3f4f6;padding:8px;
overflow-wrap:anywhere}
small{font-weight:400;color:#4a5563}
"""

_HEAD = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }} – Cổng thanh toán VNPAY (thử nghiệm)</title>
<link rel="stylesheet" href="{{ url_for('sandbox_css') }}">
</head>
<body>
<header class="bar"><p class="brand">VNPAY<span>thử nghiệm</span></p></header>
"""

PAY_PAGE = _HEAD + """<main>
<div class="card" role="region" aria-labelledby="title">
<p class="notice" role="note">Cổng thanh toán thử nghiệm: không có tiền thật được chuyển.</p>
<h1 id="title">Xác nhận thanh toán</h1>
<dl>
<div><dt>Đơn vị nhận tiền</dt>
<dd data-testid="sandbox-merchant">{{ merchant }} <small>({{ tmn_code }})</small></dd></div>
<div><dt>Số tiền</dt><dd class="amount" data-testid="sandbox-amount">{{ amount }}</dd></div>
<div><dt>Nội dung thanh toán</dt><dd data-testid="sandbox-order-info">{{ order_info }}</dd></div>
<div><dt>Mã giao dịch</dt><dd data-testid="sandbox-txn-ref">{{ txn_ref }}</dd></div>
{% if expires %}<div><dt>Hết hạn thanh toán lúc (giờ Việt Nam)</dt>
<dd><time datetime="{{ expires_iso }}">{{ expires }}</time></dd></div>{% endif %}
</dl>
<form method="post" action="{{ url_for('confirm') }}">
<input type="hidden" name="session" value="{{ session }}">
<label for="bank">Ngân hàng hoặc ví thanh toán</label>
<select id="bank" name="bank" data-testid="sandbox-bank">
{% for code, label in banks %}<option value="{{ code }}"{% if code == bank %} selected{% endif %}>{{ label }}</option>
{% endfor %}</select>
<button class="btn pay" type="submit" name="outcome" value="success" data-testid="sandbox-pay-success">Thanh toán \
thành công</button>
<button class="btn fail" type="submit" name="outcome" value="fail" data-testid="sandbox-pay-fail">Thanh toán thất bại \
(số dư không đủ)</button>
<button class="btn cancel" type="submit" name="outcome" value="cancel" data-testid="sandbox-pay-cancel">Hủy giao \
dịch</button>
</form>
<p><small>Sau khi chọn, bạn được chuyển về trang của đơn vị để xem kết quả.</small></p>
</div>
</main>
</body>
</html>
"""

ERROR_PAGE = _HEAD + """<main>
<div class="card error" role="alert" data-testid="sandbox-error" data-reason="{{ reason }}">
<h1>{{ title }}</h1>
<p>{{ message }}</p>
{% if detail %}<p class="detail">{{ detail }}</p>{% endif %}
<p>Vui lòng quay lại trang dịch vụ công và thực hiện lại thanh toán. Nếu lỗi lặp lại, hãy liên hệ đơn vị tiếp nhận hồ
sơ.</p>
</div>
</main>
</body>
</html>
"""

ERRORS = {
    "merchant": ("Đơn vị chưa được đăng ký", "Mã đơn vị (vnp_TmnCode) không có trong cổng thanh toán."),
    "signature": ("Sai chữ ký", "Chữ ký của đường dẫn thanh toán (vnp_SecureHash) không hợp lệ: dữ liệu đã bị thay đổi "
                                "hoặc được ký bằng khóa khác."),
    "format": ("Dữ liệu không hợp lệ", "Dữ liệu gửi sang không đúng định dạng."),
    "expired": ("Giao dịch đã hết hạn", "Giao dịch đã quá thời gian chờ thanh toán."),
    "paid": ("Giao dịch đã được thanh toán", "Mã giao dịch này đã được thanh toán trước đó."),
    "session": ("Phiên thanh toán đã kết thúc", "Phiên thanh toán không còn hiệu lực (đã xử lý hoặc không tồn tại)."),
}


def format_vnd(amount: int) -> str:
    """``100000`` → ``"100.000 ₫"`` (Vietnamese groups thousands with dots)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


class PageError(Exception):
    """A request the payment page refuses; ``reason`` is a key of :data:`ERRORS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason, self.detail = reason, detail


def check_pay_request(args: Any, settings: SandboxSettings, now: datetime, enforce_expiry: bool) -> dict[str, str]:
    """Verify a payment-page request the way VNPay does; the verified parameters, or :class:`PageError`."""
    for key in args:
        if len(args.getlist(key)) > 1:
            raise PageError("format", f"{key} xuất hiện nhiều lần")
    params = {k: v for k, v in args.items()}
    if params.get("vnp_TmnCode") != settings.tmn_code:
        raise PageError("merchant", f"vnp_TmnCode={params.get('vnp_TmnCode', '')!r}")
    given = params.get("vnp_SecureHash", "").lower()
    if not hmac.compare_digest(given.encode("utf-8", "replace"), vnpay.sign(params, settings.hash_secret).encode()):
        raise PageError("signature")
    missing = [name for name in PAY_FIELDS if not params.get(name)]
    if missing:
        raise PageError("format", "Thiếu " + ", ".join(missing))
    expected = {"vnp_Version": vnpay.VERSION, "vnp_Command": "pay", "vnp_CurrCode": "VND"}
    for name, value in expected.items():
        if params[name] != value:
            raise PageError("format", f"{name} phải là {value}")
    if params["vnp_Locale"] not in ("vn", "en"):
        raise PageError("format", "vnp_Locale phải là vn hoặc en")
    raw = params["vnp_Amount"]
    if not raw.isascii() or not raw.isdigit() or int(raw) % 100:
        raise PageError("format", "vnp_Amount phải là số tiền × 100")
    if not vnpay.MIN_AMOUNT_VND <= int(raw) // 100 < vnpay.MAX_AMOUNT_VND:
        raise PageError("format", "Số tiền hợp lệ từ 5.000 ₫ đến dưới 1 tỷ ₫")
    if len(params["vnp_TxnRef"]) > vnpay.MAX_TXN_REF or len(params["vnp_OrderInfo"]) > vnpay.MAX_ORDER_INFO:
        raise PageError("format", "vnp_TxnRef hoặc vnp_OrderInfo quá dài")
    try:
        ipaddress.ip_address(params["vnp_IpAddr"])
    except ValueError:
        raise PageError("format", "vnp_IpAddr không phải địa chỉ IP") from None
    if urlsplit(params["vnp_ReturnUrl"]).scheme not in ("http", "https"):
        raise PageError("format", "vnp_ReturnUrl phải là địa chỉ http(s)")
    try:
        vnpay.parse_date(params["vnp_CreateDate"])
        expires = vnpay.parse_date(params["vnp_ExpireDate"]) if params.get("vnp_ExpireDate") else None
    except ValueError:
        raise PageError("format", "Ngày giờ phải theo dạng yyyyMMddHHmmss (GMT+7)") from None
    if enforce_expiry and expires is not None and expires <= now:
        raise PageError("expired", f"vnp_ExpireDate={params['vnp_ExpireDate']}")
    return params


def result_params(tx: Transaction, tmn_code: str) -> dict[str, str]:
    """The vnp_* result parameters of a finished transaction (return URL and IPN), unsigned; empty ones left out."""
    values = {
        "vnp_TmnCode": tmn_code, "vnp_Amount": str(tx.amount_vnd * 100), "vnp_BankCode": tx.bank_code,
        "vnp_BankTranNo": tx.bank_tran_no, "vnp_CardType": tx.card_type, "vnp_OrderInfo": tx.order_info,
        "vnp_PayDate": tx.pay_date, "vnp_ResponseCode": tx.response_code,
        "vnp_TransactionNo": tx.transaction_no, "vnp_TransactionStatus": tx.status, "vnp_TxnRef": tx.txn_ref,
    }
    return {k: v for k, v in values.items() if v}


# ---- the query / refund API ------------------------------------------------------------------------------------

API_MESSAGES = {
    "00": "Yêu cầu thành công", "02": "Merchant không hợp lệ", "03": "Dữ liệu gửi sang không đúng định dạng",
    "04": "Không cho phép hoàn trả toàn phần sau khi hoàn trả một phần",
    "91": "Không tìm thấy giao dịch yêu cầu", "93": "Số tiền hoàn trả không hợp lệ",
    "94": "Yêu cầu bị trùng lặp trong thời gian giới hạn của API",
    "95": "Giao dịch này không thành công bên VNPAY, VNPAY từ chối xử lý yêu cầu", "97": "Chữ ký không hợp lệ",
}
API_REQUIRED = {
    "querydr": vnpay.QUERY_REQUEST_FIELDS,
    "refund": tuple(f for f in vnpay.REFUND_REQUEST_FIELDS if f != "vnp_TransactionNo"),  # optional in VNPay's docs
}


def api_answer(state: SandboxState, body: Any) -> dict[str, str]:
    """Answer one querydr / refund request (always a signed JSON object, like VNPay's API)."""
    settings = state.settings
    command = body.get("vnp_Command") if isinstance(body, dict) else None
    order = vnpay.REFUND_RESPONSE_FIELDS if command == "refund" else vnpay.QUERY_RESPONSE_FIELDS
    answer: dict[str, str] = {"vnp_ResponseId": uuid.uuid4().hex, "vnp_Command": str(command or ""),
                              "vnp_TmnCode": settings.tmn_code}

    def reply(code: str, **extra: str) -> dict[str, str]:
        answer.update(extra, vnp_ResponseCode=code, vnp_Message=API_MESSAGES[code])
        answer["vnp_SecureHash"] = vnpay.sign_fields(answer, order, settings.hash_secret)
        return answer

    if command not in API_REQUIRED or not all(isinstance(v, str) for v in body.values()):
        return reply("03")
    answer["vnp_TxnRef"] = body.get("vnp_TxnRef", "")
    if any(not body.get(name) for name in API_REQUIRED[command]):
        return reply("03")
    if body["vnp_TmnCode"] != settings.tmn_code:
        return reply("02")
    signed = vnpay.REFUND_REQUEST_FIELDS if command == "refund" else vnpay.QUERY_REQUEST_FIELDS
    given = body.get("vnp_SecureHash", "").lower().encode("utf-8", "replace")
    if not hmac.compare_digest(given, vnpay.sign_fields(body, signed, settings.hash_secret).encode()):
        return reply("97")
    try:
        vnpay.parse_date(body["vnp_TransactionDate"])
        vnpay.parse_date(body["vnp_CreateDate"])
        ipaddress.ip_address(body["vnp_IpAddr"])
    except ValueError:
        return reply("03")
    with state.lock:
        if body["vnp_RequestId"] in state.request_ids:
            return reply("94")
        state.request_ids.add(body["vnp_RequestId"])
        tx = state.transactions.get(body["vnp_TxnRef"])
        if tx is None or tx.create_date != body["vnp_TransactionDate"]:
            return reply("91")
        if command == "querydr":
            return reply("00", vnp_Amount=str(tx.amount_vnd * 100), vnp_BankCode=tx.bank_code,
                         vnp_PayDate=tx.pay_date, vnp_TransactionNo=tx.transaction_no, vnp_TransactionType="01",
                         vnp_TransactionStatus=tx.status, vnp_OrderInfo=tx.order_info)
        return _refund(state, tx, body, reply)


def _refund(state: SandboxState, tx: Transaction, body: dict[str, str],
            reply: Callable[..., dict[str, str]]) -> dict[str, str]:
    kind, raw = body.get("vnp_TransactionType"), body["vnp_Amount"]
    if kind not in ("02", "03") or not raw.isascii() or not raw.isdigit() or int(raw) % 100 or int(raw) == 0:
        return reply("03")
    if body.get("vnp_TransactionNo") and body["vnp_TransactionNo"] != tx.transaction_no:
        return reply("91")
    if tx.status != "00":
        return reply("95")
    amount = int(raw) // 100
    if kind == "02" and tx.refunds:
        return reply("04")
    if amount > tx.amount_vnd - tx.refunded_vnd() or (kind == "02" and amount != tx.amount_vnd):
        return reply("93")
    refund_no = state.next_transaction_no()
    when = vnpay.format_date(state.settings.clock())
    tx.refunds.append({"amount_vnd": amount, "type": kind, "created_by": body["vnp_CreateBy"],
                       "transaction_no": refund_no, "at": when})
    # 05: "VNPAY is processing the refund" — the money reaches the card later; the request itself is accepted.
    return reply("00", vnp_Amount=raw, vnp_BankCode=tx.bank_code, vnp_PayDate=when, vnp_TransactionNo=refund_no,
                 vnp_TransactionType=kind, vnp_TransactionStatus="05", vnp_OrderInfo=body["vnp_OrderInfo"])


# ---- the app ---------------------------------------------------------------------------------------------------

def create_app(settings: SandboxSettings | None = None) -> Flask:
    """The sandbox gateway; its state is ``app.extensions["payment_sandbox"]`` (a :class:`SandboxState`)."""
    settings = settings or SandboxSettings.from_env()
    state = SandboxState(settings)
    app = Flask(__name__)
    app.extensions["payment_sandbox"] = state

    @app.after_request
    def headers(response: Response) -> Response:
        # No script at all, styles only from our own stylesheet: the page works under the strictest CSP.
        response.headers.setdefault("Content-Security-Policy", "default-src 'none'; style-src 'self'; "
                                    "img-src 'self'; base-uri 'none'; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def error_page(exc: PageError, status: int = 400) -> tuple[str, int]:
        title, message = ERRORS[exc.reason]
        return render_template_string(ERROR_PAGE, title=title, message=message, detail=exc.detail,
                                      reason=exc.reason), status

    @app.get("/paymentv2/sandbox.css")
    def sandbox_css() -> Response:
        response = Response(CSS, mimetype="text/css")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)  # browsers ask for it; a 404 would clutter the console of browser tests

    @app.get("/paymentv2/vpcpay.html")
    def pay_page() -> Any:
        now = settings.clock()
        try:
            params = check_pay_request(request.args, settings, now, state.switches.enforce_expiry)
        except PageError as exc:
            return error_page(exc)
        amount = int(params["vnp_Amount"]) // 100
        with state.lock:
            existing = state.transactions.get(params["vnp_TxnRef"])
            if existing is not None and existing.status == "00":
                return error_page(PageError("paid", f"vnp_TxnRef={params['vnp_TxnRef']}"))
            state.transactions[params["vnp_TxnRef"]] = Transaction(
                txn_ref=params["vnp_TxnRef"], amount_vnd=amount, order_info=params["vnp_OrderInfo"],
                create_date=params["vnp_CreateDate"], return_url=params["vnp_ReturnUrl"])
        expires = vnpay.parse_date(params["vnp_ExpireDate"]) if params.get("vnp_ExpireDate") else None
        return render_template_string(
            PAY_PAGE, title="Xác nhận thanh toán", merchant=settings.merchant_name, tmn_code=settings.tmn_code,
            amount=format_vnd(amount), order_info=params["vnp_OrderInfo"], txn_ref=params["vnp_TxnRef"],
            expires=expires.strftime("%H:%M %d/%m/%Y") if expires else "",
            expires_iso=expires.isoformat() if expires else "", session=state.open_session(params),
            banks=BANKS, bank=params.get("vnp_BankCode", "NCB"))

    @app.post("/paymentv2/confirm")
    def confirm() -> Any:
        outcome, bank = request.form.get("outcome", ""), request.form.get("bank", "")
        if outcome not in OUTCOMES or bank not in dict(BANKS):
            return error_page(PageError("format", "Lựa chọn không hợp lệ"))
        params = state.close_session(request.form.get("session", ""))
        if params is None:
            return error_page(PageError("session"))
        now = settings.clock()
        expires = params.get("vnp_ExpireDate")
        if state.switches.enforce_expiry and expires and vnpay.parse_date(expires) <= now:
            outcome = "timeout"
        response_code, status = OUTCOMES.get(outcome, ("11", "02"))
        with state.lock:
            tx = state.transactions[params["vnp_TxnRef"]]
            tx.response_code, tx.status, tx.bank_code = response_code, status, bank
            tx.pay_date = vnpay.format_date(now)
            # A cancelled payment never reached a bank: VNPay reports transaction number 0 and no bank reference.
            tx.transaction_no = "0" if outcome == "cancel" else state.next_transaction_no()
            tx.card_type = "" if outcome == "cancel" else ("QRCODE" if bank == "VNPAYQR" else "ATM")
            tx.bank_tran_no = "" if outcome == "cancel" else f"VNP{tx.transaction_no}"
            result = result_params(tx, settings.tmn_code)
        state.dispatch_ipn(result, now)
        target = params["vnp_ReturnUrl"]
        target += ("&" if "?" in target else "?") + vnpay.signed_query(result, settings.hash_secret)
        return redirect(target, code=302)

    @app.post("/merchant_webapi/api/transaction")
    def transaction_api() -> Response:
        return jsonify(api_answer(state, request.get_json(silent=True)))

    @app.route("/sandbox/switches", methods=["GET", "POST"])
    def switches() -> Any:
        if request.method == "POST":
            changes = request.get_json(silent=True)
            if not isinstance(changes, dict):
                return jsonify(error="JSON object expected"), 400
            try:
                state.set_switches(changes)
            except (ValueError, TypeError) as exc:
                return jsonify(error=str(exc)), 400
        return jsonify(asdict(state.switches))

    @app.post("/sandbox/reset")
    def reset() -> Response:
        state.reset()
        return jsonify(asdict(state.switches))

    @app.get("/sandbox/ipn-log")
    def ipn_log() -> Response:
        txn_ref = request.args.get("txn_ref")
        with state.lock:
            entries = [e for e in state.ipn_log if txn_ref is None or e["txn_ref"] == txn_ref]
        return jsonify(entries=entries)

    @app.get("/sandbox/transactions")
    def transactions() -> Response:
        with state.lock:
            return jsonify(transactions=[asdict(tx) for tx in state.transactions.values()])

    @app.post("/sandbox/resend-ipn")
    def resend_ipn() -> Any:
        txn_ref = (request.get_json(silent=True) or {}).get("txn_ref", "")
        with state.lock:
            result = state.last_ipn.get(txn_ref)
        if result is None:
            return jsonify(error="no IPN was ever due for this txn_ref"), 404
        return jsonify(state.send_ipn(result, kind="resend"))

    return app
