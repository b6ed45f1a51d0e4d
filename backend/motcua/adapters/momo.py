"""MoMo e-wallet: the signature and parsing of its IPN (payment result notification).

MoMo POSTs the IPN as JSON to the merchant's ``ipnUrl``. ``signature`` is the hex HMAC-SHA256, keyed with the
merchant's secret key, of the raw (not URL-encoded) string

    accessKey=$accessKey&amount=$amount&extraData=$extraData&message=$message&orderId=$orderId&orderInfo=$orderInfo
    &orderType=$orderType&partnerCode=$partnerCode&payType=$payType&requestId=$requestId&responseTime=$responseTime
    &resultCode=$resultCode&transId=$transId

(one line, keys in exactly that order; ``accessKey`` comes from the merchant's configuration, the IPN does not carry
it). Numbers (``amount``, ``responseTime``, ``resultCode``, ``transId``) are JSON numbers written in decimal.
The merchant must answer HTTP 204 (no body) within 15 seconds, else MoMo retries: the handler must be idempotent.
``resultCode`` 0 is a successful payment; 9000 ("authorised", for capture-later flows) is not one for us.

The errors are the VNPay adapter's, so one ``except`` serves every gateway.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from motcua.adapters.vnpay import InvalidSignature, MalformedCallback

__all__ = ["IPN_ACK_STATUS", "SIGNED_FIELDS", "InvalidSignature", "MalformedCallback", "MomoConfig", "MomoResult",
           "ipn_signature", "parse_ipn", "raw_signature_text"]

IPN_ACK_STATUS = 204
# The order MoMo signs in; accessKey is taken from the configuration, the others from the IPN body.
SIGNED_FIELDS = ("accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType", "partnerCode",
                 "payType", "requestId", "responseTime", "resultCode", "transId")
_NUMBERS = frozenset({"amount", "responseTime", "resultCode", "transId"})
_INTEGER_RE = re.compile(r"-?[0-9]{1,19}")


@dataclass(frozen=True)
class MomoConfig:
    """One MoMo merchant (partner) and its key pair from the MoMo business portal."""

    partner_code: str
    access_key: str
    secret_key: str


@dataclass(frozen=True)
class MomoResult:
    """A parsed IPN whose signature checked out."""

    order_id: str
    amount_vnd: int
    result_code: int
    trans_id: str
    success: bool


def _text(name: str, value: Any) -> str:
    """A field as MoMo writes it into the signed string; refuses what MoMo never sends (floats, objects, null)."""
    if name in _NUMBERS:
        # bool is an int in Python, but JSON true is not a MoMo number.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and _INTEGER_RE.fullmatch(value):
            return value
        raise MalformedCallback(f"{name} is not a whole number")
    if not isinstance(value, str):
        raise MalformedCallback(f"{name} is not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedCallback(f"{name} is not valid Unicode") from None
    return value


def raw_signature_text(fields: Mapping[str, Any], config: MomoConfig) -> str:
    """The string MoMo signs, built from the IPN fields; raises :class:`MalformedCallback` if one is missing."""
    parts = []
    for name in SIGNED_FIELDS:
        if name == "accessKey":
            parts.append(f"accessKey={config.access_key}")
            continue
        if name not in fields:
            raise MalformedCallback(f"{name} missing")
        parts.append(f"{name}={_text(name, fields[name])}")
    return "&".join(parts)


def ipn_signature(fields: Mapping[str, Any], config: MomoConfig) -> str:
    """The ``signature`` of an IPN with these fields (hex HMAC-SHA256 with the secret key)."""
    text = raw_signature_text(fields, config)
    return hmac.new(config.secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_ipn(body: Mapping[str, Any], config: MomoConfig) -> MomoResult:
    """Verify and read a MoMo IPN (the decoded JSON body).

    Raises :class:`InvalidSignature` (signature missing or wrong, another partner's notification) or
    :class:`MalformedCallback` (missing or mistyped fields) and nothing else, whatever the input.
    """
    try:
        return _parse_ipn(body, config)
    except (InvalidSignature, MalformedCallback):
        raise
    except Exception as exc:  # a bug here must not become a 500 that MoMo retries for hours
        raise MalformedCallback(f"unreadable IPN ({type(exc).__name__})") from exc


def _parse_ipn(body: Mapping[str, Any], config: MomoConfig) -> MomoResult:
    if not isinstance(body, Mapping):
        raise MalformedCallback("the IPN is not a JSON object")
    given = body.get("signature")
    if not isinstance(given, str) or not given:
        raise InvalidSignature("signature missing")
    expected = ipn_signature(body, config)
    if not hmac.compare_digest(given.lower().encode("utf-8", "replace"), expected.encode("ascii")):
        raise InvalidSignature("signature does not match")
    if body["partnerCode"] != config.partner_code:
        raise InvalidSignature("partnerCode is not this merchant's")
    order_id = _text("orderId", body["orderId"])
    if not order_id:
        raise MalformedCallback("orderId empty")
    amount = int(_text("amount", body["amount"]))
    if amount <= 0:
        raise MalformedCallback("amount must be positive")
    result_code = int(_text("resultCode", body["resultCode"]))
    return MomoResult(order_id=order_id, amount_vnd=amount, result_code=result_code,
                      trans_id=_text("transId", body["transId"]), success=result_code == 0)
