"""A Lambda cold start imports only what the request needs.

Every cold start of the HTTP app pays for the modules imported before its first answer. PDF rendering
(reportlab), signing and signature checks (pyHanko, fontTools, aiohttp), Web Push (pywebpush), passkeys
(webauthn), image re-encoding (Pillow) and every country's holiday rules but Vietnam's are needed by few
requests, so they load on first use.
This test holds the line for a public request in the deployed configuration; bench/cold_start.py measures the time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADED_ON_FIRST_USE = ("reportlab", "pyhanko", "pyhanko_certvalidator", "fontTools", "pywebpush", "aiohttp", "PIL",
                       "webauthn",
                       "holidays.countries", "motcua.documents.receipt", "motcua.documents.result",
                       "motcua.documents.official_forms", "motcua.adapters.pades_signer",
                       "motcua.adapters.pades_verifier")

CHILD = """
import json, sys
import motcua.lambda_app as lambda_app
client = lambda_app.app.test_client()
statuses = [client.get(path).status_code for path in ("/api/v1/config", "/api/v1/procedures?q=khai%20sinh")]
print(json.dumps({"statuses": statuses, "modules": sorted(sys.modules)}))
"""

RENDER = """
import json, sys
from motcua.documents.receipt import render_receipt
print(json.dumps({"modules": sorted(sys.modules)}))
"""


def _run(code: str, zappa: dict, tmp_path: Path) -> dict:
    env = {k: v for k, v in zappa["environment_variables"].items() if k != "MOTCUA_SECRETS_PATH"}
    env.update(SECRET_KEY="test-secret", VNPAY_HASH_SECRET="test-hash", AWS_ACCESS_KEY_ID="test",
               AWS_SECRET_ACCESS_KEY="test", AWS_ENDPOINT_URL="http://127.0.0.1:9", MOTCUA_DATA_DIR=str(tmp_path),
               MOTCUA_ENV="development",  # production also wants a VAPID key; the imports are the same
               PATH=os.environ["PATH"], PYTHONPATH=str(ROOT / "backend"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _loaded(modules: list[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules if not m.startswith(name + ".vietnam"))


def test_a_public_request_loads_no_pdf_signing_push_or_image_library(zappa, tmp_path):
    reply = _run(CHILD, zappa, tmp_path)
    assert reply["statuses"] == [200, 200]
    loaded = [name for name in LOADED_ON_FIRST_USE if _loaded(reply["modules"], name)]
    assert loaded == []
    assert "holidays.countries.vietnam" in reply["modules"]  # due dates need Vietnam's rules, and only those


def test_the_guard_sees_a_library_when_it_is_loaded(zappa, tmp_path):
    # The same check on a process that renders a receipt: reportlab is reported, so the test above can fail.
    reply = _run(RENDER, zappa, tmp_path)
    assert _loaded(reply["modules"], "reportlab") and _loaded(reply["modules"], "motcua.documents.receipt")
