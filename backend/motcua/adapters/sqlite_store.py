"""The embedded store: one SQLite file in WAL mode, one connection per thread, one transaction per unit of work."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path

from motcua.adapters import sqlite_repositories as repos
from motcua.adapters.sqlite_housekeeping import SqliteHousekeeping
from motcua.adapters.sqlite_notifications import SqliteDeliveries, SqlitePreferences, SqlitePushSubscriptions
from motcua.adapters.sqlite_officials import SqliteChallenges, SqliteEnrolments, SqliteOfficials, SqlitePasskeys
from motcua.adapters.sqlite_payments import SqlitePayments
from motcua.adapters.sqlite_public import SqliteFeedback, SqliteRatings
from motcua.adapters.sqlite_schema import MIGRATIONS
from motcua.adapters.sqlite_statistics import SqliteStatistics

SYNCHRONOUS_MODES = ("OFF", "NORMAL", "FULL", "EXTRA")


class Database:
    """Owns the file, its pragmas and migrations. Thread-safe: each thread gets its own connection."""

    def __init__(self, path: Path | str, *, synchronous: str = "FULL", migrations: list[str] = MIGRATIONS) -> None:
        if synchronous.upper() not in SYNCHRONOUS_MODES:
            raise ValueError(f"SQLITE_SYNCHRONOUS must be one of {SYNCHRONOUS_MODES}")
        self.path = str(path)
        self.synchronous = synchronous.upper()
        self._migrations = migrations
        self._local = threading.local()
        self._thread_lock = threading.Lock()
        self._lock_fd: int | None = None
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = os.open(self.path + ".writelock", os.O_RDWR | os.O_CREAT, 0o600)
        self.migrate()

    def acquire_write(self) -> None:
        """Queue writers: threads on a mutex, processes on flock.

        SQLite's own busy handler makes waiting writers sleep with growing back-off (up to 100 ms a try), which under
        load wastes most of the time the lock is free; these locks hand it over the moment it is released.
        """
        self._thread_lock.acquire()
        if self._lock_fd is not None:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            except BaseException:
                self._thread_lock.release()
                raise

    def _scopes(self) -> list[SqliteUnitOfWork]:
        scopes: list[SqliteUnitOfWork] | None = getattr(self._local, "scopes", None)
        if scopes is None:
            scopes = self._local.scopes = []
        return scopes

    def open_scope(self) -> SqliteUnitOfWork | None:
        """The innermost unit of work open on this thread, if any."""
        scopes = self._scopes()
        return scopes[-1] if scopes else None

    def scope_depth(self) -> int:
        return len(self._scopes())

    def push_scope(self, uow: SqliteUnitOfWork) -> None:
        self._scopes().append(uow)

    def pop_scope(self, uow: SqliteUnitOfWork) -> None:
        scopes = self._scopes()
        if scopes and scopes[-1] is uow:
            scopes.pop()

    def release_write(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._thread_lock.release()

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
            for number, script in enumerate(self._migrations[version:], start=version + 1):
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(self._migrations)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


class SqliteUnitOfWork:
    """Implements services.ports.UnitOfWork over one SQLite transaction.

    Units of work nest: one opened while another is open on the same thread becomes a SAVEPOINT inside it, so an
    outer scope (an idempotent request) commits its own records and the inner service's change with ONE durable
    commit, and an inner rollback undoes only the inner part.
    """

    def __init__(self, db: Database, *, readonly: bool = False) -> None:
        self._db = db
        self._readonly = readonly
        self._conn = db.connection()
        self._open = False
        self._savepoint: str | None = None
        self.dossiers = repos.SqliteDossiers(self._conn)
        self.citizens = repos.SqliteCitizens(self._conn)
        self.otps = repos.SqliteOtps(self._conn)
        self.sessions = repos.SqliteSessions(self._conn)
        self.idempotency = repos.SqliteIdempotency(self._conn)
        self.counters = repos.SqliteCounters(self._conn)
        self.rate_limits = repos.SqliteRateLimits(self._conn)
        self.outbox = repos.SqliteOutbox(self._conn)
        self.audit = repos.SqliteAudit(self._conn)
        self.officials = SqliteOfficials(self._conn)
        self.enrolments = SqliteEnrolments(self._conn)
        self.passkeys = SqlitePasskeys(self._conn)
        self.challenges = SqliteChallenges(self._conn)
        self.push_subscriptions = SqlitePushSubscriptions(self._conn)
        self.deliveries = SqliteDeliveries(self._conn)
        self.preferences = SqlitePreferences(self._conn)
        self.payments = SqlitePayments(self._conn)
        self.ratings = SqliteRatings(self._conn)
        self.feedback = SqliteFeedback(self._conn)
        self.housekeeping = SqliteHousekeeping(self._conn)
        self.statistics = SqliteStatistics(self._conn)

    def __enter__(self) -> SqliteUnitOfWork:
        outer = self._db.open_scope()
        if outer is not None:
            if outer.readonly and not self._readonly:
                raise RuntimeError("a writing unit of work cannot nest inside a read-only one")
            self._savepoint = f"uow{self._db.scope_depth()}"
            self._conn.execute(f"SAVEPOINT {self._savepoint}")
        elif self._readonly:
            self._conn.execute("BEGIN")
        else:
            # IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
            self._db.acquire_write()
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._db.release_write()
                raise
        self._db.push_scope(self)
        self._open = True
        return self

    @property
    def readonly(self) -> bool:
        return self._readonly

    def _finish(self, *, commit: bool) -> None:
        self._open = False
        self._db.pop_scope(self)
        if self._savepoint is not None:
            if not commit:
                self._conn.execute(f"ROLLBACK TO {self._savepoint}")
            self._conn.execute(f"RELEASE {self._savepoint}")
            return
        try:
            self._conn.execute("COMMIT" if commit else "ROLLBACK")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        finally:
            if not self._readonly:
                self._db.release_write()

    def __exit__(self, *exc: object) -> None:
        if self._open:
            self.rollback()

    def commit(self) -> None:
        if self._readonly:
            raise RuntimeError("read-only unit of work")
        for aggregate in [*self.dossiers.seen(), *self.payments.seen()]:
            for event in aggregate.events:
                self.outbox.add(event.topic, event.payload(), now=aggregate.updated_at)
            aggregate.events.clear()
        self._finish(commit=True)

    def rollback(self) -> None:
        if self._open:
            self._finish(commit=False)


class SqliteUnitOfWorkFactory:
    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, *, readonly: bool = False) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self.db, readonly=readonly)
