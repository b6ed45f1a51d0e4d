"""VNPay payment gateway, protocol version 2.1.0: payment URL, IPN / return-URL verification, query and refund.

Pure protocol: no Flask, no database. The merchant's service layer decides what a verified result means for an
order; this module only says whether a message is genuine and what it says.

Signature of the payment URL, the IPN and the return URL (``vnp_SecureHash``)
    Take every ``vnp_*`` parameter except ``vnp_SecureHash`` and ``vnp_SecureHashType``, sort by key, join
    ``quote_plus(key)=quote_plus(value)`` with ``&`` and take HMAC-SHA512 with the merchant's hash secret, in hex.
    The encoding is Python's :func:`urllib.parse.quote_plus` (UTF-8 percent-encoding, space as ``+``, ``/`` as
    ``%2F``), which is what VNPay's own Python sample does; their PHP sample's ``urlencode`` differs only for ``~``
    (PHP writes ``%7E``, Python keeps ``~``), so avoid ``~`` in order info. Empty values are signed like any other
    (the Python and PHP samples do so; the Java sample skips them): the sandbox therefore never sends empty ones.

Signature of the query / refund API (``/merchant_webapi/api/transaction``)
    HMAC-SHA512 over the *values* joined with ``|`` in a fixed order per command (:data:`QUERY_REQUEST_FIELDS`,
    :data:`REFUND_REQUEST_FIELDS` and the ``*_RESPONSE_FIELDS``), a missing value counting as empty. The orders are
    taken from VNPay's 2.1.0 API pages; they are not machine-checkable here, so :mod:`motcua.payment_sandbox` uses
    these very tuples and a mistake would show up only against the real gateway.

Dates are ``yyyyMMddHHmmss`` in GMT+7 (Vietnam has no daylight saving time), both ways.

VNPay's documentation asks for ``vnp_OrderInfo`` "không dấu" (without diacritics). The signature handles UTF-8
either way, but :func:`plain_order_info` gives the safe form and the merchant should use it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote_plus

import requests

VERSION = "2.1.0"
VN_TZ = timezone(timedelta(hours=7), "GMT+7")
DATE_FORMAT = "%Y%m%d%H%M%S"
HASH_FIELDS_EXCLUDED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
# VNPay refuses amounts outside [5,000; 1,000,000,000) VND on its payment page; refusing them here gives the citizen
# an error from us rather than from the gateway.
MIN_AMOUNT_VND = 5_000
MAX_AMOUNT_VND = 1_000_000_000  # exclusive
MAX_TXN_REF = 100
MAX_ORDER_INFO = 255

QUERY_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERY_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")
REFUND_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
                         "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
                         "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
REFUND_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                          "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                          "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo")

# vnp_ResponseCode of a payment (IPN / return URL), as VNPay words them for the customer.
RESPONSE_MESSAGES = {
    "00": "Giao dịch thành công",
    "07": "Trừ tiền thành công nhưng giao dịch bị nghi ngờ (liên quan tới lừa đảo, giao dịch bất thường)",
    "09": "Thẻ/tài khoản chưa đăng ký dịch vụ InternetBanking tại ngân hàng",
    "10": "Xác thực thông tin thẻ/tài khoản không đúng quá 3 lần",
    "11": "Đã hết hạn chờ thanh toán",
    "12": "Thẻ/tài khoản bị khóa",
    "13": "Nhập sai mật khẩu xác thực giao dịch (OTP)",
    "24": "Khách hàng hủy giao dịch",
    "51": "Tài khoản không đủ số dư để thực hiện giao dịch",
    "65": "Tài khoản đã vượt quá hạn mức giao dịch trong ngày",
    "75": "Ngân hàng thanh toán đang bảo trì",
    "79": "Nhập sai mật khẩu thanh toán quá số lần quy định",
    "99": "Lỗi khác",
}

_CODE_RE = re.compile(r"[0-9]{2}")
_DIGITS_RE = re.compile(r"[0-9]{1,18}")  # ASCII only: str.isdigit() would accept "²" and Arabic-Indic digits
_DATE_RE = re.compile(r"[0-9]{14}")


class InvalidSignature(Exception):
    """A gateway message whose signature is missing or wrong, or that is addressed to another merchant."""


class MalformedCallback(Exception):
    """A gateway message that is not well-formed: missing or garbled fields, an impossible amount."""


class GatewayError(Exception):
    """The gateway's API did not answer usably: network, HTTP status, not JSON, bad or missing signature."""


