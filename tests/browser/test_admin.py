"""The administrator on a phone: enrols a passkey, issues an enrolment link for another official from the admin
page and checks every dossier's audit hash chain; nothing of /api/v1/admin/* lands in the service worker's caches."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser.conftest import cached_urls, enrolment_links

pytestmark = pytest.mark.browser


def test_the_admin_issues_an_enrolment_link_and_checks_the_audit_trail(server, official_phone):
    page = official_phone(enrolment_links(server)["quan-tri"])
    page.click("[data-testid=enrol-button]")
    # the enrolment page is itself under /can-bo/: wait for where a signed-in administrator lands, or the next
    # goto can cancel the enrolment request before its session cookie arrives
    page.wait_for_url(re.compile(r"/can-bo/(quan-tri|ho-so)"))
    origin = page.url.split("/can-bo")[0]

    page.goto(origin + "/can-bo/quan-tri")
    expect(page.locator("nav.nav").get_by_role("link", name="Quản trị")).to_be_visible()
    official = page.locator("[data-testid=admin-official][data-id=chuyen-vien-tran-bien]")
    expect(official).to_contain_text("Chuyên viên")

    with page.expect_response(lambda r: r.url.endswith("/admin/officials/chuyen-vien-tran-bien/enrolment")) as answer:
        official.locator("[data-testid=issue-enrolment]").click()
    assert answer.value.status == 200, answer.value.text()
    url = official.locator("[data-testid=enrolment-url]")
    link_shape = re.compile(r"^\s*" + re.escape(origin) + r"/can-bo/dang-ky\?token=[A-Za-z0-9_-]{10,100}\s*$")
    expect(url).to_have_text(link_shape)
    assert url.inner_text().strip() == answer.value.json()["url"]
    expect(official).to_contain_text("72 giờ")

    page.click("[data-testid=audit-check-all]")
    result = page.locator("[data-testid=audit-result]")
    expect(result).to_have_attribute("data-intact", "true")
    expect(result).to_contain_text("tất cả toàn vẹn")

    cached = cached_urls(page)
    assert not [u for u in cached if "/api/v1/admin" in u]
