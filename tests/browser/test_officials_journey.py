"""Officials on their phones: enrol a passkey from a link, take the dossier through the office, and the leader
signs the exact PDF shown with the passkey; the citizen's result then verifies on the public page."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from api.helpers import complete_answers
from browser.conftest import HttpCitizen, enrolment_links
from browser.test_citizen_journey import KHAI_SINH, camera_photo

pytestmark = pytest.mark.browser


def open_dossier(page, code: str) -> None:
    page.goto(page.url.split("/can-bo")[0] + "/can-bo/ho-so")
    item = page.locator(f"[data-testid=worklist-item][data-code='{code}']")
    item.wait_for()
    item.locator("a").first.click()
    page.wait_for_selector("[data-testid^='action-']")


def take(page, action: str, *, reason: str | None = None, assignee: bool = False) -> None:
    page.click(f"[data-testid=action-{action}]")
    if reason is not None:
        page.fill("[data-testid=action-reason]", reason)
    if assignee:
        page.locator("[data-testid=assignee-option]").first.check()
    with page.expect_response(lambda r: f"/actions/{action}" in r.url) as answer:
        page.click("[data-testid=confirm-action]")
    assert answer.value.status == 200, answer.value.text()
    expect(page.locator("[data-testid=confirm-action]")).to_have_count(0)


def enrol(official_phone, server, official_id: str):
    page = official_phone(enrolment_links(server)[official_id])
    page.click("[data-testid=enrol-button]")
    page.wait_for_url("**/can-bo/ho-so**")
    return page


def test_a_dossier_goes_through_the_office_and_the_leader_signs_it_with_a_passkey(server, official_phone, browser):
    citizen = HttpCitizen(server, "0966666666")
    procedure = citizen.call("GET", f"/api/v1/procedures/{KHAI_SINH}")
    dossier = citizen.file_dossier(KHAI_SINH, {**complete_answers(procedure), "applicant_phone": "0966666666"},
                                   camera_photo())
    code = dossier["code"]

    receiver = enrol(official_phone, server, "can-bo-tiep-nhan-tran-bien")
    open_dossier(receiver, code)
    take(receiver, "receive")
    take(receiver, "forward")

    leader = enrol(official_phone, server, "lanh-dao-tran-bien")
    open_dossier(leader, code)
    take(leader, "assign", assignee=True)

    specialist = enrol(official_phone, server, "chuyen-vien-tran-bien")
    open_dossier(specialist, code)
    take(specialist, "propose")

    leader.goto(leader.url.split("/can-bo")[0] + f"/can-bo/ky/{dossier['id']}")
    leader.click("[data-testid=sign-button]")
    result = leader.locator("[data-testid=sign-result]").first
    expect(result).to_have_attribute("data-status", "signed", timeout=30_000)

    mine = citizen.call("GET", f"/api/v1/dossiers/{dossier['id']}")
    assert mine["status"] == "done" and mine["result_url"]
    signed = citizen.call("GET", mine["result_url"])

    # The public verification page says the downloaded result is valid, and who signed it.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.goto(server + "/xac-minh")
    page.set_input_files("[data-testid=verify-file]",
                         files=[{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": signed}])
    verdict = page.locator("[data-testid=verify-result]")
    expect(verdict).to_have_attribute("data-valid", "true", timeout=20_000)
    assert "Nguyễn Văn Bình" in verdict.inner_text()
    tampered = bytearray(signed)
    tampered[len(tampered) // 3] ^= 0x01
    page.goto(server + "/xac-minh")
    page.set_input_files("[data-testid=verify-file]",
                         files=[{"name": "sua.pdf", "mimeType": "application/pdf", "buffer": bytes(tampered)}])
    expect(page.locator("[data-testid=verify-result]")).to_have_attribute("data-valid", "false", timeout=20_000)
    context.close()
    assert io.BytesIO(signed).read(5) == b"%PDF-"
