"""DynamoDB statistics counters (the port in services/ports.py; the figures in domain/statistics.py).

One item per counter key: ``STAT#<unit>#<field>#<procedure>`` / ``<month>``, one number attribute per metric, added
to with ``ADD`` (two adds to one key in a unit of work are summed into one ADD, never read-modify-write). Each
counted outbox message leaves ``STATDONE#<message id>`` (a conditional put in the same transaction), so a redelivery
counts nothing. The version that invalidates cached answers is the counter ``COUNTER#statistics.version``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from motcua.adapters.dynamodb_core import counter_update, from_attributes, to_attributes
from motcua.adapters.dynamodb_repositories import NOT_EXISTS, _Repo
from motcua.domain.errors import Conflict
from motcua.domain.statistics import METRICS, StatKey

_KNOWN = frozenset(METRICS)
_VERSION = "COUNTER#statistics.version"


def _counted_twice() -> Conflict:
    return Conflict("already_counted", "Sự kiện đã được thống kê.", message_en="This event was already counted.")


def _partition(unit_id: str, field: str, procedure_code: str) -> str:
    return f"STAT#{unit_id}#{field}#{procedure_code}"


class DynamoStatistics(_Repo):
    def mark_processed(self, message_id: str, *, at: datetime) -> bool:
        """False if counted before; a racing redelivery fails the commit of one of the two (nothing counted twice)."""
        pk = f"STATDONE#{message_id}"
        if self._get(pk) is not None:
            return False
        self._put({"pk": pk, "processed_at": at.isoformat()}, condition=NOT_EXISTS, conflict=_counted_twice)
        return True

    def add(self, key: StatKey, deltas: Mapping[str, int]) -> None:
        adds = {name: int(delta) for name, delta in deltas.items() if delta}
        if not adds:
            return
        unknown = set(adds) - _KNOWN
        if unknown:
            raise ValueError(f"unknown statistics metric(s): {sorted(unknown)}")
        self._uow.write(counter_update(
            self._records, {"pk": _partition(key.unit_id, key.field, key.procedure_code), "sk": key.month}, adds,
            {"unit_id": key.unit_id, "field": key.field, "procedure_code": key.procedure_code, "month": key.month,
             "kind": "stat"}))

    def read(self, *, units: Sequence[str], fields: Sequence[str], procedure_code: str, month_from: str,
             month_to: str) -> list[tuple[StatKey, tuple[int, ...]]]:
        rows = []
        for unit_id in units:
            for field in fields:
                partition = _partition(unit_id, field, procedure_code)
                for item in self._uow.store.query(
                        TableName=self._records, ConsistentRead=True,
                        KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                        ExpressionAttributeValues=to_attributes({":p": partition, ":a": month_from, ":b": month_to})):
                    item = self._as_buffered(item)
                    rows.append((StatKey(unit_id, field, procedure_code, item["sk"]),
                                 tuple(int(item.get(m) or 0) for m in METRICS)))
        return rows

    def reset(self, metrics: Sequence[str]) -> None:
        """Zero these metrics on every row: a scan for counter rows (the operator's recount, run rarely)."""
        unknown = set(metrics) - _KNOWN
        if unknown:
            raise ValueError(f"unknown statistics metric(s): {sorted(unknown)}")
        rows = {(w.key["pk"], w.key["sk"]): None for w in self._uow.tx.writes.values()  # rows added in this unit
                if w.table == self._records and str(w.key.get("pk", "")).startswith("STAT#")}
        kwargs: dict[str, Any] = {"TableName": self._records, "FilterExpression": "kind = :k",
                                  "ExpressionAttributeValues": to_attributes({":k": "stat"}), "ConsistentRead": True}
        scanned: dict[tuple[str, str], dict[str, Any]] = {}
        while True:
            response = self._client.scan(**kwargs)
            scanned.update(((i["pk"], i["sk"]), i) for i in map(from_attributes, response.get("Items", [])))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        for pk, sk in sorted({**rows, **scanned}):
            key = {"pk": pk, "sk": sk}
            buffered = self._uow.tx.buffered(self._records, key) is not None
            current = self._uow.get(self._records, key) if buffered else scanned[(pk, sk)]
            if current is not None:
                self._put({**current, **{m: 0 for m in metrics}})

    def _as_buffered(self, item: dict[str, Any]) -> dict[str, Any]:
        """A row a query returned, as this unit of work sees it: read again (its buffered write applied) only when
        the unit wrote it, so a report costs its queries and not one GetItem per row as well."""
        key = {"pk": item["pk"], "sk": item["sk"]}
        if self._uow.tx.buffered(self._records, key) is None:
            return item
        return self._uow.get(self._records, key) or item

    def touch(self) -> None:
        self._uow.write(counter_update(self._records, {"pk": _VERSION, "sk": "A"}, {"value": 1}))

    def version(self) -> int:
        item = self._get(_VERSION)
        return int(item["value"]) if item else 0
