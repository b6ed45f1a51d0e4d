"""DynamoDB repositories of the public side: satisfaction ratings and feedback (PAKN). Keys: ADR 0006.

* rating: ``RATING#<dossier id>`` (one per dossier: a conditional put) and ``RATINGID#<id>`` → dossier id;
* feedback: ``FEEDBACK#<id>``; gsi3 ``FBUNIT#<unit>#<status>`` / ``due_at#id`` (the unit's worklist), gsi2
  ``FBANSWERED`` / ``answered_at#id`` (the public list, newest first), gsi1 ``FBCITIZEN#<citizen>`` /
  ``created_at#id`` (a citizen's own, newest first).
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from motcua.adapters.aws_clients import error_code
from motcua.adapters.dynamodb_core import to_attributes
from motcua.adapters.dynamodb_repositories import NOT_EXISTS, ONE, PK_NAME, _Repo
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
from motcua.services.ports import Page


def _feedback_key(feedback_id: str) -> dict[str, str]:
    return {"pk": f"FEEDBACK#{feedback_id}", "sk": ONE}


def _stale_feedback() -> Conflict:
    return Conflict("stale_version", "Phản ánh vừa được người khác cập nhật. Vui lòng tải lại.",
                    message_en="Someone else updated this feedback first. Reload it.")


class DynamoRatings(_Repo):
    def add(self, rating: Rating) -> bool:
        """At once (a conditional put), so of two kiosks racing on one dossier exactly one is told True; a unit of
        work that then rolls back takes its rating away again (as SQLite's rollback does)."""
        self._uow.ensure_writable()
        if self._get(f"RATING#{rating.dossier_id}") is not None:
            return False
        keys = [{"pk": f"RATING#{rating.dossier_id}", "sk": ONE}, {"pk": f"RATINGID#{rating.id}", "sk": ONE}]
        items = [{**keys[0], "id": rating.id, "data": store_json(rating_to_dict(rating))},
                 {**keys[1], "dossier_id": rating.dossier_id}]
        try:
            self._client.transact_write_items(TransactItems=[
                {"Put": {"TableName": self._records, "Item": to_attributes(item), "ConditionExpression": NOT_EXISTS,
                         "ExpressionAttributeNames": PK_NAME}} for item in items])
        except ClientError as exc:
            if error_code(exc) == "TransactionCanceledException":
                return False
            raise

        def take_back() -> None:
            self._client.transact_write_items(TransactItems=[
                {"Delete": {"TableName": self._records, "Key": to_attributes(key)}} for key in keys])

        self._uow.tx.undo.append(take_back)
        return True

    def get(self, rating_id: str) -> Rating | None:
        pointer = self._get(f"RATINGID#{rating_id}")
        return self.for_dossier(pointer["dossier_id"]) if pointer else None

    def for_dossier(self, dossier_id: str) -> Rating | None:
        item = self._get(f"RATING#{dossier_id}")
        return rating_from_dict(json.loads(item["data"])) if item else None


class DynamoFeedback(_Repo):
    @staticmethod
    def _item(f: Feedback) -> dict[str, Any]:
        item: dict[str, Any] = {
            **_feedback_key(f.id), "id": f.id, "version": f.version, "data": store_json(feedback_to_dict(f)),
            "gsi1pk": f"FBCITIZEN#{f.citizen_id}", "gsi1sk": f"{f.created_at.isoformat()}#{f.id}",
            "gsi3pk": f"FBUNIT#{f.unit_id}#{f.status}", "gsi3sk": f"{f.due_at.isoformat()}#{f.id}"}
        if f.answered_at is not None:
            item.update({"gsi2pk": "FBANSWERED", "gsi2sk": f"{f.answered_at.isoformat()}#{f.id}"})
        return item

    @staticmethod
    def _load(item: dict[str, Any] | None) -> Feedback | None:
        return feedback_from_dict(json.loads(item["data"]), int(item["version"])) if item else None

    def add(self, feedback: Feedback) -> None:
        feedback.version = 1
        self._put(self._item(feedback), condition=NOT_EXISTS, conflict=_stale_feedback)

    def get(self, feedback_id: str) -> Feedback | None:
        return self._load(self._uow.get(self._records, _feedback_key(feedback_id)))

    def save(self, feedback: Feedback) -> None:
        expected = feedback.version
        stored = self._uow.get(self._records, _feedback_key(feedback.id))
        if stored is None or int(stored["version"]) != expected:
            raise _stale_feedback()
        feedback.version = expected + 1
        self._put(self._item(feedback), condition="#v = :v", names={"#v": "version"}, values={":v": expected},
                  conflict=_stale_feedback)

    def _list(self, index: str, partition: str, *, forward: bool, limit: int, page_token: str | None
              ) -> Page[Feedback]:
        items, token = self._page(index, [partition], key_of=_feedback_key, forward=forward,
                                  limit=limit, page_token=page_token)
        return Page(items=[f for f in (self._load(i) for i in items) if f is not None], next_page_token=token)

    def worklist(self, unit_id: str, status: str, *, limit: int, page_token: str | None) -> Page[Feedback]:
        return self._list("gsi3", f"FBUNIT#{unit_id}#{status}", forward=True, limit=limit, page_token=page_token)

    def answered(self, *, limit: int, page_token: str | None) -> Page[Feedback]:
        return self._list("gsi2", "FBANSWERED", forward=False, limit=limit, page_token=page_token)

    def by_citizen(self, citizen_id: str, *, limit: int, page_token: str | None) -> Page[Feedback]:
        return self._list("gsi1", f"FBCITIZEN#{citizen_id}", forward=False, limit=limit, page_token=page_token)
