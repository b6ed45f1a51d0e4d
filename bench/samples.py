"""Sample dossiers and the 1022 assistant: how long a sample takes to render, and how fast a stored one is served.

1. In-process: rendering every procedure's sample dossier (the cost paid once per catalog change), its size.
2. In-process: the assistant's understanding of the held-out questions (questions per second, no HTTP).
3. Real server (gunicorn, same config as `make run`), wrk on loopback: a stored sample served whole (200) and
   revalidated (If-None-Match → 304), as ratios of a bare Flask endpoint in the same workers.

Nothing here asserts: figures drift from run to run; compare the ratios. Run: `.venv/bin/python bench/samples.py`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

import yaml  # noqa: E402
from bench.harness import (  # noqa: E402
    CEILING,
    elapsed_ms,
    ensure_wrk,
    free_port,
    gunicorn,
    init_data,
    median_rounds,
    run_wrk,
    server_env,
)

from motcua.adapters.catalog_files import load_catalog  # noqa: E402
from motcua.adapters.local_files import LocalFileStore  # noqa: E402
from motcua.documents.declaration import render_sample_dossier  # noqa: E402
from motcua.domain.assistant import QuestionIndex  # noqa: E402
from motcua.services.samples import SampleDossierService  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CODE = "1.001193"


def render_times() -> None:
    catalog = load_catalog()
    service = SampleDossierService(catalog, LocalFileStore(Path(tempfile.mkdtemp()) / "files"), "http://bench")
    render_sample_dossier(service.sample_data(catalog.get(CODE)))  # fonts, styles: once per process
    times, sizes = [], []
    for procedure in catalog.all():
        data = service.sample_data(procedure)
        best = min(elapsed_ms(lambda d=data: render_sample_dossier(d)) for _ in range(3)) / 1000
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


def served() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-samples-"))
    env = server_env(port, tmp / "var")
    init_data(env)
    wrk = ensure_wrk()
    with gunicorn("bench.bench_wsgi:app", env, base):
        sample_url = f"{base}/api/v1/procedures/{CODE}/sample-dossier.pdf"
        started = time.perf_counter()
        with urllib.request.urlopen(sample_url) as reply:  # noqa: S310 - loopback; the first request renders
            etag = reply.headers["ETag"]
            size = len(reply.read())
        print(f"first request (renders and stores): {(time.perf_counter() - started) * 1000:.0f} ms, {size // 1024} KB")
        scenarios = {
            CEILING: (base + "/bare/hello", ()),
            "sample PDF, stored (200)": (sample_url, ()),
            "sample PDF, revalidated (304)": (sample_url, (f"If-None-Match: {etag}",)),
        }
        for url, headers in scenarios.values():  # warm-up
            run_wrk(wrk, url, headers=headers)
        results = median_rounds({name: lambda url=url, headers=headers: run_wrk(wrk, url, headers=headers)
                                 for name, (url, headers) in scenarios.items()}, ROUNDS)
        ceiling = results[CEILING]["rps"]
        for name, r in results.items():
            print(f"{name:32s} {r['rps']:8.0f} req/s  ({r['rps'] / ceiling:.2f} × bare)  p50 {r['p50']:>8}  "
                  f"non-2xx/3xx {r['non2xx']}")


def main() -> int:
    render_times()
    assistant_rate()
    served()
    return 0


if __name__ == "__main__":
    sys.exit(main())
