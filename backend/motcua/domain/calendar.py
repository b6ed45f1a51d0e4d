"""The working-day calendar: when does the legal processing time of a dossier run out?

Processing times are counted in working days (or, for a few same-day procedures, working hours) of the
civil service in Vietnam. A day is a working day when it is Monday to Friday, is not a statutory holiday and
is not an extra day off granted by the Government; a make-up Saturday (a working day swapped onto a weekend
to give a longer holiday) is a working day although it is a Saturday.

Where the facts come from:

* Statutory holidays (Labour Code 2019, art. 112: 1/1, Tết, Hùng Kings' day, 30/4, 1/5, 2/9 plus an adjacent
  day, and the observed days when a holiday falls on a weekend) come from the ``holidays`` package
  (``holidays.country_holidays("VN", language="vi")``), which also knows some of the Government's swapped
  days off (e.g. 2024-04-29, 2025-05-02, 2026-08-31 in holidays 0.109).
* The package does NOT know the make-up working Saturdays, and the Government decides swaps every year, so
  each deployment passes an override table (``days_off`` / ``working_days``), loaded from
  ``motcua/data/calendar.yaml`` by :mod:`motcua.adapters.calendar_file`.

Counting rules (DOMAIN.md, "Deadlines in working days"; practice in procedure texts):

* A dossier received at or after 15:00 local time, or on a non-working day, counts from the next working day.
* N working days: the due date is the N-th working day counting the start day as the first; the result is
  due at the end of the afternoon session (17:00 local) that day.
* N working hours: N hours of office time (07:30-11:30 and 13:00-17:00 local, working days only) from the
  moment of receipt, or from the next opening if received outside office hours; the 15:00 cut-off does not
  apply.

This module is pure: no file, network or clock access. All reasoning is in local time
(``Asia/Ho_Chi_Minh``); Vietnam has kept a fixed UTC+07:00 offset without daylight saving since 1975, so
wall-clock arithmetic on local datetimes equals elapsed time.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from motcua.domain.processing_time import ProcessingTime, TimeUnit

__all__ = ["VN_TZ", "WorkingCalendar"]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Shared, immutable empty default (a literal ``{}`` default would be one mutable dict shared by all calls).
_NO_DATES: Mapping[date, str] = MappingProxyType({})

_SATURDAY = 5  # date.weekday(): Monday is 0


@lru_cache(maxsize=64)
def _statutory_holidays(year: int) -> Mapping[date, str]:
    """Vietnam's statutory holidays of one year, with Vietnamese names, from the ``holidays`` package.

    Building the ``holidays`` object costs a few milliseconds (lunar calendar, observed-day rules), and
    ``due_at`` runs on every submitted dossier, so each year is built once per process and shared by every
    calendar. The result is copied into a plain read-only dict: lookups on it cannot trigger the package's
    lazy population of further years.
    """
    table = _vietnam()(years=year, language="vi")  # what holidays.country_holidays("VN", …) builds
    return MappingProxyType({d: str(name) for d, name in table.items()})


def _vietnam() -> type:
    """The package's ``Vietnam`` class, loading only Vietnam's module.

    ``holidays.country_holidays("VN")`` imports ``holidays.countries``, whose ``__init__`` imports every country's
    module (about 250): a fifth of the app's import time on a Lambda cold start. Vietnam's module is loaded from
    the same file under the same name, so a later ``import holidays.countries`` reuses it.
    """
    name = "holidays.countries.vietnam"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(
            name, Path(holidays.__file__).parent / "countries" / "vietnam.py")
        if spec is None or spec.loader is None:  # pragma: no cover - the package's own file
            raise ImportError(name)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return module.Vietnam  # type: ignore[no-any-return]


def _require_aware(moment: datetime, what: str) -> datetime:
    """Return ``moment`` in Vietnam local time; a naive datetime is ambiguous, so it is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(VN_TZ)


