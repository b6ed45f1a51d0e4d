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
from support.stores import every_page, run_threads

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


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
    seen = every_page(uow_factory, lambda uow, **paging: uow.dossiers.list_by_applicant("c1", **paging), limit=3)
    assert [d.id for d in seen] == [f"d{n:04d}" for n in reversed(range(7))]


def test_counter_increments_are_unique_under_concurrency(uow_factory):
    def work(_: int) -> list[int]:
        values = []
        for _ in range(25):
            with uow_factory() as uow:
                values.append(uow.counters.increment("seq#H19#20261126"))
                uow.commit()
        return values

    assert sorted(sum(run_threads(work, 4), [])) == list(range(1, 101))


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
    seen = every_page(uow_factory, lambda uow, **paging: uow.dossiers.list_worklist("unit-a", **paging), limit=3)
    with uow_factory(readonly=True) as uow:
        due = uow.dossiers.due_between(NOW, NOW + timedelta(hours=3, minutes=30), limit=2, page_token=None)
    assert [d.id for d in seen] == [f"d{n:04d}" for n in reversed(range(7))]
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


# --- every repository's contract, the same on every runtime ------------------------------------------------------


def test_reads_see_the_writes_of_their_own_unit_and_one_item_is_written_once(uow_factory):
    with uow_factory() as uow:
        d = make_dossier(1)
        uow.dossiers.add(d)
        assert uow.dossiers.get("d0001").form == d.form
        d.form["note"] = "sửa lần 1"
        uow.dossiers.save(d)
        d.code = "H19-261126-0042"
        uow.dossiers.save(d)
        assert uow.dossiers.get_by_code("H19-261126-0042").form["note"] == "sửa lần 1"
        uow.commit()
    with uow_factory(readonly=True) as uow:
        stored = uow.dossiers.get_by_code("H19-261126-0042")
    assert stored.id == "d0001" and stored.version == 3 and stored.form["note"] == "sửa lần 1"


def test_a_read_only_unit_cannot_commit(uow_factory):
    with uow_factory(readonly=True) as uow, pytest.raises(RuntimeError):
        uow.commit()


def test_a_deleted_draft_is_gone_with_its_code(uow_factory):
    d = make_dossier(1)
    d.code = "X-1"
    with uow_factory() as uow:
        uow.dossiers.add(d)
        uow.commit()
    with uow_factory() as uow:
        uow.dossiers.delete(uow.dossiers.get("d0001"))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.dossiers.get("d0001") is None and uow.dossiers.get_by_code("X-1") is None


def test_a_stale_dossier_is_not_deleted(uow_factory):
    with uow_factory() as uow:
        uow.dossiers.add(make_dossier(1))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        old = uow.dossiers.get("d0001")
    with uow_factory() as uow:
        fresh = uow.dossiers.get("d0001")
        uow.dossiers.save(fresh)
        uow.commit()
    with uow_factory() as uow:
        uow.dossiers.delete(old)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.dossiers.get("d0001").version == 2


def _filed(n: int, *, unit: str, due: datetime, status: str = "submitted", office: str = "o1",
           procedure: str = "1.001193", updated: datetime = NOW) -> Dossier:
    from motcua.domain.lifecycle import DossierStatus

    d = make_dossier(n, created=NOW + timedelta(seconds=n))
    d.code, d.holder_unit_id, d.due_at, d.receiving_office_id = f"X-{n:04d}", unit, due, office
    d.status, d.procedure_code, d.updated_at = DossierStatus(status), procedure, updated
    return d


def test_the_worklist_filters_by_status_office_and_procedure_across_pages(uow_factory):
    with uow_factory() as uow:
        for n in range(12):
            uow.dossiers.add(_filed(n, unit="u", due=NOW + timedelta(hours=n),
                                    status="submitted" if n % 2 else "in_progress",
                                    office="o1" if n % 3 else "o2", procedure="p1" if n < 8 else "p2"))
        uow.commit()

    def all_pages(**filters) -> list[str]:
        items = every_page(uow_factory, lambda uow, **paging: uow.dossiers.list_worklist("u", **paging, **filters),
                           limit=2)
        return [d.id for d in items]

    assert all_pages(status="submitted") == [f"d{n:04d}" for n in range(12) if n % 2]
    assert all_pages(office_id="o2") == [f"d{n:04d}" for n in range(12) if n % 3 == 0]
    assert all_pages(procedure_code="p2", status="in_progress") == ["d0008", "d0010"]
    assert all_pages(status="withdrawn") == []


