"""Paying fees: paid only on a signed confirmation, exactly once however the gateway's callbacks arrive."""

import threading
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.helpers import attach_all, complete_answers
from conftest import ApiClient  # at import time: later conftest.py files are also named 'conftest'
from motcua.adapters import vnpay

HOUSEHOLD_BUSINESS = "1.001612"  # 50.000 đồng (an example fee)


def fee_dossier(citizen) -> dict:
    procedure = citizen.get(f"/api/v1/procedures/{HOUSEHOLD_BUSINESS}").get_json()
    draft = citizen.post("/api/v1/dossiers", json={"procedure_code": HOUSEHOLD_BUSINESS,
                                                   "form": complete_answers(procedure),
                                                   "receiving_office_id": "phuong-tran-bien"}).get_json()
    attach_all(citizen, draft)
    done = citizen.post(f"/api/v1/dossiers/{draft['id']}/submit", json={},
                        headers={"Idempotency-Key": uuid.uuid4().hex})
    assert done.status_code == 200, done.get_json()
    return done.get_json()


def start(citizen, dossier, key=None):
    return citizen.post(f"/api/v1/dossiers/{dossier['id']}/payments", json={"purpose": "fee", "gateway": "vnpay"},
                        headers={"Idempotency-Key": key or uuid.uuid4().hex})


def callback(container, payment, *, success=True, amount=None, code=None, tamper=False) -> dict:
    params = {
        "vnp_TmnCode": container.settings.vnpay_tmn_code, "vnp_Amount": str((amount or payment["amount_vnd"]) * 100),
        "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14226112", "vnp_CardType": "ATM",
        "vnp_PayDate": "20261126093000", "vnp_OrderInfo": "Thanh toan le phi ho so",
        "vnp_TransactionNo": "14226112", "vnp_ResponseCode": code or ("00" if success else "51"),
        "vnp_TransactionStatus": "00" if success else "02", "vnp_TxnRef": payment["txn_ref"],
    }
    params["vnp_SecureHash"] = vnpay.sign(params, container.settings.vnpay_hash_secret)
    if tamper:
        params["vnp_Amount"] = "100"
    return params


def ipn(api, params):
    reply = api.get("/api/v1/payments/vnpay/ipn", query_string=params)
    assert reply.status_code == 200
    return reply.get_json()["RspCode"]


def paid_state(citizen, payment_id):
    return citizen.get(f"/api/v1/payments/{payment_id}").get_json()["status"]


def test_the_fee_is_due_after_submit_and_payment_starts_at_the_gateway(citizen, container):
    d = fee_dossier(citizen)
    assert d["payment_due"] == {"purpose": "fee", "amount_vnd": 50000, "amount_label_vi": "50.000 đồng",
                                "reason": "Phí, lệ phí: Đăng ký thành lập hộ kinh doanh"}
    reply = start(citizen, d)
    assert reply.status_code == 201
    body = reply.get_json()
    assert body["payment"]["status"] == "pending" and body["redirect_url"].startswith(container.settings.vnpay_url)
    assert "vnp_Amount=5000000" in body["redirect_url"] and "vnp_SecureHash=" in body["redirect_url"]
    again = start(citizen, d)  # a second tap resumes the live payment instead of opening another
    assert again.status_code == 200 and again.get_json()["payment"]["id"] == body["payment"]["id"]


def test_returning_from_the_gateway_does_not_mark_it_paid(citizen, api, container):
    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    back = api.get("/api/v1/payments/vnpay/return", query_string=callback(container, payment))
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/thanh-toan/{payment['id']}")
    assert paid_state(citizen, payment["id"]) == "confirming"
    assert ipn(api, callback(container, payment)) == "00"
    assert paid_state(citizen, payment["id"]) == "paid"
    container.worker.run_once()
    mine = citizen.get(f"/api/v1/dossiers/{d['id']}").get_json()
    assert mine["payment_due"] is None and any(h["action"] == "pay_fee" for h in mine["history"])
    assert start(citizen, d).status_code == 409