@dataclass(frozen=True)
class VnpayConfig:
    """One merchant terminal: ``pay_url`` is the payment page, ``api_url`` the query / refund API."""

    tmn_code: str
    hash_secret: str
    pay_url: str
    api_url: str
    return_url: str


def _hmac_sha512(secret: str, data: str) -> str:
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def _same_hash(given: str, expected: str) -> bool:
    """Constant-time comparison; hex case is not significant (some gateways answer in upper case)."""
    return hmac.compare_digest(given.lower().encode("utf-8", "replace"), expected.lower().encode("ascii"))


def canonical_query(params: Mapping[str, str]) -> str:
    """The signed text: the ``vnp_*`` parameters but the hash ones, sorted by key, ``quote_plus``-encoded."""
    items = sorted((k, v) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS_EXCLUDED)
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


def sign(params: Mapping[str, str], secret: str) -> str:
    """``vnp_SecureHash`` for a payment URL, IPN or return URL (hex HMAC-SHA512 of :func:`canonical_query`)."""
    return _hmac_sha512(secret, canonical_query(params))


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """A query string ready to append after ``?``: the canonical parameters and their ``vnp_SecureHash``."""
    return f"{canonical_query(params)}&vnp_SecureHash={sign(params, secret)}"


def sign_fields(values: Mapping[str, Any], order: Iterable[str], secret: str) -> str:
    """``vnp_SecureHash`` of a query / refund request or response: ``|``-joined values in the given order."""
    return _hmac_sha512(secret, "|".join(str(values.get(name) or "") for name in order))


def format_date(moment: datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7. A naive datetime is refused: guessing its zone would shift payments by 7 h."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("VNPay dates need an aware datetime")
    return moment.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_date(text: str) -> datetime:
    """A VNPay ``yyyyMMddHHmmss`` date as an aware datetime in GMT+7; ``ValueError`` if it is not one."""
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"not a VNPay date: {text!r}")
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=VN_TZ)


def plain_order_info(text: str) -> str:
    """Order info as VNPay's docs ask for it: no diacritics (đ → d), ASCII letters, digits and ``-.,:/ ``."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9 .,:/_-]+", " ", ascii_text)
    return re.sub(r"\s+", " ", cleaned).strip()[:MAX_ORDER_INFO]


def describe_response_code(code: str) -> str:
    """The customer-facing Vietnamese meaning of a payment's ``vnp_ResponseCode``."""
    return RESPONSE_MESSAGES.get(code, RESPONSE_MESSAGES["99"])


