"""SQLite repositories for push subscriptions, delivery records (also the in-app inbox) and preferences."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from datetime import datetime

from motcua.services.notification_ports import Delivery, Preferences, StoredSubscription


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SqlitePushSubscriptions:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def upsert(self, s: StoredSubscription) -> StoredSubscription:
        # One row per endpoint: a browser that re-subscribes (or changes hands) replaces the old owner.
        self._conn.execute(
            "INSERT INTO push_subscriptions (id, user_kind, user_id, endpoint, p256dh, auth, created_at, user_agent)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(endpoint) DO UPDATE SET user_kind = excluded.user_kind,"
            " user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth",
            (s.id, s.user_kind, s.user_id, s.endpoint, s.p256dh, s.auth, s.created_at.isoformat(), s.user_agent))
        row = self._conn.execute("SELECT * FROM push_subscriptions WHERE endpoint = ?", (s.endpoint,)).fetchone()
        return self._row(row)

    @staticmethod
    def _row(r: sqlite3.Row) -> StoredSubscription:
        return StoredSubscription(id=r["id"], user_kind=r["user_kind"], user_id=r["user_id"], endpoint=r["endpoint"],
                                  p256dh=r["p256dh"], auth=r["auth"], user_agent=r["user_agent"],
                                  created_at=datetime.fromisoformat(r["created_at"]))

    def for_user(self, user_kind: str, user_id: str) -> list[StoredSubscription]:
        rows = self._conn.execute("SELECT * FROM push_subscriptions WHERE user_kind = ? AND user_id = ?",
                                  (user_kind, user_id)).fetchall()
        return [self._row(r) for r in rows]

    def delete(self, subscription_id: str) -> None:
        self._conn.execute("DELETE FROM push_subscriptions WHERE id = ?", (subscription_id,))

    def delete_for(self, user_kind: str, user_id: str, endpoint: str) -> bool:
        cursor = self._conn.execute(
            "DELETE FROM push_subscriptions WHERE user_kind = ? AND user_id = ? AND endpoint = ?",
            (user_kind, user_id, endpoint))
        return cursor.rowcount > 0


_DELIVERY_COLUMNS = [f.name for f in fields(Delivery)]


class SqliteDeliveries:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @staticmethod
    def _row(r: sqlite3.Row) -> Delivery:
        values = dict(r)
        for name in ("event_at", "created_at", "sent_at", "read_at"):
            values[name] = _dt(values[name])
        return Delivery(**values)

    def get(self, delivery_id: str) -> Delivery | None:
        row = self._conn.execute("SELECT * FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
        return self._row(row) if row else None

    def put(self, d: Delivery) -> None:
        values = [getattr(d, name) for name in _DELIVERY_COLUMNS]
        values = [v.isoformat() if isinstance(v, datetime) else v for v in values]
        self._conn.execute(
            f"INSERT OR REPLACE INTO deliveries ({', '.join(_DELIVERY_COLUMNS)})"  # noqa: S608 - fixed names
            f" VALUES ({', '.join('?' for _ in _DELIVERY_COLUMNS)})", values)

    def inbox(self, user_kind: str, user_id: str, *, limit: int) -> list[Delivery]:
        rows = self._conn.execute(
            "SELECT * FROM deliveries WHERE channel = 'inbox' AND user_kind = ? AND user_id = ?"
            " ORDER BY created_at DESC, rowid DESC LIMIT ?", (user_kind, user_id, limit)).fetchall()
        return [self._row(r) for r in rows]

    def mark_read(self, user_kind: str, user_id: str, ids: list[str], *, at: datetime) -> None:
        self._conn.executemany(
            "UPDATE deliveries SET read_at = ? WHERE id = ? AND user_kind = ? AND user_id = ? AND channel = 'inbox'"
            " AND read_at IS NULL", [(at.isoformat(), i, user_kind, user_id) for i in ids])

    def for_dossier(self, dossier_id: str) -> list[Delivery]:
        rows = self._conn.execute("SELECT * FROM deliveries WHERE dossier_id = ? ORDER BY created_at, id",
                                  (dossier_id,)).fetchall()
        return [self._row(r) for r in rows]

    def since(self, start: datetime) -> list[Delivery]:
        rows = self._conn.execute("SELECT * FROM deliveries WHERE created_at >= ?", (start.isoformat(),)).fetchall()
        return [self._row(r) for r in rows]


class SqlitePreferences:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, user_kind: str, user_id: str) -> Preferences:
        row = self._conn.execute("SELECT data FROM preferences WHERE user_kind = ? AND user_id = ?",
                                 (user_kind, user_id)).fetchone()
        return Preferences.from_dict(json.loads(row["data"])) if row else Preferences()

    def put(self, user_kind: str, user_id: str, prefs: Preferences) -> None:
        self._conn.execute("INSERT OR REPLACE INTO preferences (user_kind, user_id, data) VALUES (?,?,?)",
                           (user_kind, user_id, json.dumps(prefs.to_dict())))