def test_dossiers_in_a_status_since_page_by_update_time(uow_factory):
    with uow_factory() as uow:
        for n in range(5):
            uow.dossiers.add(_filed(n, unit="u", due=NOW, status="supplement_requested",
                                    updated=NOW - timedelta(days=10 - n)))
        uow.dossiers.add(_filed(7, unit="u", due=NOW, status="supplement_requested", updated=NOW))
        uow.dossiers.add(_filed(8, unit="u", due=NOW, status="in_progress", updated=NOW - timedelta(days=30)))
        uow.commit()
    seen = every_page(
        uow_factory,
        lambda uow, **paging: uow.dossiers.in_status_since("supplement_requested", NOW - timedelta(days=6), **paging),
        limit=2,
    )
    assert [d.id for d in seen] == ["d0000", "d0001", "d0002", "d0003", "d0004"]


def test_the_sweep_pages_through_dossiers_due_over_several_days(uow_factory):
    with uow_factory() as uow:
        for n in range(9):
            uow.dossiers.add(_filed(n, unit="u", due=NOW + timedelta(hours=10 * n)))
        uow.commit()
    seen = every_page(
        uow_factory,
        lambda uow, **paging: uow.dossiers.due_between(NOW + timedelta(hours=5), NOW + timedelta(hours=70), **paging),
        limit=2,
    )
    # due at +10h … +60h; the one due exactly at the end (+70h) is outside [start, end)
    assert [d.id for d in seen] == [f"d{n:04d}" for n in range(1, 7)]


@pytest.mark.parametrize("token", ["%%%", "bm90IGpzb24", "WzEsMl0", "e30", "eyJrIjpbMV0sImkiOnt9fQ"])
def test_a_malformed_page_token_is_a_clear_4xx_or_harmless(uow_factory, token):
    from motcua.domain.errors import InvalidInput

    with uow_factory() as uow:
        for n in range(3):
            uow.dossiers.add(make_dossier(n, created=NOW + timedelta(minutes=n)))
        uow.dossiers.add(make_dossier(9, applicant="someone-else"))
        uow.commit()
    calls = [
        lambda uow: uow.dossiers.list_by_applicant("c1", limit=2, page_token=token),
        lambda uow: uow.dossiers.list_worklist("u", limit=2, page_token=token),
        lambda uow: uow.dossiers.in_status_since("draft", NOW, limit=2, page_token=token),
        lambda uow: uow.dossiers.due_between(NOW, NOW + timedelta(days=2), limit=2, page_token=token),
    ]
    for number, call in enumerate(calls):
        with uow_factory(readonly=True) as uow:
            try:
                page = call(uow)
            except InvalidInput as exc:
                assert exc.code == "invalid_page_token" and exc.http_status < 500
            else:  # a token that decodes to an odd position only moves within the caller's own list
                assert number > 0 or all(d.applicant_id == "c1" for d in page.items)


def test_a_tampered_token_never_reaches_another_citizens_dossiers(uow_factory):
    from motcua.domain.errors import InvalidInput
    from motcua.services.page_tokens import decode_page_token, encode_page_token

    with uow_factory() as uow:
        for n in range(4):
            uow.dossiers.add(make_dossier(n, created=NOW + timedelta(minutes=n)))
        for n in range(10, 14):
            uow.dossiers.add(make_dossier(n, applicant="victim", created=NOW + timedelta(minutes=n)))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        first = uow.dossiers.list_by_applicant("c1", limit=1, page_token=None)
        victims = uow.dossiers.list_by_applicant("victim", limit=1, page_token=None)
    position = decode_page_token(victims.next_page_token)
    forged = [encode_page_token({**position, "p": "APPLICANT#victim"}), victims.next_page_token,
              encode_page_token({**decode_page_token(first.next_page_token), "i": "d0012"})]
    for token in forged:
        with uow_factory(readonly=True) as uow:
            try:
                page = uow.dossiers.list_by_applicant("c1", limit=10, page_token=token)
            except InvalidInput:
                continue
        assert all(d.applicant_id == "c1" for d in page.items)


