"""Properties of due dates that must hold for any receipt time 2020-2030 and any processing time.

The oracle for office time is written independently of the calendar's own ``working_time_between``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.domain.calendar import VN_TZ, WorkingCalendar
from motcua.domain.processing_time import ProcessingTime, TimeUnit

# Real swaps (both halves), so the properties also cover make-up Saturdays and extra days off.
CAL = WorkingCalendar(
    days_off={
        date(2024, 4, 29): "Nghỉ hoán đổi 30/4",
        date(2025, 5, 2): "Nghỉ hoán đổi 30/4",
        date(2026, 1, 2): "Nghỉ hoán đổi Tết Dương lịch",
        date(2026, 8, 31): "Nghỉ hoán đổi Quốc khánh",
    },
    working_days={
        date(2024, 5, 4): "Làm bù",
        date(2025, 4, 26): "Làm bù",
        date(2026, 1, 10): "Làm bù",
        date(2026, 8, 22): "Làm bù",
    },
)
SESSIONS = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

any_times = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59),
    timezones=st.sampled_from([VN_TZ, UTC, ZoneInfo("Europe/Paris")]),
    allow_imaginary=False,
)
# Uniform times rarely land on the edges that matter (openings, closings, the 15:00 cut-off, midnight), so
# half of the examples are local times within a minute of one of them.
EDGES = [time(0, 0), time(7, 30), time(11, 30), time(13, 0), time(15, 0), time(17, 0)]
edge_times = st.builds(
    lambda d, edge, jitter: datetime.combine(d, edge, tzinfo=VN_TZ) + jitter,
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from(EDGES),
    st.timedeltas(min_value=timedelta(minutes=-1), max_value=timedelta(minutes=1)),
)
received_times = st.one_of(any_times, edge_times)
day_durations = st.integers(min_value=1, max_value=60).map(lambda n: ProcessingTime(n, TimeUnit.WORKING_DAYS))
hour_durations = st.integers(min_value=1, max_value=40).map(
    lambda n: ProcessingTime(n, TimeUnit.WORKING_HOURS)
)
durations = st.one_of(day_durations, hour_durations)


def office_time(start: datetime, end: datetime) -> timedelta:
    """Independent oracle: overlap of [start, end] with the office sessions of working days."""
    start, end = start.astimezone(VN_TZ), end.astimezone(VN_TZ)
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if CAL.is_working_day(day):
            for opens, closes in SESSIONS:
                lo = max(start, datetime.combine(day, opens, tzinfo=VN_TZ))
                hi = min(end, datetime.combine(day, closes, tzinfo=VN_TZ))
                total += max(hi - lo, timedelta(0))
        day += timedelta(days=1)
    return total


@PROPERTY_SETTINGS
@given(received_at=received_times, allowed=day_durations)
def test_due_date_is_a_working_day_at_1700(received_at: datetime, allowed: ProcessingTime) -> None:
    due = CAL.due_at(received_at, allowed)
    assert due.tzinfo is UTC
    local_due = due.astimezone(VN_TZ)
    assert CAL.is_working_day(local_due.date())
    assert local_due.time() == time(17, 0)
    assert due > received_at


@PROPERTY_SETTINGS
@given(received_at=received_times, allowed=day_durations)
def test_due_date_is_exactly_n_working_days_from_start(
    received_at: datetime, allowed: ProcessingTime
) -> None:
    start = CAL.start_of_count(received_at)
    due_day = CAL.due_at(received_at, allowed).astimezone(VN_TZ).date()
    assert CAL.is_working_day(start)
    assert start >= received_at.astimezone(VN_TZ).date()
    assert CAL.working_days_between(start, due_day) == allowed.amount


@PROPERTY_SETTINGS
@given(received_at=received_times, allowed=hour_durations)
def test_working_hours_between_receipt_and_due_equal_n(
    received_at: datetime, allowed: ProcessingTime
) -> None:
    due = CAL.due_at(received_at, allowed)
    assert due.tzinfo is UTC
    assert office_time(received_at, due) == timedelta(hours=allowed.amount)
    assert CAL.working_time_between(received_at, due) == timedelta(hours=allowed.amount)
    # The deadline falls inside (or at the close of) a session of a working day.
    local_due = due.astimezone(VN_TZ)
    assert CAL.is_working_day(local_due.date())
    assert any(opens < local_due.time() <= closes for opens, closes in SESSIONS)


@PROPERTY_SETTINGS
@given(first=received_times, second=received_times, allowed=durations)
def test_due_at_is_monotonic_in_received_at(
    first: datetime, second: datetime, allowed: ProcessingTime
) -> None:
    earlier, later = sorted((first, second))
    assert CAL.due_at(earlier, allowed) <= CAL.due_at(later, allowed)


@PROPERTY_SETTINGS
@given(received_at=received_times, step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
def test_later_receipt_never_gives_an_earlier_deadline_nearby(received_at: datetime, step: timedelta) -> None:
    # Two random instants are usually years apart; this checks the interesting case of close receipts
    # (around the 15:00 cut-off, lunch, weekends).
    for allowed in (ProcessingTime(1, TimeUnit.WORKING_DAYS), ProcessingTime(1, TimeUnit.WORKING_HOURS)):
        assert CAL.due_at(received_at, allowed) <= CAL.due_at(received_at + step, allowed)


@PROPERTY_SETTINGS
@given(
    d=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    n=st.integers(min_value=1, max_value=60),
)
def test_add_working_days_and_working_days_between_agree(d: date, n: int) -> None:
    result = CAL.add_working_days(d, n)
    assert CAL.is_working_day(result)
    assert CAL.working_days_between(d + timedelta(days=1), result) == n
