"""VNPay 2.1.0 protocol: signed vectors built by hand from the documented algorithm, and the ways a callback can lie.

The canonical strings below are written out literally (sorted keys, quote_plus encoding: space → "+", UTF-8
percent-encoded Vietnamese, "/" and ":" encoded) and the digests pinned, so a change in the adapter's encoding or
sorting fails here even if the sandbox changed the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from motcua.adapters import vnpay
from motcua.adapters.vnpay import (
    GatewayError,
    InvalidSignature,
    MalformedCallback,
    VnpayClient,
    VnpayConfig,
    parse_callback,
    payment_url,
    sign,
)

SECRET = "SANDBOXSECRET0123456789ABCDEFGHIJ"
CONFIG = VnpayConfig(tmn_code="MOTCUA01", hash_secret=SECRET, pay_url="https://sandbox.example/paymentv2/vpcpay.html",
                     api_url="https://sandbox.example/merchant_webapi/api/transaction",
                     return_url="http://127.0.0.1:8080/api/v1/payments/vnpay/return")
CREATED = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 09:00 in Đồng Nai

PAY_CANONICAL = (
    "vnp_Amount=10000000&vnp_Command=pay&vnp_CreateDate=20261126090000&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20261126091500&vnp_IpAddr=113.161.1.2&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+H19.23-261126-0001&vnp_OrderType=other"
    "&vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Fv1%2Fpayments%2Fvnpay%2Freturn"
    "&vnp_TmnCode=MOTCUA01&vnp_TxnRef=H19.23-261126-0001-1&vnp_Version=2.1.0"
)
PAY_HASH = ("9aa495a301477d68a79b93672ccd0a4962de97bb05510540eb3b6c43f4f24d6a"
            "9db5c36e1a347de76e3f8e2e784726766c0b3f66bbcf13823e8d5fe0fe2822e0")

# A successful IPN whose order info is Vietnamese with diacritics: ệ = E1 BB 87, í = C3 AD, đ = C4 91, ă = C4 83,
# ý = C3 BD in UTF-8.
IPN = {
    "vnp_Amount": "5000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14000001", "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Lệ phí đăng ký khai sinh", "vnp_PayDate": "20261126091203", "vnp_ResponseCode": "00",
    "vnp_TmnCode": "MOTCUA01", "vnp_TransactionNo": "14000001", "vnp_TransactionStatus": "00",
    "vnp_TxnRef": "H19.23-261126-0002-1",
}
IPN_CANONICAL = (
    "vnp_Amount=5000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14000001&vnp_CardType=ATM"
    "&vnp_OrderInfo=L%E1%BB%87+ph%C3%AD+%C4%91%C4%83ng+k%C3%BD+khai+sinh&vnp_PayDate=20261126091203"
    "&vnp_ResponseCode=00&vnp_TmnCode=MOTCUA01&vnp_TransactionNo=14000001&vnp_TransactionStatus=00"
    "&vnp_TxnRef=H19.23-261126-0002-1"
)
IPN_HASH = ("dcbedd926b34cf3ad76e13312bd97488c7ae99b9a8835f5623e644f21243d191"
            "b9b224281789f053b861aa9616fc71e9a124080c102bef83a32375f0574ec5a6")


def hmac512(text: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def signed(params: dict[str, str], secret: str = SECRET) -> dict[str, str]:
    return {**params, "vnp_SecureHash": sign(params, secret)}


def make_url(**overrides) -> str:
    kwargs = dict(txn_ref="H19.23-261126-0001-1", amount_vnd=100_000,
                  order_info="Thanh toan le phi ho so H19.23-261126-0001", ip="113.161.1.2", created_at=CREATED,
                  expire_at=CREATED + timedelta(minutes=15))
    kwargs.update(overrides)
    return payment_url(CONFIG, **kwargs)


# ---- signing -----------------------------------------------------------------------------------------------------

def test_the_hand_built_vectors_are_what_hmac_sha512_gives():
    assert hmac512(PAY_CANONICAL) == PAY_HASH
    assert hmac512(IPN_CANONICAL) == IPN_HASH


def test_payment_url_signs_the_sorted_quote_plus_encoded_parameters():
    url = make_url()
    base, query = url.split("?", 1)
    assert base == CONFIG.pay_url
    assert query == f"{PAY_CANONICAL}&vnp_SecureHash={PAY_HASH}"


def test_vietnamese_order_info_is_signed_as_utf8_percent_encoding():
    assert vnpay.canonical_query(IPN) == IPN_CANONICAL
    assert sign(IPN, SECRET) == IPN_HASH


def test_the_hash_fields_and_non_vnp_parameters_are_not_signed():
    noisy = {**IPN, "vnp_SecureHash": "x", "vnp_SecureHashType": "HmacSHA512", "utm_source": "zalo"}
    assert sign(noisy, SECRET) == IPN_HASH


def test_payment_url_dates_are_gmt7_and_amount_is_times_100():
    params = dict(parse_qsl(urlsplit(make_url(bank_code="VNPAYQR", locale="en")).query))
    assert params["vnp_CreateDate"] == "20261126090000"
    assert params["vnp_ExpireDate"] == "20261126091500"
    assert params["vnp_Amount"] == "10000000"
    assert params["vnp_BankCode"] == "VNPAYQR"
    assert params["vnp_Locale"] == "en"
    assert params["vnp_Version"] == "2.1.0" and params["vnp_Command"] == "pay" and params["vnp_CurrCode"] == "VND"
    assert params["vnp_SecureHash"] == sign(params, SECRET)


def test_a_decoded_payment_url_verifies_like_the_gateway_verifies_it():
    # The gateway decodes the query and re-encodes it: the signature must survive that round trip.
    params = dict(parse_qsl(urlsplit(make_url(order_info="Lệ phí đăng ký khai sinh")).query))
    assert params["vnp_OrderInfo"] == "Lệ phí đăng ký khai sinh"
    assert params["vnp_SecureHash"] == sign(params, SECRET)


@pytest.mark.parametrize("overrides", [
    {"amount_vnd": 4_999}, {"amount_vnd": 1_000_000_000}, {"amount_vnd": 100_000.0}, {"amount_vnd": True},
    {"locale": "fr"}, {"ip": "not-an-ip"}, {"txn_ref": ""}, {"txn_ref": "x" * 101}, {"order_info": ""},
    {"expire_at": CREATED}, {"created_at": datetime(2026, 11, 26, 9, 0), "expire_at": datetime(2026, 11, 26, 9, 15)},
    {"expire_at": datetime(2026, 11, 26, 9, 15)},
])
def test_payment_url_refuses_what_vnpay_would_refuse(overrides):
    with pytest.raises(ValueError):
        make_url(**overrides)


def test_plain_order_info_drops_diacritics_including_d_with_stroke():
    assert vnpay.plain_order_info("Lệ phí đăng ký khai sinh – Đồng Nai!") == "Le phi dang ky khai sinh Dong Nai"


# ---- callbacks ---------------------------------------------------------------------------------------------------

def test_a_genuine_ipn_is_read():
    result = parse_callback({**IPN, "vnp_SecureHash": IPN_HASH}, CONFIG)
    assert result.txn_ref == "H19.23-261126-0002-1"
    assert result.amount_vnd == 50_000
    assert result.success
    assert result.transaction_no == "14000001" and result.bank_code == "NCB" and result.card_type == "ATM"
    assert result.pay_date == datetime(2026, 11, 26, 2, 12, 3, tzinfo=UTC)


def test_upper_case_hex_and_a_hash_type_parameter_are_accepted():
    query = {**IPN, "vnp_SecureHash": IPN_HASH.upper(), "vnp_SecureHashType": "HmacSHA512"}
    assert parse_callback(query, CONFIG).success


def test_a_return_url_with_merchant_parameters_still_verifies():
    assert parse_callback({**IPN, "vnp_SecureHash": IPN_HASH, "lang": "vi"}, CONFIG).amount_vnd == 50_000


@pytest.mark.parametrize(("response_code", "status"), [("24", "02"), ("51", "02"), ("07", "00"), ("00", "01")])
def test_paid_only_when_both_codes_are_00(response_code, status):
    query = signed({**IPN, "vnp_ResponseCode": response_code, "vnp_TransactionStatus": status})
    result = parse_callback(query, CONFIG)
    assert not result.success
    assert result.message == vnpay.describe_response_code(response_code)


@pytest.mark.parametrize("field", sorted(IPN))
def test_changing_any_signed_field_breaks_the_signature(field):
    query = {**IPN, "vnp_SecureHash": IPN_HASH, field: IPN[field] + "1"}
    with pytest.raises(InvalidSignature):
        parse_callback(query, CONFIG)


def test_adding_a_vnp_field_breaks_the_signature():
    with pytest.raises(InvalidSignature):
        parse_callback({**IPN, "vnp_SecureHash": IPN_HASH, "vnp_PromotionCode": "FREE"}, CONFIG)


@pytest.mark.parametrize("hash_value", [None, "", "00" * 64, IPN_HASH[:-2], "zz" + IPN_HASH[2:], "ẞ" * 128])
def test_a_missing_or_wrong_hash_is_an_invalid_signature(hash_value):
    query = dict(IPN) if hash_value is None else {**IPN, "vnp_SecureHash": hash_value}
    with pytest.raises(InvalidSignature):
        parse_callback(query, CONFIG)


def test_a_message_signed_with_another_secret_is_refused():
    with pytest.raises(InvalidSignature):
        parse_callback(signed(IPN, "another-merchant-secret"), CONFIG)


def test_a_correctly_signed_message_for_another_terminal_is_refused():
    with pytest.raises(InvalidSignature):
        parse_callback(signed({**IPN, "vnp_TmnCode": "OTHER001"}), CONFIG)


@pytest.mark.parametrize("amount", ["5000050", "5000001", "", "-5000000", "5e6", " 5000000", "５００００００",
                                    "50000.00", "9" * 30])
def test_an_amount_that_is_not_whole_vnd_times_100_is_malformed(amount):
    with pytest.raises(MalformedCallback):
        parse_callback(signed({**IPN, "vnp_Amount": amount}), CONFIG)


@pytest.mark.parametrize("field", ["vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode", "vnp_TransactionStatus"])
def test_a_signed_message_without_a_required_field_is_malformed(field):
    query = {k: v for k, v in IPN.items() if k != field}
    with pytest.raises(MalformedCallback):
        parse_callback(signed(query), CONFIG)


@pytest.mark.parametrize(("field", "value"), [("vnp_PayDate", "2026-11-26"), ("vnp_PayDate", "20261341250000"),
                                              ("vnp_ResponseCode", "0"), ("vnp_TransactionStatus", "ok"),
                                              ("vnp_TxnRef", "x" * 101)])
def test_garbled_fields_are_malformed(field, value):
    with pytest.raises(MalformedCallback):
        parse_callback(signed({**IPN, field: value}), CONFIG)


def test_a_missing_pay_date_is_none_not_an_error():
    query = {k: v for k, v in IPN.items() if k != "vnp_PayDate"}
    assert parse_callback(signed(query), CONFIG).pay_date is None


def test_a_repeated_parameter_is_malformed_not_first_value_wins():
    query = MultiDict([*signed(IPN).items(), ("vnp_Amount", "100")])
    with pytest.raises(MalformedCallback):
        parse_callback(query, CONFIG)
    assert parse_callback(MultiDict(signed(IPN)), CONFIG).success


def test_non_text_values_are_malformed():
    with pytest.raises(MalformedCallback):
        parse_callback({**signed(IPN), "vnp_Amount": 5000000}, CONFIG)  # type: ignore[dict-item]
    with pytest.raises(MalformedCallback):
        parse_callback(None, CONFIG)  # type: ignore[arg-type]


SCALARS = st.one_of(st.text(), st.integers(), st.none(), st.binary(), st.floats(), st.booleans())
VNP_KEYS = st.sampled_from([*IPN, "vnp_SecureHash", "vnp_SecureHashType"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.one_of(st.text(max_size=20), VNP_KEYS, st.integers()), SCALARS, max_size=15))
def test_any_dict_raises_only_the_two_callback_errors(query):
    with contextlib.suppress(InvalidSignature, MalformedCallback):
        parse_callback(query, CONFIG)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(VNP_KEYS, st.text(max_size=30), max_size=12))
def test_any_correctly_signed_dict_is_read_or_malformed_never_a_signature_error(fields):
    query = signed({**fields, "vnp_TmnCode": "MOTCUA01"})
    try:
        result = parse_callback(query, CONFIG)
    except MalformedCallback:
        return
    assert result.amount_vnd * 100 == int(query["vnp_Amount"])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(IPN)), st.text(min_size=1, max_size=30))
def test_any_substituted_value_in_a_genuine_ipn_is_caught(field, value):
    query = {**IPN, "vnp_SecureHash": IPN_HASH, field: value}
    if value == IPN[field]:
        assert parse_callback(query, CONFIG).success
        return
    with pytest.raises((InvalidSignature, MalformedCallback)):
        parse_callback(query, CONFIG)


# ---- query and refund API (a fake HTTP session; the sandbox test does it over the wire) --------------------------

class FakeResponse:
    def __init__(self, status: int, body: object) -> None:
        self.status_code, self.body = status, body

    def json(self):
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


class FakeSession:
    def __init__(self, answer=None) -> None:
        self.answer, self.sent = answer, []

    def post(self, url, json, timeout, allow_redirects):
        self.sent.append((url, json))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer(json) if callable(self.answer) else self.answer


QUERY_ANSWER_ORDER = ["vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                      "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                      "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount"]


def query_answer(code="00", secret=SECRET, **overrides):
    answer = {"vnp_ResponseId": "a1b2", "vnp_Command": "querydr", "vnp_ResponseCode": code,
              "vnp_Message": "QueryDR Success", "vnp_TmnCode": "MOTCUA01", "vnp_TxnRef": "H19.23-261126-0001-1",
              "vnp_Amount": "10000000", "vnp_BankCode": "NCB", "vnp_PayDate": "20261126091203",
              "vnp_TransactionNo": "14000001", "vnp_TransactionType": "01", "vnp_TransactionStatus": "00",
              "vnp_OrderInfo": "Thanh toan le phi ho so H19.23-261126-0001", **overrides}
    # Written out as VNPay documents it: the values in a fixed order, "|"-joined, absent ones empty.
    answer["vnp_SecureHash"] = hmac512("|".join(answer.get(k, "") for k in QUERY_ANSWER_ORDER), secret)
    return FakeResponse(200, answer)


def client(answer) -> tuple[VnpayClient, FakeSession]:
    session = FakeSession(answer)
    now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    return VnpayClient(CONFIG, session=session, clock=lambda: now), session  # type: ignore[arg-type]


def test_query_request_is_signed_over_the_pipe_joined_values_in_vnpays_order():
    api, session = client(query_answer())
    api.query(txn_ref="H19.23-261126-0001-1", created_at=CREATED, ip="10.0.0.5")
    url, sent = session.sent[0]
    assert url == CONFIG.api_url
    assert sent["vnp_Command"] == "querydr" and sent["vnp_Version"] == "2.1.0"
    assert sent["vnp_TransactionDate"] == "20261126090000" and sent["vnp_CreateDate"] == "20261127080000"
    assert len(sent["vnp_RequestId"]) <= 32
    expected = (f"{sent['vnp_RequestId']}|2.1.0|querydr|MOTCUA01|H19.23-261126-0001-1|20261126090000|"
                f"20261127080000|10.0.0.5|Truy van giao dich H19.23-261126-0001-1")
    assert sent["vnp_SecureHash"] == hmac512(expected)


def test_a_pinned_querydr_request_vector():
    values = {"vnp_RequestId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "vnp_Version": "2.1.0", "vnp_Command": "querydr",
              "vnp_TmnCode": "MOTCUA01", "vnp_TxnRef": "H19.23-261126-0001-1", "vnp_TransactionDate": "20261126090000",
              "vnp_CreateDate": "20261127080000", "vnp_IpAddr": "10.0.0.5",
              "vnp_OrderInfo": "Truy van giao dich H19.23-261126-0001-1"}
    assert vnpay.sign_fields(values, vnpay.QUERY_REQUEST_FIELDS, SECRET) == (
        "b664ec5800116eb047346f1f2b919cacdc5d01634912841f36b406b238f59059"
        "abb33129efb3869592201bbbcd798b07124958146a71b01fbb170eed7c7e9e52")


def test_a_signed_query_answer_is_read():
    api, _ = client(query_answer())
    result = api.query(txn_ref="H19.23-261126-0001-1", created_at=CREATED, ip="10.0.0.5")
    assert result.found and result.success
    assert result.amount_vnd == 100_000 and result.transaction_no == "14000001"
    assert result.pay_date == datetime(2026, 11, 26, 2, 12, 3, tzinfo=UTC)


def test_query_not_found_is_91():
    api, _ = client(query_answer("91", vnp_Amount="", vnp_TransactionNo="", vnp_TransactionStatus="", vnp_PayDate=""))
    result = api.query(txn_ref="H19.23-261126-0001-1", created_at=CREATED, ip="10.0.0.5")
    assert not result.found and not result.success


@pytest.mark.parametrize("answer", [
    query_answer(secret="wrong"),
    query_answer(vnp_TxnRef="H19.23-261126-0009-1"),
    FakeResponse(200, {**query_answer().body, "vnp_Amount": "99900000"}),
    FakeResponse(200, {k: v for k, v in query_answer().body.items() if k != "vnp_SecureHash"}),
    FakeResponse(502, {}), FakeResponse(200, ValueError("not json")), FakeResponse(200, ["a list"]),
    query_answer("97"), query_answer("99"),
    requests.ConnectionError("refused"), requests.Timeout("slow"),
])
def test_query_raises_gateway_error_for_anything_untrustworthy(answer):
    api, _ = client(answer)
    with pytest.raises(GatewayError):
        api.query(txn_ref="H19.23-261126-0001-1", created_at=CREATED, ip="10.0.0.5")


REFUND_ANSWER_ORDER = QUERY_ANSWER_ORDER[:13]


def refund_answer(sent, code="00"):
    answer = {"vnp_ResponseId": "r1", "vnp_Command": "refund", "vnp_ResponseCode": code, "vnp_Message": "m",
              "vnp_TmnCode": "MOTCUA01", "vnp_TxnRef": sent["vnp_TxnRef"], "vnp_Amount": sent["vnp_Amount"],
              "vnp_TransactionType": sent["vnp_TransactionType"], "vnp_TransactionStatus": "05"}
    answer["vnp_SecureHash"] = hmac512("|".join(answer.get(k, "") for k in REFUND_ANSWER_ORDER))
    return FakeResponse(200, answer)


def test_refund_request_is_signed_in_vnpays_order_and_accepted():
    api, session = client(refund_answer)
    outcome = api.refund(txn_ref="H19.23-261126-0001-1", amount_vnd=100_000, transaction_no="14000001",
                         transaction_date=CREATED, created_by="canbo.mc@dongnai.gov.vn", ip="10.0.0.5")
    assert outcome.ok and outcome.response_code == "00"
    sent = session.sent[0][1]
    expected = "|".join([sent["vnp_RequestId"], "2.1.0", "refund", "MOTCUA01", "02", "H19.23-261126-0001-1",
                         "10000000", "14000001", "20261126090000", "canbo.mc@dongnai.gov.vn", "20261127080000",
                         "10.0.0.5", "Hoan tien giao dich H19.23-261126-0001-1"])
    assert sent["vnp_SecureHash"] == hmac512(expected)


def test_a_partial_refund_is_type_03_and_a_refusal_is_not_ok():
    api, session = client(lambda sent: refund_answer(sent, code="93"))
    outcome = api.refund(txn_ref="H19.23-261126-0001-1", amount_vnd=20_000, transaction_no="14000001",
                         transaction_date=CREATED, created_by="canbo", ip="10.0.0.5", full=False)
    assert session.sent[0][1]["vnp_TransactionType"] == "03"
    assert not outcome.ok and outcome.response_code == "93"