def test_officials_by_id_by_unit_and_role_and_all(uow_factory):
    from motcua.domain.officials import Membership, Official, Role

    binh = Official(id="o-binh", name="Nguyễn Văn Bình", title="PHÓ CHỦ TỊCH", email="binh@example.vn",
                    memberships=(Membership("u1", Role.LEADER), Membership("u2", Role.SPECIALIST)))
    lan = Official(id="o-lan", name="Trần Thị Lan", title="CHUYÊN VIÊN", phone="0912000111",
                   memberships=(Membership("u1", Role.SPECIALIST),))
    with uow_factory() as uow:
        uow.officials.put(binh)
        uow.officials.put(lan)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.officials.get("o-binh") == binh and uow.officials.get("o-nobody") is None
        assert [o.id for o in uow.officials.in_unit("u1", Role.LEADER)] == ["o-binh"]
        assert [o.id for o in uow.officials.in_unit("u1", Role.SPECIALIST)] == ["o-lan"]
        assert [o.id for o in uow.officials.all()] == ["o-binh", "o-lan"]
    moved = Official(id="o-binh", name=binh.name, title="CHỦ TỊCH", memberships=(Membership("u3", Role.LEADER),))
    with uow_factory() as uow:
        uow.officials.put(moved)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.officials.in_unit("u1", Role.LEADER) == [] and uow.officials.in_unit("u2", Role.SPECIALIST) == []
        assert uow.officials.in_unit("u3", Role.LEADER) == [moved] and uow.officials.get("o-binh").title == "CHỦ TỊCH"


def test_an_enrolment_link_is_single_use_and_expires(uow_factory):
    with uow_factory() as uow:
        uow.enrolments.add("h-live", "o1", now=NOW, expires_at=NOW + timedelta(days=3))
        uow.enrolments.add("h-old", "o2", now=NOW, expires_at=NOW + timedelta(minutes=1))
        uow.commit()
    later = NOW + timedelta(hours=1)
    with uow_factory() as uow:
        assert uow.enrolments.peek("h-live", now=later) == "o1"
        assert uow.enrolments.peek("h-old", now=later) is None and uow.enrolments.use("h-old", now=later) is None
        assert uow.enrolments.peek("h-unknown", now=later) is None
        uow.commit()

    def use(_: int):
        with uow_factory() as uow:
            official = uow.enrolments.use("h-live", now=later)
            uow.commit()
        return official

    assert sorted(map(str, run_threads(use, 4))) == ["None", "None", "None", "o1"]
    with uow_factory(readonly=True) as uow:
        assert uow.enrolments.peek("h-live", now=later) is None


def test_passkeys_by_credential_and_official_and_their_use(uow_factory):
    from motcua.services.passkeys import PasskeyCredential

    key = PasskeyCredential(credential_id=b"\x00\xffcred-1", official_id="o1", public_key=b"\xa5\x01\x02",
                            sign_count=0, transports=("internal", "hybrid"), created_at=NOW, last_used_at=None,
                            device_label="Điện thoại của chị Lan")
    other = PasskeyCredential(credential_id=b"cred-2", official_id="o1", public_key=b"k2", sign_count=5,
                              transports=(), created_at=NOW + timedelta(minutes=1), last_used_at=None,
                              device_label="")
    with uow_factory() as uow:
        uow.passkeys.add(key)
        uow.passkeys.add(other)
        uow.commit()
    with uow_factory() as uow:
        assert uow.passkeys.get(b"\x00\xffcred-1") == key and uow.passkeys.get(b"nope") is None
        assert sorted(c.credential_id for c in uow.passkeys.for_official("o1")) == [b"\x00\xffcred-1", b"cred-2"]
        assert uow.passkeys.for_official("o2") == []
        uow.passkeys.record_use(b"\x00\xffcred-1", sign_count=7, used_at=NOW + timedelta(hours=1))
        uow.passkeys.record_use(b"unknown", sign_count=1, used_at=NOW)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        used = uow.passkeys.get(b"\x00\xffcred-1")
        assert uow.passkeys.get(b"unknown") is None
    assert used.sign_count == 7 and used.last_used_at == NOW + timedelta(hours=1)


