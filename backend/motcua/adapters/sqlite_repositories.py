"""SQLite implementations of the repository ports. Each class runs on the connection of its unit of work."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from motcua.adapters.audit_chain import GENESIS, entry_hash
from motcua.adapters.rate_windows import seconds_until_reset, window_start
from motcua.adapters.serialization import dossier_from_dict, dossier_to_dict, store_json
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict
from motcua.services.page_tokens import decode_page_token, encode_page_token
from motcua.services.ports import (
    AuditEntry,
    Citizen,
    IdempotencyRecord,
    OtpChallenge,
    OutboxMessage,
    Page,
    Session,
)


class SqliteDossiers:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._seen: dict[str, Dossier] = {}

    def _load(self, row: sqlite3.Row | None) -> Dossier | None:
        if row is None:
            return None
        dossier = dossier_from_dict(json.loads(row["data"]))
        dossier.version = row["version"]
        self._seen[dossier.id] = dossier
        return dossier

    def add(self, dossier: Dossier) -> None:
        dossier.version = 1
        self._conn.execute(
            "INSERT INTO dossiers (id, code, applicant_id, status, receiving_office_id, competent_unit_id, due_at,"
            " created_at, updated_at, version, data, holder_unit_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            self._columns(dossier),
        )
        self._seen[dossier.id] = dossier

    def _columns(self, d: Dossier) -> tuple[Any, ...]:
        return (
            d.id, d.code, d.applicant_id, d.status.value, d.receiving_office_id, d.competent_unit_id,
            d.due_at.isoformat() if d.due_at else None, d.created_at.isoformat(), d.updated_at.isoformat(),
            d.version, store_json(dossier_to_dict(d)), d.holder_unit_id,
        )

    def get(self, dossier_id: str) -> Dossier | None:
        return self._load(self._conn.execute("SELECT * FROM dossiers WHERE id = ?", (dossier_id,)).fetchone())

    def get_by_code(self, code: str) -> Dossier | None:
        return self._load(self._conn.execute("SELECT * FROM dossiers WHERE code = ?", (code,)).fetchone())

    def save(self, dossier: Dossier) -> None:
        expected = dossier.version
        dossier.version = expected + 1
        cols = self._columns(dossier)
        cursor = self._conn.execute(
            "UPDATE dossiers SET code=?, applicant_id=?, status=?, receiving_office_id=?, competent_unit_id=?,"
            " due_at=?, created_at=?, updated_at=?, version=?, data=?, holder_unit_id=? WHERE id=? AND version=?",
            (*cols[1:], dossier.id, expected),
        )
        if cursor.rowcount != 1:
            dossier.version = expected
            raise Conflict(
                "stale_version",
                "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại.",
                message_en="Someone else updated this dossier first. Reload it.",
            )
        self._seen[dossier.id] = dossier

    def delete(self, dossier: Dossier) -> None:
        self._conn.execute("DELETE FROM dossiers WHERE id = ? AND version = ?", (dossier.id, dossier.version))
        self._seen.pop(dossier.id, None)

    def _keyset_page(self, where: list[str], params: list[Any], *, column: str, descending: bool, limit: int,
                     page_token: str | None) -> Page[Dossier]:
        """One page ordered by (column, id), continuing after the token's position (keyset paging: the cost does not
        grow with the page number, as with a DynamoDB query's LastEvaluatedKey)."""
        direction, compare = ("DESC", "<") if descending else ("ASC", ">")
        if page_token:
            after = decode_page_token(page_token)
            where = [*where, f"({column}, id) {compare} (?, ?)"]
            params = [*params, str(after.get("k", "")), str(after.get("i", ""))]
        rows = self._conn.execute(
            f"SELECT * FROM dossiers WHERE {' AND '.join(where)}"  # noqa: S608 - fixed column names
            f" ORDER BY {column} {direction}, id {direction} LIMIT ?", (*params, limit + 1),
        ).fetchall()
        items = [d for d in (self._load(r) for r in rows[:limit]) if d is not None]
        token = None
        if len(rows) > limit:
            token = encode_page_token({"k": rows[limit - 1][column] or "", "i": rows[limit - 1]["id"]})
        return Page(items=items, next_page_token=token)

    def list_by_applicant(self, applicant_id: str, *, limit: int, page_token: str | None) -> Page[Dossier]:
        return self._keyset_page(["applicant_id = ?"], [applicant_id], column="created_at", descending=True,
                                 limit=limit, page_token=page_token)

    def list_worklist(
        self, unit_id: str, *, limit: int, page_token: str | None, status: str | None = None,
        procedure_code: str | None = None, office_id: str | None = None,
    ) -> Page[Dossier]:
        """Dossiers held by a unit, most urgent first (index: holder_unit_id, due_at, id)."""
        where, params = ["holder_unit_id = ?"], [unit_id]
        for clause, value in (("status = ?", status), ("receiving_office_id = ?", office_id),
                              ("json_extract(data, '$.procedure_code') = ?", procedure_code)):
            if value:
                where.append(clause)
                params.append(value)
        return self._keyset_page(where, params, column="due_at", descending=False, limit=limit,
                                 page_token=page_token)

    def in_status_since(self, status: str, before: datetime, *, limit: int, page_token: str | None) -> Page[Dossier]:
        return self._keyset_page(["status = ?", "updated_at <= ?"], [status, before.isoformat()],
                                 column="updated_at", descending=False, limit=limit, page_token=page_token)

    def due_between(self, start: datetime, end: datetime, *, limit: int, page_token: str | None) -> Page[Dossier]:
        return self._keyset_page(["due_at >= ?", "due_at < ?"], [start.isoformat(), end.isoformat()],
                                 column="due_at", descending=False, limit=limit, page_token=page_token)

    def seen(self) -> Iterator[Dossier]:
        return iter(list(self._seen.values()))


