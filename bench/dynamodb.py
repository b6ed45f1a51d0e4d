"""Per-operation latency of the DynamoDB store (against moto in server mode, over loopback HTTP) and of the SQLite
store (a file, synchronous=FULL), in ONE run, reported as ratios; plus the DynamoDB requests each operation makes.

    .venv/bin/python bench/dynamodb.py            # BENCH_N=200 operations of each kind by default

moto is not DynamoDB: its latency says nothing about AWS (where a request costs a few milliseconds inside a
region). What carries over is the number of requests per operation and the adapter's own overhead relative to
one request (the "ping" row: one GetItem of a missing item). Nothing here asserts; figures drift between runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

from bench.harness import elapsed_ms, moto_server, percentile  # noqa: E402

from motcua.adapters.dynamodb_schema import create_tables  # noqa: E402
from motcua.adapters.dynamodb_store import DynamoConfig, DynamoUnitOfWorkFactory  # noqa: E402
from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory  # noqa: E402
from motcua.domain.dossiers import Dossier  # noqa: E402
from motcua.services.notification_ports import Preferences  # noqa: E402
from motcua.services.ports import UnitOfWorkFactory  # noqa: E402

N = int(os.environ.get("BENCH_N", "200"))
WORKLIST = 200  # dossiers held by the unit
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def draft(n: int) -> Dossier:
    return Dossier(id=f"d{n:06d}", procedure_code="1.001193", applicant_id=f"c{n % 50}", applicant_phone="0912345678",
                   created_at=NOW, updated_at=NOW, receiving_office_id="phuong-tran-bien",
                   competent_unit_id="phuong-tran-bien",
                   form={"applicant_name": "Nguyễn Thị Ngọc Ánh", "address": "Số 12 Phạm Văn Thuận, Trấn Biên"})


def seed(uow: UnitOfWorkFactory) -> None:
    for first in range(0, N, 40):
        with uow() as u:
            for n in range(first, min(first + 40, N)):
                u.dossiers.add(draft(n))
            u.commit()
    for first in range(0, WORKLIST, 40):  # a few dozen per transaction (DynamoDB: at most 100 items)
        with uow() as u:
            for n in range(first, min(first + 40, WORKLIST)):
                d = draft(100_000 + n)
                d.submit(code=f"H19-261126-{n:04d}", due_at=NOW + timedelta(hours=n), fee_vnd=0,
                         procedure_name="Khai sinh", now=NOW, actor="citizen:c")
                d.holder_unit_id = "phuong-tran-bien"
                u.dossiers.add(d)
            u.commit()


def submit_like(uow: UnitOfWorkFactory, n: int) -> None:
    """What DossierService.submit does to the store: load, count, change, audit, commit with the events."""
    with uow() as u:
        d = u.dossiers.get(f"d{n:06d}")
        sequence = u.counters.increment("seq#H19#20261126")
        d.submit(code=f"H19-261126-B{sequence:05d}", due_at=NOW + timedelta(days=1), fee_vnd=0,
                 procedure_name="Khai sinh", now=NOW, actor="citizen:c")
        u.dossiers.save(d)
        u.audit.append(f"dossier:{d.id}", actor="citizen:c", action="submit", device="bench", at=NOW,
                       before={"status": "draft"}, after={"status": "submitted", "code": d.code})
        u.commit()


def worklist_page(uow: UnitOfWorkFactory, n: int) -> None:
    with uow(readonly=True) as u:
        page = u.dossiers.list_worklist("phuong-tran-bien", limit=20, page_token=None)
        assert len(page.items) == 20


def get_by_code(uow: UnitOfWorkFactory, n: int) -> None:
    with uow(readonly=True) as u:
        assert u.dossiers.get_by_code(f"H19-261126-{n % WORKLIST:04d}") is not None


def ping(uow: UnitOfWorkFactory, n: int) -> None:
    """The floor: one request (DynamoDB: a GetItem of a missing item; SQLite: a primary-key miss)."""
    with uow(readonly=True) as u:
        u.sessions.get("missing")


def one_transaction(uow: UnitOfWorkFactory, n: int) -> None:
    """A transaction of one small item: SQLite's COMMIT of one row; DynamoDB's TransactWriteItems floor (moto's
    implementation dominates the submit-like row: compare the two)."""
    with uow() as u:
        u.preferences.put("citizen", f"c{n}", Preferences())
        u.commit()


def measure(uow: UnitOfWorkFactory, op: Callable[[UnitOfWorkFactory, int], None]) -> list[float]:
    return [elapsed_ms(lambda n=n: op(uow, n)) for n in range(N)]


def main() -> int:
    with moto_server() as endpoint:
        config = DynamoConfig(table_prefix=f"bench{uuid.uuid4().hex[:6]}-", endpoint_url=endpoint)
        dynamo = DynamoUnitOfWorkFactory(config)
        create_tables(dynamo.store.client, config.table_prefix)
        requests = [0]
        dynamo.store.client.meta.events.register("before-send.dynamodb", lambda **_: requests.__setitem__(
            0, requests[0] + 1))
        sqlite = SqliteUnitOfWorkFactory(Database(Path(tempfile.mkdtemp(prefix="motcua-bench-")) / "b.sqlite3"))
        for store in (sqlite, dynamo):
            seed(store)
        ops = [("ping (one request)", ping), ("one-item transaction", one_transaction),
               ("submit-like transaction", submit_like),
               ("worklist page (20)", worklist_page), ("get by code", get_by_code)]
        print(f"{N} operations each; median / p95 in ms; moto server on loopback vs an SQLite file\n")
        print(f"{'operation':26} {'sqlite':>15} {'dynamodb':>15} {'ratio':>7} {'requests/op':>12}")
        floor = None
        for name, op in ops:
            lite = measure(sqlite, op)
            before = requests[0]
            dyn = measure(dynamo, op)
            per_op = (requests[0] - before) / N
            lm, dm = statistics.median(lite), statistics.median(dyn)
            lp, dp = (percentile(x, 0.95) for x in (lite, dyn))
            floor = floor or dm
            print(f"{name:26} {lm:6.2f} / {lp:6.2f} {dm:6.2f} / {dp:6.2f} {dm / lm:6.1f}x {per_op:12.1f}"
                  f"   ({dm / floor:.1f} pings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