def test_a_webauthn_challenge_is_taken_once_even_by_racing_requests(uow_factory):
    from motcua.services.passkeys import PendingChallenge

    pending = PendingChallenge(id="ch-1", challenge=b"\x01\x02random", purpose="sign", official_id="o1",
                               binding="motcua-sign-v1|d1", expires_at=NOW + timedelta(minutes=5))
    with uow_factory() as uow:
        uow.challenges.put(pending)
        uow.commit()

    def take(_: int):
        with uow_factory() as uow:
            taken = uow.challenges.take("ch-1")
            uow.commit()
        return taken

    results = run_threads(take, 4)
    assert [r for r in results if r is not None] == [pending]
    with uow_factory() as uow:
        assert uow.challenges.take("ch-1") is None and uow.challenges.take("x" * 3000) is None


def _subscription(sub_id: str, user: str, endpoint: str, at: datetime = NOW):
    from motcua.services.notification_ports import StoredSubscription

    return StoredSubscription(id=sub_id, user_kind="citizen", user_id=user, endpoint=endpoint, p256dh="p",
                              auth="a", created_at=at, user_agent="Chrome Android")


def test_push_subscriptions_one_per_endpoint_owned_by_the_last_subscriber(uow_factory):
    with uow_factory() as uow:
        first = uow.push_subscriptions.upsert(_subscription("s1", "c1", "https://push.example/1"))
        uow.push_subscriptions.upsert(_subscription("s2", "c1", "https://push.example/2", NOW + timedelta(seconds=1)))
        uow.commit()
    assert first.id == "s1"
    with uow_factory() as uow:  # the phone changes hands: the same endpoint, another citizen
        again = uow.push_subscriptions.upsert(_subscription("s9", "c2", "https://push.example/1"))
        uow.commit()
    assert again.id == "s1" and again.user_id == "c2"
    with uow_factory() as uow:
        assert [s.id for s in uow.push_subscriptions.for_user("citizen", "c1")] == ["s2"]
        assert [s.endpoint for s in uow.push_subscriptions.for_user("citizen", "c2")] == ["https://push.example/1"]
        assert uow.push_subscriptions.delete_for("citizen", "c1", "https://push.example/1") is False
        assert uow.push_subscriptions.delete_for("citizen", "c1", "https://push.example/2") is True
        uow.push_subscriptions.delete("s1")
        uow.commit()
    with uow_factory() as uow:
        assert uow.push_subscriptions.for_user("citizen", "c1") == []
        assert uow.push_subscriptions.for_user("citizen", "c2") == []
        # the endpoint is free again for a new subscription
        assert uow.push_subscriptions.upsert(_subscription("s3", "c1", "https://push.example/1")).id == "s3"
        uow.commit()


def _delivery(n: int, *, channel: str = "inbox", user: str = "c1", dossier: str | None = "d1", minutes: int = 0):
    from motcua.services.notification_ports import Delivery

    return Delivery(id=f"del-{n}", event_id=f"ev-{n}", event_at=NOW, channel=channel, user_kind="citizen",
                    user_id=user, address="", dossier_id=dossier, title="Hồ sơ đã được tiếp nhận",
                    body="Hồ sơ H19-261126-0001 đã được tiếp nhận.", url="/ho-so/d1", status="sent", attempts=1,
                    last_error=None, created_at=NOW + timedelta(minutes=minutes))