class SqliteCitizens:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get_or_create(self, phone: str, *, now: datetime) -> Citizen:
        self._conn.execute(
            "INSERT INTO citizens (id, phone, created_at) VALUES (?,?,?) ON CONFLICT(phone) DO NOTHING",
            (uuid.uuid4().hex, phone, now.isoformat()),
        )
        row = self._conn.execute("SELECT * FROM citizens WHERE phone = ?", (phone,)).fetchone()
        return Citizen(id=row["id"], phone=row["phone"], created_at=datetime.fromisoformat(row["created_at"]))

    def get(self, citizen_id: str) -> Citizen | None:
        row = self._conn.execute("SELECT * FROM citizens WHERE id = ?", (citizen_id,)).fetchone()
        if row is None:
            return None
        return Citizen(id=row["id"], phone=row["phone"], created_at=datetime.fromisoformat(row["created_at"]))


class SqliteOtps:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, phone: str) -> OtpChallenge | None:
        row = self._conn.execute("SELECT * FROM otp_challenges WHERE phone = ?", (phone,)).fetchone()
        if row is None:
            return None
        return OtpChallenge(
            phone=row["phone"], code_hash=row["code_hash"], expires_at=datetime.fromisoformat(row["expires_at"]),
            sent_at=datetime.fromisoformat(row["sent_at"]), attempts=row["attempts"],
            sends_in_window=row["sends_in_window"],
            window_started_at=datetime.fromisoformat(row["window_started_at"]) if row["window_started_at"] else None,
        )

    def put(self, c: OtpChallenge) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO otp_challenges (phone, code_hash, expires_at, sent_at, attempts, sends_in_window,"
            " window_started_at) VALUES (?,?,?,?,?,?,?)",
            (c.phone, c.code_hash, c.expires_at.isoformat(), c.sent_at.isoformat(), c.attempts, c.sends_in_window,
             c.window_started_at.isoformat() if c.window_started_at else None),
        )

    def delete(self, phone: str) -> None:
        self._conn.execute("DELETE FROM otp_challenges WHERE phone = ?", (phone,))


class SqliteSessions:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, s: Session) -> None:
        self._conn.execute(
            "INSERT INTO sessions (token_hash, user_kind, user_id, phone, created_at, expires_at, device)"
            " VALUES (?,?,?,?,?,?,?)",
            (s.token_hash, s.user_kind, s.user_id, s.phone, s.created_at.isoformat(), s.expires_at.isoformat(),
             s.device),
        )

    def get(self, token_hash: str) -> Session | None:
        row = self._conn.execute("SELECT * FROM sessions WHERE token_hash = ?", (token_hash,)).fetchone()
        if row is None:
            return None
        return Session(
            token_hash=row["token_hash"], user_kind=row["user_kind"], user_id=row["user_id"], phone=row["phone"],
            created_at=datetime.fromisoformat(row["created_at"]), expires_at=datetime.fromisoformat(row["expires_at"]),
            device=row["device"],
        )

    def delete(self, token_hash: str) -> None:
        self._conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))


class SqliteIdempotency:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def reserve(self, scope: str, key: str, request_hash: str, *, now: datetime) -> IdempotencyRecord | None:
        cursor = self._conn.execute(
            "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES (?,?,?,?)"
            " ON CONFLICT(scope, key) DO NOTHING",
            (scope, key, request_hash, now.isoformat()),
        )
        if cursor.rowcount == 1:
            return None
        row = self._conn.execute(
            "SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?", (scope, key)
        ).fetchone()
        return IdempotencyRecord(
            scope=scope, key=key, request_hash=row["request_hash"],
            created_at=datetime.fromisoformat(row["created_at"]),
            status_code=row["status_code"], body=row["body"], headers=json.loads(row["headers"] or "{}"),
        )

    def complete(self, scope: str, key: str, *, status_code: int, body: bytes, headers: dict[str, str]) -> None:
        self._conn.execute(
            "UPDATE idempotency_keys SET status_code = ?, body = ?, headers = ? WHERE scope = ? AND key = ?",
            (status_code, body, store_json(headers), scope, key),
        )

    def release(self, scope: str, key: str) -> None:
        self._conn.execute(
            "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status_code IS NULL", (scope, key)
        )


