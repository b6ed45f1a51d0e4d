"""Cold start of the HTTP app on Lambda, measured on this machine: process start → first response.

Each sample is a FRESH Python process that does what the Lambda runtime does on a cold start: import the
artifact's root ``handler`` module (Zappa's ``handler.py``, with the ``zappa_settings.py`` that
infra/package_lambda.py generates from infra/zappa_settings.json) and call ``lambda_handler(event, context)`` with a
real API Gateway REST (v1 proxy) event. The time runs from just before the process is spawned (interpreter start
included) until the handler has returned the response; the median of N samples is reported per path, with the
process's CPU time (user + system), which other load on the machine disturbs far less than the wall clock.

What it runs from:
- ``build/motcua-lambda.zip`` if it exists (``make package``): extracted, with ``sys.path`` = the task folder then a
  folder holding only what Lambda's runtime provides (boto3, botocore, s3transfer, jmespath, dateutil, six,
  urllib3), and ``python -S`` so nothing else of this machine's site-packages can leak in. Its pycs are the
  artifact's own (unchecked-hash).
- otherwise the source tree (backend/ + the venv), with Zappa's handler and a generated settings module.

The app runs as deployed: ``MOTCUA_RUNTIME=aws``, production, the environment of infra/zappa_settings.json. Offline
differences, on purpose: ``MOTCUA_SECRETS_PATH`` is unset and the secrets are given (a real cold start adds one SSM
GetParametersByPath round trip, ~20-50 ms); ``AWS_ENDPOINT_URL`` points at a closed local port, so the measured
requests provably make no AWS call (the two paths need none: the catalog is bundled data); the Lambda sandbox's
CPU share at 1024 MB is below one of this machine's cores. Target: ≤ 600 ms. Nothing here asserts.

    python bench/cold_start.py [-n 9] [--source]     (also run by `make bench`)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACT = ROOT / "build" / "motcua-lambda.zip"
TARGET_MS = 600.0
# What /var/runtime holds on Lambda's python3.11 runtime besides the standard library.
LAMBDA_RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")
PATHS = {
    "GET /api/v1/procedures?q=khai sinh": ("/api/v1/procedures", {"q": "khai sinh"}),
    "GET /api/v1/config (liveness)": ("/api/v1/config", None),
}

CHILD = r"""
import json, sys, time
sys.path[:0] = PATHS
import handler  # the artifact's root module; Lambda's handler setting is handler.lambda_handler

class Context:
    aws_request_id = "c0ffee00-0000-4000-8000-000000000001"
    function_name = "motcua-production"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:ap-southeast-1:123456789012:function:motcua-production"
    memory_limit_in_mb = 1024
    log_group_name = "/aws/lambda/motcua-production"
    log_stream_name = "2026/11/26/[$LATEST]0"
    def get_remaining_time_in_millis(self):
        return 29000

imported = time.time()
reply = handler.lambda_handler(EVENT, Context())
done = time.time()
cpu = time.process_time()  # user + system CPU of this process since it started
print("\nCOLD-START " + json.dumps({"imported": imported, "done": done, "cpu": cpu, "status": reply.get("statusCode"),
                                   "body": (reply.get("body") or "")[:200]}))
"""


def api_gateway_event(path: str, query: dict[str, str] | None) -> dict:
    """A REST API (v1) proxy event as API Gateway sends it for ``GET {path}`` on stage production."""
    host = "abc123defg.execute-api.ap-southeast-1.amazonaws.com"
    headers = {"Accept": "application/json", "Accept-Encoding": "gzip, br", "Accept-Language": "vi-VN,vi;q=0.9",
               "CloudFront-Forwarded-Proto": "https", "CloudFront-Viewer-Country": "VN", "Host": host,
               "User-Agent": "Mozilla/5.0 (Linux; Android 13) Chrome/131.0 Mobile",
               "Via": "2.0 0123456789abcdef.cloudfront.net (CloudFront)", "X-Amz-Cf-Id": "bench",
               "X-Amzn-Trace-Id": "Root=1-67000000-000000000000000000000000", "X-Forwarded-For": "113.160.1.2",
               "X-Forwarded-Port": "443", "X-Forwarded-Proto": "https"}
    return {
        "resource": "/{proxy+}", "path": path, "httpMethod": "GET",
        "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query, "multiValueQueryStringParameters":
            {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": {"proxy": path.lstrip("/")}, "stageVariables": None,
        "requestContext": {
            "resourceId": "a1b2c3", "resourcePath": "/{proxy+}", "httpMethod": "GET",
            "extendedRequestId": "bench=", "requestTime": "26/Nov/2026:02:00:00 +0000",
            "path": f"/production{path}", "accountId": "123456789012", "protocol": "HTTP/1.1",
            "stage": "production", "domainPrefix": "abc123defg", "requestTimeEpoch": 1795658400000,
            "requestId": "c0ffee00-0000-4000-8000-000000000001",
            "identity": {"sourceIp": "113.160.1.2", "userAgent": headers["User-Agent"]},
            "domainName": host, "apiId": "abc123defg"},
        "body": None, "isBase64Encoded": False,
    }


def _offline_settings(settings_module: str, data_dir: Path) -> str:
    """The generated zappa_settings.py with the offline overrides described in the module docstring: the real aws
    runtime and environment, except that the secrets are given (no SSM) and every AWS endpoint is a closed port,
    so a request that touched AWS would fail instead of being measured."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    namespace: dict = {}
    exec(compile(settings_module, "zappa_settings.py", "exec"), namespace)  # noqa: S102 - our generated file
    env = dict(namespace["ENVIRONMENT_VARIABLES"])
    env.pop("MOTCUA_SECRETS_PATH", None)
    vapid = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    env.update({"SECRET_KEY": "bench-only-secret", "VNPAY_HASH_SECRET": "bench-only", "VAPID_PRIVATE_KEY": vapid,
                "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "bench",
                "AWS_SECRET_ACCESS_KEY": "bench", "MOTCUA_DATA_DIR": str(data_dir)})
    return settings_module + f"\n# cold_start.py: offline overrides\nENVIRONMENT_VARIABLES={env!r}\n"