def payment_url(config: VnpayConfig, *, txn_ref: str, amount_vnd: int, order_info: str, ip: str,
                created_at: datetime, expire_at: datetime, locale: str = "vn", bank_code: str | None = None,
                order_type: str = "other") -> str:
    """The signed URL of VNPay's payment page for one order.

    ``txn_ref`` must be unique per payment attempt (VNPay keys transactions by terminal + TxnRef). Raises
    ``ValueError`` for what VNPay would refuse anyway: amount outside [5,000; 1,000,000,000) VND, locale other than
    ``vn`` / ``en``, an empty or over-long TxnRef / order info, an IP that is not one, expiry not after creation.
    """
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int):
        raise ValueError("amount_vnd must be an integer number of đồng")
    if not MIN_AMOUNT_VND <= amount_vnd < MAX_AMOUNT_VND:
        raise ValueError(f"VNPay accepts {MIN_AMOUNT_VND:,} to under {MAX_AMOUNT_VND:,} VND, not {amount_vnd:,}")
    if locale not in ("vn", "en"):
        raise ValueError("locale must be 'vn' or 'en'")
    if not 0 < len(txn_ref) <= MAX_TXN_REF:
        raise ValueError(f"txn_ref must be 1-{MAX_TXN_REF} characters")
    if not 0 < len(order_info) <= MAX_ORDER_INFO:
        raise ValueError(f"order_info must be 1-{MAX_ORDER_INFO} characters")
    ipaddress.ip_address(ip)  # ValueError for anything else: VNPay logs it as the customer's address
    create_date, expire_date = format_date(created_at), format_date(expire_at)  # both aware, or ValueError
    if expire_at <= created_at:
        raise ValueError("expire_at must be after created_at")
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": config.tmn_code,
        "vnp_Amount": str(amount_vnd * 100),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": order_type,
        "vnp_Locale": locale,
        "vnp_ReturnUrl": config.return_url,
        "vnp_IpAddr": ip,
        "vnp_CreateDate": create_date,
        "vnp_ExpireDate": expire_date,
    }
    if bank_code:
        params["vnp_BankCode"] = bank_code
    return f"{config.pay_url}?{signed_query(params, config.hash_secret)}"


@dataclass(frozen=True)
class VnpayResult:
    """A parsed IPN or return-URL query whose signature checked out."""

    txn_ref: str
    amount_vnd: int
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    pay_date: datetime | None
    card_type: str = ""
    bank_tran_no: str = ""

    @property
    def success(self) -> bool:
        """Paid only when both codes say so: ResponseCode 07 ("suspected fraud") is money taken but not approved."""
        return self.response_code == "00" and self.transaction_status == "00"

    @property
    def message(self) -> str:
        return describe_response_code(self.response_code)


def _strings(query: Mapping[Any, Any]) -> dict[str, str]:
    """The query as plain ``str → str``, refusing what a URL could not carry (or carry twice)."""
    getlist = getattr(query, "getlist", None)  # a werkzeug MultiDict: a repeated key is parameter pollution
    out: dict[str, str] = {}
    for key in query:
        value = query[key]
        if not isinstance(key, str) or not isinstance(value, str):
            raise MalformedCallback("keys and values must be text")
        try:
            key.encode("utf-8")
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedCallback("text that is not valid Unicode") from None
        if callable(getlist) and key.startswith("vnp_") and len(getlist(key)) > 1:
            raise MalformedCallback(f"{key} given more than once")
        out[key] = value
    return out


def _amount(text: str, what: str, error: type[Exception]) -> int:
    if not _DIGITS_RE.fullmatch(text):
        raise error(f"{what} is not a whole number: {text[:40]!r}")
    raw = int(text)
    if raw % 100:
        raise error(f"{what} is not VND × 100: {text}")
    return raw // 100


def parse_callback(query: Mapping[str, str], config: VnpayConfig) -> VnpayResult:
    """Verify and read an IPN or return-URL query.

    Raises :class:`InvalidSignature` (hash missing or wrong, another terminal's message) or
    :class:`MalformedCallback` (anything else wrong) and nothing else, whatever the input: the IPN endpoint maps
    them to RspCode 97 and 99. Non-``vnp_`` parameters are ignored, like VNPay's samples do.
    """
    try:
        return _parse_callback(query, config)
    except (InvalidSignature, MalformedCallback):
        raise
    except Exception as exc:  # a bug here must not become a 500 the gateway retries forever
        raise MalformedCallback(f"unreadable callback ({type(exc).__name__})") from exc


