"""Latency from a state change to the push service's hand-off, in the embedded runtime: the outbox worker thread
relays each committed event to a local push service (VAPID checked, payload decrypted). In-process; real clock."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "tests"), str(ROOT)]

from bench.harness import percentile  # noqa: E402

from motcua.bootstrap import bootstrap  # noqa: E402
from motcua.config import Settings  # noqa: E402
from motcua.domain.lifecycle import Action  # noqa: E402
from motcua.seed import DEMO_PHONE, seed_demo  # noqa: E402
from motcua.services.notifications import handed_over_within  # noqa: E402
from support.push_service import LocalPushService  # noqa: E402

CHANGES = 200


def main() -> int:
    settings = Settings.from_env({}, data_dir=Path(tempfile.mkdtemp(prefix="motcua-bench-push-")), start_worker=False,
                                 secret_key=b"bench")
    container = bootstrap(settings)
    seed_demo(container)
    with container.uow() as uow:
        citizen = uow.citizens.get_or_create(DEMO_PHONE, now=container.clock.now())
        dossier = uow.dossiers.list_by_applicant(citizen.id, limit=1, page_token=None).items[0]
        uow.commit()
    with LocalPushService() as service:
        for _ in range(3):  # a citizen with three devices
            sub = service.subscribe(application_server_key=container.push.public_key)
            container.notification_center.subscribe(
                _session(citizen.id), {"endpoint": sub.target.endpoint,
                                       "keys": {"p256dh": sub.target.p256dh, "auth": sub.target.auth}},
                user_agent="bench")
        container.worker.start(interval=0.2)
        started = time.perf_counter()
        for _ in range(CHANGES):  # each an apology-like step on the same dossier: an event, three pushes
            with container.uow() as uow:
                d = uow.dossiers.get(dossier.id)
                d.record(Action.APOLOGY, actor="official:bench", now=container.clock.now(), note="bench")
                uow.dossiers.save(d)
                uow.commit()
            time.sleep(0.01)
        deadline = time.time() + 60
        while len(service.received) < CHANGES * 3 and time.time() < deadline:
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        container.worker.stop()
    with container.uow(readonly=True) as uow:
        deliveries = [x for x in uow.deliveries.for_dossier(dossier.id) if x.channel == "push"]
    latencies = sorted((x.sent_at - x.event_at).total_seconds() * 1000 for x in deliveries if x.sent_at)
    fast, total = handed_over_within(deliveries, 10)
    print(f"\nnotification latency (state change → push service accepted), {total} pushes for {CHANGES} changes "
          f"in {elapsed:.1f} s, worker polling every 0.2 s:")
    print(f"  p50 {statistics.median(latencies):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms; "
          f"handed over within 10 s: {fast}/{total} ({fast / total:.1%})")
    return 0


def _session(citizen_id: str):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from motcua.services.ports import Session

    now = datetime.now(UTC)
    return Session(token_hash="-", user_kind="citizen", user_id=citizen_id, phone=DEMO_PHONE,  # noqa: S106
                   created_at=now, expires_at=now + timedelta(minutes=5))


if __name__ == "__main__":
    sys.exit(main())