def _check_dates(table: Mapping[date, str], what: str) -> dict[date, str]:
    """Copy an override table, refusing keys that are not plain dates and reasons that are not text."""
    copy: dict[date, str] = {}
    for d, reason in table.items():
        # datetime is a subclass of date; a datetime key would never match a date lookup.
        if not isinstance(d, date) or isinstance(d, datetime):
            raise ValueError(f"{what}: {d!r} is not a date")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"{what}: {d.isoformat()} needs a reason (non-empty text)")
        copy[d] = reason.strip()
    return copy


class WorkingCalendar:
    """Working days and office hours of Vietnamese state agencies, with this deployment's overrides.

    ``days_off`` maps extra days off granted by the Government (bridge days) to a Vietnamese reason;
    ``working_days`` maps make-up working days (usually Saturdays) to a reason. A date may not be in both.
    ``cutoff`` is the time of day from which a dossier counts from the next working day; ``morning`` and
    ``afternoon`` are the office sessions used for working hours and for the 17:00 due time.
    """

    def __init__(
        self,
        days_off: Mapping[date, str] = _NO_DATES,
        working_days: Mapping[date, str] = _NO_DATES,
        *,
        cutoff: time = time(15, 0),
        morning: tuple[time, time] = (time(7, 30), time(11, 30)),
        afternoon: tuple[time, time] = (time(13, 0), time(17, 0)),
    ) -> None:
        self._days_off = _check_dates(days_off, "days_off")
        self._working_days = _check_dates(working_days, "working_days")
        both = sorted(set(self._days_off) & set(self._working_days))
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise ValueError(f"dates both in days_off and working_days (configuration error): {listed}")
        for t in (cutoff, *morning, *afternoon):
            # Offsets on times would make comparisons with local wall-clock times meaningless.
            if not isinstance(t, time) or t.tzinfo is not None:
                raise ValueError(f"office times must be naive times of day, got {t!r}")
        if not (morning[0] < morning[1] <= afternoon[0] < afternoon[1]):
            raise ValueError(
                "office sessions must be ordered: morning start < morning end <= afternoon start"
                f" < afternoon end, got {morning} and {afternoon}"
            )
        self._cutoff = cutoff
        self._sessions: tuple[tuple[time, time], ...] = (morning, afternoon)

    # ----------------------------------------------------------------------------------------- days

    @property
    def afternoon_end(self) -> time:
        """Close of the working day (17:00): the due time of day-based deadlines."""
        return self._sessions[-1][1]

    @property
    def days_off(self) -> Mapping[date, str]:
        """The extra days off of this calendar (read-only), each with its reason."""
        return MappingProxyType(self._days_off)

    @property
    def working_days(self) -> Mapping[date, str]:
        """The make-up working days of this calendar (read-only), each with its reason."""
        return MappingProxyType(self._working_days)

    def is_working_day(self, d: date) -> bool:
        """True if agencies work on ``d``.

        A make-up working day wins over everything (it is usually a Saturday); otherwise a day is a working
        day when it is Monday to Friday, not a statutory holiday (observed days included) and not an extra
        day off.
        """
        if d in self._working_days:
            return True
        if d.weekday() >= _SATURDAY or d in self._days_off:
            return False
        return d not in _statutory_holidays(d.year)

    def holiday_name(self, d: date) -> str | None:
        """Why ``d`` is a day off, in Vietnamese; None for working days and ordinary weekends.

        The override reason comes first: it is this deployment's configured wording for the day (the
        ``holidays`` package names a swapped day only "Ngày nghỉ (thay cho ngày ...)").
        """
        if d in self._working_days:
            return None
        if d in self._days_off:
            return self._days_off[d]
        return _statutory_holidays(d.year).get(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        # Terminates: days off (statutory and overrides) are a handful of dates per year, so a working
        # weekday is never more than about ten days away.
        nxt = d + timedelta(days=1)
        while not self.is_working_day(nxt):
            nxt += timedelta(days=1)
        return nxt

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n >= 0``).

        ``n == 0`` gives ``d`` itself when it is a working day, else the next working day (the day the
        count would start). ``n >= 1`` counts working days strictly after ``d``.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return d if self.is_working_day(d) else self.next_working_day(d)
        current = d
        for _ in range(n):
            current = self.next_working_day(current)
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days in ``[start, end]``, both ends included; 0 if ``end < start``.

        Used to class results as early / on time / late and to report days of delay.
        """
        if end < start:
            return 0
        return sum(1 for d in _dates(start, end) if self.is_working_day(d))

    # ------------------------------------------------------------------------------------- deadlines

    def start_of_count(self, received_at: datetime) -> date:
        """The working day from which the processing time counts.

        The day of receipt when it is a working day and the dossier arrived before the cut-off (15:00
        local); otherwise the next working day. ``received_at`` must be timezone-aware.
        """
        local = _require_aware(received_at, "received_at")
        day = local.date()
        if self.is_working_day(day) and local.time() < self._cutoff:
            return day
        return self.next_working_day(day)

    def due_at(self, received_at: datetime, duration: ProcessingTime) -> datetime:
        """When the result is due, as an aware datetime in UTC.

        Working days: the ``amount``-th working day counting :meth:`start_of_count` as the first, at the end
        of the afternoon session (17:00 local). Working hours: the exact instant after ``amount`` hours of
        office time from receipt (see :meth:`add_working_time`).
        """
        local = _require_aware(received_at, "received_at")
        if duration.unit is TimeUnit.WORKING_HOURS:
            return self.add_working_time(local, timedelta(hours=duration.amount)).astimezone(UTC)
        first = self.start_of_count(local)
        last = self.add_working_days(first, duration.amount - 1)
        return datetime.combine(last, self._sessions[-1][1], tzinfo=VN_TZ).astimezone(UTC)

    # ---------------------------------------------------------------------------------- office time

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant after ``amount`` of office time from ``start`` (aware), in local time.

        Time runs only inside office sessions on working days; from outside a session it starts at the next
        opening (12:00 -> 13:00 the same day; 18:00 -> 07:30 the next working day). Ending exactly at the
        close of a session gives that closing time, not the next opening.
        """
        if amount < timedelta(0):
            raise ValueError(f"amount must not be negative, got {amount}")
        cursor = _require_aware(start, "start")
        remaining = amount
        day = cursor.date()
        while True:
            if self.is_working_day(day):
                for opens, closes in self._local_sessions(day):
                    if cursor >= closes:
                        continue
                    begin = max(cursor, opens)
                    available = closes - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
                    cursor = closes
            day = self.next_working_day(day)
            cursor = datetime.combine(day, time.min, tzinfo=VN_TZ)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time (inside sessions, on working days) between two aware instants; zero if end <= start.

        The inverse of :meth:`add_working_time`; used to class hour-based results and in tests.
        """
        begin = _require_aware(start, "start")
        finish = _require_aware(end, "end")
        total = timedelta(0)
        if finish <= begin:
            return total
        for day in _dates(begin.date(), finish.date()):
            if not self.is_working_day(day):
                continue
            for opens, closes in self._local_sessions(day):
                overlap = min(closes, finish) - max(opens, begin)
                if overlap > timedelta(0):
                    total += overlap
        return total

    def _local_sessions(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The office sessions of ``day`` as aware local datetimes."""
        for opens, closes in self._sessions:
            yield (
                datetime.combine(day, opens, tzinfo=VN_TZ),
                datetime.combine(day, closes, tzinfo=VN_TZ),
            )

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar({len(self._days_off)} days off, {len(self._working_days)} working days,"
            f" cutoff={self._cutoff.isoformat('minutes')})"
        )


def _dates(start: date, end: date) -> Iterator[date]:
    """Every date from ``start`` to ``end`` inclusive."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)
