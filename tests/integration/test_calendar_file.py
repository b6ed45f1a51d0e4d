"""Loading the yearly override table (motcua/data/calendar.yaml) into a WorkingCalendar."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from motcua.adapters.calendar_file import default_calendar_path, load_calendar
from motcua.domain.calendar import VN_TZ, WorkingCalendar
from motcua.domain.processing_time import ProcessingTime, TimeUnit

# ------------------------------------------------------------------------------ packaged table


@pytest.fixture(scope="module")
def packaged() -> WorkingCalendar:
    return load_calendar()


def test_packaged_table_is_found_inside_the_motcua_package() -> None:
    path = default_calendar_path()
    assert path.is_file()
    assert path.parts[-3:] == ("motcua", "data", "calendar.yaml")


def test_default_path_and_explicit_path_give_the_same_calendar(packaged: WorkingCalendar) -> None:
    explicit = load_calendar(default_calendar_path())
    assert explicit.days_off == packaged.days_off
    assert explicit.working_days == packaged.working_days


@pytest.mark.parametrize(
    "saturday", [date(2024, 5, 4), date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)]
)
def test_packaged_make_up_saturdays_are_working_days(packaged: WorkingCalendar, saturday: date) -> None:
    assert saturday.weekday() == 5
    assert packaged.is_working_day(saturday)


@pytest.mark.parametrize(
    "day_off", [date(2024, 4, 29), date(2025, 5, 2), date(2026, 1, 2), date(2026, 8, 31)]
)
def test_packaged_swapped_days_are_days_off_with_a_vietnamese_reason(
    packaged: WorkingCalendar, day_off: date
) -> None:
    assert not packaged.is_working_day(day_off)
    assert (packaged.holiday_name(day_off) or "").startswith("Nghỉ hoán đổi")


def test_every_swapped_day_off_is_paid_back_by_a_make_up_day(packaged: WorkingCalendar) -> None:
    # The table lists swaps as pairs; a lone half would shift deadlines by a day. (If the Government ever
    # grants a day off without a make-up day, list the exception here.)
    assert len(packaged.days_off) == len(packaged.working_days)


def test_packaged_calendar_counts_over_30_april_2025(packaged: WorkingCalendar) -> None:
    # Received Friday 25/4/2025 at 16:00, 3 working days: Sat 26/4 (make-up), Mon 28/4, Tue 29/4;
    # then 30/4, 1/5, 2/5 (swapped) and the weekend are off, so a 4th day lands on Monday 5/5.
    received = datetime(2025, 4, 25, 16, 0, tzinfo=VN_TZ)
    due3 = packaged.due_at(received, ProcessingTime(3, TimeUnit.WORKING_DAYS)).astimezone(VN_TZ)
    due4 = packaged.due_at(received, ProcessingTime(4, TimeUnit.WORKING_DAYS)).astimezone(VN_TZ)
    assert due3 == datetime(2025, 4, 29, 17, 0, tzinfo=VN_TZ)
    assert due4 == datetime(2025, 5, 5, 17, 0, tzinfo=VN_TZ)


# ---------------------------------------------------------------------------- malformed files

GOOD = """\
2025:
  source: "Thông báo 6150/TB-BLĐTBXH"
  days_off:
    - date: 2025-05-02
      reason: "Nghỉ hoán đổi"
  working_days:
    - date: 2025-04-26
      reason: "Làm bù"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar-test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_well_formed_file_loads(tmp_path: Path) -> None:
    cal = load_calendar(write(tmp_path, GOOD))
    assert cal.is_working_day(date(2025, 4, 26))
    assert cal.holiday_name(date(2025, 5, 2)) == "Nghỉ hoán đổi"


def test_empty_year_blocks_are_allowed(tmp_path: Path) -> None:
    cal = load_calendar(write(tmp_path, "2023:\n  days_off: []\n  working_days:\n2024:\n"))
    assert cal.days_off == {} and cal.working_days == {}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("2025: [unclosed\n", ["not valid YAML"], id="yaml-syntax"),
        pytest.param("- 2025-05-02\n", ["mapping of years"], id="top-level-list"),
        pytest.param("", ["mapping of years"], id="empty-file"),
        pytest.param("twenty:\n  days_off: []\n", ["'twenty'", "years like 2025"], id="year-not-a-year"),
        pytest.param("2025:\n  holidays: []\n", ["2025", "unknown key(s) holidays"], id="unknown-year-key"),
        pytest.param("2025:\n  days_off: 2025-05-02\n", ["2025.days_off", "list"], id="table-not-a-list"),
        pytest.param(
            "2025:\n  days_off:\n    - 2025-05-02\n", ["2025.days_off[0]", "date: YYYY-MM-DD"], id="bare-date"
        ),
        pytest.param(
            "2025:\n  days_off:\n    - date: 2025-05-02\n",
            ["2025.days_off[0]", "missing reason"],
            id="no-reason",
        ),
        pytest.param(
            "2025:\n  days_off:\n    - {date: 2025-05-02, reason: x, note: y}\n",
            ["2025.days_off[0]", "unknown note"],
            id="unknown-entry-key",
        ),
        pytest.param(
            "2025:\n  days_off:\n    - {date: 2025-02-30, reason: x}\n",
            ["2025.days_off[0]", "2025-02-30", "does not exist"],
            id="impossible-date",
        ),
        pytest.param(
            "2025:\n  days_off:\n    - {date: 02/05/2025, reason: x}\n",
            ["2025.days_off[0]", "02/05/2025", "YYYY-MM-DD"],
            id="date-format",
        ),
        pytest.param(
            "2025:\n  days_off:\n    - {date: 2024-04-29, reason: x}\n",
            ["2025.days_off[0]", "2024-04-29", "not in the year 2025"],
            id="date-in-wrong-year",
        ),
        pytest.param(
            "2025:\n  days_off:\n    - {date: 2025-05-02, reason: '  '}\n",
            ["2025.days_off[0]", "needs a reason"],
            id="blank-reason",
        ),
        pytest.param(
            "2025:\n  days_off:\n    - {date: 2025-05-03, reason: x}\n",
            ["2025.days_off[0]", "2025-05-03", "weekend"],
            id="day-off-on-saturday",
        ),
        pytest.param(
            "2025:\n  working_days:\n    - {date: 2025-04-25, reason: x}\n",
            ["2025.working_days[0]", "2025-04-25", "Friday"],
            id="make-up-day-on-a-weekday",
        ),
        pytest.param(
            "2025:\n  days_off:\n    - {date: 2025-05-02, reason: x}\n    - {date: 2025-05-02, reason: y}\n",
            ["2025.days_off[1]", "2025-05-02", "2025.days_off[0]"],
            id="duplicate-date",
        ),
        pytest.param(
            "2025:\n  days_off: []\n2025:\n  working_days: []\n",
            ["duplicate key 2025", "line 3"],
            id="duplicate-year",
        ),
        # A weekday in working_days is already refused as a likely typo, so whichever check fires first, the
        # contradiction is reported against the second listing.
        pytest.param(
            "2025:\n  days_off:\n    - {date: 2025-05-02, reason: x}\n"
            "  working_days:\n    - {date: 2025-05-02, reason: y}\n",
            ["2025.working_days[0]", "2025-05-02"],
            id="date-in-both-tables",
        ),
    ],
)
def test_malformed_file_is_rejected_naming_the_file_and_the_entry(
    tmp_path: Path, text: str, names: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as caught:
        load_calendar(path)
    message = str(caught.value)
    assert str(path) in message
    for name in names:
        assert name in message


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_calendar(tmp_path / "absent.yaml")
