"""MoMo IPN: a signed vector built by hand from the documented raw string, and the ways an IPN can lie."""

from __future__ import annotations

import contextlib
import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.adapters.momo import (
    IPN_ACK_STATUS,
    InvalidSignature,
    MalformedCallback,
    MomoConfig,
    ipn_signature,
    parse_ipn,
)
from motcua.adapters.vnpay import InvalidSignature as VnpayInvalidSignature

CONFIG = MomoConfig(partner_code="MOTCUAMOMO", access_key="test-access-key", secret_key="test-momo-secret-key")

IPN = {
    "partnerCode": "MOTCUAMOMO", "orderId": "H19.23-261126-0002-1", "requestId": "H19.23-261126-0002-1",
    "amount": 50000, "orderInfo": "Lệ phí đăng ký khai sinh", "orderType": "momo_wallet", "transId": 4088878653,
    "resultCode": 0, "message": "Thành công.", "payType": "qr", "responseTime": 1795654323000, "extraData": "",
}
# The documented raw string, keys in MoMo's order, values unencoded (accessKey from the configuration).
RAW = ("accessKey=test-access-key&amount=50000&extraData=&message=Thành công.&orderId=H19.23-261126-0002-1"
       "&orderInfo=Lệ phí đăng ký khai sinh&orderType=momo_wallet&partnerCode=MOTCUAMOMO&payType=qr"
       "&requestId=H19.23-261126-0002-1&responseTime=1795654323000&resultCode=0&transId=4088878653")
SIGNATURE = "c08abaf3e990c340d542e71473e22c1148cb20596711f85cd6a6083357db5442"


def signed(fields: dict) -> dict:
    return {**fields, "signature": ipn_signature(fields, CONFIG)}


def test_the_hand_built_vector_is_hmac_sha256_of_the_raw_string():
    assert hmac.new(b"test-momo-secret-key", RAW.encode(), hashlib.sha256).hexdigest() == SIGNATURE
    assert ipn_signature(IPN, CONFIG) == SIGNATURE


def test_a_genuine_ipn_is_read():
    result = parse_ipn({**IPN, "signature": SIGNATURE}, CONFIG)
    assert (result.order_id, result.amount_vnd, result.result_code, result.trans_id) == (
        "H19.23-261126-0002-1", 50_000, 0, "4088878653")
    assert result.success


def test_the_merchant_acknowledges_with_204():
    assert IPN_ACK_STATUS == 204


def test_the_errors_are_shared_with_the_vnpay_adapter():
    assert InvalidSignature is VnpayInvalidSignature


@pytest.mark.parametrize("code", [1006, 1005, 9000, 49])
def test_only_result_code_0_is_a_payment(code):
    assert not parse_ipn(signed({**IPN, "resultCode": code}), CONFIG).success


@pytest.mark.parametrize("field", sorted(IPN))
def test_changing_any_field_breaks_the_signature(field):
    value = IPN[field]
    changed = value + 1 if isinstance(value, int) else value + "x"
    with pytest.raises(InvalidSignature):
        parse_ipn({**IPN, "signature": SIGNATURE, field: changed}, CONFIG)


@pytest.mark.parametrize("signature", [None, "", 42, SIGNATURE[:-1], "0" * 64])
def test_a_missing_or_wrong_signature_is_invalid(signature):
    body = dict(IPN) if signature is None else {**IPN, "signature": signature}
    with pytest.raises(InvalidSignature):
        parse_ipn(body, CONFIG)


def test_another_secret_or_access_key_is_invalid():
    for config in (MomoConfig("MOTCUAMOMO", "test-access-key", "other"), MomoConfig("MOTCUAMOMO", "other", "x")):
        with pytest.raises(InvalidSignature):
            parse_ipn({**IPN, "signature": ipn_signature(IPN, config)}, CONFIG)


def test_a_correctly_signed_ipn_for_another_partner_is_refused():
    with pytest.raises(InvalidSignature):
        parse_ipn(signed({**IPN, "partnerCode": "SOMEONEELSE"}), CONFIG)


@pytest.mark.parametrize("change", [
    {"amount": 50000.0}, {"amount": True}, {"amount": "5e4"}, {"amount": 0}, {"amount": -50000}, {"amount": None},
    {"resultCode": "zero"}, {"orderId": ""}, {"orderInfo": 7}, {"extraData": None}, {"transId": [1]},
])
def test_mistyped_fields_are_malformed(change):
    with pytest.raises(MalformedCallback):
        parse_ipn(_signed_raw({**IPN, **change}), CONFIG)


def _signed_raw(fields: dict) -> dict:
    """Sign whatever the fields are (if they can be written at all) so only the type check can refuse them."""
    try:
        return signed(fields)
    except MalformedCallback:
        return {**fields, "signature": SIGNATURE}


def test_numbers_sent_as_digit_strings_are_accepted():
    fields = {**IPN, "amount": "50000", "transId": "4088878653"}
    assert parse_ipn(signed(fields), CONFIG).amount_vnd == 50_000


@pytest.mark.parametrize("field", sorted(IPN))
def test_a_missing_field_is_malformed(field):
    body = {k: v for k, v in IPN.items() if k != field}
    with pytest.raises(MalformedCallback):
        parse_ipn({**body, "signature": SIGNATURE}, CONFIG)


def test_not_an_object_is_malformed():
    for body in (None, [], "text", 3):
        with pytest.raises(MalformedCallback):
            parse_ipn(body, CONFIG)  # type: ignore[arg-type]


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=3), max_leaves=5)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from([*IPN, "signature"]), st.text(max_size=10)), JSON_VALUES,
                       max_size=16))
def test_any_json_object_raises_only_the_two_callback_errors(body):
    with contextlib.suppress(InvalidSignature, MalformedCallback):
        parse_ipn(body, CONFIG)


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({k: (st.integers() if isinstance(v, int) else st.text(max_size=20))
                              for k, v in IPN.items()}))
def test_any_signed_ipn_is_read_or_malformed_never_a_signature_error(fields):
    fields["partnerCode"] = "MOTCUAMOMO"
    try:
        result = parse_ipn(signed(fields), CONFIG)
    except MalformedCallback:
        return
    assert result.amount_vnd == fields["amount"] > 0
