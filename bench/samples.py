"""Sample dossiers and the 1022 assistant: how long a sample takes to render, and how fast a stored one is served.

1. In-process: rendering every procedure's sample dossier (the cost paid once per catalog change), its size.
2. In-process: the assistant's understanding of the held-out questions (questions per second, no HTTP).
3. Real server (gunicorn, same config as `make run`), wrk on loopback: a stored sample served whole (200) and
   revalidated (If-None-Match → 304), as ratios of a bare Flask endpoint in the same workers.

Nothing here asserts: figures drift from run to run; compare the ratios. Run: `.venv/bin/python bench/samples.py`.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

import yaml  # noqa: E402
from bench.run import ensure_wrk, free_port, gunicorn  # noqa: E402

from motcua.adapters.catalog_files import load_catalog  # noqa: E402
from motcua.adapters.local_files import LocalFileStore  # noqa: E402
from motcua.documents.declaration import render_sample_dossier  # noqa: E402
from motcua.domain.assistant import QuestionIndex  # noqa: E402
from motcua.services.samples import SampleDossierService  # noqa: E402

DURATION = os.environ.get("BENCH_DURATION", "4s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
CODE = "1.001193"


def render_times() -> None:
    catalog = load_catalog()
    service = SampleDossierService(catalog, LocalFileStore(Path(tempfile.mkdtemp()) / "files"), "http://bench")
    render_sample_dossier(service.sample_data(catalog.get(CODE)))  # fonts, styles: once per process
    times, sizes = [], []
    for procedure in catalog.all():
        data = service.sample_data(procedure)
        best = min(_timed(lambda d=data: render_sample_dossier(d)) for _ in range(3))
        times.append((best, procedure.code))
        sizes.append(len(render_sample_dossier(data)))
    values = [t for t, _ in times]
    slowest = max(times)
    median = statistics.median(values) * 1000
    print(f"sample render, {len(values)} procedures (best of 3 each): median {median:.0f} ms, "
          f"max {slowest[0] * 1000:.0f} ms ({slowest[1]}), all {sum(values):.2f} s; "
          f"size median {statistics.median(sizes) / 1024:.0f} KB")


def assistant_rate() -> None:
    catalog = load_catalog()
    index = QuestionIndex(catalog.all(), {k: f.name for k, f in catalog.fields_of_work.items()})
    held_out = yaml.safe_load((ROOT / "tests/data/assistant_questions.yaml").read_text())["questions"]
    questions = [q["q"] for q in held_out]
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for question in questions:
            index.understand(question)
    elapsed = time.perf_counter() - started
    print(f"assistant understanding (in-process, {len(questions)} held-out questions × {rounds}): "
          f"{rounds * len(questions) / elapsed:.0f} questions/s")


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def wrk(url: str, headers: tuple[str, ...] = ()) -> tuple[float, str, int]:
    command = [ensure_wrk(), "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url]
    for header in headers:
        command[1:1] = ["-H", header]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"^\s+50%\s+([\d.]+\w+)", text, re.M)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, p50.group(1) if p50 else "?", int(bad.group(1)) if bad else 0


def served() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-samples-"))
    env = {**os.environ, "PORT": str(port), "MOTCUA_DATA_DIR": str(tmp / "var"),
           "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT}"}
    subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "motcua", "init"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with gunicorn("bench.bench_wsgi:app", env, base):
        sample_url = f"{base}/api/v1/procedures/{CODE}/sample-dossier.pdf"
        started = time.perf_counter()
        with urllib.request.urlopen(sample_url) as reply:  # noqa: S310 - loopback; the first request renders
            etag = reply.headers["ETag"]
            size = len(reply.read())
        print(f"first request (renders and stores): {(time.perf_counter() - started) * 1000:.0f} ms, {size // 1024} KB")
        scenarios = {
            "bare Flask (ceiling)": (base + "/bare/hello", ()),
            "sample PDF, stored (200)": (sample_url, ()),
            "sample PDF, revalidated (304)": (sample_url, (f"If-None-Match: {etag}",)),
        }
        for url, headers in scenarios.values():  # warm-up
            wrk(url, headers)
        results: dict[str, list[tuple[float, str, int]]] = {name: [] for name in scenarios}
        for _ in range(ROUNDS):
            for name, (url, headers) in scenarios.items():
                results[name].append(wrk(url, headers))
        ceiling = statistics.median(r[0] for r in results["bare Flask (ceiling)"])
        for name, runs in results.items():
            rps = statistics.median(r[0] for r in runs)
            print(f"{name:32s} {rps:8.0f} req/s  ({rps / ceiling:.2f} × bare)  p50 {runs[-1][1]:>8s}  "
                  f"non-2xx/3xx {sum(r[2] for r in runs)}")


def main() -> int:
    render_times()
    assistant_rate()
    served()
    return 0


if __name__ == "__main__":
    sys.exit(main())
