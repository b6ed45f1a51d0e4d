"""Browser tests: the real server (gunicorn, as `make run` starts it) and Debian's Chromium driven by Playwright
at a phone viewport. No browser is downloaded; Chromium must be at /usr/bin/chromium (`make test` installs it)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE_VIEWPORT = {"width": 360, "height": 740}
AXE = ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    dist = ROOT / "pwa" / "dist" / "index.html"
    assert dist.exists(), "pwa/dist is missing: run `make test` (it builds the PWA) or `make pwa`"
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "MOTCUA_DATA_DIR": str(tmp_path_factory.mktemp("var")),
           "PYTHONPATH": str(ROOT / "backend")}
    python = Path(sys.executable)
    subprocess.run([str(python), "-m", "motcua", "init"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(python.parent / "gunicorn"), "-c", str(ROOT / "infra/gunicorn.conf.py"),
                             "motcua.wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/api/v1/config", timeout=1).read()  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("server did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=15)
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


def outbox_code(base: str, phone: str) -> str:
    with urllib.request.urlopen(base + "/dev/outbox") as reply:  # noqa: S310 - loopback
        items = json.loads(reply.read())["items"]
    body = next(m["body"] for m in items if m["to"] == phone and m["channel"] == "sms")
    return re.search(r"\b(\d{6})\b", body).group(1)
