"""Fan-out of 10,000 Web Push notifications (one dossier event to 10,000 citizens' browsers) to the local push service
of tests/support/push_service.py, which verifies every VAPID JWT and decrypts every message.

Three measurements, in one run:

* encryption + VAPID alone: ``WebPushSender.prepare`` (validation, JSON, pywebpush's ``WebPusher.encode`` with a
  fresh ECDH key, py_vapid's ES256 signature) on one thread, no network; broken down into encode vs sign;
* HTTP alone: the prepared messages POSTed by ``WebPushSender.post`` from THREADS threads, keep-alive sessions;
  plus one thread, one at a time, for the per-request latency;
* end to end: ``WebPushSender.send`` from THREADS threads.

The push service runs in a separate process so its own work (JWT check, ECDH + AES-GCM decryption, http.server)
does not take the sender's GIL; on a 2-core machine it still takes one core, which caps the HTTP figures: a real
push service is elsewhere. Nothing asserts: figures drift from run to run.

    .venv/bin/python bench/push_fanout.py          # BENCH_PUSH_N=2000 for a quick run
"""

from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from bench.harness import percentile  # noqa: E402
from pywebpush import WebPusher  # noqa: E402

from motcua.adapters.webpush_sender import (  # noqa: E402
    PushOutcome,
    PushTarget,
    VapidKeys,
    WebPushSender,
    fit_payload,
)
from support.push_service import LocalPushService  # noqa: E402

T = TypeVar("T")
N = int(os.environ.get("BENCH_PUSH_N", "10000"))
THREADS = int(os.environ.get("BENCH_PUSH_THREADS", "4"))
SEQUENTIAL = min(1000, N)  # one-at-a-time requests for the latency figure
BREAKDOWN = min(2000, N)  # messages timed for the encode / sign split

PAYLOAD: dict[str, Any] = {
    "title": "Hồ sơ đã có kết quả",
    "body": "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất số 000123 đã được UBND phường Trấn Biên ký duyệt. "
    "Mời ông/bà đến Bộ phận Một cửa nhận kết quả hoặc chọn nhận qua bưu điện.",
    "tag": "hs-000123",
    "data": {"url": "/ho-so/000123", "buoc": "tra-ket-qua"},
}


# -- the push service, in its own process ---------------------------------------------------------------------------


def serve(conn: Connection, count: int, application_server_key: str) -> None:
    """Child process: run the push service, hand back `count` subscriptions, answer stats until told to stop."""
    with LocalPushService() as service:
        subs = [service.subscribe(application_server_key=application_server_key) for _ in range(count)]
        conn.send([(s.target.endpoint, s.target.p256dh, s.target.auth) for s in subs])
        while True:
            command = conn.recv()
            if command == "stop":
                break
            rejected = service.rejected
            conn.send((len(service.received), len(rejected), rejected[:3], service.connections))


class RemoteService:
    def __init__(self, count: int, application_server_key: str) -> None:
        ctx = mp.get_context("spawn")  # no fork of a process that already has threads
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(child, count, application_server_key), daemon=True)
        self.process.start()
        self.targets = [PushTarget(*t) for t in self.conn.recv()]

    def stats(self) -> tuple[int, int, list[tuple[str, int, str]], int]:
        self.conn.send("stats")
        stats: tuple[int, int, list[tuple[str, int, str]], int] = self.conn.recv()
        return stats

    def stop(self) -> None:
        self.conn.send("stop")
        self.process.join(10)


# -- measurements ---------------------------------------------------------------------------------------------------


def fan_out(work: Sequence[T], call: Callable[[T], PushOutcome], threads: int) -> tuple[float, list[PushOutcome]]:
    """Run `call(item)` over `work` on `threads` threads; elapsed seconds and outcomes."""
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(call, work, chunksize=64))
    return time.perf_counter() - started, outcomes


def tally(outcomes: list[PushOutcome]) -> str:
    delivered = sum(o.delivered for o in outcomes)
    return "all delivered" if delivered == len(outcomes) else f"{delivered}/{len(outcomes)} delivered"