def test_deliveries_inbox_read_marks_per_dossier_and_since(uow_factory):
    with uow_factory() as uow:
        for n in range(5):
            uow.deliveries.put(_delivery(n, minutes=n))
        uow.deliveries.put(_delivery(10, channel="sms", minutes=1))
        uow.deliveries.put(_delivery(11, user="c2", dossier="d2", minutes=2))
        uow.commit()
    with uow_factory() as uow:
        inbox = uow.deliveries.inbox("citizen", "c1", limit=3)
        assert [d.id for d in inbox] == ["del-4", "del-3", "del-2"]
        assert inbox[0].title == "Hồ sơ đã được tiếp nhận" and inbox[0].read_at is None
        uow.deliveries.mark_read("citizen", "c1", ["del-4", "del-11", "del-10", "del-missing", "del-4"],
                                 at=NOW + timedelta(hours=1))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.deliveries.get("del-4").read_at == NOW + timedelta(hours=1)
        assert uow.deliveries.get("del-11").read_at is None  # someone else's
        assert uow.deliveries.get("del-10").read_at is None  # not an inbox item
        assert uow.deliveries.get("del-missing") is None
        assert [d.id for d in uow.deliveries.for_dossier("d1")] == ["del-0", "del-1", "del-10", "del-2", "del-3",
                                                                   "del-4"]
        assert sorted(d.id for d in uow.deliveries.since(NOW + timedelta(minutes=2))) == ["del-11", "del-2",
                                                                                          "del-3", "del-4"]


def test_a_large_fan_out_commits_whole(uow_factory):
    with uow_factory() as uow:
        for n in range(150):
            uow.deliveries.put(_delivery(n, minutes=n))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert len(uow.deliveries.for_dossier("d1")) == 150


def test_preferences_default_then_stored(uow_factory):
    from motcua.services.notification_ports import Preferences

    with uow_factory() as uow:
        assert uow.preferences.get("citizen", "c1") == Preferences()
        uow.preferences.put("citizen", "c1", Preferences(sms=False, lang="en"))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.preferences.get("citizen", "c1") == Preferences(sms=False, lang="en")
        assert uow.preferences.get("official", "c1") == Preferences()


def _payment(n: int, *, dossier: str = "d1", status: str = "pending", created: datetime = NOW):
    from motcua.domain.payments import Payment, PaymentStatus

    return Payment(id=f"pay-{n}", dossier_id=dossier, citizen_id="c1", purpose="fee", amount_vnd=50_000,
                   gateway="vnpay", txn_ref=f"TXN{n:06d}", created_at=created,
                   expires_at=created + timedelta(minutes=15),
                   updated_at=created, status=PaymentStatus(status), dossier_code="H19-261126-0001")


def test_payments_by_id_txn_ref_dossier_and_status(uow_factory):
    with uow_factory() as uow:
        for n in range(4):
            uow.payments.add(_payment(n, created=NOW + timedelta(minutes=n)))
        uow.payments.add(_payment(7, dossier="d2", status="failed"))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.payments.get("pay-2").txn_ref == "TXN000002" and uow.payments.get("nope") is None
        assert uow.payments.get_by_txn_ref("TXN000007").id == "pay-7"
        assert uow.payments.get_by_txn_ref("TXN999999") is None
        assert [p.id for p in uow.payments.for_dossier("d1")] == ["pay-0", "pay-1", "pay-2", "pay-3"]
        old = uow.payments.in_status_created_before("pending", NOW + timedelta(minutes=2), limit=10)
        assert [p.id for p in old] == ["pay-0", "pay-1", "pay-2"]
        assert [p.id for p in uow.payments.in_status_created_before("pending", NOW + timedelta(hours=1), limit=2)] \
            == ["pay-0", "pay-1"]
        assert [p.id for p in uow.payments.in_status_created_before("failed", NOW, limit=10)] == ["pay-7"]


def test_concurrent_confirmations_of_one_payment_let_exactly_one_win(uow_factory):
    from motcua.domain.payments import PaymentStatus

    with uow_factory() as uow:
        uow.payments.add(_payment(1))
        uow.commit()
    copies = []
    for _ in range(4):
        with uow_factory(readonly=True) as uow:
            copies.append(uow.payments.get("pay-1"))

    def confirm(index: int):
        payment = copies[index]
        payment.status, payment.transaction_no = PaymentStatus.PAID, f"VNP{index}"
        payment.note(NOW, "paid", source=f"ipn-{index}")
        with uow_factory() as uow:
            uow.payments.save(payment)
            uow.commit()
        return payment.transaction_no

    results = run_threads(confirm, 4)
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1
    assert all(isinstance(r, Conflict) and r.code == "stale_version" for r in results if not isinstance(r, str))
    with uow_factory(readonly=True) as uow:
        stored = uow.payments.get("pay-1")
    assert stored.transaction_no == winners[0] and stored.version == 2 and len(stored.log) == 1
    assert [p.status for p in uow_factory_payments(uow_factory, "d1")] == [PaymentStatus.PAID]


