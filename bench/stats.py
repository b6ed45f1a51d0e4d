"""Statistics bench: counters for a realistic province (100 units × 30 fields × 24 months), then
`GET /api/v1/stats` in its common shapes and the open-data stats, as ratios of a bare Flask endpoint on the same
gunicorn (same method as bench/run.py: wrk on loopback, interleaved rounds, the median reported).

Two figures per path: req/s while the counters stand still (answers come from the in-process cache, keyed by the
counters' version), and the cold cost in ms (in-process, cache emptied before each call): what one request pays
right after an event changed the counters.

No dossiers are seeded: no statistics request reads a dossier (counters only), so their number does not change
these figures. Nothing here asserts: figures drift from run to run; compare the ratios.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "backend")]

from bench.harness import (  # noqa: E402
    CEILING,
    CONNECTIONS,
    DURATION,
    elapsed_ms,
    ensure_wrk,
    free_port,
    gunicorn,
    median_rounds,
    run_wrk,
    server_env,
)
from bench.stats_catalog import province_catalog  # noqa: E402

from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory  # noqa: E402
from motcua.domain import statistics as st  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
MONTHS = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]  # 2024-01 … 2025-12


def seed(db_path: Path) -> int:
    """Counter rows as the consumer would have left them: every unit × field × month, with the rollups."""
    catalog = province_catalog()
    rng = random.Random(15965)
    rows: dict[st.StatKey, dict[str, int]] = {}
    for unit in catalog.units:
        for field in catalog.fields_of_work:
            for month in MONTHS:
                received = rng.randint(0, 60)
                online = rng.randint(0, received)
                resolved = rng.randint(0, received)
                late = rng.randint(0, max(0, resolved // 10))
                early = rng.randint(0, resolved - late)
                ratings = rng.randint(0, resolved)
                deltas = {"received": received, "received_online": online, "received_counter": received - online,
                          "fee_bearing": received // 2, "paid_online": online // 2, "resolved": resolved,
                          "resolved_early": early, "resolved_on_time": resolved - late - early,
                          "resolved_late": late, "apologies": late, "supplements_requested": received // 7,
                          "ratings": ratings, "rating_sum": ratings * 4, "ratings_satisfied": ratings * 9 // 10,
                          "feedback_received": received // 20, "feedback_answered": received // 25,
                          "feedback_answered_on_time": received // 30}
                for key in st.keys_for(month, unit.id, unit.level.value, field, ""):
                    st.add_into(rows.setdefault(key, {}), deltas)
    uow_factory = SqliteUnitOfWorkFactory(Database(db_path, synchronous="NORMAL"))
    with uow_factory() as uow:
        for key, deltas in rows.items():
            uow.statistics.add(key, deltas)
        uow.commit()
    return len(rows)


def main() -> int:
    wrk = ensure_wrk()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-stats-"))
    started = time.perf_counter()
    rows = seed(tmp / "var" / "motcua.sqlite3")
    seeded_in = time.perf_counter() - started
    env = server_env(port, tmp / "var", MOTCUA_START_WORKER="0")
    last = MONTHS[-1]
    year = f"from={MONTHS[-12]}&to={last}"
    scenarios = {
        CEILING: "/bare/hello",
        "stats: province, 12 months": f"/api/v1/stats?{year}",
        "stats: per month, 24 months": f"/api/v1/stats?from={MONTHS[0]}&to={last}&group_by=month",
        "stats: per unit (100), 12 months": f"/api/v1/stats?{year}&group_by=unit",
        "stats: per field (30), 12 months": f"/api/v1/stats?{year}&group_by=field",
        "stats: one unit per month": f"/api/v1/stats?unit=phuong-tran-bien&{year}&group_by=month",
        "stats: commune level, one field": f"/api/v1/stats?level=commune&field=ho-tich&{year}",
        "open data CSV: one month (3,000 rows)": f"/api/v1/open-data/stats.csv?from={last}&to={last}",
        "open data JSON: one month": f"/api/v1/open-data/stats.json?from={last}&to={last}",
    }
    with gunicorn("bench.stats_wsgi:app", env, base):
        for path in scenarios.values():  # warm up every path (imports, caches)
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310 - loopback
        results = median_rounds({name: lambda path=path: run_wrk(wrk, base + path)
                                 for name, path in scenarios.items()}, ROUNDS)
        sizes = {name: len(urllib.request.urlopen(base + path, timeout=60).read())  # noqa: S310 - loopback
                 for name, path in scenarios.items()}
    cold = cold_ms(tmp / "var", scenarios)
    shutil.rmtree(tmp, ignore_errors=True)
    ceiling = results[CEILING]["rps"]
    print(f"\nmotcua statistics bench — {rows:,} counter rows (100 units × 30 fields × 24 months with rollups, "
          f"seeded in {seeded_in:.1f} s), gunicorn 2 workers, wrk {CONNECTIONS} connections, "
          f"median of {ROUNDS} interleaved rounds of {DURATION}\n")
    print(f"{'path':40} {'req/s':>8} {'ratio':>7} {'p50':>9} {'p99':>9} {'cold ms':>8} {'bytes':>9} {'non-2xx':>8}")
    for name, r in results.items():
        print(f"{name:40} {r['rps']:8.0f} {r['rps'] / ceiling:7.1%} {r['p50']:>9} {r['p99']:>9} {cold[name]:8.1f} "
              f"{sizes[name]:9d} {r['non2xx']:8d}")
    return 0


def cold_ms(data_dir: Path, scenarios: dict[str, str], repeat: int = 15) -> dict[str, float]:
    """Median in-process time of each path with the rendered-answer cache emptied before every call."""
    os.environ["MOTCUA_DATA_DIR"] = str(data_dir)
    os.environ["MOTCUA_START_WORKER"] = "0"
    from bench.stats_wsgi import app

    from motcua.api.stats_routes import RenderedAnswers

    client = app.test_client()
    out = {}
    for name, path in scenarios.items():
        times = []
        for _ in range(repeat):
            app.extensions["motcua_stats_answers"] = RenderedAnswers()  # nothing rendered yet
            times.append(elapsed_ms(lambda path=path: client.get(path)))
        if client.get(path).status_code != 200:  # a failing path would time its error page
            raise SystemExit(f"{path} does not answer 200")
        out[name] = statistics.median(times)
    return out


if __name__ == "__main__":
    sys.exit(main())
