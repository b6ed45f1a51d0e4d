"""The public statistics page on a 360 px phone shows the API's figures, in charts with a text description and a
table alternative; the leaders' overview lists the overdue dossiers."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from api.helpers import complete_answers
from browser.conftest import HttpCitizen, serious_axe_violations
from browser.test_citizen_journey import KHAI_SINH, camera_photo
from browser.test_officials_journey import enrol

pytestmark = pytest.mark.browser


def api(server: str, path: str) -> dict:
    with urllib.request.urlopen(server + "/api/v1" + path, timeout=10) as reply:  # noqa: S310 - loopback
        return json.loads(reply.read())


def filed_and_counted(server: str) -> dict:
    """File one dossier and wait until the server's outbox worker has counted everything (the count holds still)."""
    citizen = HttpCitizen(server, "0955555555")
    procedure = citizen.call("GET", f"/api/v1/procedures/{KHAI_SINH}")
    citizen.file_dossier(KHAI_SINH, complete_answers(procedure), camera_photo())
    seen: list[int] = []
    for _ in range(100):
        report = api(server, "/stats?group_by=month")
        seen.append(report["totals"]["received"])
        if seen[-1] > 0 and seen[-4:] == [seen[-1]] * 4:
            return report
        time.sleep(0.5)
    raise AssertionError(f"the counters did not settle: {seen}")


def test_the_statistics_page_shows_the_api_figures_with_a_table_alternative(phone, server):
    report = filed_and_counted(server)
    page = phone.new_page()
    page.goto(server + "/")
    page.click("[data-testid=footer-stats]")
    page.wait_for_url("**/thong-ke")
    page.wait_for_selector("[data-testid=stats-results]")
    expect(page.locator("h1")).to_have_text("Thống kê giải quyết thủ tục hành chính")
    received = str(report["totals"]["received"])
    expect(page.locator("[data-testid=stat-received] .stat-card__value")).to_have_text(received)
    summary = page.locator("[data-testid=stats-summary]").inner_text()
    assert f"tiếp nhận {received} hồ sơ" in summary
    # the month chart is an image with a name and a description, and its table says the same numbers
    chart = page.locator("[data-testid=chart-months] svg")
    assert chart.get_attribute("role") == "img"
    assert chart.get_attribute("aria-labelledby") == "chart-months-title chart-months-desc"
    assert chart.locator("rect.chart__bar").count() == len(report["groups"]) == 12
    table = page.locator("[data-testid=table-months]")
    expect(table.locator("table")).to_be_hidden()
    table.locator("summary").click()
    expect(table.locator("table")).to_be_visible()
    for group in report["groups"]:
        row = table.locator(f"tr[data-month='{group['key']}'] [data-col=received]")
        expect(row).to_have_text(str(group["received"]))
    assert table.locator("tbody tr").count() == 12
    assert page.locator("[data-testid=criteria] tbody tr").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    # the same page in English
    page.click("[data-testid=lang-switch]")
    expect(page.locator("h1")).to_have_text("Administrative procedure statistics")
    expect(page.locator("[data-testid=stats-summary]")).to_contain_text(f"{received} dossiers received")


def test_the_statistics_page_filters_by_unit_and_month(phone, server):
    filed_and_counted(server)
    month = api(server, "/stats")["filters"]["to"]
    expected = api(server, f"/stats?unit=phuong-tran-bien&from={month}&to={month}")["totals"]
    page = phone.new_page()
    page.goto(server + "/thong-ke")
    page.wait_for_selector("[data-testid=stats-results]")
    page.select_option("#st-unit", "phuong-tran-bien")
    page.fill("[data-testid=stats-from]", month)
    page.click("[data-testid=stats-apply]")
    expect(page.locator("[data-testid=chart-months] rect.chart__bar")).to_have_count(1)  # one month now
    expect(page.locator("[data-testid=stat-received] .stat-card__value")).to_have_text(str(expected["received"]))
    assert "unit=phuong-tran-bien" in page.url and f"from={month}" in page.url


def test_the_statistics_page_has_no_serious_accessibility_violations(browser, server):
    filed_and_counted(server)
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True, locale="vi-VN")
    page = context.new_page()
    page.goto(server + "/thong-ke")
    page.wait_for_selector("[data-testid=stats-results]")
    for details in page.locator("details").all():
        details.evaluate("d => d.open = true")
    violations = serious_axe_violations(page)
    context.close()
    assert violations == []


def test_a_leader_opens_the_overview_from_the_worklist(official_phone, server):
    page = enrol(official_phone, server, "lanh-dao-tran-bien")
    page.click("[data-testid=dashboard-link]")
    page.wait_for_url("**/can-bo/tong-quan")
    expect(page.locator("h1")).to_have_text("Tổng quan đơn vị")
    expect(page.locator("[data-testid=overdue-unit]")).to_have_value("phuong-tran-bien")
    page.wait_for_selector("[data-testid=overdue-list], [data-testid=overdue-none]")
    page.wait_for_selector("[data-testid=worst-units], [data-testid=worst-units-none]")
