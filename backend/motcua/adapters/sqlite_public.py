"""SQLite repositories of the public side: satisfaction ratings and feedback (PAKN).

Each list is one index read in keyset order (the DynamoDB adapter serves the same patterns with a key or a GSI).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from motcua.adapters.serialization import (
    feedback_from_dict,
    feedback_to_dict,
    rating_from_dict,
    rating_to_dict,
    store_json,
)
from motcua.domain.errors import Conflict
from motcua.domain.feedback import Feedback
from motcua.domain.ratings import Rating
from motcua.services.page_tokens import decode_page_token, encode_page_token
from motcua.services.ports import Page


class SqliteRatings:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, rating: Rating) -> bool:
        cursor = self._conn.execute(
            "INSERT INTO ratings (id, dossier_id, unit_id, created_at, data) VALUES (?,?,?,?,?)"
            " ON CONFLICT(dossier_id) DO NOTHING",
            (rating.id, rating.dossier_id, rating.unit_id, rating.created_at.isoformat(),
             store_json(rating_to_dict(rating))))
        return cursor.rowcount == 1

    def _one(self, where: str, value: str) -> Rating | None:
        row = self._conn.execute(f"SELECT data FROM ratings WHERE {where} = ?", (value,)).fetchone()  # noqa: S608
        return rating_from_dict(json.loads(row["data"])) if row else None

    def get(self, rating_id: str) -> Rating | None:
        return self._one("id", rating_id)

    def for_dossier(self, dossier_id: str) -> Rating | None:
        return self._one("dossier_id", dossier_id)


class SqliteFeedback:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @staticmethod
    def _columns(f: Feedback) -> tuple[Any, ...]:
        answered_at = f.answered_at.isoformat() if f.answered_at else None
        return (f.unit_id, f.status, f.due_at.isoformat(), answered_at, f.citizen_id, f.created_at.isoformat(),
                f.version, store_json(feedback_to_dict(f)))

    def add(self, feedback: Feedback) -> None:
        feedback.version = 1
        self._conn.execute(
            "INSERT INTO feedback (unit_id, status, due_at, answered_at, citizen_id, created_at, version, data, id)"
            " VALUES (?,?,?,?,?,?,?,?,?)", (*self._columns(feedback), feedback.id))

    def get(self, feedback_id: str) -> Feedback | None:
        row = self._conn.execute("SELECT data, version FROM feedback WHERE id = ?", (feedback_id,)).fetchone()
        return feedback_from_dict(json.loads(row["data"]), row["version"]) if row else None

    def save(self, feedback: Feedback) -> None:
        expected = feedback.version
        feedback.version = expected + 1
        cursor = self._conn.execute(
            "UPDATE feedback SET unit_id=?, status=?, due_at=?, answered_at=?, citizen_id=?, created_at=?, version=?,"
            " data=? WHERE id=? AND version=?", (*self._columns(feedback), feedback.id, expected))
        if cursor.rowcount != 1:
            feedback.version = expected
            raise Conflict("stale_version", "Phản ánh vừa được người khác cập nhật. Vui lòng tải lại.",
                           message_en="Someone else updated this feedback first. Reload it.")

    def _page(self, where: str, params: list[Any], *, column: str, descending: bool, limit: int,
              page_token: str | None) -> Page[Feedback]:
        direction, compare = ("DESC", "<") if descending else ("ASC", ">")
        if page_token:
            after = decode_page_token(page_token)
            where += f" AND ({column}, id) {compare} (?, ?)"
            params = [*params, str(after.get("k", "")), str(after.get("i", ""))]
        rows = self._conn.execute(
            f"SELECT id, data, version, {column} AS k FROM feedback WHERE {where}"  # noqa: S608 - fixed columns
            f" ORDER BY {column} {direction}, id {direction} LIMIT ?", (*params, limit + 1)).fetchall()
        items = [feedback_from_dict(json.loads(r["data"]), r["version"]) for r in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        token = encode_page_token({"k": last["k"], "i": last["id"]}) if last is not None else None
        return Page(items=items, next_page_token=token)

    def worklist(self, unit_id: str, status: str, *, limit: int, page_token: str | None) -> Page[Feedback]:
        return self._page("unit_id = ? AND status = ?", [unit_id, status], column="due_at", descending=False,
                          limit=limit, page_token=page_token)

    def answered(self, *, limit: int, page_token: str | None) -> Page[Feedback]:
        return self._page("answered_at IS NOT NULL", [], column="answered_at", descending=True, limit=limit,
                          page_token=page_token)

    def by_citizen(self, citizen_id: str, *, limit: int, page_token: str | None) -> Page[Feedback]:
        return self._page("citizen_id = ?", [citizen_id], column="created_at", descending=True, limit=limit,
                          page_token=page_token)
