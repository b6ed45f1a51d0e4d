"""Paying the fee from a phone: file a dossier whose procedure has a fee, tap "Thanh toán trực tuyến", pay on the
local VNPay sandbox (another origin), come back to /thanh-toan/<id> and see "Đã thanh toán" only once the server
has the gateway's confirmation, then download the e-receipt. Also: a late confirmation shows "Đang xác nhận"
first, and a failed payment is paid again with "Thử thanh toán lại"."""

from __future__ import annotations

import io
import json
import re
import unicodedata
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from api.helpers import complete_answers
from browser.conftest import HttpCitizen
from browser.test_citizen_journey import (
    attach_photos,
    camera_photo,
    choose_office_and_check,
    fill_form_steps,
    procedure_json,
    sign_in,
)

pytestmark = pytest.mark.browser

HO_KINH_DOANH = "1.001612"  # household business registration: a fee, filed at the commune (phường Trấn Biên)
PAYMENT_PAGE = re.compile(r"/thanh-toan/([^/?#]+)$")


def _sandbox(base: str, path: str, body: object | None = None) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310 - loopback
        return json.loads(reply.read() or b"{}")


def _pay_on_the_gateway(page, server: str, outcome: str = "success") -> str:
    """On the sandbox page: choose the bank, press the outcome; → the sandbox's origin."""
    page.wait_for_selector("[data-testid=sandbox-pay-success]")
    gateway = urlsplit(page.url)
    assert f"{gateway.scheme}://{gateway.netloc}" != server, "the gateway must be another site"
    page.select_option("[data-testid=sandbox-bank]", "NCB")
    page.click(f"[data-testid=sandbox-pay-{outcome}]")
    return f"{gateway.scheme}://{gateway.netloc}"


def _file_with_a_fee(server: str, phone: str) -> dict:
    procedure = procedure_json(server, HO_KINH_DOANH)
    citizen = HttpCitizen(server, phone)
    return citizen.file_dossier(HO_KINH_DOANH, complete_answers(procedure), camera_photo())


def _press_pay(phone, server: str, number: str) -> tuple[object, dict]:
    """A dossier with a fee filed over HTTP, then in the browser: sign in, open it, press "pay" → (page, dossier)."""
    dossier = _file_with_a_fee(server, number)
    page = phone.new_page()
    sign_in(page, server, number)
    page.goto(f"{server}/ho-so/{dossier['id']}")
    page.click("[data-testid=pay-button]")
    return page, dossier


def test_pay_the_fee_from_a_phone_and_download_the_e_receipt(phone, server):
    procedure = procedure_json(server, HO_KINH_DOANH)
    assert procedure["fee"]["amount_vnd"] > 0
    page = phone.new_page()
    sign_in(page, server, "0922222222")
    page.goto(f"{server}/thu-tuc/{HO_KINH_DOANH}")
    page.click("text=Nộp hồ sơ trực tuyến")
    fill_form_steps(page, procedure)
    attach_photos(page, procedure, camera_photo())
    required = sum(1 for d in procedure["documents"] if d["upload_required"])
    expect(page.locator("[data-testid=attachment-row][data-state=done]")).to_have_count(required, timeout=60_000)
    choose_office_and_check(page)
    page.click("[data-testid=submit-dossier]")
    code = page.locator("[data-testid=dossier-code]").inner_text().strip()

    # the confirmation page already says what is due, with the button
    due = page.locator("[data-testid=payment-due]")
    expect(due).to_contain_text("Cần thanh toán: 50.000 đồng — ")
    expect(due.locator("[data-testid=pay-button]")).to_have_text("Thanh toán trực tuyến")

    # the dossier page: the same box; no payment yet
    page.click("[data-testid=track-link]")
    page.wait_for_selector("[data-testid=pay-button]")
    dossier_id = urlsplit(page.url).path.rsplit("/", 1)[1]
    expect(page.locator("[data-testid=payment-item]")).to_have_count(0)
    page.click("[data-testid=pay-button]")

    # the gateway (local VNPay sandbox) shows the amount; pay with a bank
    page.wait_for_selector("[data-testid=sandbox-amount]")
    expect(page.locator("[data-testid=sandbox-amount]")).to_contain_text("50.000")
    _pay_on_the_gateway(page, server)

    # back through the server's return URL to /thanh-toan/<id>: paid once the server says so
    page.wait_for_url(PAYMENT_PAGE)
    payment_id = PAYMENT_PAGE.search(page.url).group(1)
    status = page.locator("[data-testid=payment-status]")
    expect(status).to_have_attribute("data-status", "paid", timeout=30_000)
    expect(status).to_have_text("Đã thanh toán")
    main = page.locator("main")
    expect(main).to_contain_text("50.000 đồng")
    expect(main).to_contain_text(code)
    server_view = page.request.get(f"{server}/api/v1/payments/{payment_id}").json()
    assert server_view["status"] == "paid"

    receipt = page.locator("[data-testid=payment-receipt-link]")
    expect(receipt).to_have_text("Tải biên lai điện tử (PDF)")
    href = receipt.get_attribute("href")
    assert href == server_view["receipt_url"]
    pdf = page.request.get(server + href)
    assert pdf.ok and pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.body().startswith(b"%PDF")
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages))
    assert code in text

    # the link back to the dossier: nothing due any more, the payment listed as paid with its receipt
    page.click("[data-testid=payment-dossier-link]")
    page.wait_for_url(f"**/ho-so/{dossier_id}")
    item = page.locator(f"[data-testid=payment-item][data-id='{payment_id}']")
    expect(item.locator("[data-testid=payment-status]")).to_have_attribute("data-status", "paid")
    expect(item.locator("[data-testid=payment-receipt-link]")).to_have_attribute("href", href)
    expect(page.locator("[data-testid=pay-button]")).to_have_count(0)


