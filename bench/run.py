"""`make bench`: start the real server (gunicorn, SQLite, same config as `make run`) and measure, in ONE run,
a bare Flask endpoint (the ceiling) and the citizen's hot paths, reported as ratios of that ceiling.

Load comes from wrk on loopback (8 connections). Receipt rendering is timed in-process. Nothing here asserts:
figures drift from run to run; compare the ratios.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bench.harness import (  # noqa: E402
    CEILING,
    CONNECTIONS,
    DURATION,
    ensure_wrk,
    free_port,
    gunicorn,
    init_data,
    median_ms,
    median_rounds,
    run_wrk,
    server_env,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SUBMIT_DRAFTS = 20000  # more than one round can submit; a shortfall would show as non-2xx


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def call(self, method: str, path: str, body: object = None, headers: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Content-Type": "application/json", "X-CSRF-Token": self.csrf, **(headers or {})})
        with self.opener.open(req, timeout=30) as reply:
            raw = reply.read()
            return json.loads(raw) if raw else {}

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def wait_for_outbox(db_path: Path, limit: float = 120.0) -> tuple[int, float]:
    """Wait until every outbox message is delivered; returns (messages, seconds) of the backlog it saw."""
    import sqlite3

    conn = sqlite3.connect(db_path, timeout=30)
    start = time.perf_counter()
    backlog = conn.execute("SELECT count(*) FROM outbox WHERE done_at IS NULL").fetchone()[0]
    while conn.execute("SELECT count(*) FROM outbox WHERE done_at IS NULL").fetchone()[0]:
        if time.perf_counter() - start > limit:
            break
        time.sleep(0.2)
    conn.close()
    return backlog, time.perf_counter() - start


def clone_drafts(db_path: Path, template_id: str, count: int, ids_file: Path) -> None:
    """Bench-only shortcut: copy one complete draft (answers + attachments) `count` times straight in SQLite, so the
    submit path can be measured alone without minutes of preparation over HTTP."""
    import sqlite3
    import uuid

    ids = [uuid.uuid4().hex for _ in range(count)]
    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO dossiers (id, code, applicant_id, status, receiving_office_id, competent_unit_id, due_at,"
        " created_at, updated_at, version, data) SELECT ?, code, applicant_id, status, receiving_office_id,"
        " competent_unit_id, due_at, created_at, updated_at, version, json_set(data, '$.id', ?) FROM dossiers"
        " WHERE id = ?", [(i, i, template_id) for i in ids])
    conn.execute("COMMIT")
    conn.close()
    ids_file.write_text("".join(f"/api/v1/dossiers/{i}/submit\n" for i in ids))


def prepare_ipns(data_dir: Path, orders: int, out: Path) -> None:
    """Bench-only: many pending payments on one dossier, and three signed IPNs for each (a gateway retrying)."""
    import random
    from datetime import UTC, datetime, timedelta
    from urllib.parse import urlencode

    sys.path.insert(0, str(ROOT / "backend"))
    from motcua.adapters import vnpay
    from motcua.bootstrap import bootstrap
    from motcua.config import Settings
    from motcua.domain.payments import Payment

    settings = Settings.from_env({"MOTCUA_DATA_DIR": str(data_dir)}, start_worker=False)
    container = bootstrap(settings)
    now = datetime.now(UTC)
    lines = []
    with container.uow() as uow:
        dossier_id = uow.dossiers.list_by_applicant(uow.citizens.get_or_create("0912345678", now=now).id, limit=1,
                                                    page_token=None).items[0].id
        for n in range(orders):
            txn_ref = f"BENCH{n:09d}"
            uow.payments.add(Payment(id=f"bench{n}", dossier_id=dossier_id, citizen_id="bench", purpose="fee",
                                     amount_vnd=50_000, gateway="vnpay", txn_ref=txn_ref, created_at=now,
                                     expires_at=now + timedelta(minutes=15), updated_at=now))
            params = {"vnp_TmnCode": settings.vnpay_tmn_code, "vnp_Amount": "5000000", "vnp_BankCode": "NCB",
                      "vnp_PayDate": "20261126093000", "vnp_TransactionNo": str(10_000_000 + n),
                      "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00", "vnp_TxnRef": txn_ref}
            params["vnp_SecureHash"] = vnpay.sign(params, settings.vnpay_hash_secret)
            lines += ["/api/v1/payments/vnpay/ipn?" + urlencode(params)] * 3
        uow.commit()
    random.Random(7).shuffle(lines)  # duplicates arrive out of order, some at the same time
    out.write_text("\n".join(lines) + "\n")


def receipt_median_ms(n: int = 200) -> float:
    sys.path.insert(0, str(ROOT / "backend"))
    from datetime import UTC, datetime, timedelta

    from motcua.documents.receipt import ReceiptData, ReceivedDocument, render_receipt

    data = ReceiptData(
        dossier_code="H19.23-261126-0007", tracking_url="http://127.0.0.1:8080/tra-cuu?ma=H19.23-261126-0007",
        receiving_office_name="Trung tâm Phục vụ hành chính công phường Trấn Biên",
        competent_unit_name="Ủy ban nhân dân phường Trấn Biên", applicant_name="Nguyễn Thị Ngọc Ánh",
        applicant_id_number="075190001234", applicant_phone="0912345678",
        applicant_address="Số 12 Phạm Văn Thuận, Phường Trấn Biên, tỉnh Đồng Nai", applicant_email=None,
        procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
        documents=[ReceivedDocument("Giấy chứng sinh", "Bản chính", 1), ReceivedDocument("Tờ khai", "Bản chính", 1)],
        sets=1, processing_time_label="01 ngày làm việc", received_at=datetime(2026, 11, 26, 2, tzinfo=UTC),
        due_at=datetime(2026, 11, 26, 10, tzinfo=UTC) + timedelta(0), return_place="Trực tuyến",
        fee_label="Miễn phí", channel_label="Trực tuyến")
    render_receipt(data)  # fonts registered once
    return median_ms(lambda: render_receipt(data), n)


def upload(base: str, client: Client, dossier_id: str, document_id: str, pdf: Path) -> None:
    boundary = "motcuabench"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"document_id\"\r\n\r\n{document_id}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + pdf.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(f"{base}/api/v1/dossiers/{dossier_id}/attachments", data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                          "X-CSRF-Token": client.csrf})
    client.opener.open(req, timeout=30).read()


def small_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Giay chung sinh (bench)")
    c.save()


def main() -> int:
    wrk = ensure_wrk()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    env = server_env(port, tmp / "var", SQLITE_SYNCHRONOUS=os.environ.get("SQLITE_SYNCHRONOUS", "FULL"))
    init_data(env)  # the demo citizen's submitted dossier is the one we track
    with gunicorn("bench.bench_wsgi:app", env, base):
        citizen = Client(base)
        citizen.csrf = citizen.call("GET", "/api/v1/auth/session")["csrf_token"]
        sys.path.insert(0, str(ROOT / "tests"))
        from api.helpers import complete_answers, uploadable_documents
        from support.otp import code_from_outbox

        citizen.call("POST", "/api/v1/auth/otp", {"phone": "0912345678"})
        # the sign-in SMS, not the seeded dossier's notice (its code has six digits in a row too)
        code = code_from_outbox(citizen.call("GET", "/dev/outbox")["items"], "0912345678")
        citizen.csrf = citizen.call("POST", "/api/v1/auth/verify", {"phone": "0912345678", "code": code})["csrf_token"]

        procedure = citizen.call("GET", "/api/v1/procedures/1.001193")

        docs = [d["id"] for d in uploadable_documents(procedure)]
        create_body = tmp / "create.json"
        create_body.write_text(json.dumps({"procedure_code": procedure["code"], "form": complete_answers(procedure),
                                           "receiving_office_id": "phuong-tran-bien"}, ensure_ascii=False))
        pdf = tmp / "doc.pdf"
        small_pdf(pdf)
        # one submitted dossier to track (the seeded one belongs to the same demo phone)
        mine = citizen.call("GET", "/api/v1/dossiers")["items"]
        code = next(d["code"] for d in mine if d["code"])
        lua_env = {"BENCH_COOKIE": citizen.cookie_header(), "BENCH_CSRF": citizen.csrf,
                   "BENCH_CREATE_BODY": str(create_body), "BENCH_PDF": str(pdf), "BENCH_DOCS": ",".join(docs)}

        outbox_db = tmp / "var" / "motcua.sqlite3"
        drain_times = []

        def measure(url: str, script: Path | None = None, extra: dict | None = None, before=None):
            def run() -> dict:
                if before:
                    before()
                result = run_wrk(wrk, url, script, extra)
                if script:  # let the outbox worker send the filings' SMS before the next path is measured
                    drain_times.append(wait_for_outbox(outbox_db))
                return result
            return run

        reads = {CEILING: base + "/bare/hello",
                 "procedure search": base + "/api/v1/procedures?q=dang%20ky%20khai%20sinh",
                 "public tracking": f"{base}/api/v1/track/{code}?phone=0912345678"}
        scenarios = {name: measure(url) for name, url in reads.items()}
        scenarios["filing (draft+attach+submit)"] = measure(base + "/", ROOT / "bench/filing.lua", lua_env)
        # a complete draft to clone for the submit-only path
        template = citizen.call("POST", "/api/v1/dossiers", json.loads(create_body.read_text()))["id"]
        for document_id in docs:
            upload(base, citizen, template, document_id, pdf)
        ids_file = tmp / "ids.txt"
        submit_env = {**lua_env, "BENCH_PATHS": str(ids_file), "BENCH_METHOD": "POST"}
        scenarios["submit (complete draft)"] = measure(
            base + "/", ROOT / "bench/replay.lua", submit_env,
            before=lambda: clone_drafts(outbox_db, template, SUBMIT_DRAFTS, ids_file))
        for url in reads.values():  # warm up first (imports, caches, page cache): the first round is not the cold one
            run_wrk(wrk, url, duration="2s")
        results = median_rounds(scenarios, ROUNDS)
        ipns = tmp / "ipns.txt"
        prepare_ipns(tmp / "var", 20_000, ipns)
        results["payment IPN (3 per order)"] = run_wrk(wrk, base + "/", ROOT / "bench/replay.lua",
                                                       {"BENCH_PATHS": str(ipns)})
    ceiling = results[CEILING]["rps"]
    steps = 2 + len(docs)
    worker = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
    print(f"\nmotcua bench — gunicorn 2 workers ({worker}), SQLite WAL synchronous={env['SQLITE_SYNCHRONOUS']}, "
          f"wrk {CONNECTIONS} connections, median of {ROUNDS} interleaved rounds of {DURATION}\n")
    print(f"{'path':34} {'req/s':>9} {'ratio':>7} {'p50':>9} {'p99':>9} {'non-2xx':>8}")
    for name, r in results.items():
        print(f"{name:34} {r['rps']:9.0f} {r['rps'] / ceiling:7.0%} {r['p50']:>9} {r['p99']:>9} {r['non2xx']:8d}")
        for line in r["stderr"]:
            print(f"    ! {line}")
    filing = results["filing (draft+attach+submit)"]["rps"]
    print(f"\nfiling = {steps} requests per dossier ({len(docs)} attachment(s)): {filing / steps:.0f} dossiers/s")
    sent = sum(n for n, _ in drain_times)
    seconds = sum(t for _, t in drain_times)
    print(f"outbox: {sent} messages left after the filing runs, delivered in {seconds:.1f} s "
          f"({sent / seconds if seconds else 0:.0f}/s while idle)")
    print(f"receipt PDF render (median of 200): {receipt_median_ms():.1f} ms")
    shutil.rmtree(tmp, ignore_errors=True)
    # In-process parts: the officials' side (worklist growth, signing), Web Push fan-out, notification latency, the
    # public side (sample dossiers, the statistics bench with its own server and counters for 100 units), and the
    # Lambda cold start through Zappa's handler (from build/motcua-lambda.zip when `make package` made it).
    codes = [subprocess.run([sys.executable, str(ROOT / "bench" / name)], check=False).returncode
             for name in ("officials.py", "push_fanout.py", "notify_latency.py", "samples.py", "public_side.py",
                          "stats.py", "cold_start.py")]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
