"""The embedded store: one SQLite file in WAL mode, one connection per thread, one transaction per unit of work."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from motcua.adapters import sqlite_repositories as repos
from motcua.adapters.sqlite_schema import MIGRATIONS

SYNCHRONOUS_MODES = ("OFF", "NORMAL", "FULL", "EXTRA")


class Database:
    """Owns the file, its pragmas and migrations. Thread-safe: each thread gets its own connection."""

    def __init__(self, path: Path | str, *, synchronous: str = "FULL") -> None:
        if synchronous.upper() not in SYNCHRONOUS_MODES:
            raise ValueError(f"SQLITE_SYNCHRONOUS must be one of {SYNCHRONOUS_MODES}")
        self.path = str(path)
        self.synchronous = synchronous.upper()
        self._local = threading.local()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: we issue BEGIN ourselves, so the transaction spans exactly one unit of work.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0, check_same_thread=True)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    def migrate(self) -> int:
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(MIGRATIONS)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


class SqliteUnitOfWork:
    """Implements services.ports.UnitOfWork over one SQLite transaction."""

    def __init__(self, db: Database, *, readonly: bool = False) -> None:
        self._db = db
        self._readonly = readonly
        self._conn = db.connection()
        self._open = False
        self.dossiers = repos.SqliteDossiers(self._conn)
        self.citizens = repos.SqliteCitizens(self._conn)
        self.otps = repos.SqliteOtps(self._conn)
        self.sessions = repos.SqliteSessions(self._conn)
        self.idempotency = repos.SqliteIdempotency(self._conn)
        self.counters = repos.SqliteCounters(self._conn)
        self.rate_limits = repos.SqliteRateLimits(self._conn)
        self.outbox = repos.SqliteOutbox(self._conn)
        self.audit = repos.SqliteAudit(self._conn)

    def __enter__(self) -> SqliteUnitOfWork:
        # IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
        self._conn.execute("BEGIN" if self._readonly else "BEGIN IMMEDIATE")
        self._open = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._open:
            self.rollback()

    def commit(self) -> None:
        if self._readonly:
            raise RuntimeError("read-only unit of work")
        for dossier in self.dossiers.seen():
            for event in dossier.events:
                self.outbox.add(event.topic, event.payload(), now=dossier.updated_at)
            dossier.events.clear()
        self._conn.execute("COMMIT")
        self._open = False

    def rollback(self) -> None:
        if self._open:
            self._conn.execute("ROLLBACK")
            self._open = False


class SqliteUnitOfWorkFactory:
    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, *, readonly: bool = False) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self.db, readonly=readonly)


class SqliteMessageLog:
    """SMS and e-mail in the embedded default: written to a table, shown at /dev/outbox, never sent."""

    def __init__(self, db: Database, clock: object) -> None:
        self._db = db
        self._clock = clock

    def _write(self, channel: str, to: str, subject: str, body: str) -> None:
        import uuid

        conn = self._db.connection()
        conn.execute(
            "INSERT INTO sent_messages (id, channel, recipient, subject, body, created_at) VALUES (?,?,?,?,?,?)",
            (uuid.uuid4().hex, channel, to, subject, body, self._clock.now().isoformat()),  # type: ignore[attr-defined]
        )

    def send_sms(self, to: str, body: str) -> None:
        self._write("sms", to, "", body)

    def send_email(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        self._write("email", to, subject, text)

    def recent(self, limit: int = 50) -> list[repos.SentMessage]:
        rows = self._db.connection().execute(
            "SELECT * FROM sent_messages ORDER BY created_at DESC, rowid DESC LIMIT ?", (limit,)
        ).fetchall()
        return [repos.sent_message_from_row(r) for r in rows]
