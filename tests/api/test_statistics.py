"""Public statistics: known figures from a month in one ward (stats_story.py), counted once, recounted the same,
published as open data, filtered safely; the leaders' dashboard."""

from __future__ import annotations

import csv
import io
import sqlite3
import uuid

import pytest

from api.helpers import drain
from api.stats_story import (
    BIRTH,
    HOUSEHOLD_BUSINESS,
    MARRIAGE_STATUS,
    NO_FEE_3D,
    OTHER_WARD,
    WARD,
    Texts,
    file_online,
    play,
    put_event,
)
from api.test_contract import Contract
from api.test_workflow import LEADER, RECEIVER, act, ok
from motcua.services.ports import OutboxMessage

NOVEMBER = "from=2026-11&to=2026-11"


@pytest.fixture
def story(citizen, officials, container, api, clock):
    return play(citizen, officials, container, api, clock)


def stats(api, query: str) -> dict:
    reply = api.get(f"/api/v1/stats?{query}")
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def pick(figures: dict, *names: str) -> dict:
    return {n: figures[n] for n in names}


def test_a_month_in_one_ward_gives_the_known_figures(story, api):
    totals = stats(api, f"unit={WARD}&{NOVEMBER}")["totals"]
    assert pick(totals, "received", "received_online", "received_counter", "received_post",
                "received_cross_office", "fee_bearing", "paid_online") == {
        "received": 9, "received_online": 8, "received_counter": 1, "received_post": 0,
        "received_cross_office": 1, "fee_bearing": 3, "paid_online": 1}
    assert pick(totals, "resolved", "resolved_early", "resolved_on_time", "resolved_late", "refused", "withdrawn",
                "stopped", "supplements_requested", "apologies") == {
        "resolved": 4, "resolved_early": 1, "resolved_on_time": 2, "resolved_late": 1, "refused": 1,
        "withdrawn": 1, "stopped": 1, "supplements_requested": 2, "apologies": 1}
    assert pick(totals, "ratings", "rating_sum", "ratings_satisfied", "rating_visits_count", "rating_visits_sum",
                "feedback_received", "feedback_answered", "feedback_answered_on_time") == {
        "ratings": 3, "rating_sum": 11, "ratings_satisfied": 2, "rating_visits_count": 2, "rating_visits_sum": 7,
        "feedback_received": 2, "feedback_answered": 2, "feedback_answered_on_time": 1}
    assert pick(totals, "on_time_rate", "online_share", "online_payment_share", "satisfaction_rate",
                "rating_average", "feedback_on_time_rate", "rating_visits_average") == {
        "on_time_rate": 0.75, "online_share": 0.8889, "online_payment_share": 0.3333, "satisfaction_rate": 0.6667,
        "rating_average": 3.67, "feedback_on_time_rate": 0.5, "rating_visits_average": 3.5}


def test_the_paused_clock_and_the_apology_decide_on_time_and_late(story, api):
    # E waited for a supplement: approved a week after its first due date, still on time; B was on time too.
    marriage = stats(api, f"procedure={MARRIAGE_STATUS}&{NOVEMBER}")["totals"]
    assert pick(marriage, "received", "resolved", "resolved_on_time", "resolved_late", "supplements_requested",
                "fee_bearing", "paid_online") == {
        "received": 2, "resolved": 2, "resolved_on_time": 2, "resolved_late": 0, "supplements_requested": 1,
        "fee_bearing": 2, "paid_online": 1}
    # C got an apology and a new date, was approved before that new date, and still counts late.
    business = stats(api, f"procedure={HOUSEHOLD_BUSINESS}&{NOVEMBER}")["totals"]
    assert pick(business, "received_counter", "resolved_late", "apologies", "on_time_rate") == {
        "received_counter": 1, "resolved_late": 1, "apologies": 1, "on_time_rate": 0.0}
    assert stats(api, f"procedure={NO_FEE_3D}&{NOVEMBER}")["totals"]["resolved_early"] == 1


