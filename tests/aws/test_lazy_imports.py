"""Cold start: what each runtime loads before its first request (measured in bench/, guarded here).

The aws container must not load pyHanko until something is signed or verified (it is about half of the import
time), and the embedded runtime never loads boto3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from motcua.bootstrap import bootstrap
from motcua.config import Settings
container = bootstrap(Settings.from_env())
print(json.dumps({name: name in sys.modules for name in ("pyhanko", "boto3", "botocore")}))
"""


def loaded(env: dict[str, str], tmp_path) -> dict[str, bool]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "AWS_"))}
    full.update(env, PYTHONPATH=str(REPO / "backend"), MOTCUA_DATA_DIR=str(tmp_path / "var"), SECRET_KEY="x")
    out = subprocess.run([sys.executable, "-c", PROBE], env=full, capture_output=True, text=True, timeout=300,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_aws_container_starts_without_pyhanko(tmp_path):
    env = {"MOTCUA_RUNTIME": "aws", "AWS_REGION": "ap-southeast-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
           "MOTCUA_RESULTS_BUCKET": "r-bucket", "MOTCUA_UPLOADS_BUCKET": "u-bucket",
           "MOTCUA_OUTBOX_QUEUE_URL": "http://127.0.0.1:9/123456789012/q", "MOTCUA_EMAIL_SENDER": "a@b.vn"}
    assert loaded(env, tmp_path)["pyhanko"] is False


def test_the_embedded_runtime_never_loads_boto3(tmp_path):
    found = loaded({"MOTCUA_RUNTIME": "embedded"}, tmp_path)
    assert found["boto3"] is False and found["botocore"] is False
