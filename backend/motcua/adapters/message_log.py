"""SMS and e-mail in the embedded default: kept in a local log (shown at /dev/outbox), never sent."""

from __future__ import annotations

import sqlite3
import unicodedata
import uuid
from datetime import datetime
from pathlib import Path

from motcua.adapters.sqlite_schema import MESSAGE_LOG_MIGRATIONS
from motcua.adapters.sqlite_store import Database
from motcua.services.ports import Clock, SentMessage


class SqliteMessageLog:
    """Implements the SMS and e-mail ports (and SentMessageLog) on a separate SQLite file."""

    def __init__(self, path: Path | str, clock: Clock) -> None:
        # NORMAL is enough for a development log; the business data stays on FULL (ADR 2).
        self._db = Database(path, synchronous="NORMAL", migrations=MESSAGE_LOG_MIGRATIONS)
        self._clock = clock

    def _write(self, channel: str, to: str, subject: str, body: str, key: str | None) -> None:
        subject, body = unicodedata.normalize("NFC", subject), unicodedata.normalize("NFC", body)  # as SNS/SES send
        row = (uuid.uuid4().hex, channel, to, subject, body, self._clock.now().isoformat(), key)
        sql = ("INSERT INTO sent_messages (id, channel, recipient, subject, body, created_at, dedupe_key)"
               " VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")
        self._db.acquire_write()
        try:
            self._db.connection().execute(sql, row)
        finally:
            self._db.release_write()

    def send_sms(self, to: str, body: str, *, key: str | None = None) -> None:
        self._write("sms", to, "", body, key)

    def send_email(self, to: str, subject: str, text: str, html: str | None = None, *, key: str | None = None) -> None:
        self._write("email", to, subject, text, key)

    def recent(self, limit: int = 50) -> list[SentMessage]:
        rows = self._db.connection().execute(
            "SELECT * FROM sent_messages ORDER BY created_at DESC, rowid DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_message(r) for r in rows]


def _message(r: sqlite3.Row) -> SentMessage:
    return SentMessage(id=r["id"], channel=r["channel"], to=r["recipient"], subject=r["subject"], body=r["body"],
                       created_at=datetime.fromisoformat(r["created_at"]))