def test_groups_per_month_field_and_unit(story, api):
    months = stats(api, f"unit={WARD}&from=2026-10&to=2026-12&group_by=month")["groups"]
    assert [(g["key"], g["received"], g["resolved"]) for g in months] == [
        ("2026-10", 0, 0), ("2026-11", 9, 4), ("2026-12", 1, 0)]
    fields = {g["key"]: g for g in stats(api, f"{NOVEMBER}&group_by=field")["groups"]}
    assert set(fields) == {"ho-tich", "dang-ky-kinh-doanh"}
    assert pick(fields["ho-tich"], "label", "received", "resolved", "on_time_rate", "feedback_received") == {
        "label": "Hộ tịch", "received": 7, "resolved": 2, "on_time_rate": 1.0, "feedback_received": 2}
    assert pick(fields["dang-ky-kinh-doanh"], "received", "resolved_early", "resolved_late", "on_time_rate",
                "ratings") == {"received": 2, "resolved_early": 1, "resolved_late": 1, "on_time_rate": 0.5,
                               "ratings": 3}
    units = stats(api, f"{NOVEMBER}&group_by=unit")["groups"]
    assert [(g["key"], g["label"], g["received"]) for g in units] == [
        (WARD, "Ủy ban nhân dân phường Trấn Biên", 9)]


def test_the_rollups_agree_with_the_unit_rows(story, api):
    ward = stats(api, f"unit={WARD}&{NOVEMBER}")["totals"]
    assert stats(api, NOVEMBER)["totals"] == ward  # the province: only this ward has figures
    assert stats(api, f"level=commune&{NOVEMBER}")["totals"] == ward
    assert stats(api, f"level=province&{NOVEMBER}")["totals"]["received"] == 0
    assert stats(api, f"unit={OTHER_WARD}&{NOVEMBER}")["totals"]["received"] == 0  # D counts where it is decided
    per_field = stats(api, f"unit={WARD}&field=ho-tich&{NOVEMBER}")["totals"]
    assert per_field["received"] == 7 and per_field["refused"] == 1


def test_the_qd766_groups_say_what_they_measure_and_what_cannot_be_computed(story, api):
    groups = {i["group"]: i for i in stats(api, NOVEMBER)["indicators"]}
    assert groups["progress"]["value"] == 0.75 and groups["online_payment"]["value"] == 0.3333
    assert groups["satisfaction"]["value"] == 0.6667 and groups["online_services"]["value"] == 0.8889
    assert groups["transparency"]["value"] is None and groups["transparency"]["reason"]
    assert groups["digitisation"]["value"] is None and groups["digitisation"]["reason"]


def rows_of(container) -> list[tuple]:
    if not hasattr(container.uow, "db"):  # MOTCUA_TEST_STORE=dynamodb
        pytest.skip("reads the SQLite counters table directly")
    conn = sqlite3.connect(container.settings.database_path)
    try:
        return conn.execute("SELECT * FROM stat_counters ORDER BY unit_id, field, procedure_code, month").fetchall()
    finally:
        conn.close()


def test_the_recount_from_the_dossiers_equals_the_running_counters(story, container, monkeypatch, capsys):
    running = rows_of(container)
    assert len(running) > 10
    assert container.statistics.rebuild(page_size=3) == 10  # pages through the due-date index
    assert rows_of(container) == running
    # after an incident the operator's command puts right what was wrong
    conn = sqlite3.connect(container.settings.database_path)
    conn.execute("UPDATE stat_counters SET received = received + 5, resolved_late = 0")
    conn.commit()
    conn.close()
    assert rows_of(container) != running
    from motcua.__main__ import main

    monkeypatch.setenv("MOTCUA_DATA_DIR", str(container.settings.data_dir))
    assert main(["rebuild-stats"]) == 0
    assert "10 dossier(s)" in capsys.readouterr().out
    assert rows_of(container) == running


