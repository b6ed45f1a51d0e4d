"""Removing records whose purpose has passed (on DynamoDB a TTL attribute does the same)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

# (table, column compared, how long after that time the record is still useful)
RULES: tuple[tuple[str, str, timedelta], ...] = (
    ("sessions", "expires_at", timedelta(0)),
    ("otp_challenges", "sent_at", timedelta(hours=2)),  # keeps the per-hour resend counts meaningful
    ("webauthn_challenges", "expires_at", timedelta(0)),
    ("idempotency_keys", "created_at", timedelta(days=1)),  # retries come within minutes; a day is generous
    ("rate_limits", "window_start", timedelta(days=1)),
    ("enrolments", "expires_at", timedelta(days=30)),  # kept a month after expiry for the audit of who enrolled
)


class SqliteHousekeeping:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def purge(self, now: datetime) -> dict[str, int]:
        removed = {}
        for table, column, keep in RULES:
            cursor = self._conn.execute(
                f"DELETE FROM {table} WHERE {column} < ?", ((now - keep).isoformat(),)  # noqa: S608 - fixed names
            )
            removed[table] = cursor.rowcount
        return removed
