"""Load the yearly working-day override table (``motcua/data/calendar.yaml``) into a WorkingCalendar.

The table is edited by hand every year from the Government's notice, so the loader is strict: anything it
does not understand is an error naming the file and the entry, never silently ignored. In particular it
refuses duplicate keys and dates (YAML would keep only the last one), dates outside their year block
(a typo in the year would move a swap to the wrong year) and entries that cannot have an effect (a day off
on a weekend, a make-up working day on a weekday - almost always a wrong date).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from motcua.domain.calendar import WorkingCalendar

__all__ = ["load_calendar", "parse_calendar"]

_TABLES = ("days_off", "working_days")
_YEAR_KEYS = frozenset({"source", *_TABLES})
_ENTRY_KEYS = frozenset({"date", "reason"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that keeps dates as text and refuses duplicate mapping keys.

    Dates stay text so that an impossible date (2025-02-30) is reported by this module with its entry,
    instead of surfacing as PyYAML's bare "day is out of range for month".
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def default_calendar_path() -> Path:
    """Where the packaged table lives (``motcua/data/calendar.yaml``, shipped as package data)."""
    return Path(str(resources.files("motcua").joinpath("data", "calendar.yaml")))


def load_calendar(path: Path | None = None) -> WorkingCalendar:
    """Read the override table at ``path`` (default: the packaged table) and build the calendar.

    Raises ValueError naming the file and the bad entry when the file is malformed; OSError when it cannot
    be read.
    """
    source = Path(path) if path is not None else default_calendar_path()
    return parse_calendar(source.read_text(encoding="utf-8"), name=str(source))


def parse_calendar(text: str, *, name: str = "<calendar>") -> WorkingCalendar:
    """Build the calendar from the YAML text of an override table; ``name`` is used in error messages."""
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ValueError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(document, Mapping):
        raise ValueError(f"{name}: expected a mapping of years (e.g. '2025:') at the top level")

    tables: dict[str, dict[date, str]] = {table: {} for table in _TABLES}
    where_seen: dict[date, str] = {}
    for year_key, block in document.items():
        year = _parse_year(year_key, name)
        if block is None:
            continue
        if not isinstance(block, Mapping):
            raise ValueError(f"{name}: {year}: expected a mapping with days_off / working_days")
        unknown = sorted(str(k) for k in block if k not in _YEAR_KEYS)
        if unknown:
            allowed = ", ".join(sorted(_YEAR_KEYS))
            raise ValueError(f"{name}: {year}: unknown key(s) {', '.join(unknown)} (allowed: {allowed})")
        if "source" in block and not isinstance(block["source"], str):
            raise ValueError(f"{name}: {year}.source: expected text")
        for table in _TABLES:
            entries = block.get(table) or []
            if not isinstance(entries, list):
                raise ValueError(f"{name}: {year}.{table}: expected a list of entries")
            for index, entry in enumerate(entries):
                where = f"{year}.{table}[{index}]"
                day, reason = _parse_entry(entry, year, table, f"{name}: {where}")
                if day in where_seen:
                    raise ValueError(
                        f"{name}: {where}: {day.isoformat()} is already listed at {where_seen[day]}"
                        " (a date may appear only once; both tables at once is a contradiction)"
                    )
                where_seen[day] = where
                tables[table][day] = reason
    return WorkingCalendar(days_off=tables["days_off"], working_days=tables["working_days"])


def _parse_year(key: object, name: str) -> int:
    """A year block key: 2025 (or "2025")."""
    if isinstance(key, bool) or not isinstance(key, int | str) or not re.fullmatch(r"\d{4}", str(key)):
        raise ValueError(f"{name}: {key!r}: top-level keys must be years like 2025")
    return int(key)


def _parse_entry(entry: object, year: int, table: str, where: str) -> tuple[date, str]:
    """One ``{date, reason}`` entry, checked for shape, real date, year and weekday."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: expected 'date: YYYY-MM-DD' and 'reason: ...', got {entry!r}")
    keys = set(entry)
    if keys != _ENTRY_KEYS:
        problems = []
        if _ENTRY_KEYS - keys:
            problems.append(f"missing {', '.join(sorted(_ENTRY_KEYS - keys))}")
        if keys - _ENTRY_KEYS:
            problems.append(f"unknown {', '.join(sorted(str(k) for k in keys - _ENTRY_KEYS))}")
        raise ValueError(f"{where}: {'; '.join(problems)}")
    raw, reason = entry["date"], entry["reason"]
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
        raise ValueError(f"{where}: date {raw!r} is not written YYYY-MM-DD")
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"{where}: date {raw} does not exist ({exc})") from exc
    if day.year != year:
        raise ValueError(f"{where}: date {raw} is not in the year {year} it is listed under")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{where}: date {raw} needs a reason (non-empty text)")
    weekend = day.weekday() >= 5
    if table == "days_off" and weekend:
        raise ValueError(f"{where}: day off {raw} is a {day:%A}; a day off on a weekend has no effect")
    if table == "working_days" and not weekend:
        raise ValueError(
            f"{where}: make-up working day {raw} is a {day:%A}, already a working day; make-up days are"
            " weekend days"
        )
    return day, reason.strip()