def test_a_redelivered_event_is_counted_once(api, container):
    payload = {"rating_id": "r1", "dossier_id": "x", "unit_id": WARD, "procedure_code": BIRTH, "channel": "kiosk",
               "overall": 5, "criteria": {"time": 5}, "at": container.clock.now().isoformat()}
    message = OutboxMessage(id=uuid.uuid4().hex, topic="rating.submitted", payload=payload,
                            created_at=container.clock.now())
    container.statistics(message)
    container.statistics(message)  # the worker crashed before marking it done, and delivers it again
    totals = stats(api, f"unit={WARD}")["totals"]
    assert (totals["ratings"], totals["rating_sum"], totals["rating_time_count"]) == (1, 5, 1)


def test_events_that_break_the_contract_are_not_counted_and_not_retried_forever(api, container):
    now = container.clock.now().isoformat()
    for topic, payload in [("rating.submitted", {"unit_id": WARD, "overall": 9, "at": now}),
                           ("rating.submitted", {"unit_id": "no-such-unit", "overall": 4, "at": now}),
                           ("rating.submitted", {"unit_id": WARD, "overall": True, "at": now}),
                           ("feedback.answered", {"unit_id": WARD, "on_time": "yes", "answered_at": now}),
                           ("feedback.submitted", {"unit_id": WARD, "at": "yesterday"})]:
        put_event(container, topic, payload)
    assert container.worker.run_once() == 5  # handled (nothing to retry)
    totals = stats(api, "")["totals"]
    assert totals["ratings"] == 0 and totals["feedback_answered"] == 0 and totals["feedback_received"] == 0


def test_counting_happens_after_the_commit_not_in_the_request(citizen, api, container):
    file_online(citizen, BIRTH, Texts())
    assert stats(api, "")["totals"]["received"] == 0  # the worker has not run yet
    drain(container)
    assert stats(api, "")["totals"]["received"] == 1


@pytest.mark.parametrize("query", [
    "from=2026-13", "from=26-11", "to=2026-1", "from=2026-11&to=2026-10", "from=2020-01&to=2026-11",
    "unit=nope", "level=hamlet", "unit=phuong-tran-bien&level=province", "field=nope", "procedure=9.999999",
    "group_by=applicant", "unit=" + "x" * 5000, "from=２０２６-11", "from=20２６-11", "to=2026-11%00",
    "to=2026-11%0A",
])
def test_bad_filters_get_a_clear_4xx(api, query):
    for url in ("/api/v1/stats", "/api/v1/open-data/stats.json", "/api/v1/open-data/stats.csv"):
        reply = api.get(f"{url}?{query}")
        if url.endswith(("csv", "json")) and query.startswith("group_by"):
            continue
        assert reply.status_code == 422, (url, query, reply.status_code)
        error = reply.get_json()["error"]
        assert error["code"] == "invalid_filter" and error["message"].startswith("Bộ lọc không hợp lệ")
        assert error["fields"]


def test_open_data_stats_in_csv_and_json_carry_the_same_rows(story, api):
    csv_reply = api.get("/api/v1/open-data/stats.csv?from=2026-11&to=2026-12")
    assert csv_reply.status_code == 200 and csv_reply.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_reply.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(csv_reply.data.decode("utf-8-sig"))))
    assert [(r["month"], r["unit_id"], r["field_id"], r["received"], r["on_time_rate"]) for r in rows] == [
        ("2026-11", WARD, "dang-ky-kinh-doanh", "2", "0.5"), ("2026-11", WARD, "ho-tich", "7", "1.0"),
        ("2026-12", WARD, "ho-tich", "1", "")]
    assert rows[1]["unit_name"] == "Ủy ban nhân dân phường Trấn Biên" and rows[1]["field_name"] == "Hộ tịch"
    document = api.get("/api/v1/open-data/stats.json?from=2026-11&to=2026-12").get_json()
    assert document["schema_version"] == "1.0" and document["license"].startswith("CC BY 4.0")
    assert [c["name"] for c in document["columns"]] == list(rows[0].keys())
    for from_json, from_csv in zip(document["rows"], rows, strict=True):
        assert {k: "" if v is None else str(v) for k, v in from_json.items()} == from_csv
    assert sum(r["received"] for r in document["rows"]) == 10