def prepare(source: bool, work: Path, artifact: Path = ARTIFACT) -> tuple[list[str], str]:
    """(sys.path entries for the child, description). Writes zappa_settings.py where the handler will find it."""
    sys.path.insert(0, str(ROOT / "infra"))
    from package_lambda import zappa_settings_module  # noqa: PLC0415

    data_dir = work / "var"
    if not source and artifact.exists():
        task = work / "task"
        with zipfile.ZipFile(artifact) as archive:
            archive.extractall(task)
        runtime = work / "runtime"
        runtime.mkdir()
        site = Path(next(p for p in sys.path if p.endswith("site-packages")))
        for name in LAMBDA_RUNTIME_PACKAGES:
            (runtime / name).symlink_to(site / name)
        settings = (task / "zappa_settings.py").read_text(encoding="utf-8")
        (task / "zappa_settings.py").write_text(_offline_settings(settings, data_dir), encoding="utf-8")
        for stale in (task / "__pycache__").glob("zappa_settings.*.pyc"):  # unchecked-hash: would win over the edit
            stale.unlink()
        return [str(task), str(runtime)], f"artifact {artifact.name} (python -S, Lambda-like sys.path)"
    shim = work / "shim"
    shim.mkdir()
    import zappa  # noqa: PLC0415

    shutil.copyfile(Path(zappa.__file__).parent / "handler.py", shim / "handler.py")
    (shim / "zappa_settings.py").write_text(_offline_settings(zappa_settings_module(), data_dir), encoding="utf-8")
    return [str(shim), str(ROOT / "backend")], "source tree (backend/ + .venv site-packages)"


def sample(paths: list[str], isolated: bool, event: dict) -> dict:
    code = CHILD.replace("PATHS", repr(paths)).replace("EVENT", repr(event))
    args = [sys.executable, *(["-S"] if isolated else []), "-c", code]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "PYTHON"))}
    started = time.time()
    out = subprocess.run(args, capture_output=True, text=True, env=env, cwd=paths[0], check=False)
    line = next((x for x in out.stdout.splitlines() if x.startswith("COLD-START ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"cold start failed (exit {out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    result = json.loads(line.removeprefix("COLD-START "))
    if result["status"] != 200:
        raise SystemExit(f"cold start answered {result['status']}: {result['body']}")
    return {"total": (result["done"] - started) * 1000, "request": (result["done"] - result["imported"]) * 1000,
            "cpu": result["cpu"] * 1000, "body": result["body"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cold start through Zappa's Lambda handler")
    parser.add_argument("-n", type=int, default=int(os.environ.get("COLD_START_SAMPLES", "9")))
    parser.add_argument("--source", action="store_true", help="use the source tree even if the artifact exists")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="motcua-cold-") as tmp:
        work = Path(tmp)
        paths, what = prepare(args.source, work)
        isolated = not args.source and ARTIFACT.exists()
        first = api_gateway_event(*next(iter(PATHS.values())))
        sample(paths, isolated, first)  # warms the file system cache; not counted
        print(f"\ncold start through Zappa's handler.lambda_handler, {what}; median of {args.n} fresh processes")
        print(f"{'path':38} {'start→response':>15} {'of which 1st call':>18} {'CPU time':>10}")
        worst = 0.0
        for name, (path, query) in PATHS.items():
            runs = [sample(paths, isolated, api_gateway_event(path, query)) for _ in range(args.n)]
            total = statistics.median(r["total"] for r in runs)
            worst = max(worst, total)
            print(f"{name:38} {total:12.0f} ms {statistics.median(r['request'] for r in runs):15.0f} ms "
                  f"{statistics.median(r['cpu'] for r in runs):7.0f} ms")
        verdict = "within" if worst <= TARGET_MS else "OVER"
        print(f"target ≤ {TARGET_MS:.0f} ms: {verdict} (worst median {worst:.0f} ms; load average "
              f"{os.getloadavg()[0]:.1f}: on a busy machine the CPU time is the steadier figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
