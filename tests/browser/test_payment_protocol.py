"""The real protocol in both directions over HTTP: the app (gunicorn) and the local VNPay sandbox on its own port.
No browser needed: this is what the gateway and the phone do on the wire."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from api.helpers import complete_answers
from browser.conftest import SERVER_ENV, HttpCitizen
from browser.test_citizen_journey import camera_photo

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def sandbox_base(redirect_url: str) -> str:
    return redirect_url.split("/paymentv2/")[0]


def switches(base: str, **values) -> None:
    request = urllib.request.Request(base + "/sandbox/switches", data=json.dumps(values).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()  # noqa: S310 - loopback


def pay_at_sandbox(redirect_url: str, outcome: str = "success") -> str:
    """What the phone does on the gateway's page: open it, choose a bank, confirm. Returns the return URL."""
    page = urllib.request.urlopen(redirect_url).read().decode()  # noqa: S310 - loopback
    session = re.search(r'name="session" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"session": session, "bank": "NCB", "outcome": outcome}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(sandbox_base(redirect_url) + "/paymentv2/confirm", data=form))
    except urllib.error.HTTPError as answer:  # the 302 back to the merchant
        assert answer.code == 302
        return answer.headers["Location"]
    raise AssertionError("the sandbox did not redirect back")


def fee_payment_started(server: str, phone: str) -> tuple[HttpCitizen, dict]:
    """A citizen who filed a dossier with a fee and started paying it over HTTP → (citizen, the start reply)."""
    citizen = HttpCitizen(server, phone)
    procedure = citizen.call("GET", "/api/v1/procedures/1.001612")
    dossier = citizen.file_dossier("1.001612", {**complete_answers(procedure), "applicant_phone": phone},
                                   camera_photo())
    started = citizen.call("POST", f"/api/v1/dossiers/{dossier['id']}/payments", {"purpose": "fee"},
                           headers={"Idempotency-Key": f"pay-{phone}"})
    return citizen, started


def test_paying_through_the_sandbox_confirms_by_ipn_and_the_return_only_shows_it(server):
    citizen, started = fee_payment_started(server, "0911111111")
    switches(sandbox_base(started["redirect_url"]), ipn="normal", tamper=True)
    back = pay_at_sandbox(started["redirect_url"])
    assert back.startswith(server + "/api/v1/payments/vnpay/return?")
    payment = citizen.call("GET", f"/api/v1/payments/{started['payment']['id']}")
    assert payment["status"] == "paid" and payment["receipt_url"]
    log = json.loads(urllib.request.urlopen(sandbox_base(started["redirect_url"]) + "/sandbox/ipn-log").read())
    answers = [(e["forged"], json.loads(e["body"])["RspCode"]) for e in log["entries"]]
    assert (True, "97") in answers and (False, "00") in answers  # the forged IPN was refused


def test_a_missing_ipn_is_settled_by_reconciliation(server):
    citizen, started = fee_payment_started(server, "0922222222")
    switches(sandbox_base(started["redirect_url"]), ipn="missing", tamper=False)
    back = pay_at_sandbox(started["redirect_url"])
    try:
        urllib.request.build_opener(NoRedirect).open(back)
    except urllib.error.HTTPError as answer:
        assert answer.code == 302 and answer.headers["Location"].endswith(started["payment"]["id"])
    assert citizen.call("GET", f"/api/v1/payments/{started['payment']['id']}")["status"] == "confirming"
    done = subprocess.run([sys.executable, "-m", "motcua", "reconcile", "--older-than", "0"],
                          env={**os.environ, **SERVER_ENV}, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "1 payment(s) settled" in done.stdout
    for _ in range(20):
        if citizen.call("GET", f"/api/v1/payments/{started['payment']['id']}")["status"] == "paid":
            break
        time.sleep(0.2)
    else:
        raise AssertionError("reconciliation did not settle the payment")
    switches(sandbox_base(started["redirect_url"]), ipn="normal")

