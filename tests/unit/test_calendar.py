"""Rules of the working-day calendar, with real Vietnamese dates.

Holiday facts below were checked against holidays 0.109 (``holidays.country_holidays("VN", language="vi")``)
and the Government's notices for 2024-2026 (see motcua/data/calendar.yaml). The swaps are passed explicitly
here so that these tests do not depend on the data file (tests/integration/test_calendar_file.py covers it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.domain import calendar as calendar_module
from motcua.domain.calendar import VN_TZ, WorkingCalendar
from motcua.domain.processing_time import ProcessingTime, TimeUnit

# Both halves of the 2024-2026 swaps (day off on a weekday, paid back on a Saturday).
SWAP_DAYS_OFF = {
    date(2024, 4, 29): "Nghỉ hoán đổi dịp lễ 30/4 - 1/5 (làm bù thứ Bảy 04/05/2024)",
    date(2025, 5, 2): "Nghỉ hoán đổi dịp lễ 30/4 - 1/5 (làm bù thứ Bảy 26/04/2025)",
    date(2026, 1, 2): "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)",
}
MAKE_UP_SATURDAYS = {
    date(2024, 5, 4): "Làm bù cho thứ Hai 29/04/2024",
    date(2025, 4, 26): "Làm bù cho thứ Sáu 02/05/2025",
    date(2026, 1, 10): "Làm bù cho thứ Sáu 02/01/2026",
}


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar(days_off=SWAP_DAYS_OFF, working_days=MAKE_UP_SATURDAYS)


def local(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def days(n: int) -> ProcessingTime:
    return ProcessingTime(n, TimeUnit.WORKING_DAYS)


def hours(n: int) -> ProcessingTime:
    return ProcessingTime(n, TimeUnit.WORKING_HOURS)


def due_local(cal: WorkingCalendar, received_at: datetime, duration: ProcessingTime) -> datetime:
    return cal.due_at(received_at, duration).astimezone(VN_TZ)


# ------------------------------------------------------------------------------------ working days


def test_weekdays_are_working_days_and_weekends_are_not(cal: WorkingCalendar) -> None:
    assert cal.is_working_day(date(2025, 3, 3))  # Monday
    assert cal.is_working_day(date(2025, 3, 7))  # Friday
    assert not cal.is_working_day(date(2025, 3, 8))  # Saturday
    assert not cal.is_working_day(date(2025, 3, 9))  # Sunday


def test_tet_holidays_are_skipped(cal: WorkingCalendar) -> None:
    # Tết Ất Tỵ: civil servants were off Sat 25/1 - Sun 2/2/2025 (9 days, no make-up day).
    tet = [date(2025, 1, 25) + timedelta(days=i) for i in range(9)]
    assert not any(cal.is_working_day(d) for d in tet)
    assert cal.is_working_day(date(2025, 1, 24))
    assert cal.is_working_day(date(2025, 2, 3))
    # Received Friday morning before Tết, 3 working days: Fri 24/1, Mon 3/2, Tue 4/2.
    assert due_local(cal, local(2025, 1, 24, 10), days(3)) == local(2025, 2, 4, 17)


def test_tet_2026_break_is_nine_days(cal: WorkingCalendar) -> None:
    # Tết Bính Ngọ: Sat 14/2 - Sun 22/2/2026; statutory days Mon 16/2 - Fri 20/2.
    assert [d.day for d in _dates(date(2026, 2, 13), date(2026, 2, 23)) if cal.is_working_day(d)] == [13, 23]
    assert due_local(cal, local(2026, 2, 12, 8), days(3)) == local(2026, 2, 23, 17)


def test_reunification_and_labour_day_are_skipped(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2025, 4, 30))
    assert not cal.is_working_day(date(2025, 5, 1))
    assert cal.holiday_name(date(2025, 4, 30)) == "Ngày Chiến thắng"
    assert cal.holiday_name(date(2025, 5, 1)) == "Ngày Quốc tế Lao động"


def test_national_day_2025_is_first_and_second_of_september(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2025, 9, 1))
    assert not cal.is_working_day(date(2025, 9, 2))
    assert cal.is_working_day(date(2025, 9, 3))
    assert cal.holiday_name(date(2025, 9, 2)) == "Quốc khánh"
    # Received Friday 29/8 at 16:00: counts from Wednesday 3/9.
    assert cal.start_of_count(local(2025, 8, 29, 16)) == date(2025, 9, 3)


def test_holiday_on_a_weekend_is_observed_on_the_next_working_day(cal: WorkingCalendar) -> None:
    # Giỗ Tổ Hùng Vương 2026 falls on Sunday 26/4: observed Monday 27/4.
    assert not cal.is_working_day(date(2026, 4, 27))
    assert cal.holiday_name(date(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"


def test_make_up_saturday_counts_as_working_day(cal: WorkingCalendar) -> None:
    assert cal.is_working_day(date(2025, 4, 26))
    assert cal.holiday_name(date(2025, 4, 26)) is None
    # Received Friday 25/4/2025 after 15:00, 2 working days: Sat 26/4 (make-up), Mon 28/4.
    received = local(2025, 4, 25, 15, 30)
    assert cal.start_of_count(received) == date(2025, 4, 26)
    assert due_local(cal, received, days(2)) == local(2025, 4, 28, 17)


def test_swapped_day_off_is_not_a_working_day(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2025, 5, 2))
    assert cal.holiday_name(date(2025, 5, 2)) == SWAP_DAYS_OFF[date(2025, 5, 2)]
    # Around 30/4/2025: Tue 29/4 is the last working day before Mon 5/5.
    assert cal.next_working_day(date(2025, 4, 29)) == date(2025, 5, 5)


def test_extra_day_off_not_known_to_the_holidays_package_is_honoured() -> None:
    # 2/1/2026 was swapped by dispatch 12729/VPCP-KGVX; holidays 0.109 does not list it.
    assert WorkingCalendar().is_working_day(date(2026, 1, 2))
    assert not WorkingCalendar(days_off=SWAP_DAYS_OFF).is_working_day(date(2026, 1, 2))


def test_without_overrides_a_saturday_is_not_a_working_day() -> None:
    assert not WorkingCalendar().is_working_day(date(2025, 4, 26))


def test_holiday_name_is_vietnamese_and_none_on_ordinary_days(cal: WorkingCalendar) -> None:
    assert cal.holiday_name(date(2025, 1, 1)) == "Tết Dương lịch"
    assert cal.holiday_name(date(2025, 1, 29)) == "Tết Nguyên Đán"
    assert cal.holiday_name(date(2025, 3, 4)) is None  # ordinary Tuesday
    assert cal.holiday_name(date(2025, 3, 8)) is None  # ordinary Saturday


def test_next_working_day_is_strictly_after(cal: WorkingCalendar) -> None:
    assert cal.next_working_day(date(2025, 3, 3)) == date(2025, 3, 4)
    assert cal.next_working_day(date(2025, 3, 7)) == date(2025, 3, 10)  # Friday -> Monday


def test_add_working_days(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(date(2025, 3, 3), 0) == date(2025, 3, 3)
    assert cal.add_working_days(date(2025, 3, 9), 0) == date(2025, 3, 10)  # Sunday -> Monday
    assert cal.add_working_days(date(2025, 3, 3), 5) == date(2025, 3, 10)
    assert cal.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)  # over Tết
    with pytest.raises(ValueError, match="n must be >= 0"):
        cal.add_working_days(date(2025, 3, 3), -1)


def test_working_days_between_counts_both_ends(cal: WorkingCalendar) -> None:
    assert cal.working_days_between(date(2025, 3, 3), date(2025, 3, 7)) == 5
    assert cal.working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 1
    assert cal.working_days_between(date(2025, 3, 8), date(2025, 3, 9)) == 0
    assert cal.working_days_between(date(2025, 3, 7), date(2025, 3, 3)) == 0
    # January 2025: 23 weekdays, minus 1/1 and Tết 27-31/1.
    assert cal.working_days_between(date(2025, 1, 1), date(2025, 1, 31)) == 17


# ------------------------------------------------------------------------------- start of count


def test_dossier_received_before_1500_counts_from_same_day(cal: WorkingCalendar) -> None:
    assert cal.start_of_count(local(2025, 3, 5, 14, 59)) == date(2025, 3, 5)


def test_dossier_received_after_1500_counts_from_next_working_day(cal: WorkingCalendar) -> None:
    assert cal.start_of_count(local(2025, 3, 5, 15, 1)) == date(2025, 3, 6)


def test_dossier_received_at_exactly_1500_counts_from_next_working_day(cal: WorkingCalendar) -> None:
    assert cal.start_of_count(local(2025, 3, 5, 15, 0)) == date(2025, 3, 6)


def test_dossier_received_before_opening_counts_from_same_day(cal: WorkingCalendar) -> None:
    # Online dossiers arrive at any hour; 06:00 is before the cut-off of that working day.
    assert cal.start_of_count(local(2025, 3, 5, 6, 0)) == date(2025, 3, 5)


def test_dossier_received_on_weekend_counts_from_monday(cal: WorkingCalendar) -> None:
    assert cal.start_of_count(local(2025, 3, 8, 9)) == date(2025, 3, 10)
    assert cal.start_of_count(local(2025, 3, 9, 9)) == date(2025, 3, 10)


def test_cutoff_is_configurable() -> None:
    late_cutoff = WorkingCalendar(cutoff=time(16, 30))
    assert late_cutoff.start_of_count(local(2025, 3, 5, 16, 0)) == date(2025, 3, 5)


# ------------------------------------------------------------------------------- due in days


def test_one_working_day_received_in_the_morning_is_due_the_same_afternoon(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 3, 5, 9), days(1)) == local(2025, 3, 5, 17)


def test_received_friday_after_1500_with_one_day_is_due_monday(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 3, 7, 15, 1), days(1)) == local(2025, 3, 10, 17)


def test_five_working_days_skip_the_weekend(cal: WorkingCalendar) -> None:
    # Wednesday 5/3/2025 counts as day 1: Wed, Thu, Fri, Mon, Tue.
    assert due_local(cal, local(2025, 3, 5, 10), days(5)) == local(2025, 3, 11, 17)


def test_due_at_is_returned_in_utc(cal: WorkingCalendar) -> None:
    due = cal.due_at(local(2025, 3, 5, 9), days(1))
    assert due.tzinfo is UTC
    assert due == datetime(2025, 3, 5, 10, 0, tzinfo=UTC)  # 17:00 at UTC+07:00


def test_received_at_in_another_timezone_is_judged_in_vietnam_time(cal: WorkingCalendar) -> None:
    # 07:59 UTC is 14:59 in Vietnam (before the cut-off); 08:01 UTC is 15:01 (after it).
    assert cal.start_of_count(datetime(2025, 3, 5, 7, 59, tzinfo=UTC)) == date(2025, 3, 5)
    assert cal.start_of_count(datetime(2025, 3, 5, 8, 1, tzinfo=UTC)) == date(2025, 3, 6)
    # 22:00 on Tuesday in New York is already 10:00 Wednesday in Vietnam.
    ny = datetime(2025, 3, 4, 22, 0, tzinfo=ZoneInfo("America/New_York"))
    assert cal.start_of_count(ny) == date(2025, 3, 5)


def test_naive_received_at_is_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.due_at(datetime(2025, 3, 5, 9), days(1))
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.start_of_count(datetime(2025, 3, 5, 9))


# ------------------------------------------------------------------------------ due in hours


def test_working_hours_skip_lunch_break(cal: WorkingCalendar) -> None:
    # 10:00-11:30 is 1h30; the remaining 2h30 run 13:00-15:30.
    assert due_local(cal, local(2025, 3, 5, 10), hours(4)) == local(2025, 3, 5, 15, 30)


def test_working_hours_received_during_lunch_start_at_1300(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 3, 5, 12), hours(2)) == local(2025, 3, 5, 15)


def test_working_hours_received_after_closing_start_next_working_day(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 3, 5, 18), hours(1)) == local(2025, 3, 6, 8, 30)


def test_working_hours_received_before_opening_start_at_0730(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 3, 5, 6), hours(1)) == local(2025, 3, 5, 8, 30)


def test_working_hours_ignore_the_1500_cutoff(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 3, 5, 15, 30), hours(1)) == local(2025, 3, 5, 16, 30)


def test_working_hours_ending_at_closing_time_are_due_at_closing_time(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 3, 5, 7, 30), hours(4)) == local(2025, 3, 5, 11, 30)
    assert due_local(cal, local(2025, 3, 5, 7, 30), hours(8)) == local(2025, 3, 5, 17)


def test_working_hours_skip_weekends_and_holidays(cal: WorkingCalendar) -> None:
    # Friday 16:00 + 2h: 1h on Friday, 1h from Monday 07:30.
    assert due_local(cal, local(2025, 3, 7, 16), hours(2)) == local(2025, 3, 10, 8, 30)
    # Friday 24/1/2025 16:00 + 2h: Tết runs to 2/2, so Monday 3/2 at 08:30.
    assert due_local(cal, local(2025, 1, 24, 16), hours(2)) == local(2025, 2, 3, 8, 30)


def test_working_hours_keep_seconds_exactly(cal: WorkingCalendar) -> None:
    received = datetime(2025, 3, 5, 9, 15, 42, 123456, tzinfo=VN_TZ)
    assert due_local(cal, received, hours(1)) == received + timedelta(hours=1)


def test_working_hours_run_on_make_up_saturday(cal: WorkingCalendar) -> None:
    assert due_local(cal, local(2025, 4, 25, 16), hours(2)) == local(2025, 4, 26, 8, 30)


def test_working_time_between_is_the_inverse_of_add_working_time(cal: WorkingCalendar) -> None:
    start = local(2025, 3, 5, 10)
    assert cal.working_time_between(start, local(2025, 3, 5, 15, 30)) == timedelta(hours=4)
    assert cal.working_time_between(start, start) == timedelta(0)
    assert cal.working_time_between(local(2025, 3, 7, 8), local(2025, 3, 10, 8)) == timedelta(hours=8)


# ----------------------------------------------------------------------------- configuration


def test_a_date_in_both_tables_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="both in days_off and working_days.*2025-04-26"):
        WorkingCalendar(days_off={date(2025, 4, 26): "x"}, working_days={date(2025, 4, 26): "y"})


def test_override_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        WorkingCalendar(days_off={date(2025, 5, 2): " "})


def test_override_keys_must_be_dates_not_datetimes() -> None:
    with pytest.raises(ValueError, match="not a date"):
        WorkingCalendar(days_off={datetime(2025, 5, 2): "x"})  # type: ignore[dict-item]


def test_office_sessions_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="ordered"):
        WorkingCalendar(morning=(time(11, 30), time(7, 30)))
    with pytest.raises(ValueError, match="ordered"):
        WorkingCalendar(afternoon=(time(11, 0), time(17, 0)))


def test_statutory_holidays_are_built_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    # due_at runs on every submitted dossier: the holidays object must not be rebuilt per call.
    built: list[object] = []
    real = calendar_module._vietnam()  # the holidays package's Vietnam class

    def counting(*args: object, **kwargs: object) -> object:
        built.append(kwargs.get("years"))
        return real(*args, **kwargs)

    calendar_module._statutory_holidays.cache_clear()
    monkeypatch.setattr(calendar_module, "_vietnam", lambda: counting)
    try:
        for cal in (WorkingCalendar(), WorkingCalendar()):
            for day in range(1, 29):
                cal.due_at(local(2025, 2, day, 9), days(10))
        assert built == [2025]
    finally:
        calendar_module._statutory_holidays.cache_clear()


def test_statutory_holidays_are_the_packages_vietnam_holidays() -> None:
    # Only Vietnam's module is loaded (cold start); the table is what holidays.country_holidays("VN") gives.
    calendar_module._statutory_holidays.cache_clear()
    for year in (2024, 2025, 2026, 2027):
        expected = {d: str(name) for d, name in
                    calendar_module.holidays.country_holidays("VN", years=year, language="vi").items()}
        assert dict(calendar_module._statutory_holidays(year)) == expected


def _dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