def test_ipn_replies_follow_the_protocol(citizen, api, container):
    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    assert ipn(api, callback(container, payment, tamper=True)) == "97"
    assert ipn(api, {"vnp_TxnRef": "x"}) == "97"
    assert ipn(api, {}) == "97"
    unknown = dict(payment, txn_ref="NOSUCHORDER")
    assert ipn(api, callback(container, unknown)) == "01"
    assert ipn(api, callback(container, payment, amount=1000)) == "04"
    assert paid_state(citizen, payment["id"]) == "pending"
    assert ipn(api, callback(container, payment)) == "00"
    assert ipn(api, callback(container, payment)) == "02"


def test_a_failed_payment_reported_successful_later_is_recovered(citizen, api, container):
    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    assert ipn(api, callback(container, payment, success=False)) == "00"
    assert paid_state(citizen, payment["id"]) == "failed"
    assert ipn(api, callback(container, payment, success=True)) == "00"
    assert paid_state(citizen, payment["id"]) == "paid"


def test_concurrent_duplicate_ipns_change_the_state_once(citizen, api, app, container):
    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    params = callback(container, payment)
    codes = []

    def send():
        codes.append(app.test_client().get("/api/v1/payments/vnpay/ipn", query_string=params).get_json()["RspCode"])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == ["00", "02", "02", "02", "02", "02"]
    with container.uow(readonly=True) as uow:
        topics = [m.topic for m in uow.outbox.claim(now=container.clock.now(), limit=100, lease_seconds=1)]
    assert topics.count("payment.confirmed") == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(["ok", "ok", "fail", "return", "forged", "ok", "return"]))
def test_any_interleaving_of_callbacks_ends_in_one_confirmed_payment(citizen, api, container, order):
    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    for event in order:
        if event == "return":
            api.get("/api/v1/payments/vnpay/return", query_string=callback(container, payment))
        else:
            ipn(api, callback(container, payment, success=event != "fail", tamper=event == "forged"))
    assert paid_state(citizen, payment["id"]) == "paid"
    with container.uow(readonly=True) as uow:
        stored = uow.payments.get(payment["id"])
    assert [e["what"] for e in stored.log].count("paid") + [e["what"] for e in stored.log].count("recovered") == 1


def test_the_e_receipt_is_a_pdf_with_the_amount_in_words(citizen, api, container):
    import io
    import unicodedata

    from pypdf import PdfReader

    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    assert citizen.get(f"/api/v1/payments/{payment['id']}/receipt.pdf").status_code == 404
    ipn(api, callback(container, payment))
    receipt = citizen.get(citizen.get(f"/api/v1/payments/{payment['id']}").get_json()["receipt_url"])
    assert receipt.status_code == 200
    text = unicodedata.normalize("NFC", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.data)).pages))
    text = " ".join(text.split())
    assert "Năm mươi nghìn đồng" in text and d["code"] in text and "14226112" in text


def test_a_refused_dossier_is_refunded(citizen, api, officials, container):
    from api.test_workflow import RECEIVER, act, ok

    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    ipn(api, callback(container, payment))
    container.worker.run_once()
    ok(act(officials(RECEIVER), d["id"], "refuse", reason="Ngành nghề kinh doanh không được phép."))
    refunds = []
    container.payments._gateway.refund = lambda **kw: refunds.append(kw) or True  # the sandbox is not running here
    container.worker.run_once()
    container.worker.run_once()
    assert paid_state(citizen, payment["id"]) == "refunded" and refunds[0]["amount_vnd"] == 50000


def test_other_citizens_cannot_see_or_start_payments(citizen, app):
    d = fee_dossier(citizen)
    payment = start(citizen, d).get_json()["payment"]
    other = ApiClient(app.test_client())
    other.sign_in("0987654321")
    assert other.get(f"/api/v1/payments/{payment['id']}").status_code == 404
    assert start(other, d).status_code == 404
    assert other.get(f"/api/v1/dossiers/{d['id']}/payments").status_code == 404
