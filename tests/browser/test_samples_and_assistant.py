"""The sample dossier opens offline once its procedure was viewed; the 1022 assistant answers in the browser."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from browser.conftest import AXE

pytestmark = pytest.mark.browser

KHAI_SINH = "1.001193"
SAMPLE = f"/api/v1/procedures/{KHAI_SINH}/sample-dossier.pdf"


def controlled(page) -> None:
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_sample_dossier_viewed_online_opens_offline(phone, server):
    page = phone.new_page()
    page.goto(f"{server}/thu-tuc/{KHAI_SINH}")
    page.wait_for_selector("text=Giấy chứng sinh")
    controlled(page)
    link = page.locator("[data-testid=sample-dossier]")
    expect(link).to_have_text("Tải hồ sơ mẫu (PDF)")
    assert link.get_attribute("href") == SAMPLE
    # Viewing the procedure was enough: the worker keeps the sample without the citizen opening it.
    page.wait_for_function("""async (url) => {
        const cache = await caches.open('motcua-samples');
        return Boolean(await cache.match(url));
    }""", arg=server + SAMPLE, timeout=20_000)

    phone.set_offline(True)
    try:
        page.goto(f"{server}/thu-tuc/{KHAI_SINH}")
        page.wait_for_selector("[data-testid=sample-dossier]")
        opened = page.evaluate("""async (url) => {
            const r = await fetch(url);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return {status: r.status, type: r.headers.get('content-type'),
                    head: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length};
        }""", page.locator("[data-testid=sample-dossier]").get_attribute("href"))
        # Opening the link itself (a navigation) is answered by the service worker too.
        shown = page.goto(server + SAMPLE)
        assert shown.status == 200 and shown.from_service_worker
        assert shown.headers["content-type"] == "application/pdf"
    finally:
        phone.set_offline(False)
    assert opened["status"] == 200 and opened["type"] == "application/pdf"
    assert opened["head"] == "%PDF-" and opened["size"] > 10_000


def test_assistant_answers_and_cites_the_procedure(phone, server):
    page = phone.new_page()
    page.goto(server + "/")
    page.click("[data-testid=assistant-link]")
    page.wait_for_selector("[data-testid=assistant-question]")
    page.fill("[data-testid=assistant-question]", "lam giay khai sinh cho con can gi")
    page.click("[data-testid=assistant-submit]")
    answer = page.locator("[data-testid=assistant-answer]")
    expect(answer).to_have_attribute("data-unsure", "false")
    expect(answer).to_have_attribute("data-code", KHAI_SINH)
    expect(answer).to_contain_text("Giấy chứng sinh (bản chính, 01 bản)")
    page.click("[data-testid=assistant-procedure]")
    page.wait_for_url(f"**/thu-tuc/{KHAI_SINH}")
    expect(page.locator("h1")).to_contain_text("Đăng ký khai sinh")


def test_assistant_says_when_unsure_and_offers_the_hotline(phone, server):
    page = phone.new_page()
    page.goto(server + "/hoi-dap")
    page.fill("[data-testid=assistant-question]", "làm hộ chiếu cần gì")
    page.click("[data-testid=assistant-submit]")
    answer = page.locator("[data-testid=assistant-answer]")
    expect(answer).to_have_attribute("data-unsure", "true")
    hotline = page.locator("[data-testid=assistant-hotline]")
    expect(hotline).to_have_attribute("href", "/phan-anh?question=" + quote("làm hộ chiếu cần gì", safe=""))


def test_markup_in_a_question_is_refused_and_never_rendered(phone, server):
    page = phone.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/hoi-dap")
    page.fill("[data-testid=assistant-question]", "<img src=x onerror=alert(1)> khai sinh")
    page.click("[data-testid=assistant-submit]")
    expect(page.locator("[role=alert]")).to_contain_text("không hợp lệ")
    assert page.locator("main img").count() == 0 and dialogs == []


def test_assistant_page_with_an_answer_has_no_serious_accessibility_violations(browser, server):
    # axe-core is injected as a script, which our CSP rightly forbids: this context bypasses CSP for the check.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True, locale="vi-VN")
    page = context.new_page()
    page.goto(server + "/hoi-dap")
    page.fill("[data-testid=assistant-question]", "xin visa đi Mỹ ở đâu")
    page.click("[data-testid=assistant-submit]")
    page.wait_for_selector("[data-testid=assistant-answer]")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    context.close()
    assert violations == []


def test_the_procedure_page_leads_to_feedback_about_that_procedure(phone, server):
    page = phone.new_page()
    page.goto(f"{server}/thu-tuc/{KHAI_SINH}")
    page.locator("[data-testid=procedure-feedback]").click()
    page.wait_for_url(f"**/phan-anh?procedure={KHAI_SINH}")
    expect(page.locator("[data-testid=fb-procedure]")).to_have_value(KHAI_SINH)