def main() -> None:
    keys = VapidKeys.generate()
    print(f"push fan-out: {N:,} messages, {THREADS} sender threads, {os.cpu_count()} CPUs, "
          f"{len(PAYLOAD['body'].encode())}-byte body")
    t0 = time.perf_counter()
    remote = RemoteService(N, keys.public_key_b64url)
    targets = remote.targets
    print(f"  push service up with {N:,} subscriptions in {time.perf_counter() - t0:.1f} s (separate process)")

    sender = WebPushSender(keys, timeout=10.0)
    try:
        for target in targets[:50]:  # warm-up: imports, first connections
            sender.send(target, PAYLOAD, ttl=3600)

        # 1. encryption + VAPID, one thread, no network
        started = time.perf_counter()
        prepared = [sender.prepare(t, PAYLOAD, ttl=86_400, urgency="normal", topic="hs-000123") for t in targets]
        crypto_s = time.perf_counter() - started

        plaintext = fit_payload(PAYLOAD)[0]
        started = time.perf_counter()
        for t in targets[:BREAKDOWN]:
            WebPusher({"endpoint": t.endpoint, "keys": {"p256dh": t.p256dh, "auth": t.auth}}).encode(plaintext)
        encode_ms = (time.perf_counter() - started) / BREAKDOWN * 1e3
        origin = targets[0].endpoint.split("/push/")[0]
        started = time.perf_counter()
        for _ in range(BREAKDOWN):
            keys.vapid.sign({"sub": sender.subject, "aud": origin, "exp": int(time.time()) + 3600})
        sign_ms = (time.perf_counter() - started) / BREAKDOWN * 1e3

        # 2. HTTP alone: pre-encrypted messages, THREADS threads with keep-alive; then one at a time
        http_s, http_outcomes = fan_out(prepared, lambda p: sender.post(*p), THREADS)
        latencies = []
        for p in prepared[:SEQUENTIAL]:
            started = time.perf_counter()
            sender.post(*p)
            latencies.append(time.perf_counter() - started)

        # 3. end to end
        e2e_s, e2e_outcomes = fan_out(
            targets, lambda t: sender.send(t, PAYLOAD, ttl=86_400, urgency="normal", topic="hs-000123"), THREADS
        )
    finally:
        sender.close()
    received, rejected, examples, connections = remote.stats()
    remote.stop()

    crypto_ms = crypto_s / N * 1e3
    http_ms = http_s / N * 1e3
    p99 = percentile(latencies, 0.99)
    rows = [
        ("encryption + VAPID (prepare, 1 thread)", N / crypto_s, crypto_ms,
         f"encode {encode_ms:.3f} ms + sign {sign_ms:.3f} ms"),
        (f"HTTP alone ({THREADS} threads, keep-alive)", N / http_s, http_ms, tally(http_outcomes)),
        ("HTTP alone (1 thread, one at a time)", 1 / statistics.mean(latencies), statistics.mean(latencies) * 1e3,
         f"p50 {statistics.median(latencies) * 1e3:.2f} ms, p99 {p99 * 1e3:.2f} ms"),
        (f"end to end ({THREADS} threads)", N / e2e_s, e2e_s / N * 1e3, tally(e2e_outcomes)),
    ]
    print()
    print(f"  {'phase':<42} {'msg/s':>8} {'ms/msg':>8}   notes")
    for name, rate, ms, note in rows:
        print(f"  {name:<42} {rate:>8,.0f} {ms:>8.3f}   {note}")
    share = crypto_ms / (crypto_ms + http_ms)
    print()
    print(f"  share of sender time in encryption + VAPID: {share:.0%}  (HTTP {1 - share:.0%}; "
          f"{crypto_ms:.3f} ms vs {http_ms:.3f} ms per message)")
    print(f"  push service: {received:,} accepted (of {N * 2 + 50 + SEQUENTIAL:,} sent), {rejected} rejected, "
          f"{connections} TCP connections (keep-alive: one per concurrent sender)")
    if examples:
        print(f"  rejections, e.g.: {examples}")
    print(f"  total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
