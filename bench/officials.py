"""Officials' side of `make bench`: the worklist query as the table grows (10 k → 1 M dossiers), and one PAdES
signature and one verification. In-process (the query and the crypto, not HTTP), medians and p99 in one run."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

from bench.harness import percentile  # noqa: E402

from motcua.adapters.sqlite_store import Database  # noqa: E402
from motcua.bootstrap import bootstrap  # noqa: E402
from motcua.config import Settings  # noqa: E402
from motcua.domain.officials import Membership, Official, Role  # noqa: E402
from motcua.services.workflow import OfficialActor  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
UNITS = [f"unit-{n:02d}" for n in range(40)]  # the table spread over 40 units, as across a province's wards


def grow(db: Database, template: dict, target: int, have: int) -> int:
    """Append synthetic submitted dossiers (a realistic record each) until the table holds `target`."""
    conn = db.connection()
    start = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    batch = []
    for n in range(have, target):
        dossier_id = uuid.UUID(int=n + 1).hex
        due = (start + timedelta(minutes=37 * n % (60 * 24 * 300))).isoformat()
        unit = UNITS[n % len(UNITS)]
        data = dict(template, id=dossier_id, code=f"H19.{n % 40:02d}-260105-{n:07d}", due_at=due,
                    holder_unit_id=unit, competent_unit_id=unit, receiving_office_id=unit)
        batch.append((dossier_id, data["code"], "bench-citizen", "in_progress", unit, unit, due, start.isoformat(),
                      start.isoformat(), 1, json.dumps(data, ensure_ascii=False), unit))
        if len(batch) == 20_000:
            _insert(conn, batch)
            batch = []
    if batch:
        _insert(conn, batch)
    return target


def _insert(conn, rows) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO dossiers (id, code, applicant_id, status, receiving_office_id, competent_unit_id, due_at,"
        " created_at, updated_at, version, data, holder_unit_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")


def measure_worklist(container, actor, runs: int = 300) -> tuple[float, float, float]:
    first, second = [], []
    for n in range(runs):
        unit = UNITS[n % len(UNITS)]
        t = time.perf_counter()
        page = container.workflow.worklist(actor, unit, page_token=None)
        first.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        container.workflow.worklist(actor, unit, page_token=page.next_page_token)
        second.append((time.perf_counter() - t) * 1000)
    return statistics.median(first), percentile(first, 0.99), statistics.median(second)


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-officials-"))
    settings = Settings.from_env({}, data_dir=tmp, start_worker=False, secret_key=b"bench")
    container = bootstrap(settings)
    template = {
        "procedure_code": "1.001193", "applicant_id": "bench-citizen", "applicant_phone": "0912345678",
        "created_at": "2026-01-05T02:00:00+00:00", "updated_at": "2026-01-05T02:00:00+00:00", "status": "in_progress",
        "channel": "online", "form": {"applicant_name": "Nguyễn Thị Ngọc Ánh", "applicant_id_number": "075190001234",
                                      "applicant_address": "Phường Trấn Biên, tỉnh Đồng Nai",
                                      "child_full_name": "Đặng Quốc Hưng", "child_date_of_birth": "2025-12-30"},
        "attachments": [], "submitted_at": "2026-01-05T02:00:00+00:00", "fee_vnd": 0, "history": [],
        "stage": "appraisal", "handovers": [], "supplements": [], "apologies": [], "version": 1,
    }
    actor = OfficialActor(Official("bench", "Cán bộ", "CHUYÊN VIÊN",
                                   memberships=tuple(Membership(u, Role.SPECIALIST) for u in UNITS)))
    db: Database = container.uow.db  # type: ignore[attr-defined]
    have = 0
    print("\nworklist (30 per page, ordered by due date; 40 units share the table)")
    print(f"{'dossiers':>10} {'page 1 p50':>11} {'page 1 p99':>11} {'page 2 p50':>11}   (ms)")
    for size in SIZES:
        t = time.perf_counter()
        have = grow(db, template, size, have)
        filled = time.perf_counter() - t
        p50, p99, second = measure_worklist(container, actor)
        print(f"{size:>10,} {p50:>11.2f} {p99:>11.2f} {second:>11.2f}   (filled in {filled:.0f} s)")

    from motcua.adapters.local_ca import LocalCertificateAuthority
    from motcua.adapters.pades_signer import LocalPadesSigner, warm_up
    from motcua.adapters.pades_verifier import PadesVerifier
    from motcua.documents.result import ResultData, render_result_document
    from motcua.services.ports import SignatureRequest

    ca = LocalCertificateAuthority(tmp / "ca")
    signer, verifier = LocalPadesSigner(ca), PadesVerifier([ca.root_certificate])
    warm_up()
    now = datetime.now(UTC)
    rendered = render_result_document(ResultData(
        dossier_code="H19.23-261126-0001", procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
        result_title="Giấy khai sinh", issuing_unit_name="Ủy ban nhân dân phường Trấn Biên",
        parent_unit_name="Tỉnh Đồng Nai", applicant_name="Nguyễn Thị Ngọc Ánh", applicant_id_number="075190001234",
        applicant_address="Phường Trấn Biên", details=[("Họ tên người được khai sinh", "Đặng Quốc Hưng")],
        decided_at=now, signer_name="Nguyễn Văn Bình", signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        verify_url="http://127.0.0.1:8080/xac-minh/H19.23-261126-0001"))
    request = SignatureRequest(signer_name="Nguyễn Văn Bình", signer_title="PHÓ CHỦ TỊCH",
                               unit_name="Ủy ban nhân dân phường Trấn Biên", signed_at=now, reason="Phê duyệt",
                               location="Đồng Nai", verify_url="http://127.0.0.1:8080/xac-minh/x",
                               page=rendered.signature_page, box=rendered.signature_box)
    signed = signer.sign(rendered.pdf, request, official_id="bench-leader")
    sign_times, verify_times = [], []
    for _ in range(40):
        t = time.perf_counter()
        signed = signer.sign(rendered.pdf, request, official_id="bench-leader")
        sign_times.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assert verifier.verify(signed).valid
        verify_times.append((time.perf_counter() - t) * 1000)
    print(f"\nPAdES signature with visible stamp (median of 40): {statistics.median(sign_times):.1f} ms "
          f"(p90 {percentile(sign_times, 0.9):.1f} ms)")
    print(f"verification of a signed PDF (median of 40): {statistics.median(verify_times):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
