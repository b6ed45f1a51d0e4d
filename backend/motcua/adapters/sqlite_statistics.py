"""SQLite implementation of the statistics port: one wide row per counter key, added to with an upsert."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime

from motcua.domain.statistics import METRICS, StatKey

_KNOWN = frozenset(METRICS)
_VERSION = "statistics.version"  # a row of the generic counters table
_COLUMNS = ", ".join(METRICS)


class SqliteStatistics:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def mark_processed(self, message_id: str, *, at: datetime) -> bool:
        cursor = self._conn.execute(
            "INSERT INTO stat_processed (message_id, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (message_id, at.isoformat()),
        )
        return cursor.rowcount == 1

    def add(self, key: StatKey, deltas: Mapping[str, int]) -> None:
        names = [name for name in deltas if deltas[name]]
        if not names:
            return
        unknown = set(names) - _KNOWN
        if unknown:
            raise ValueError(f"unknown statistics metric(s): {sorted(unknown)}")
        columns = ", ".join(names)  # only names from METRICS reach the SQL
        updates = ", ".join(f"{n} = {n} + excluded.{n}" for n in names)
        self._conn.execute(
            f"INSERT INTO stat_counters (unit_id, field, procedure_code, month, {columns})"  # noqa: S608
            f" VALUES (?, ?, ?, ?{', ?' * len(names)})"
            f" ON CONFLICT (unit_id, field, procedure_code, month) DO UPDATE SET {updates}",
            (key.unit_id, key.field, key.procedure_code, key.month, *(deltas[n] for n in names)),
        )

    def read(self, *, units: Sequence[str], fields: Sequence[str], procedure_code: str, month_from: str,
             month_to: str) -> list[tuple[StatKey, tuple[int, ...]]]:
        if not units or not fields:
            return []
        rows: list[sqlite3.Row] = []
        # Chunks keep the parameter count under SQLite's limit; each (unit, field) pair is an index seek.
        for start in range(0, len(units), 200):
            chunk = units[start:start + 200]
            rows += self._conn.execute(
                f"SELECT unit_id, field, procedure_code, month, {_COLUMNS} FROM stat_counters"  # noqa: S608
                f" WHERE unit_id IN ({', '.join('?' * len(chunk))})"  # noqa: S608
                f" AND field IN ({', '.join('?' * len(fields))}) AND procedure_code = ? AND month BETWEEN ? AND ?",
                (*chunk, *fields, procedure_code, month_from, month_to),
            ).fetchall()
        return [(StatKey(r[0], r[1], r[2], r[3]), tuple(r)[4:]) for r in rows]

    def reset(self, metrics: Sequence[str]) -> None:
        unknown = set(metrics) - _KNOWN
        if unknown:
            raise ValueError(f"unknown statistics metric(s): {sorted(unknown)}")
        self._conn.execute(f"UPDATE stat_counters SET {', '.join(f'{m} = 0' for m in metrics)}")  # noqa: S608

    def touch(self) -> None:
        self._conn.execute("INSERT INTO counters (name, value) VALUES (?, 1)"
                           " ON CONFLICT(name) DO UPDATE SET value = value + 1", (_VERSION,))

    def version(self) -> int:
        row = self._conn.execute("SELECT value FROM counters WHERE name = ?", (_VERSION,)).fetchone()
        return int(row[0]) if row else 0
