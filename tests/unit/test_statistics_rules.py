"""What statistics count, when and under which key; the rates; the event path and the recount agree."""

from datetime import UTC, datetime, timedelta

import pytest

from motcua.adapters.calendar_file import load_calendar
from motcua.adapters.catalog_files import load_catalog
from motcua.domain import statistics as st
from motcua.domain import workflow as wf
from motcua.domain.calendar import VN_TZ
from motcua.domain.dossiers import Dossier, MissingItem, SignedResult
from motcua.domain.officials import Membership, Official, Role
from motcua.domain.processing_time import ProcessingTime

CATALOG, CALENDAR = load_catalog(), load_calendar()
UNITS = CATALOG.units
WARD = "phuong-tran-bien"
START = datetime(2026, 11, 2, 9, 0, tzinfo=VN_TZ)  # a Monday
OFFICIAL = Official("o", "Cán bộ", "CHỨC VỤ", memberships=(Membership(WARD, Role.LEADER),
                                                            Membership(WARD, Role.SPECIALIST)))


def test_the_month_is_taken_in_vietnam_time():
    assert st.month_of(datetime(2026, 10, 31, 17, 30, tzinfo=UTC)) == "2026-11"  # 00:30 on 1 November in Đồng Nai
    assert st.month_of(datetime(2026, 10, 31, 16, 59, tzinfo=UTC)) == "2026-10"


@pytest.mark.parametrize(("office", "competent", "cross"), [
    (WARD, WARD, False),  # filed at one's own ward
    ("phuong-bien-hoa", WARD, True),  # filed at another ward (phi địa giới)
    ("trung-tam-phuc-vu-hanh-chinh-cong", "so-tai-chinh", False),  # the centre receives for the departments
    (WARD, "so-tai-chinh", True),  # a department's dossier filed at a ward
    ("trung-tam-phuc-vu-hanh-chinh-cong", WARD, True),
])
def test_cross_office_filing(office, competent, cross):
    assert st.is_cross_office(UNITS, office, competent) is cross


def approve_event(at: datetime, due: datetime) -> list[st.Fact]:
    payload = {"action": "approve", "unit_id": WARD, "procedure_code": "1.001193", "due_at": due.isoformat(),
               "at": at.isoformat()}
    return st.facts_from_event(CALENDAR, UNITS, "dossier.status_changed", payload, at)


def test_resolved_is_early_before_the_due_day_on_time_on_it_and_late_after_the_due_time():
    due = datetime(2026, 11, 4, 17, 0, tzinfo=VN_TZ)
    assert approve_event(due - timedelta(days=1), due)[0].deltas == {"resolved": 1, "resolved_early": 1}
    assert approve_event(due - timedelta(hours=8), due)[0].deltas == {"resolved": 1, "resolved_on_time": 1}
    assert approve_event(due + timedelta(minutes=1), due)[0].deltas == {"resolved": 1, "resolved_late": 1}


def test_a_stop_after_a_withdrawal_request_counts_as_withdrawn():
    base = {"unit_id": WARD, "procedure_code": "1.001193", "action": "stop"}
    withdrawn = st.facts_from_event(CALENDAR, UNITS, "dossier.status_changed",
                                    {**base, "previous_status": "withdrawal_requested"}, START)
    stopped = st.facts_from_event(CALENDAR, UNITS, "dossier.status_changed", {**base, "previous_status": "received"},
                                  START)
    assert withdrawn[0].deltas == {"withdrawn": 1} and stopped[0].deltas == {"stopped": 1}


def test_ratings_follow_the_contract_and_count_satisfied_from_four():
    assert st.rating_deltas({"overall": 4, "criteria": {"time": 5, "cost": None}}) == {
        "ratings": 1, "rating_sum": 4, "ratings_satisfied": 1, "rating_time_sum": 5, "rating_time_count": 1}
    assert st.rating_deltas({"overall": 3})["ratings_satisfied"] == 0
    for bad in (0, 6, True, "5", None, 4.5):
        assert st.rating_deltas({"overall": bad}) is None
    assert st.rating_deltas({"overall": 5, "criteria": {"time": 9, "visits": True}}) == {
        "ratings": 1, "rating_sum": 5, "ratings_satisfied": 1}


def test_rates_are_none_without_a_denominator_not_zero():
    totals = dict.fromkeys(st.METRICS, 0)
    assert set(st.rates(totals).values()) == {None}
    totals.update(resolved=3, resolved_early=1, resolved_on_time=1, resolved_late=1)
    assert st.rates(totals)["on_time_rate"] == 0.6667


def test_each_fact_lands_on_the_unit_rows_and_the_rollups():
    keys = st.keys_for("2026-11", WARD, "commune", "ho-tich", "1.001193")
    assert {(k.unit_id, k.field, k.procedure_code) for k in keys} == {
        (WARD, "ho-tich", ""), (WARD, "*", ""), ("*", "ho-tich", ""), ("*", "*", ""), (WARD, "ho-tich", "1.001193"),
        ("level:commune", "ho-tich", ""), ("level:commune", "*", "")}


def lifecycle() -> Dossier:
    """A dossier with a supplement during appraisal, an apology, an online payment and an approval."""
    d = Dossier(id="d1", procedure_code="1.004873", applicant_id="c", applicant_phone="0912345678",
                created_at=START, updated_at=START, receiving_office_id="phuong-bien-hoa", competent_unit_id=WARD,
                channel="online")
    three = ProcessingTime(3)
    d.submit(code="X-1", due_at=CALENDAR.due_at(START, three), fee_vnd=15000, procedure_name="Xác nhận", now=START,
             actor="citizen:c")
    t = START + timedelta(minutes=30)
    wf.fee_settled(d, purpose="fee", now=t)
    wf.receive(d, OFFICIAL, now=t, due_at=CALENDAR.due_at(t, three))
    wf.forward(CALENDAR, d, OFFICIAL, now=t, unit_name="UBND")
    wf.assign(CALENDAR, d, OFFICIAL, OFFICIAL, now=t)
    wf.request_supplement(d, OFFICIAL, now=t + timedelta(days=1), items=[MissingItem("Giấy", "copy", "Thiếu")],
                          note="")
    resumed = START + timedelta(days=8)
    wf.resubmit(d, actor="citizen:c", now=resumed, due_at=CALENDAR.due_at(resumed, three))
    wf.apologise(d, OFFICIAL, now=resumed, reason="Chậm", new_due_at=d.due_at + timedelta(days=7))
    wf.propose(CALENDAR, d, OFFICIAL, now=resumed, note="")
    wf.approve(CALENDAR, d, OFFICIAL, now=resumed + timedelta(days=6),
               result=SignedResult("k", "s", resumed, "o", "Cán bộ"), office_name="Một cửa")
    return d


def test_the_recount_from_history_finds_the_same_facts_as_the_events():
    d = lifecycle()
    from_events = [f for e in d.events
                   for f in st.facts_from_event(CALENDAR, UNITS, e.topic, e.payload(), START)]
    from_history = st.facts_from_dossier(CALENDAR, UNITS, d)
    assert sorted(from_events, key=repr) == sorted(from_history, key=repr)
    counted: dict[str, int] = {}
    for fact in from_history:
        st.add_into(counted, fact.deltas)
    assert counted == {"received": 1, "received_online": 1, "received_cross_office": 1, "fee_bearing": 1,
                       "paid_online": 1, "supplements_requested": 1, "apologies": 1, "resolved": 1,
                       "resolved_late": 1}