class SqliteCounters:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def increment(self, name: str) -> int:
        row = self._conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1"
            " RETURNING value",
            (name,),
        ).fetchone()
        return int(row[0])


class SqliteRateLimits:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    _window = staticmethod(window_start)
    _retry_after = staticmethod(seconds_until_reset)

    def blocked(self, key: str, *, limit: int, window_seconds: int, now: datetime) -> int:
        window_start = self._window(now, window_seconds)
        row = self._conn.execute("SELECT window_start, hits FROM rate_limits WHERE key = ?", (key,)).fetchone()
        if row is None or row["window_start"] != window_start or row["hits"] < limit:
            return 0
        return self._retry_after(window_start, window_seconds, now)

    def hit(self, key: str, *, limit: int, window_seconds: int, now: datetime) -> int:
        window_start = self._window(now, window_seconds)
        row = self._conn.execute(
            "INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1) ON CONFLICT(key) DO UPDATE SET"
            " hits = CASE WHEN window_start = excluded.window_start THEN hits + 1 ELSE 1 END,"
            " window_start = excluded.window_start RETURNING hits",
            (key, window_start),
        ).fetchone()
        return 0 if int(row[0]) <= limit else self._retry_after(window_start, window_seconds, now)


class SqliteOutbox:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, topic: str, payload: dict[str, Any], *, now: datetime) -> None:
        self._conn.execute(
            "INSERT INTO outbox (id, topic, payload, created_at, available_at) VALUES (?,?,?,?,?)",
            (uuid.uuid4().hex, topic, store_json(payload), now.isoformat(), now.isoformat()),
        )

    def claim(self, *, now: datetime, limit: int, lease_seconds: int) -> list[OutboxMessage]:
        # A claim is a lease: if the worker dies, the message becomes available again when the lease ends.
        rows = self._conn.execute(
            "UPDATE outbox SET available_at = ?, attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox"
            " WHERE done_at IS NULL AND available_at <= ? ORDER BY available_at LIMIT ?) RETURNING *",
            ((now + timedelta(seconds=lease_seconds)).isoformat(), now.isoformat(), limit),
        ).fetchall()
        return [
            OutboxMessage(id=r["id"], topic=r["topic"], payload=json.loads(r["payload"]),
                          created_at=datetime.fromisoformat(r["created_at"]), attempts=r["attempts"])
            for r in rows
        ]

    def mark_done(self, message_id: str, *, now: datetime) -> None:
        self._conn.execute("UPDATE outbox SET done_at = ? WHERE id = ?", (now.isoformat(), message_id))

    def mark_failed(self, message_id: str, *, error: str, retry_at: datetime) -> None:
        # Times are compared as text in SQL: always store them in UTC.
        self._conn.execute(
            "UPDATE outbox SET last_error = ?, available_at = ? WHERE id = ?",
            (error[:2000], retry_at.astimezone(UTC).isoformat(), message_id),
        )


class SqliteAudit:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def append(
        self, subject: str, *, actor: str, action: str, device: str, at: datetime,
        before: dict[str, Any] | None, after: dict[str, Any] | None,
    ) -> AuditEntry:
        last = self._conn.execute(
            "SELECT seq, hash FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT 1", (subject,)
        ).fetchone()
        seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
        digest = entry_hash(subject=subject, seq=seq, at=at, actor=actor, action=action, device=device,
                            before=before, after=after, prev_hash=prev)
        self._conn.execute(
            "INSERT INTO audit_log (subject, seq, at, actor, action, device, before, after, prev_hash, hash)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (subject, seq, at.isoformat(), actor, action, device, store_json(before), store_json(after), prev, digest),
        )
        return AuditEntry(subject=subject, seq=seq, at=at, actor=actor, action=action, device=device,
                          before=before, after=after, prev_hash=prev, hash=digest)

    def subjects(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT DISTINCT subject FROM audit_log ORDER BY subject")]

    def entries(self, subject: str) -> list[AuditEntry]:
        rows = self._conn.execute("SELECT * FROM audit_log WHERE subject = ? ORDER BY seq", (subject,)).fetchall()
        return [
            AuditEntry(subject=r["subject"], seq=r["seq"], at=datetime.fromisoformat(r["at"]), actor=r["actor"],
                       action=r["action"], device=r["device"], before=json.loads(r["before"]),
                       after=json.loads(r["after"]), prev_hash=r["prev_hash"], hash=r["hash"])
            for r in rows
        ]