def uow_factory_payments(uow_factory, dossier_id: str):
    with uow_factory(readonly=True) as uow:
        return uow.payments.for_dossier(dossier_id)


def test_payment_events_reach_the_outbox_with_the_save(uow_factory):
    from motcua.domain.payments import GatewayReport

    with uow_factory() as uow:
        uow.payments.add(_payment(1))
        uow.commit()
    with uow_factory() as uow:
        payment = uow.payments.get_by_txn_ref("TXN000001")
        payment.apply(GatewayReport(success=True, amount_vnd=50_000, transaction_no="14000001", bank_code="NCB",
                                    response_code="00", paid_at=NOW), now=NOW, source="ipn")
        uow.payments.save(payment)
        uow.commit()
    with uow_factory() as uow:
        topics = [m.topic for m in uow.outbox.claim(now=NOW, limit=10, lease_seconds=60)]
        uow.commit()
    assert topics == ["payment.confirmed"]


def test_housekeeping_purges_exactly_what_has_expired(uow_factory):
    from motcua.services.passkeys import PendingChallenge

    later = NOW + timedelta(days=2)
    with uow_factory() as uow:
        uow.sessions.add(_session("old"))  # expired a day before ``later``
        uow.sessions.add(Session(token_hash="fresh", user_kind="citizen", user_id="c1", phone="0912345678",
                                 created_at=NOW, expires_at=later + timedelta(days=1)))
        uow.otps.put(OtpChallenge(phone="0911111111", code_hash="h", expires_at=NOW, sent_at=NOW))
        uow.otps.put(OtpChallenge(phone="0922222222", code_hash="h", expires_at=later, sent_at=later))
        uow.challenges.put(PendingChallenge(id="gone", challenge=b"c", purpose="login", official_id=None,
                                            binding=None, expires_at=NOW))
        uow.enrolments.add("h", "o1", now=NOW, expires_at=NOW + timedelta(days=1))
        uow.idempotency.reserve("s", "old-key", "h", now=NOW)
        uow.rate_limits.hit("ip", limit=5, window_seconds=60, now=NOW)
        uow.rate_limits.hit("ip-now", limit=5, window_seconds=60, now=later)
        uow.commit()
    with uow_factory() as uow:
        removed = uow.housekeeping.purge(later)
        uow.commit()
    assert removed == {"sessions": 1, "otp_challenges": 1, "webauthn_challenges": 1, "idempotency_keys": 1,
                       "rate_limits": 1, "enrolments": 0}
    with uow_factory() as uow:
        assert uow.sessions.get("old") is None and uow.sessions.get("fresh") is not None
        assert uow.otps.get("0911111111") is None and uow.otps.get("0922222222") is not None
        assert uow.challenges.take("gone") is None
        assert uow.enrolments.peek("h", now=NOW) == "o1"  # kept a month after expiry for the audit
        assert uow.idempotency.reserve("s", "old-key", "h2", now=later) is None  # the key is free again
        assert uow.rate_limits.blocked("ip-now", limit=1, window_seconds=60, now=later) > 0
        uow.commit()


