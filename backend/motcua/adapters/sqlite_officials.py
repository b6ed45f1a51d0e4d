"""SQLite repositories for officials, their enrolment links, passkeys and WebAuthn challenges."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from motcua.adapters.serialization import official_from_json, official_to_json
from motcua.domain.officials import Official, Role
from motcua.services.passkeys import PasskeyCredential, PendingChallenge


def _official(row: sqlite3.Row) -> Official:
    return official_from_json(row["data"])


class SqliteOfficials:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def put(self, official: Official) -> None:
        self._conn.execute("INSERT OR REPLACE INTO officials (id, data) VALUES (?, ?)",
                           (official.id, official_to_json(official)))
        self._conn.execute("DELETE FROM official_memberships WHERE official_id = ?", (official.id,))
        self._conn.executemany(
            "INSERT INTO official_memberships (unit_id, role, official_id) VALUES (?,?,?)",
            [(m.unit_id, m.role.value, official.id) for m in official.memberships])

    def get(self, official_id: str) -> Official | None:
        row = self._conn.execute("SELECT * FROM officials WHERE id = ?", (official_id,)).fetchone()
        return _official(row) if row else None

    def in_unit(self, unit_id: str, role: Role) -> list[Official]:
        rows = self._conn.execute(
            "SELECT o.* FROM official_memberships m JOIN officials o ON o.id = m.official_id"
            " WHERE m.unit_id = ? AND m.role = ? ORDER BY o.id", (unit_id, role.value)).fetchall()
        return [_official(r) for r in rows]

    def all(self) -> list[Official]:
        return [_official(r) for r in self._conn.execute("SELECT * FROM officials ORDER BY id").fetchall()]


class SqliteEnrolments:
    """Single-use enrolment links: only the token's hash is stored."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, token_hash: str, official_id: str, *, now: datetime, expires_at: datetime) -> None:
        self._conn.execute(
            "INSERT INTO enrolments (token_hash, official_id, created_at, expires_at) VALUES (?,?,?,?)",
            (token_hash, official_id, now.isoformat(), expires_at.isoformat()))

    def peek(self, token_hash: str, *, now: datetime) -> str | None:
        row = self._conn.execute(
            "SELECT official_id FROM enrolments WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
            (token_hash, now.isoformat())).fetchone()
        return row["official_id"] if row else None

    def use(self, token_hash: str, *, now: datetime) -> str | None:
        row = self._conn.execute(
            "UPDATE enrolments SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"
            " RETURNING official_id", (now.isoformat(), token_hash, now.isoformat())).fetchone()
        return row["official_id"] if row else None


class SqlitePasskeys:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @staticmethod
    def _credential(r: sqlite3.Row) -> PasskeyCredential:
        return PasskeyCredential(
            credential_id=bytes(r["credential_id"]), official_id=r["official_id"], public_key=bytes(r["public_key"]),
            sign_count=r["sign_count"], transports=tuple(json.loads(r["transports"])),
            created_at=datetime.fromisoformat(r["created_at"]),
            last_used_at=datetime.fromisoformat(r["last_used_at"]) if r["last_used_at"] else None,
            device_label=r["device_label"])

    def add(self, c: PasskeyCredential) -> None:
        self._conn.execute(
            "INSERT INTO passkeys (credential_id, official_id, public_key, sign_count, transports, created_at,"
            " last_used_at, device_label) VALUES (?,?,?,?,?,?,?,?)",
            (c.credential_id, c.official_id, c.public_key, c.sign_count, json.dumps(list(c.transports)),
             c.created_at.isoformat(), c.last_used_at.isoformat() if c.last_used_at else None, c.device_label))

    def get(self, credential_id: bytes) -> PasskeyCredential | None:
        row = self._conn.execute("SELECT * FROM passkeys WHERE credential_id = ?", (credential_id,)).fetchone()
        return self._credential(row) if row else None

    def for_official(self, official_id: str) -> list[PasskeyCredential]:
        rows = self._conn.execute("SELECT * FROM passkeys WHERE official_id = ?", (official_id,)).fetchall()
        return [self._credential(r) for r in rows]

    def record_use(self, credential_id: bytes, *, sign_count: int, used_at: datetime) -> None:
        self._conn.execute("UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE credential_id = ?",
                           (sign_count, used_at.isoformat(), credential_id))


class SqliteChallenges:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def put(self, p: PendingChallenge) -> None:
        self._conn.execute(
            "INSERT INTO webauthn_challenges (id, challenge, purpose, official_id, binding, expires_at)"
            " VALUES (?,?,?,?,?,?)", (p.id, p.challenge, p.purpose, p.official_id, p.binding, p.expires_at.isoformat()))

    def take(self, challenge_id: str) -> PendingChallenge | None:
        # DELETE … RETURNING: single use even when two requests race with the same challenge.
        row = self._conn.execute("DELETE FROM webauthn_challenges WHERE id = ? RETURNING *", (challenge_id,)).fetchone()
        if row is None:
            return None
        return PendingChallenge(id=row["id"], challenge=bytes(row["challenge"]), purpose=row["purpose"],
                                official_id=row["official_id"], binding=row["binding"],
                                expires_at=datetime.fromisoformat(row["expires_at"]))
