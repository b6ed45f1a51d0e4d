"""The pieces every DynamoDB repository uses: configuration, the lazily created client, serialization, and the
buffer of one unit of work's writes that commits as one TransactWriteItems (ADR 0006).

The client comes from :class:`~motcua.adapters.aws_clients.AwsClients`: on the AWS runtime the one the composition
root shares with S3, SQS, SNS, SES and KMS (one boto3 session, whose endpoint and model data load once per cold
start), else one made from ``DynamoConfig``'s region and endpoint."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from motcua.adapters.aws_clients import AwsClients, AwsConfig, error_code
from motcua.adapters.dynamodb_schema import AUDIT, DEFAULT_PREFIX, RECORDS, table_name
from motcua.domain.errors import Conflict

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems
MAX_BATCH_GET_KEYS = 100  # and for one BatchGetItem
MAX_KEY_BYTES = 1024  # a sort key's limit; longer look-up keys (hostile input) cannot exist, so they find nothing

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class DynamoConfig:
    table_prefix: str = DEFAULT_PREFIX
    region: str = "ap-southeast-1"
    endpoint_url: str | None = None  # a local endpoint (moto, DynamoDB Local); None on AWS


def stale_version() -> Conflict:
    return Conflict("stale_version", "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại.",
                    message_en="Someone else updated this dossier first. Reload it.")


def to_attributes(item: dict[str, Any]) -> dict[str, Any]:
    """Python values → DynamoDB attribute values; ``None`` attributes are left out (so ``attribute_not_exists``
    means "not set")."""
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary):
        return bytes(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def from_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in attributes.items()}


def fits(value: str) -> bool:
    return 0 < len(value.encode()) <= MAX_KEY_BYTES


def _key_fits(key: dict[str, Any]) -> bool:
    """DynamoDB refuses empty and oversized key strings; no record has one, so such a look-up finds nothing."""
    return all(fits(v) for v in key.values() if isinstance(v, str))


def _item_key(table: str, key: dict[str, Any]) -> tuple[Any, ...]:
    """An item's identity (its table and key attributes), as the buffer of a unit of work keys its writes."""
    return (table, *sorted(key.items()))


@dataclass
class Write:
    """One buffered write. ``apply`` is the Python twin of an Update expression, used when the same item already
    has a buffered write (one item appears once per transaction, so the two become one)."""

    table: str
    key: dict[str, Any]
    op: str  # "Put" | "Delete" | "Update"
    item: dict[str, Any] | None = None
    update: str | None = None
    condition: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    conflict: Callable[[], Exception] = stale_version
    apply: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    adds: dict[str, int] | None = None  # an ADD-only counter update (see ``counter_update``): two of them merge
    initial: dict[str, Any] | None = None

    def buffer_key(self) -> tuple[Any, ...]:
        return _item_key(self.table, self.key)

    def request(self) -> dict[str, Any]:
        body: dict[str, Any] = {"TableName": self.table}
        if self.op == "Put":
            body["Item"] = to_attributes(self.item or {})
        else:
            body["Key"] = to_attributes(self.key)
        if self.op == "Update":
            body["UpdateExpression"] = self.update
        if self.condition:
            body["ConditionExpression"] = self.condition
        # Only the placeholders the expressions use (a merged write may carry others; DynamoDB refuses unused ones).
        used = set(re.findall(r"[#:]\w+", f"{self.update or ''} {self.condition or ''}"))
        names = {k: v for k, v in self.names.items() if k in used}
        values = {k: _serializer.serialize(v) for k, v in self.values.items() if k in used}
        if names:
            body["ExpressionAttributeNames"] = names
        if values:
            body["ExpressionAttributeValues"] = values
        return {self.op: body}


