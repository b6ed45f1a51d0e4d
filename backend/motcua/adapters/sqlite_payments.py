"""SQLite repository of payments (the gateway's order id is unique; versions guard concurrent confirmations)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime

from motcua.adapters.serialization import payment_from_dict, payment_to_dict
from motcua.domain.errors import Conflict
from motcua.domain.payments import Payment


def _from_row(row: sqlite3.Row) -> Payment:
    return payment_from_dict(json.loads(row["data"]), version=row["version"])


class SqlitePayments:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._seen: dict[str, Payment] = {}

    def _load(self, row: sqlite3.Row | None) -> Payment | None:
        if row is None:
            return None
        payment = _from_row(row)
        self._seen[payment.id] = payment
        return payment

    def add(self, p: Payment) -> None:
        p.version = 1
        self._conn.execute(
            "INSERT INTO payments (id, txn_ref, dossier_id, citizen_id, status, created_at, updated_at, version, data)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (p.id, p.txn_ref, p.dossier_id, p.citizen_id, p.status.value, p.created_at.isoformat(),
             p.updated_at.isoformat(), p.version, json.dumps(payment_to_dict(p), ensure_ascii=False)))
        self._seen[p.id] = p

    def save(self, p: Payment) -> None:
        expected = p.version
        cursor = self._conn.execute(
            "UPDATE payments SET status = ?, updated_at = ?, version = ?, data = ? WHERE id = ? AND version = ?",
            (p.status.value, p.updated_at.isoformat(), expected + 1, json.dumps(payment_to_dict(p), ensure_ascii=False),
             p.id, expected))
        if cursor.rowcount != 1:
            raise Conflict("stale_version", "Giao dịch vừa được cập nhật.", message_en="The payment changed meanwhile.")
        p.version = expected + 1
        self._seen[p.id] = p

    def get(self, payment_id: str) -> Payment | None:
        return self._load(self._conn.execute("SELECT * FROM payments WHERE id = ?", (payment_id,)).fetchone())

    def get_by_txn_ref(self, txn_ref: str) -> Payment | None:
        return self._load(self._conn.execute("SELECT * FROM payments WHERE txn_ref = ?", (txn_ref,)).fetchone())

    def for_dossier(self, dossier_id: str) -> list[Payment]:
        rows = self._conn.execute("SELECT * FROM payments WHERE dossier_id = ? ORDER BY created_at, id",
                                  (dossier_id,)).fetchall()
        return [p for p in (self._load(r) for r in rows) if p is not None]

    def in_status_created_before(self, status: str, before: datetime, *, limit: int) -> list[Payment]:
        rows = self._conn.execute(
            "SELECT * FROM payments WHERE status = ? AND created_at <= ? ORDER BY created_at LIMIT ?",
            (status, before.isoformat(), limit)).fetchall()
        return [p for p in (self._load(r) for r in rows) if p is not None]

    def seen(self) -> Iterator[Payment]:
        return iter(list(self._seen.values()))