def test_open_data_is_cacheable_and_answers_304_when_unchanged(story, api):
    for url in ("/api/v1/open-data/stats.csv", "/api/v1/open-data/stats.json", "/api/v1/open-data/procedures.csv",
                "/api/v1/open-data/procedures.json", "/api/v1/stats"):
        first = api.get(url)
        assert first.status_code == 200 and first.headers["ETag"]
        assert first.headers["Cache-Control"].startswith("public, max-age=")
        again = api.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_open_data_procedures_list_the_catalog(api, container):
    reply = api.get("/api/v1/open-data/procedures.csv")
    rows = list(csv.DictReader(io.StringIO(reply.data.decode("utf-8-sig"))))
    assert len(rows) == len(container.catalog.all())
    birth = next(r for r in rows if r["code"] == BIRTH)
    assert birth["name"] == "Đăng ký khai sinh" and birth["field_id"] == "ho-tich" and birth["level"] == "commune"
    assert birth["processing_time_amount"] == "1" and birth["fee_vnd"] == "0" and birth["channels"]
    assert int(birth["document_count"]) == len(birth["documents"].split(" | "))
    document = api.get("/api/v1/open-data/procedures.json").get_json()
    assert [c["name"] for c in document["columns"]] == list(rows[0].keys())
    assert next(r for r in document["rows"] if r["code"] == BIRTH)["fee_is_example"] in (True, False)


def test_every_open_data_column_is_documented():
    from pathlib import Path

    from motcua.api.open_data import PROCEDURE_COLUMNS, STATS_COLUMNS

    doc = (Path(__file__).parents[2] / "docs" / "statistics-and-open-data.md").read_text(encoding="utf-8")
    for column in (*PROCEDURE_COLUMNS, *STATS_COLUMNS):
        assert f"| `{column.name}` | {column.type} |" in doc, column.name


# --- leaders' dashboard -------------------------------------------------------------------------------------------


def test_the_leader_sees_the_worst_units_above_a_volume_threshold(story, container, app):
    from conftest import OfficialClient

    leader = OfficialClient(app.test_client(), container, LEADER)
    reply = leader.get("/api/v1/dashboard/worst-units?from=2026-11&to=2026-11&min_resolved=4")
    assert reply.status_code == 200, reply.get_json()
    assert [(u["key"], u["on_time_rate"], u["resolved"]) for u in reply.get_json()["items"]] == [(WARD, 0.75, 4)]
    assert leader.get("/api/v1/dashboard/worst-units?from=2026-11&to=2026-11&min_resolved=5").get_json()[
        "items"] == []
    assert leader.get("/api/v1/dashboard/worst-units?min_resolved=-1").status_code == 422
    assert [u["id"] for u in leader.get("/api/v1/dashboard/units").get_json()["items"]] == [WARD]


def test_the_overdue_list_shows_unresolved_dossiers_past_due_only(story, container, app):
    from conftest import OfficialClient

    leader = OfficialClient(app.test_client(), container, LEADER)
    reply = leader.get("/api/v1/dashboard/overdue")
    assert reply.status_code == 200, reply.get_json()
    body = reply.get_json()
    # J waits in the ward since November; H waits for the citizen (not overdue); I is not due yet.
    assert body["unit"]["id"] == WARD
    assert [i["code"] for i in body["items"]] == [story.dossiers["J"]["code"]]
    assert body["items"][0]["days_overdue"] >= 20 and body["items"][0]["status"] == "in_progress"
    assert "applicant" not in str(body)
    assert leader.get(f"/api/v1/dashboard/overdue?unit={OTHER_WARD}").status_code == 403


def test_the_overdue_list_pages(citizen, officials, container, clock):
    ids = []
    for _ in range(3):
        d = file_online(citizen, BIRTH, Texts())
        ok(act(officials(RECEIVER), d["id"], "receive"))
        ids.append(d["id"])
    clock.advance(days=3)
    with container.uow(readonly=True) as uow:
        leader = uow.officials.get(LEADER)
    seen, token = [], None
    while True:
        _, page = container.stats.overdue(leader, WARD, page_token=token, limit=2)
        seen += [d.id for d in page.items]
        token = page.next_page_token
        if token is None:
            break
    assert sorted(seen) == sorted(ids)