def test_coming_back_is_not_paying_a_late_confirmation_shows_confirming_first(phone, server):
    page, _ = _press_pay(phone, server, "0923232323")
    page.wait_for_selector("[data-testid=sandbox-pay-success]")
    gateway = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    _sandbox(gateway, "/sandbox/switches", {"ipn": "delayed", "ipn_delay_seconds": 6})
    try:
        _pay_on_the_gateway(page, server)
        page.wait_for_url(PAYMENT_PAGE)
        status = page.locator("[data-testid=payment-status]")
        # the browser is back before the gateway told the server: waiting, never "paid"
        expect(status).to_have_attribute("data-status", "confirming")
        expect(status).to_have_text("Đang xác nhận")
        expect(page.locator("main")).not_to_contain_text("Đã thanh toán")
        expect(page.locator("[data-testid=payment-receipt-link]")).to_have_count(0)
        # the polling picks up the confirmation when it arrives
        expect(status).to_have_attribute("data-status", "paid", timeout=30_000)
        expect(page.locator("[data-testid=payment-receipt-link]")).to_be_visible()
    finally:
        _sandbox(gateway, "/sandbox/switches", {"ipn": "normal", "ipn_delay_seconds": 3.0})


def test_a_failed_payment_is_paid_again_with_try_again(phone, server):
    page, dossier = _press_pay(phone, server, "0924242424")
    _pay_on_the_gateway(page, server, "fail")
    page.wait_for_url(PAYMENT_PAGE)
    failed_id = PAYMENT_PAGE.search(page.url).group(1)
    status = page.locator("[data-testid=payment-status]")
    expect(status).to_have_attribute("data-status", "failed", timeout=30_000)
    expect(page.locator("main")).not_to_contain_text("Đã thanh toán")
    retry = page.locator("[data-testid=pay-retry]")
    expect(retry).to_have_text("Thử thanh toán lại")
    retry.click()

    _pay_on_the_gateway(page, server)
    page.wait_for_url(PAYMENT_PAGE)
    paid_id = PAYMENT_PAGE.search(page.url).group(1)
    assert paid_id != failed_id, "a new payment, not the failed one"
    expect(page.locator("[data-testid=payment-status]")).to_have_attribute("data-status", "paid", timeout=30_000)

    page.goto(f"{server}/ho-so/{dossier['id']}")
    def chip(payment_id: str):
        return page.locator(f"[data-testid=payment-item][data-id='{payment_id}'] [data-testid=payment-status]")

    expect(chip(failed_id)).to_have_attribute("data-status", "failed")
    expect(chip(paid_id)).to_have_attribute("data-status", "paid")
    expect(page.locator("[data-testid=pay-button]")).to_have_count(0)