def test_outbox_retry_waits_for_its_time_and_claims_are_never_shared(uow_factory):
    with uow_factory() as uow:
        for n in range(12):
            uow.outbox.add("t", {"n": n, "text": "Hồ sơ đã được tiếp nhận"}, now=NOW + timedelta(seconds=n))
        uow.commit()

    def claim(_: int):
        with uow_factory() as uow:
            claimed = uow.outbox.claim(now=NOW + timedelta(minutes=1), limit=4, lease_seconds=60)
            uow.commit()
        return [m.id for m in claimed]

    batches = run_threads(claim, 4)
    ids = [i for batch in batches for i in batch]
    assert len(ids) == len(set(ids)) == 12
    with uow_factory() as uow:
        [first, *others] = sorted(ids)
        uow.outbox.mark_failed(first, error="SMS gateway timeout", retry_at=NOW + timedelta(minutes=5))
        for message_id in others:
            uow.outbox.mark_done(message_id, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.outbox.claim(now=NOW + timedelta(minutes=4), limit=50, lease_seconds=60) == []
        uow.commit()
    with uow_factory() as uow:
        again = uow.outbox.claim(now=NOW + timedelta(minutes=6), limit=50, lease_seconds=60)
        uow.commit()
    assert [(m.id, m.attempts) for m in again] == [(first, 2)]
    assert {m.payload["text"] for m in again} == {"Hồ sơ đã được tiếp nhận"}


def test_the_audit_chain_continues_across_units_and_racing_appenders_never_fork_it(uow_factory):
    with uow_factory() as uow:
        uow.audit.append("dossier:d1", actor="citizen:c1", action="create", device="ua", at=NOW, before=None,
                         after={"status": "draft"})
        uow.commit()
    with uow_factory() as uow:  # rolled back: leaves no entry
        uow.audit.append("dossier:d1", actor="x", action="lost", device="ua", at=NOW, before=None, after=None)

    def append(index: int):
        for _ in range(20):
            try:
                with uow_factory() as uow:
                    uow.audit.append("dossier:d1", actor=f"official:{index}", action="note", device="ua", at=NOW,
                                     before=None, after={"n": index})
                    uow.commit()
                return index
            except Conflict:
                continue
        return None

    assert sorted(run_threads(append, 3)) == [0, 1, 2]
    with uow_factory() as uow:
        uow.audit.append("payment:p1", actor="gateway:vnpay", action="paid", device="ipn", at=NOW, before=None,
                         after=None)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        entries = uow.audit.entries("dossier:d1")
        subjects = uow.audit.subjects()
    assert [e.seq for e in entries] == [1, 2, 3, 4] and "lost" not in {e.action for e in entries}
    prev = GENESIS
    for e in entries:
        assert e.prev_hash == prev
        prev = e.hash
    assert subjects == ["dossier:d1", "payment:p1"]


def test_rate_limit_keys_are_independent_and_blocked_does_not_count(uow_factory):
    with uow_factory() as uow:
        for _ in range(5):
            assert uow.rate_limits.blocked("a", limit=2, window_seconds=60, now=NOW) == 0
        assert [uow.rate_limits.hit("a", limit=2, window_seconds=60, now=NOW) for _ in range(3)][:2] == [0, 0]
        assert uow.rate_limits.hit("b", limit=2, window_seconds=60, now=NOW) == 0
        assert 0 < uow.rate_limits.blocked("a", limit=2, window_seconds=60, now=NOW) <= 60
        uow.commit()


def test_an_idempotency_key_is_held_by_one_of_racing_requests(uow_factory):
    def reserve(index: int):
        with uow_factory() as uow:
            existing = uow.idempotency.reserve("citizen:c1|POST /x", "key-12345678", "hash", now=NOW)
            uow.commit()
        return existing

    results = run_threads(reserve, 4)
    assert results.count(None) == 1
    assert all(r.request_hash == "hash" and r.status_code is None for r in results if r is not None)


def test_a_rolled_back_reservation_and_a_released_one_free_the_key(uow_factory):
    with uow_factory() as uow:  # the request failed: nothing is kept, a corrected retry acts
        assert uow.idempotency.reserve("s", "k1", "h", now=NOW) is None
    with uow_factory() as uow:
        assert uow.idempotency.reserve("s", "k1", "h", now=NOW) is None
        uow.commit()
    with uow_factory() as uow:
        uow.idempotency.release("s", "k1")
        uow.commit()
    with uow_factory() as uow:
        assert uow.idempotency.reserve("s", "k1", "h", now=NOW) is None
        uow.idempotency.complete("s", "k1", status_code=201, body=b'{"id":"d1"}', headers={})
        uow.commit()
    with uow_factory() as uow:
        uow.idempotency.release("s", "k1")  # a completed reply is kept
        uow.commit()
    with uow_factory() as uow:
        assert uow.idempotency.reserve("s", "k1", "h", now=NOW).body == b'{"id":"d1"}'


def test_one_citizen_per_phone_even_when_requests_race(uow_factory):
    def sign_in(_: int):
        with uow_factory() as uow:
            citizen = uow.citizens.get_or_create("0987654321", now=NOW)
            uow.commit()
        return citizen.id

    ids = run_threads(sign_in, 4)
    assert len(set(ids)) == 1
    with uow_factory(readonly=True) as uow:
        assert uow.citizens.get(ids[0]).phone == "0987654321" and uow.citizens.get("nobody") is None


def test_hostile_look_up_keys_find_nothing(uow_factory):
    huge = "x" * 5000
    with uow_factory(readonly=True) as uow:
        assert uow.dossiers.get(huge) is None and uow.dossiers.get_by_code(huge) is None
        assert uow.sessions.get(huge) is None and uow.payments.get_by_txn_ref(huge) is None
        assert uow.deliveries.get("'; DROP TABLE deliveries; --") is None


def test_a_claim_in_a_read_only_unit_only_looks(uow_factory):
    with uow_factory() as uow:
        uow.outbox.add("t", {"x": 1}, now=NOW)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        [peeked] = uow.outbox.claim(now=NOW, limit=10, lease_seconds=60)
    with uow_factory() as uow:
        [claimed] = uow.outbox.claim(now=NOW, limit=10, lease_seconds=60)
        uow.commit()
    assert peeked.id == claimed.id and claimed.attempts == 1


def test_a_dossier_added_and_deleted_in_one_unit_leaves_nothing(uow_factory):
    with uow_factory() as uow:
        d = make_dossier(1)
        d.code = "X-9"
        uow.dossiers.add(d)
        uow.dossiers.delete(d)
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.dossiers.get("d0001") is None and uow.dossiers.get_by_code("X-9") is None


def test_hostile_long_keys_in_lists_limits_and_idempotency_are_handled(uow_factory):
    from motcua.domain.officials import Role

    huge = "ư" * 3000
    with uow_factory() as uow:
        assert uow.dossiers.list_worklist(huge, limit=5, page_token=None).items == []
        assert uow.dossiers.list_by_applicant(huge, limit=5, page_token=None).items == []
        assert uow.officials.in_unit(huge, Role.LEADER) == [] and uow.audit.entries(huge) == []
        assert uow.deliveries.inbox("citizen", huge, limit=5) == []
        assert uow.idempotency.reserve(huge, huge, "h", now=NOW) is None
        assert uow.idempotency.reserve(huge, huge, "h", now=NOW).key == huge
        assert uow.idempotency.reserve(huge + "x", huge, "h", now=NOW) is None  # another scope, another record
        assert [uow.rate_limits.hit(huge, limit=1, window_seconds=60, now=NOW) > 0 for _ in range(2)] == [False, True]
        assert uow.rate_limits.blocked(huge, limit=1, window_seconds=60, now=NOW) > 0
        uow.commit()


def test_the_sweep_index_serves_a_recount_of_every_dossier_ever_due(uow_factory):
    with uow_factory() as uow:
        for n, years in enumerate((-3, 0, 0, 1, 40)):
            uow.dossiers.add(_filed(n, unit="u", due=NOW + timedelta(days=365 * years + n)))
        uow.dossiers.add(make_dossier(9))  # a draft: no due date
        uow.commit()
    ever = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))
    seen = every_page(uow_factory, lambda uow, **paging: uow.dossiers.due_between(*ever, **paging), limit=2)
    assert [d.id for d in seen] == ["d0000", "d0001", "d0002", "d0003", "d0004"]


def test_messages_due_at_the_same_moment_are_claimed_in_the_order_written(uow_factory):
    for n in range(6):
        with uow_factory() as uow:
            uow.outbox.add("t", {"n": n}, now=NOW)
            uow.commit()
    with uow_factory() as uow:
        claimed = uow.outbox.claim(now=NOW, limit=10, lease_seconds=60)
        uow.commit()
    assert [m.payload["n"] for m in claimed] == list(range(6))
