"""Browser tests: the real server (gunicorn, as `make run` starts it) and Debian's Chromium driven by Playwright
at a phone viewport. No browser is downloaded; Chromium must be at /usr/bin/chromium (`make test` installs it)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from support.otp import code_from_outbox

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE_VIEWPORT = {"width": 360, "height": 740}
AXE = ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.browser

SERVER_ENV: dict[str, str] = {}  # the live server's environment (data dir, ports), for tests that run commands


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    dist = ROOT / "pwa" / "dist" / "index.html"
    assert dist.exists(), "pwa/dist is missing: run `make test` (it builds the PWA) or `make pwa`"
    port, sandbox_port = _free_port(), _free_port()
    env = {**os.environ, "PORT": str(port), "MOTCUA_DATA_DIR": str(tmp_path_factory.mktemp("var")),
           "PYTHONPATH": str(ROOT / "backend"), "WEBAUTHN_ORIGIN": f"http://localhost:{port}",
           "PAYMENT_SANDBOX_PORT": str(sandbox_port)}
    SERVER_ENV.update(env)
    python = Path(sys.executable)
    subprocess.run([str(python), "-m", "motcua", "init"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(python.parent / "gunicorn"), "-c", str(ROOT / "infra/gunicorn.conf.py"),
                             "motcua.wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    # The local VNPay sandbox, as `make run` starts it (same secret, IPN back to this server).
    sandbox = subprocess.Popen([str(python), "-m", "motcua", "payment-sandbox"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/api/v1/config", timeout=1).read()  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        sandbox.kill()
        raise RuntimeError("server did not start")
    yield base
    for process in (proc, sandbox):
        process.terminate()
        process.wait(timeout=15)
    log.close()


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} not found: `make test` installs Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser profile (its own cookies, storage and service worker)."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, locale="vi-VN",
                                  device_scale_factor=2)
    context.set_default_timeout(20_000)
    yield context
    context.close()


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.2 AA findings on the page (the context must bypass CSP: axe is
    injected as a script, which our CSP rightly forbids)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")


def outbox_code(base: str, phone: str) -> str:
    with urllib.request.urlopen(base + "/dev/outbox") as reply:  # noqa: S310 - loopback
        return code_from_outbox(json.loads(reply.read())["items"], phone)


def page_with_fingerprint(context):
    """A new page in ``context`` with a platform authenticator (fingerprint) that always verifies the user."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    return page


def cached_urls(page) -> list[str]:
    """Every URL in the page's Cache Storage (what the service worker keeps for offline use)."""
    return page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""")


@pytest.fixture
def official_phone(browser, server):
    """A phone-sized browser for an official, with a platform authenticator (fingerprint) that always verifies.

    Officials use http://localhost (passkeys need a host name, not an IP address)."""
    contexts = []

    def open_for(enrolment_url: str):
        context = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, locale="vi-VN")
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = page_with_fingerprint(context)
        page.goto(enrolment_url)
        return page

    yield open_for
    for context in contexts:
        context.close()


def enrolment_links(base: str) -> dict[str, str]:
    with urllib.request.urlopen(base + "/dev/enrolment-links") as reply:  # noqa: S310 - loopback
        return {item["official_id"]: item["url"] for item in json.loads(reply.read())["items"]}


class HttpSession:
    """A session with the live server over real HTTP (to set the scene quickly): its cookies, and its CSRF token
    sent on every call."""

    def __init__(self, base: str) -> None:
        import http.cookiejar

        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""
        self.csrf = self.call("GET", "/api/v1/auth/session")["csrf_token"]

    def call(self, method: str, path: str, body: object = None, *, raw: bytes | None = None,
             content_type: str = "application/json", headers: dict | None = None, raw_reply: bool = False):
        """The reply's JSON, or its bytes when it is not JSON, or (``raw_reply``) the reply itself, read."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Content-Type": content_type, "X-CSRF-Token": self.csrf, **(headers or {})})
        with self.opener.open(request, timeout=60) as reply:  # noqa: S310 - loopback
            payload = reply.read()
            if raw_reply:
                return reply
            return json.loads(payload) if reply.headers.get_content_type() == "application/json" else payload


class HttpCitizen(HttpSession):
    """A citizen signed in with the SMS code."""

    def __init__(self, base: str, phone: str) -> None:
        super().__init__(base)
        self.call("POST", "/api/v1/auth/otp", {"phone": phone})
        self.csrf = self.call("POST", "/api/v1/auth/verify", {"phone": phone, "code": outbox_code(base, phone)})[
            "csrf_token"]

    def upload(self, dossier_id: str, document_id: str, data: bytes, filename: str = "anh.jpg") -> None:
        boundary = "motcuatest"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"document_id\"\r\n\r\n{document_id}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                "Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        self.call("POST", f"/api/v1/dossiers/{dossier_id}/attachments", raw=body,
                  content_type=f"multipart/form-data; boundary={boundary}")

    def file_dossier(self, procedure_code: str, answers: dict, photo: bytes) -> dict:
        procedure = self.call("GET", f"/api/v1/procedures/{procedure_code}")
        draft = self.call("POST", "/api/v1/dossiers", {"procedure_code": procedure_code, "form": answers,
                                                        "receiving_office_id": "phuong-tran-bien"})
        for document in procedure["documents"]:
            if document["upload_required"]:
                self.upload(draft["id"], document["id"], photo)
        return self.call("POST", f"/api/v1/dossiers/{draft['id']}/submit", {},
                         headers={"Idempotency-Key": f"browser-test-{draft['id']}"})