def counter_update(table: str, key: dict[str, Any], adds: dict[str, int],
                   initial: dict[str, Any] | None = None) -> Write:
    """``ADD`` each of ``adds`` (creating the item at zero), setting ``initial`` attributes if the item is new. Two
    such updates of one item in one unit of work become one whose deltas are summed, so the increment stays an
    atomic ADD on the stored item, never a read-modify-write."""
    initial = dict(initial or {})
    names = {f"#a{n}": name for n, name in enumerate(adds)}
    names.update({f"#s{n}": name for n, name in enumerate(initial)})
    values: dict[str, Any] = {f":a{n}": delta for n, delta in enumerate(adds.values())}
    values.update({f":s{n}": value for n, value in enumerate(initial.values())})
    parts = []
    if initial:
        parts.append("SET " + ", ".join(f"#s{n} = if_not_exists(#s{n}, :s{n})" for n in range(len(initial))))
    parts.append("ADD " + ", ".join(f"#a{n} :a{n}" for n in range(len(adds))))

    def apply(item: dict[str, Any]) -> dict[str, Any]:
        merged = {**initial, **item}
        for name, delta in adds.items():
            merged[name] = int(merged.get(name) or 0) + delta
        return merged

    return Write(table, key, "Update", update=" ".join(parts), names=names, values=values, apply=apply,
                 adds=dict(adds), initial=initial)