def _parse_callback(query: Mapping[str, str], config: VnpayConfig) -> VnpayResult:
    if not isinstance(query, Mapping):
        raise MalformedCallback("not a query")
    params = _strings(query)
    given = params.get("vnp_SecureHash", "")
    if not given:
        raise InvalidSignature("vnp_SecureHash missing")
    expected = sign(params, config.hash_secret)
    if not _same_hash(given, expected):
        raise InvalidSignature("vnp_SecureHash does not match")
    if params.get("vnp_TmnCode") != config.tmn_code:
        raise InvalidSignature("vnp_TmnCode is not this merchant's")

    def required(name: str) -> str:
        value = params.get(name, "")
        if not value:
            raise MalformedCallback(f"{name} missing")
        return value

    txn_ref = required("vnp_TxnRef")
    if len(txn_ref) > MAX_TXN_REF:
        raise MalformedCallback("vnp_TxnRef too long")
    amount_vnd = _amount(required("vnp_Amount"), "vnp_Amount", MalformedCallback)
    codes = {name: required(name) for name in ("vnp_ResponseCode", "vnp_TransactionStatus")}
    for name, code in codes.items():
        if not _CODE_RE.fullmatch(code):
            raise MalformedCallback(f"{name} is not a two-digit code")
    pay_date = None
    if params.get("vnp_PayDate"):
        try:
            pay_date = parse_date(params["vnp_PayDate"])
        except ValueError:
            raise MalformedCallback("vnp_PayDate is not yyyyMMddHHmmss") from None
    return VnpayResult(
        txn_ref=txn_ref,
        amount_vnd=amount_vnd,
        response_code=codes["vnp_ResponseCode"],
        transaction_status=codes["vnp_TransactionStatus"],
        transaction_no=params.get("vnp_TransactionNo", ""),
        bank_code=params.get("vnp_BankCode", ""),
        pay_date=pay_date,
        card_type=params.get("vnp_CardType", ""),
        bank_tran_no=params.get("vnp_BankTranNo", ""),
    )


@dataclass(frozen=True)
class VnpayQueryResult:
    """VNPay's own record of an order (querydr). ``found`` is False only for ResponseCode 91."""

    found: bool
    response_code: str  # of the query: 00 answered, 91 no such transaction
    transaction_status: str  # of the payment: 00 success, 01 not completed, 02 failed, 04 reversed, 07 fraud, ...
    amount_vnd: int
    transaction_no: str
    pay_date: datetime | None
    success: bool


@dataclass(frozen=True)
class VnpayRefundResult:
    """VNPay's answer to a refund request: ``ok`` when it accepted it (ResponseCode 00)."""

    ok: bool
    response_code: str
    message: str