def test_only_leaders_have_a_dashboard_and_the_province_sees_every_unit(story, container, app, api):
    from conftest import OfficialClient

    assert api.get("/api/v1/dashboard/worst-units").status_code == 401
    receiver = OfficialClient(app.test_client(), container, RECEIVER)
    assert receiver.get("/api/v1/dashboard/worst-units").status_code == 403
    assert receiver.get("/api/v1/dashboard/overdue").status_code == 403
    admin = OfficialClient(app.test_client(), container, "quan-tri")
    units = [u["id"] for u in admin.get("/api/v1/dashboard/units").get_json()["items"]]
    assert len(units) == len(container.catalog.units) and WARD in units
    other = admin.get(f"/api/v1/dashboard/overdue?unit={OTHER_WARD}")
    assert other.status_code == 200 and other.get_json()["items"] == []
    assert admin.get("/api/v1/dashboard/overdue?page_token=@@@").status_code == 422


def test_replies_match_the_published_schemas(story, container, app, api):
    from conftest import OfficialClient

    contract = Contract(api.get("/api/v1/openapi.json").get_json())
    for query in ("", "group_by=unit", "group_by=field", f"unit={WARD}&group_by=month", "from=bad"):
        contract.check("get", "/api/v1/stats", api.get(f"/api/v1/stats?{query}"))
    contract.check("get", "/api/v1/open-data/stats.json", api.get("/api/v1/open-data/stats.json?from=2026-11"))
    contract.check("get", "/api/v1/open-data/procedures.json", api.get("/api/v1/open-data/procedures.json"))
    leader = OfficialClient(app.test_client(), container, LEADER)
    contract.check("get", "/api/v1/dashboard/worst-units", leader.get("/api/v1/dashboard/worst-units?min_resolved=1"))
    contract.check("get", "/api/v1/dashboard/overdue", leader.get("/api/v1/dashboard/overdue"))
    contract.check("get", "/api/v1/dashboard/units", leader.get("/api/v1/dashboard/units"))


def test_events_raised_before_they_carried_the_unit_are_counted_from_the_dossier(citizen, api, container):
    d = file_online(citizen, BIRTH, Texts())
    drain(container)
    # as the outbox held them before this change: no unit, no channel, no time of their own
    put_event(container, "dossier.submitted", {
        "dossier_id": d["id"], "code": d["code"], "applicant_phone": "0912345678", "applicant_email": None,
        "procedure_code": BIRTH, "procedure_name": "Đăng ký khai sinh", "due_at": d["due_at"]})
    put_event(container, "dossier.status_changed", {"dossier_id": d["id"], "code": d["code"], "status": "refused",
                                                    "previous_status": "submitted", "action": "refuse"})
    drain(container)
    totals = stats(api, f"unit={WARD}&field=ho-tich")["totals"]
    assert (totals["received"], totals["received_online"], totals["refused"]) == (2, 2, 1)


def test_hostile_dashboard_queries_get_a_4xx(officials):
    leader = officials(LEADER)
    for url in ["/api/v1/dashboard/worst-units?from=2026-13", "/api/v1/dashboard/worst-units?min_resolved=１２",
                "/api/v1/dashboard/worst-units?min_resolved=99999999", "/api/v1/dashboard/worst-units?field=<script>",
                "/api/v1/dashboard/overdue?unit=<script>", "/api/v1/dashboard/overdue?unit=" + "x" * 5000,
                "/api/v1/dashboard/overdue?page_token=" + "A" * 600, "/api/v1/dashboard/overdue?page_token=e30",
                "/api/v1/dashboard/overdue?page_token=eyJzIjo5fQ"]:
        reply = leader.get(url)
        assert 400 <= reply.status_code < 500, (url, reply.status_code)
        assert reply.get_json()["error"]["message"]