class DynamoStore:
    """The client (created on first use), the table names, and the few calls every repository makes."""

    def __init__(self, config: DynamoConfig, clients: AwsClients | None = None) -> None:
        self.config = config
        self.records = table_name(config.table_prefix, RECORDS)
        self.audit = table_name(config.table_prefix, AUDIT)
        self._clients = clients or AwsClients(AwsConfig(region=config.region, endpoint_url=config.endpoint_url))
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._clients.client("dynamodb")  # created once, under AwsClients' lock
        return self._client

    def get(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        if not _key_fits(key):
            return None
        response = self.client.get_item(TableName=table, Key=to_attributes(key), ConsistentRead=True)
        item = response.get("Item")
        return from_attributes(item) if item else None

    def get_many(self, table: str, keys: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """Several items by key, in the order of ``keys`` (BatchGetItem, consistent reads, 100 keys a call): one
        round trip where a loop of ``get`` makes one per item."""
        wanted = list({_item_key(table, k): k for k in keys if _key_fits(k)}.values())  # a batch refuses repeats
        found: dict[tuple[Any, ...], dict[str, Any]] = {}
        for batch in chunks(wanted, MAX_BATCH_GET_KEYS):
            request: dict[str, Any] = {table: {"Keys": [to_attributes(k) for k in batch], "ConsistentRead": True}}
            for attempt in range(8):
                response = self.client.batch_get_item(RequestItems=request)
                for raw in response.get("Responses", {}).get(table, []):
                    item = from_attributes(raw)
                    found[_item_key(table, {name: item[name] for name in batch[0]})] = item
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
                time.sleep(0.02 * 2 ** attempt * (1 + random.random()))  # noqa: S311 - jitter, not secrets
            else:
                raise RuntimeError(f"DynamoDB left keys of {table} unread after 8 attempts")
        return [found.get(_item_key(table, k)) for k in keys]

    def query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item a query returns, page after page (use for bounded lists only)."""
        start = None
        while True:
            if start is not None:
                kwargs["ExclusiveStartKey"] = start
            response = self.client.query(**kwargs)
            for item in response.get("Items", []):
                yield from_attributes(item)
            start = response.get("LastEvaluatedKey")
            if start is None:
                return

    def update(self, **kwargs: Any) -> dict[str, Any] | None:
        """An immediate conditional UpdateItem; None when its condition failed."""
        try:
            response = self.client.update_item(**kwargs)
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return None
            raise
        return from_attributes(response.get("Attributes", {}))

    def transact(self, writes: list[Write], *, attempts: int = 4) -> None:
        """Write ``writes`` atomically; a failed condition raises that write's conflict. A transaction cancelled only
        because another one was touching the same items (``TransactionConflict``: two increments of one counter
        row) had no effect and is sent again: DynamoDB checks every condition afresh."""
        request = [w.request() for w in writes]
        for attempt in range(attempts):
            try:
                self.client.transact_write_items(TransactItems=request)
                return
            except ClientError as exc:
                if error_code(exc) != "TransactionCanceledException":
                    raise
                reasons = exc.response.get("CancellationReasons") or []
                for write, reason in zip(writes, reasons, strict=False):
                    if reason.get("Code") == "ConditionalCheckFailed":
                        raise write.conflict() from exc
                if attempt == attempts - 1:
                    raise stale_version() from exc
                time.sleep(0.02 * 2 ** attempt * (1 + random.random()))  # noqa: S311 - jitter, not secrets


class Transaction:
    """The writes of one outermost unit of work (nested ones share it), and the undo steps of its immediate
    operations (idempotency reservations to release if it rolls back)."""

    def __init__(self, store: DynamoStore) -> None:
        self.store = store
        self.writes: dict[tuple[Any, ...], Write] = {}
        self.undo: list[Callable[[], None]] = []
        self.audit_heads: dict[str, tuple[int, str]] = {}

    def snapshot(self) -> tuple[dict[tuple[Any, ...], Write], int, dict[str, tuple[int, str]]]:
        return dict(self.writes), len(self.undo), dict(self.audit_heads)

    def restore(self, snap: tuple[dict[tuple[Any, ...], Write], int, dict[str, tuple[int, str]]]) -> None:
        writes, undo_len, heads = snap
        self.run_undo(from_index=undo_len)
        self.writes, self.audit_heads = writes, heads

    def run_undo(self, from_index: int = 0) -> None:
        steps, self.undo = self.undo[from_index:], self.undo[:from_index]
        for step in reversed(steps):
            step()

    def add(self, write: Write) -> None:
        key = write.buffer_key()
        old = self.writes.get(key)
        if old is None:
            self.writes[key] = write
            return
        if write.op == "Update" and old.adds is not None and write.adds is not None:
            adds = dict(old.adds)
            for name, delta in write.adds.items():
                adds[name] = adds.get(name, 0) + delta
            self.writes[key] = counter_update(write.table, write.key, adds, {**(old.initial or {}),
                                                                              **(write.initial or {})})
            return
        if write.op == "Update":
            base = self._current(old)
            assert write.apply is not None
            merged = write.apply(dict(base) if base is not None else dict(write.key))
            self.writes[key] = replace(old, op="Put", item=merged, update=None, apply=None,
                                       condition=old.condition, names=old.names, values=old.values)
            return
        if write.op == "Delete" and old.op == "Put" and old.condition == "attribute_not_exists(#pk)":
            del self.writes[key]  # created and deleted in the same unit: nothing to write
            return
        self.writes[key] = replace(write, condition=old.condition, names=old.names, values=old.values,
                                   conflict=old.conflict)

    def _current(self, write: Write) -> dict[str, Any] | None:
        """The item as it will be once ``write`` is applied."""
        if write.op == "Put":
            return dict(write.item or {})
        if write.op == "Delete":
            return None
        stored = self.store.get(write.table, write.key)
        assert write.apply is not None
        return write.apply(stored if stored is not None else dict(write.key))

    def get(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """Read-your-writes: the buffered version of the item if any, else the stored one (consistent read)."""
        buffered = self.buffered(table, key)
        if buffered is None:
            return self.store.get(table, key)
        if buffered.op == "Update":
            stored = self.store.get(table, key)
            if stored is None and buffered.condition:
                return None  # an update that requires the item
            assert buffered.apply is not None
            return buffered.apply(stored if stored is not None else dict(key))  # UpdateItem creates a missing item
        return self._current(buffered)

    def get_many(self, table: str, keys: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """``get`` of each key: the buffered ones as ``get`` sees them, the others in one batch read."""
        stored = iter(self.store.get_many(table, [k for k in keys if self.buffered(table, k) is None]))
        return [next(stored) if self.buffered(table, k) is None else self.get(table, k) for k in keys]

    def buffered(self, table: str, key: dict[str, Any]) -> Write | None:
        return self.writes.get(_item_key(table, key))

    def discard(self, table: str, key: dict[str, Any]) -> None:
        self.writes.pop(_item_key(table, key), None)

    def flush(self) -> None:
        writes = list(self.writes.values())
        self.writes.clear()
        if not writes:
            return
        # Conditional writes (versions, audit sequence, uniqueness) first, so every check is in the first
        # transaction; only a bulk fan-out (hundreds of inbox marks, a purge) ever needs a second one.
        writes.sort(key=lambda w: w.condition is None)
        for start in range(0, len(writes), MAX_TRANSACTION_ITEMS):
            self.store.transact(writes[start:start + MAX_TRANSACTION_ITEMS])


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