class VnpayClient:
    """The query (querydr) and refund API, for reconciliation and refunds. One instance is safe to share."""

    def __init__(self, config: VnpayConfig, *, timeout: float = 10.0, session: requests.Session | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.timeout = timeout
        self.session = session or requests.Session()
        self.clock = clock or (lambda: datetime.now(UTC))

    def query(self, *, txn_ref: str, created_at: datetime, ip: str) -> VnpayQueryResult:
        """Ask VNPay about ``txn_ref`` (``created_at``: the ``vnp_CreateDate`` of its payment URL)."""
        request = self._base("querydr", txn_ref=txn_ref, ip=ip, transaction_date=created_at,
                             order_info=f"Truy van giao dich {txn_ref}")
        request["vnp_SecureHash"] = sign_fields(request, QUERY_REQUEST_FIELDS, self.config.hash_secret)
        answer = self._post(request, QUERY_RESPONSE_FIELDS, "querydr", txn_ref)
        code = answer.get("vnp_ResponseCode", "")
        if code == "91":
            return VnpayQueryResult(found=False, response_code=code, transaction_status="", amount_vnd=0,
                                    transaction_no="", pay_date=None, success=False)
        if code != "00":
            raise GatewayError(f"querydr answered {code}: {answer.get('vnp_Message', '')}")
        status = str(answer.get("vnp_TransactionStatus") or "")
        try:
            pay_date = parse_date(answer["vnp_PayDate"]) if answer.get("vnp_PayDate") else None
        except ValueError:
            raise GatewayError("querydr: vnp_PayDate is not a date") from None
        return VnpayQueryResult(
            found=True, response_code=code, transaction_status=status,
            amount_vnd=_amount(str(answer.get("vnp_Amount") or ""), "vnp_Amount", GatewayError),
            transaction_no=str(answer.get("vnp_TransactionNo") or ""), pay_date=pay_date, success=status == "00",
        )

    def refund(self, *, txn_ref: str, amount_vnd: int, transaction_no: str, transaction_date: datetime,
               created_by: str, ip: str, full: bool = True) -> VnpayRefundResult:
        """Ask VNPay to refund (all of, or ``full=False``: part of) a paid order. A refusal is ``ok=False``."""
        if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or amount_vnd <= 0:
            raise ValueError("amount_vnd must be a positive integer")
        request = self._base("refund", txn_ref=txn_ref, ip=ip, transaction_date=transaction_date,
                             order_info=f"Hoan tien giao dich {txn_ref}")
        request.update({"vnp_TransactionType": "02" if full else "03", "vnp_Amount": str(amount_vnd * 100),
                        "vnp_TransactionNo": transaction_no, "vnp_CreateBy": created_by})
        request["vnp_SecureHash"] = sign_fields(request, REFUND_REQUEST_FIELDS, self.config.hash_secret)
        answer = self._post(request, REFUND_RESPONSE_FIELDS, "refund", txn_ref)
        code = answer.get("vnp_ResponseCode", "")
        return VnpayRefundResult(ok=code == "00", response_code=code, message=str(answer.get("vnp_Message") or ""))

    def _base(self, command: str, *, txn_ref: str, ip: str, transaction_date: datetime,
              order_info: str) -> dict[str, str]:
        return {
            # Unique per request within the day (VNPay answers 94 to a repeat); a UUID is 32 hex characters.
            "vnp_RequestId": uuid.uuid4().hex,
            "vnp_Version": VERSION,
            "vnp_Command": command,
            "vnp_TmnCode": self.config.tmn_code,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": order_info,
            "vnp_TransactionDate": format_date(transaction_date),
            "vnp_CreateDate": format_date(self.clock()),
            "vnp_IpAddr": ip,
        }

    def _post(self, request: dict[str, str], response_fields: tuple[str, ...], command: str,
              txn_ref: str) -> dict[str, str]:
        try:
            response = self.session.post(self.config.api_url, json=request, timeout=self.timeout,
                                         allow_redirects=False)
        except requests.RequestException as exc:
            raise GatewayError(f"{command}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise GatewayError(f"{command}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise GatewayError(f"{command}: the answer is not JSON") from None
        if not isinstance(body, dict):
            raise GatewayError(f"{command}: the answer is not a JSON object")
        answer = {str(k): "" if v is None else str(v) for k, v in body.items()}
        code = answer.get("vnp_ResponseCode", "")
        given = answer.get("vnp_SecureHash", "")
        # A "found" or "not found" answer drives the merchant's books, so it must be signed. Whether VNPay signs
        # its other error answers (97 bad checksum, 99, ...) is not documented; they carry no claim, so an
        # unsigned one is let through to be reported as the error it is.
        if given or code in ("00", "91"):
            if not _same_hash(given, sign_fields(answer, response_fields, self.config.hash_secret)):
                raise GatewayError(f"{command}: the answer's vnp_SecureHash does not match")
            # A genuine answer replayed from another request must not settle this order.
            for name, mine in (("vnp_TmnCode", self.config.tmn_code), ("vnp_TxnRef", txn_ref),
                               ("vnp_Command", command)):
                if answer.get(name, mine if code != "00" else "") != mine:
                    raise GatewayError(f"{command}: the answer's {name} is not this request's")
        return answer
