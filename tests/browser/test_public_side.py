"""The public side in a real Chromium: a citizen rates a returned dossier and sends feedback; an official answers on
their phone; the public list shows the answer without personal data; the counter's kiosk rates another dossier by
code and refuses a second rating."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from api.helpers import complete_answers
from browser.conftest import AXE, HttpCitizen, HttpSession, enrolment_links, page_with_fingerprint
from browser.test_citizen_journey import KHAI_SINH, answer_sign_in_form, camera_photo, sign_in
from browser.test_officials_journey import enrol

pytestmark = pytest.mark.browser


class HttpOfficial(HttpSession):
    """An official over real HTTP with a software passkey: sets the scene (drives dossiers to RETURNED)."""

    def __init__(self, server: str, official_id: str) -> None:
        from support.soft_authenticator import SoftAuthenticator

        link = enrolment_links(server)[official_id]
        parsed = urllib.parse.urlparse(link)
        super().__init__(f"{parsed.scheme}://{parsed.netloc}")
        token = urllib.parse.parse_qs(parsed.query)["token"][0]
        self.authenticator = SoftAuthenticator(origin=self.base)
        options = self.call("POST", "/api/v1/officials/enrol/options", {"token": token})
        credential = self.authenticator.create(options["options"])
        self.csrf = self.call("POST", "/api/v1/officials/enrol/verify", {
            "token": token, "challenge_id": options["challenge_id"], "credential": credential})["csrf_token"]

    def act(self, dossier_id: str, action: str, **body) -> dict:
        version = self.call("GET", f"/api/v1/work/dossiers/{dossier_id}")["version"]
        return self.call("POST", f"/api/v1/work/dossiers/{dossier_id}/actions/{action}", {"version": version, **body})


def returned_dossier(server: str, phone: str, people: dict) -> dict:
    citizen = HttpCitizen(server, phone)
    procedure = citizen.call("GET", f"/api/v1/procedures/{KHAI_SINH}")
    dossier = citizen.file_dossier(KHAI_SINH, {**complete_answers(procedure), "applicant_phone": phone},
                                   camera_photo())
    receiver, leader, specialist = people["receiver"], people["leader"], people["specialist"]
    receiver.act(dossier["id"], "receive")
    receiver.act(dossier["id"], "forward")
    leader.act(dossier["id"], "assign", assignee_id="chuyen-vien-tran-bien")
    specialist.act(dossier["id"], "propose", note="Đủ điều kiện.")
    preview = leader.call("GET", f"/api/v1/work/dossiers/{dossier['id']}/result-preview.pdf", raw_reply=True)
    items = [{"dossier_id": dossier["id"], "sha256": preview.headers["X-Content-SHA256"]}]
    options = leader.call("POST", "/api/v1/work/signing/options", {"items": items})
    signed = leader.call("POST", "/api/v1/work/signing/complete", {
        "challenge_id": options["challenge_id"], "credential": leader.authenticator.get(options["options"]),
        "items": items})
    assert signed["results"][0]["status"] == "signed", signed
    assert receiver.act(dossier["id"], "return_result", method="counter")["status"] == "returned"
    return dossier


@pytest.fixture(scope="module")
def people(server):
    return {"receiver": HttpOfficial(server, "can-bo-tiep-nhan-tran-bien"),
            "leader": HttpOfficial(server, "lanh-dao-tran-bien"),
            "specialist": HttpOfficial(server, "chuyen-vien-tran-bien")}


def test_rate_send_feedback_answer_publish_and_kiosk(server, phone, browser, official_phone, people):
    dossier = returned_dossier(server, "0977777777", people)

    # the citizen rates the returned dossier on their phone
    page = phone.new_page()
    sign_in(page, server, "0977777777")
    page.goto(f"{server}/ho-so/{dossier['id']}")
    page.wait_for_selector("[data-testid=rating-form]")
    page.click("[data-testid=rate-submit]")  # no score yet: told what to fix
    expect(page.locator("[data-testid=rating-form] .error-message")).to_be_visible()
    page.locator("[data-testid=rate-overall-4]").check()
    page.locator("details.rating-panel__criteria summary").click()
    page.locator("[data-testid=rate-attitude-5]").check()
    page.fill("[data-testid=rate-comment]", "Cán bộ hướng dẫn rất tận tình.")
    page.click("[data-testid=rate-submit]")
    expect(page.locator("[data-testid=rating-given]")).to_have_attribute("data-overall", "4")
    page.reload()
    expect(page.locator("[data-testid=rating-given]")).to_be_visible()
    expect(page.locator("[data-testid=rating-form]")).to_have_count(0)

    # then sends feedback about it (prefilled from the link)
    question = (f"Tôi là Phạm Quốc Bảo, số 0977 777 777, hồ sơ {dossier['code']}: kết quả trả đúng hẹn, "
                "nhưng phải chờ lâu ở quầy.")
    page.goto(f"{server}/phan-anh?dossier={dossier['id']}&question={urllib.parse.quote(question)}")
    expect(page.locator("[data-testid=fb-question]")).to_have_value(question)
    expect(page.locator("[data-testid=fb-kind-dossier]")).to_be_checked()
    page.locator("[data-testid=fb-dossier]").select_option(dossier["id"])
    page.fill("[data-testid=fb-name]", "Phạm Quốc Bảo")
    page.set_input_files("[data-testid=fb-files]", files=[{"name": "quay.jpg", "mimeType": "image/jpeg",
                                                           "buffer": camera_photo()}])
    page.click("[data-testid=fb-submit]")
    page.wait_for_url("**/phan-anh/*")
    expect(page.locator("[data-testid=feedback-item]")).to_have_attribute("data-status", "open")
    feedback_url = page.url

    # the ward's leader answers on their phone
    leader = enrol(official_phone, server, "lanh-dao-tran-bien")
    leader.goto(leader.url.split("/can-bo")[0] + "/can-bo/phan-anh")
    leader.locator("[data-testid=wfb-item] a").first.click()
    expect(leader.locator("[data-testid=wfb-question]")).to_contain_text("Phạm Quốc Bảo")
    expect(leader.locator("[data-testid=wfb-file]")).to_have_count(1)
    leader.fill("[data-testid=wfb-answer]", "Kính gửi ông Phạm Quốc Bảo: phường đã bố trí thêm một quầy tiếp nhận.")
    with leader.expect_response(lambda r: r.url.endswith("/answer")) as answered:
        leader.click("[data-testid=wfb-send]")
    assert answered.value.status == 200, answered.value.text()
    expect(leader.locator("[data-testid=wfb-sheet]")).to_have_attribute("data-status", "answered")

    # the citizen sees the answer; the public sees it without any personal data
    page.goto(feedback_url)
    expect(page.locator("[data-testid=feedback-answer]")).to_contain_text("thêm một quầy")
    public = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", bypass_csp=True)
    reader = public.new_page()
    reader.goto(server + "/phan-anh/cong-khai")
    entry = reader.locator("[data-testid=public-feedback]").first
    expect(entry.locator("[data-testid=public-answer]")).to_contain_text("thêm một quầy tiếp nhận")
    shown = entry.inner_text()
    for secret in ("Phạm Quốc Bảo", "0977", "777 777", dossier["code"]):
        assert secret not in shown, secret
    assert "[họ tên]" in shown and "[số điện thoại]" in shown and "[mã hồ sơ]" in shown
    reader.add_script_tag(path=str(AXE))
    violations = reader.evaluate("""async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}))
        .violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)""")
    assert violations == []
    public.close()

    # the counter's kiosk (a tablet) rates another dossier by its code, once
    other = returned_dossier(server, "0978888888", people)
    tablet = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, locale="vi-VN")
    kiosk = tablet.new_page()
    kiosk.goto(server + "/kiosk")
    expect(kiosk.locator("header")).to_have_count(0)
    for expected in ("thanks", "already"):
        kiosk.fill("[data-testid=kiosk-code]", other["code"].lower())
        kiosk.click("[data-testid=kiosk-next]")
        kiosk.click("[data-testid=kiosk-score-5]")
        outcome = kiosk.locator("[data-testid=kiosk-outcome]")
        expect(outcome).to_have_attribute("data-kind", expected)
        assert other["code"] not in outcome.inner_text() and "0978" not in outcome.inner_text()
        kiosk.click("[data-testid=kiosk-reset]")
        expect(kiosk.locator("[data-testid=kiosk-code]")).to_have_value("")
    kiosk.fill("[data-testid=kiosk-code]", dossier["code"])  # rated online already: one rating across channels
    kiosk.click("[data-testid=kiosk-next]")
    kiosk.click("[data-testid=kiosk-score-1]")
    expect(kiosk.locator("[data-testid=kiosk-outcome]")).to_have_attribute("data-kind", "already")
    tablet.close()


NO_OVERFLOW = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("path, width", [("/phan-anh", 360), ("/phan-anh?procedure=1.001193", 360),
                                         ("/phan-anh/cong-khai", 360), ("/kiosk", 768), ("/kiosk", 1280)])
def test_public_side_pages_are_accessible_and_fit_the_screen(browser, server, path, width):
    # axe-core is injected as a script, which our CSP rightly forbids: this context bypasses CSP for the check.
    context = browser.new_context(viewport={"width": width, "height": 740}, bypass_csp=True, locale="vi-VN")
    page = context.new_page()
    page.goto(server + path)
    page.wait_for_selector("main h1")
    if path.startswith("/phan-anh?"):
        expect(page.locator("[data-testid=fb-kind-procedure]")).to_be_checked()
        expect(page.locator("[data-testid=fb-procedure]")).to_have_value("1.001193")
        expect(page.locator("[data-testid=fb-sign-in]")).to_be_visible()  # not signed in: asked to sign in first
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    assert violations == []
    assert page.evaluate(NO_OVERFLOW)
    if path == "/kiosk":
        page.fill("[data-testid=kiosk-code]", "H19.23-261126-0001")
        page.click("[data-testid=kiosk-next]")
        faces = page.locator("button.kiosk__face")
        expect(faces).to_have_count(5)
        box = faces.first.bounding_box()
        assert box["height"] >= 120 and box["width"] >= 100  # big targets at arm's length
        assert page.evaluate(NO_OVERFLOW)
    context.close()


def test_what_a_citizen_typed_survives_signing_in(phone, server):
    page = phone.new_page()
    page.goto(server + "/phan-anh")
    page.locator("[data-testid=fb-kind-office]").check()
    wish = "Bộ phận một cửa nên mở cửa thêm buổi sáng thứ Bảy."
    page.fill("[data-testid=fb-question]", wish)
    page.click("[data-testid=fb-sign-in]")
    page.wait_for_url("**/dang-nhap**")
    answer_sign_in_form(page, server, "0979999999")
    page.wait_for_url("**/phan-anh**")
    expect(page.locator("[data-testid=fb-question]")).to_have_value(wish)
    expect(page.locator("[data-testid=fb-kind-office]")).to_be_checked()
    page.locator("[data-testid=fb-office]").select_option("phuong-tran-bien")
    page.click("[data-testid=fb-submit]")
    page.wait_for_url("**/phan-anh/*")
    expect(page.locator("[data-testid=feedback-item]")).to_have_attribute("data-status", "open")
    page.goto(server + "/phan-anh")  # it is listed under "my feedback", and the form is empty again
    expect(page.locator("[data-testid=my-feedback]")).to_contain_text("buổi sáng thứ Bảy")
    expect(page.locator("[data-testid=fb-question]")).to_have_value("")


AXE_RUN = """async () => (await axe.run(document, {
    runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""


def test_the_rating_form_and_the_officials_feedback_pages_are_accessible_at_360_px(browser, server, people):
    dossier = returned_dossier(server, "0976666666", people)
    # citizen: the rating form on the returned dossier (this context bypasses CSP only to inject axe-core)
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True, locale="vi-VN")
    page = context.new_page()
    sign_in(page, server, "0976666666")
    page.goto(f"{server}/ho-so/{dossier['id']}")
    page.wait_for_selector("[data-testid=rating-form]")
    page.locator("details.rating-panel__criteria summary").click()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []
    assert page.evaluate(NO_OVERFLOW)
    context.close()
    # a feedback item for the ward, sent over HTTP
    citizen = HttpCitizen(server, "0976666666")
    sent = citizen.call("POST", "/api/v1/feedback", {"subject_kind": "dossier", "dossier_id": dossier["id"],
                                                      "question": "Xin cho biết vì sao phải đến quầy hai lần?"})
    # official: the worklist and the answer sheet
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True, locale="vi-VN",
                                  is_mobile=True, has_touch=True)
    page = page_with_fingerprint(context)
    page.goto(enrolment_links(server)["can-bo-tiep-nhan-tran-bien"])
    page.click("[data-testid=enrol-button]")
    page.wait_for_url("**/can-bo/ho-so**")
    origin = page.url.split("/can-bo")[0]
    page.click("[data-testid=nav-feedback]")
    item = page.locator(f"[data-testid=wfb-item][data-id='{sent['id']}']")
    expect(item).to_be_visible()
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []
    assert page.evaluate(NO_OVERFLOW)
    page.goto(f"{origin}/can-bo/phan-anh/{sent['id']}")
    page.wait_for_selector("[data-testid=wfb-answer]")
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []
    assert page.evaluate(NO_OVERFLOW)
    expect(page.locator("[data-testid=wfb-sheet]")).to_contain_text("0976666666")  # officials may call back
    context.close()
