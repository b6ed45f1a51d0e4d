"""The contract every store adapter keeps: the SQLite file and DynamoDB (moto in server mode, over HTTP).

These tests talk to the ports only, so the same file checks every runtime. Where DynamoDB behaves differently on
purpose (ADR 0006: counters and rate-limit hits act at once), a test says so.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from motcua.adapters.audit_chain import GENESIS, entry_hash
from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict
from motcua.services.ports import OtpChallenge, Session
from support.stores import STORES, make_uow_factory

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture(params=STORES)
def uow_factory(request, tmp_path):
    return make_uow_factory(request.param, request, tmp_path)


def make_dossier(n: int, applicant: str = "c1", created: datetime = NOW) -> Dossier:
    return Dossier(id=f"d{n:04d}", procedure_code="1.001193", applicant_id=applicant, applicant_phone="0912345678",
                   created_at=created, updated_at=created, form={"applicant_name": "Nguyễn Thị Ngọc Ánh"})


def test_a_dossier_round_trips_with_vietnamese_text_intact(uow_factory):
    with uow_factory() as uow:
        uow.dossiers.add(make_dossier(1))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        loaded = uow.dossiers.get("d0001")
    assert loaded.form == {"applicant_name": "Nguyễn Thị Ngọc Ánh"} and loaded.version == 1


def test_leaving_without_commit_keeps_nothing(uow_factory):
    with uow_factory() as uow:
        uow.dossiers.add(make_dossier(1))
    with uow_factory(readonly=True) as uow:
        assert uow.dossiers.get("d0001") is None


def test_stale_save_is_refused_so_only_one_writer_wins(uow_factory):
    with uow_factory() as uow:
        uow.dossiers.add(make_dossier(1))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        first = uow.dossiers.get("d0001")
    with uow_factory(readonly=True) as uow:
        second = uow.dossiers.get("d0001")
    with uow_factory() as uow:
        first.form["note"] = "first"
        uow.dossiers.save(first)
        uow.commit()
    with uow_factory() as uow, pytest.raises(Conflict) as err:
        second.form["note"] = "second"
        uow.dossiers.save(second)
    assert err.value.code == "stale_version"
    with uow_factory(readonly=True) as uow:
        assert uow.dossiers.get("d0001").form["note"] == "first"


def test_submitted_events_reach_the_outbox_in_the_same_commit(uow_factory):
    d = make_dossier(1)
    d.receiving_office_id = d.competent_unit_id = "o"
    with uow_factory() as uow:
        d.submit(code="H19-261126-0001", due_at=NOW, fee_vnd=0, procedure_name="p", now=NOW, actor="c")
        uow.dossiers.add(d)
        uow.commit()
    with uow_factory() as uow:
        topics = sorted(m.topic for m in uow.outbox.claim(now=NOW, limit=10, lease_seconds=60))
        uow.commit()
    assert topics == ["dossier.status_changed", "dossier.submitted"]


def test_a_rolled_back_change_sends_no_event(uow_factory):
    d = make_dossier(1)
    d.receiving_office_id = d.competent_unit_id = "o"
    with uow_factory() as uow:
        d.submit(code="H19-261126-0001", due_at=NOW, fee_vnd=0, procedure_name="p", now=NOW, actor="c")
        uow.dossiers.add(d)
    with uow_factory() as uow:
        assert uow.outbox.claim(now=NOW, limit=10, lease_seconds=60) == []


def test_a_claimed_message_is_leased_then_offered_again_if_not_done(uow_factory):
    with uow_factory() as uow:
        uow.outbox.add("t", {"x": 1}, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        [message] = uow.outbox.claim(now=NOW, limit=10, lease_seconds=60)
        assert uow.outbox.claim(now=NOW, limit=10, lease_seconds=60) == []
        uow.commit()
    with uow_factory() as uow:
        [again] = uow.outbox.claim(now=NOW + timedelta(seconds=61), limit=10, lease_seconds=60)
        assert again.id == message.id and again.attempts == 2
        uow.outbox.mark_done(again.id, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.outbox.claim(now=NOW + timedelta(hours=1), limit=10, lease_seconds=60) == []


def test_get_by_code(uow_factory):
    d = make_dossier(1)
    d.code = "H19-261126-0007"
    with uow_factory() as uow:
        uow.dossiers.add(d)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.dossiers.get_by_code("H19-261126-0007").id == "d0001"
        assert uow.dossiers.get_by_code("H19-261126-0008") is None


def test_list_by_applicant_pages_newest_first_and_shows_only_theirs(uow_factory):
    with uow_factory() as uow:
        for n in range(7):
            uow.dossiers.add(make_dossier(n, created=NOW + timedelta(minutes=n)))
        uow.dossiers.add(make_dossier(99, applicant="someone-else"))
        uow.commit()
    seen, token = [], None
    while True:
        with uow_factory(readonly=True) as uow:
            page = uow.dossiers.list_by_applicant("c1", limit=3, page_token=token)
        seen += [d.id for d in page.items]
        token = page.next_page_token
        if token is None:
            break
    assert seen == [f"d{n:04d}" for n in reversed(range(7))]


def test_counter_increments_are_unique_under_concurrency(uow_factory):
    results: list[int] = []
    lock = threading.Lock()

    def work():
        for _ in range(25):
            with uow_factory() as uow:
                value = uow.counters.increment("seq#H19#20261126")
                uow.commit()
            with lock:
                results.append(value)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(1, 101))


def test_idempotency_key_is_reserved_once_then_completed(uow_factory):
    with uow_factory() as uow:
        assert uow.idempotency.reserve("s", "k", "h1", now=NOW) is None
        uow.commit()
    with uow_factory() as uow:
        pending = uow.idempotency.reserve("s", "k", "h1", now=NOW)
        assert pending.status_code is None and pending.request_hash == "h1"
        uow.idempotency.complete("s", "k", status_code=200, body=b"{}", headers={"Content-Type": "application/json"})
        uow.commit()
    with uow_factory() as uow:
        done = uow.idempotency.reserve("s", "k", "h2", now=NOW)
    assert done.status_code == 200 and done.body == b"{}" and done.request_hash == "h1"


def test_rate_limit_counts_within_a_window_and_resets_after(uow_factory):
    with uow_factory() as uow:
        waits = [uow.rate_limits.hit("ip", limit=3, window_seconds=60, now=NOW) for _ in range(4)]
        assert uow.rate_limits.blocked("ip", limit=3, window_seconds=60, now=NOW) > 0
        assert uow.rate_limits.hit("ip", limit=3, window_seconds=60, now=NOW + timedelta(seconds=61)) == 0
        uow.commit()
    assert waits[:3] == [0, 0, 0] and waits[3] > 0


def test_otp_and_session_records_round_trip(uow_factory):
    with uow_factory() as uow:
        uow.otps.put(OtpChallenge(phone="0912345678", code_hash="h", expires_at=NOW, sent_at=NOW))
        uow.sessions.add(Session(token_hash="t", user_kind="citizen", user_id="c1", phone="0912345678",
                                 created_at=NOW, expires_at=NOW + timedelta(days=1)))
        uow.commit()
    with uow_factory() as uow:
        assert uow.otps.get("0912345678").code_hash == "h"
        assert uow.sessions.get("t").user_id == "c1"
        uow.otps.delete("0912345678")
        uow.sessions.delete("t")
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.otps.get("0912345678") is None and uow.sessions.get("t") is None


def test_citizen_is_created_once_per_phone(uow_factory):
    with uow_factory() as uow:
        a = uow.citizens.get_or_create("0912345678", now=NOW)
        b = uow.citizens.get_or_create("0912345678", now=NOW)
        uow.commit()
    assert a.id == b.id


def test_audit_entries_chain_their_hashes(uow_factory):
    with uow_factory() as uow:
        first = uow.audit.append("dossier:d1", actor="citizen:c1", action="create", device="ua", at=NOW,
                                 before=None, after={"status": "draft"})
        second = uow.audit.append("dossier:d1", actor="citizen:c1", action="submit", device="ua", at=NOW,
                                  before={"status": "draft"}, after={"status": "submitted"})
        uow.commit()
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    with uow_factory(readonly=True) as uow:
        entries = uow.audit.entries("dossier:d1")
    for entry in entries:
        assert entry.hash == entry_hash(subject=entry.subject, seq=entry.seq, at=entry.at, actor=entry.actor,
                                        action=entry.action, device=entry.device, before=entry.before,
                                        after=entry.after, prev_hash=entry.prev_hash)


def _session(token: str) -> Session:
    return Session(token_hash=token, user_kind="citizen", user_id="c1", phone="0912345678", created_at=NOW,
                   expires_at=NOW + timedelta(days=1))


def _kept(uow_factory, *tokens: str) -> list[str]:
    with uow_factory(readonly=True) as uow:
        return [t for t in tokens if uow.sessions.get(t) is not None]


def _kept_elsewhere(uow_factory, *tokens: str) -> list[str]:
    """What another thread (another request) sees."""
    seen: list[list[str]] = []
    reader = threading.Thread(target=lambda: seen.append(_kept(uow_factory, *tokens)))
    reader.start()
    reader.join()
    return seen[0]


def test_a_nested_unit_of_work_commits_with_the_outer_one(uow_factory):
    with uow_factory() as outer:
        outer.sessions.add(_session("outer"))
        with uow_factory() as inner:
            inner.sessions.add(_session("inner"))
            assert inner.sessions.get("outer") is not None  # the inner part sees the outer one's writes
            inner.commit()
        assert _kept_elsewhere(uow_factory, "outer", "inner") == []  # nothing durable before the outer commit
        outer.commit()
    assert _kept(uow_factory, "outer", "inner") == ["outer", "inner"]


def test_a_nested_rollback_undoes_only_the_inner_part(uow_factory):
    with uow_factory() as outer:
        outer.sessions.add(_session("kept"))
        with uow_factory() as inner:
            inner.sessions.add(_session("dropped"))  # left without commit
        assert outer.sessions.get("dropped") is None
        outer.commit()
    assert _kept(uow_factory, "kept", "dropped") == ["kept"]


def test_an_outer_rollback_undoes_a_committed_inner_part(uow_factory):
    with uow_factory(), uow_factory() as inner:  # the outer one is left without commit
        inner.sessions.add(_session("inner"))
        inner.commit()
    assert _kept(uow_factory, "inner") == []


def test_a_writing_unit_cannot_nest_in_a_read_only_one(uow_factory):
    with uow_factory(readonly=True), pytest.raises(RuntimeError), uow_factory():
        pass


def test_a_counter_never_hands_a_committed_value_out_twice_even_across_rollbacks(uow_factory):
    # SQLite undoes a rolled-back increment; DynamoDB's ADD acts at once and leaves a gap (ADR 0006). Either way the
    # values that reach committed records are unique and increasing.
    committed = []
    for keep in (True, False, True, False, False, True):
        with uow_factory() as uow:
            value = uow.counters.increment("seq#X#20261126")
            if keep:
                uow.commit()
                committed.append(value)
    assert committed == sorted(set(committed)) and committed[0] == 1


def test_the_worklist_pages_by_due_date_and_shows_only_the_units_dossiers(uow_factory):
    with uow_factory() as uow:
        for n in range(7):
            d = make_dossier(n)
            d.holder_unit_id, d.due_at, d.code = "unit-a", NOW + timedelta(hours=7 - n), f"X-261126-{n:04d}"
            uow.dossiers.add(d)
        other = make_dossier(99)
        other.holder_unit_id, other.due_at = "unit-b", NOW
        uow.dossiers.add(other)
        uow.commit()
    seen, token = [], None
    while True:
        with uow_factory(readonly=True) as uow:
            page = uow.dossiers.list_worklist("unit-a", limit=3, page_token=token)
            due = uow.dossiers.due_between(NOW, NOW + timedelta(hours=3, minutes=30), limit=2, page_token=None)
        seen += [d.id for d in page.items]
        token = page.next_page_token
        if token is None:
            break
    assert seen == [f"d{n:04d}" for n in reversed(range(7))]
    assert [d.id for d in due.items] == ["d0099", "d0006"] and due.next_page_token is not None


def test_dossiers_submitted_before_the_workflow_existed_appear_at_intake(tmp_path):
    import json
    import sqlite3

    from motcua.adapters.sqlite_schema import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version=1")
    data = {"id": "d1", "procedure_code": "1.001193", "applicant_id": "c", "applicant_phone": "0912345678",
            "created_at": NOW.isoformat(), "updated_at": NOW.isoformat(), "status": "submitted",
            "receiving_office_id": "phuong-tran-bien", "competent_unit_id": "phuong-tran-bien", "code": "X-1"}
    conn.execute("INSERT INTO dossiers (id, code, applicant_id, status, receiving_office_id, competent_unit_id,"
                 " due_at, created_at, updated_at, version, data) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 ("d1", "X-1", "c", "submitted", "phuong-tran-bien", "phuong-tran-bien", NOW.isoformat(),
                  NOW.isoformat(), NOW.isoformat(), 1, json.dumps(data)))
    conn.commit()
    conn.close()
    factory = SqliteUnitOfWorkFactory(Database(path))
    with factory(readonly=True) as uow:
        page = uow.dossiers.list_worklist("phuong-tran-bien", limit=10, page_token=None)
    assert [(d.id, d.stage, d.holder_unit_id) for d in page.items] == [("d1", "intake", "phuong-tran-bien")]
