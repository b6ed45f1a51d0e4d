"""The embedded runtime's background threads (outbox worker, periodic jobs): they run, survive a failing pass, and
stop when asked."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory
from motcua.services.outbox_worker import OutboxWorker
from motcua.services.scheduler import PeriodicJobs


def running(name: str) -> bool:
    return any(t.name == name and t.is_alive() for t in threading.enumerate())


def test_a_failing_periodic_job_is_tried_again_and_stop_ends_the_thread():
    calls: list[str] = []
    second_call = threading.Event()

    def job() -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            raise RuntimeError("first pass fails")
        second_call.set()

    jobs = PeriodicJobs([(0.01, job)])
    jobs.start()
    jobs.start()  # already running: no second thread
    assert second_call.wait(10)
    jobs.stop()
    assert not running("periodic-jobs")
    assert set(calls) == {"periodic-jobs"}


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_the_outbox_worker_thread_delivers_committed_messages_and_stops(tmp_path):
    uow = SqliteUnitOfWorkFactory(Database(tmp_path / "store.sqlite3"))
    with uow() as u:
        u.outbox.add("t", {"n": 1}, now=FixedClock().now())
        u.commit()
    delivered = threading.Event()
    payloads: list[dict] = []

    def handler(message) -> None:
        payloads.append(message.payload)
        delivered.set()

    worker = OutboxWorker(uow, FixedClock(), {"t": [handler]})
    worker.start(interval=0.01)
    assert delivered.wait(10)
    worker.stop()
    assert not running("outbox-worker")
    assert payloads == [{"n": 1}]
