"""DynamoDB implementations of the repository ports (keys and indexes: ADR 0006, tables: ``dynamodb_schema``).

Each repository works through its unit of work: ``uow.get`` reads (buffer first, then a consistent read) and
``uow.write`` buffers a write for the commit's transaction. Methods that must act at once say so.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from motcua.adapters.audit_chain import GENESIS, entry_hash
from motcua.adapters.aws_clients import error_code
from motcua.adapters.dynamodb_core import Write, fits, from_attributes, stale_version, to_attributes
from motcua.adapters.rate_windows import seconds_until_reset, window_start
from motcua.adapters.serialization import (
    dossier_from_dict,
    dossier_to_dict,
    official_from_json,
    official_to_json,
    payment_from_dict,
    payment_to_dict,
    store_json,
)
from motcua.adapters.sqlite_housekeeping import RULES
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict, InvalidInput
from motcua.domain.officials import Official, Role
from motcua.domain.payments import Payment
from motcua.services.notification_ports import Delivery, Preferences, StoredSubscription
from motcua.services.page_tokens import decode_page_token, encode_page_token
from motcua.services.passkeys import PasskeyCredential, PendingChallenge
from motcua.services.ports import (
    AuditEntry,
    Citizen,
    IdempotencyRecord,
    OtpChallenge,
    OutboxMessage,
    Page,
    Session,
)

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

    from motcua.adapters.dynamodb_store import DynamoUnitOfWork
else:
    from botocore.exceptions import ClientError

ONE = "A"  # the sort key of single-item records
NOT_EXISTS = "attribute_not_exists(#pk)"
PK_NAME = {"#pk": "pk"}
KEEP = {table: keep for table, _, keep in RULES}  # how long after its time a record is still useful (as SQLite)
OUTBOX_QUEUE = "OUTBOX"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _dt(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _short(value: str) -> str:
    """A key part from outside (an idempotency scope, a rate-limit key) that may be long: long ones are hashed, so a
    key never exceeds DynamoDB's limits whatever the input."""
    return value if len(value.encode()) <= 400 else "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _bad_token() -> InvalidInput:
    return InvalidInput("invalid_page_token", "Mã trang không hợp lệ.", message_en="Invalid page token.")


def _expiring(table: str, at: datetime, pk: str) -> dict[str, Any]:
    """Attributes of a record that housekeeping removes ``KEEP[table]`` after ``at`` (TTL does the same on AWS)."""
    purge_at = at + KEEP[table]
    return {"purge_at": _utc(purge_at), "expires_ttl": int(purge_at.timestamp()) + 1,
            "gsi4pk": f"EXPIRY#{table}", "gsi4sk": f"{_utc(purge_at)}#{pk}"}


class _Repo:
    def __init__(self, uow: DynamoUnitOfWork) -> None:
        self._uow = uow

    @property
    def _records(self) -> str:
        return self._uow.store.records

    @property
    def _client(self) -> Any:
        return self._uow.store.client

    def _get(self, pk: str, sk: str = ONE) -> dict[str, Any] | None:
        return self._uow.get(self._records, {"pk": pk, "sk": sk})

    def _put(self, item: dict[str, Any], *, condition: str | None = None, names: dict[str, str] | None = None,
             values: dict[str, Any] | None = None, conflict: Callable[[], Exception] = stale_version) -> None:
        item.setdefault("sk", ONE)
        self._uow.write(Write(self._records, {"pk": item["pk"], "sk": item["sk"]}, "Put", item=item,
                              condition=condition, names=names or (PK_NAME if condition else {}),
                              values=values or {}, conflict=conflict))

    def _delete(self, pk: str, sk: str = ONE) -> None:
        self._uow.write(Write(self._records, {"pk": pk, "sk": sk}, "Delete"))

    def _update(self, pk: str, expression: str, apply: Callable[[dict[str, Any]], dict[str, Any]], *,
                names: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> None:
        self._uow.write(Write(self._records, {"pk": pk, "sk": ONE}, "Update", update=expression,
                              names=names or {}, values=values or {}, apply=apply))

    def _query(self, index: str | None, partition: str, *, below: str | None = None, at_least: str | None = None,
               forward: bool = True, limit: int | None = None) -> list[dict[str, Any]]:
        """A bounded list from one partition of the table (consistent) or of an index."""
        if not fits(partition):
            return []  # no record has such a key
        pk, sk = (f"{index}pk", f"{index}sk") if index else ("pk", "sk")
        condition, values = "#p = :p", {":p": {"S": partition}}
        if below is not None:
            condition, values[":s"] = condition + " AND #s < :s", {"S": below}
        elif at_least is not None:
            condition, values[":s"] = condition + " AND #s >= :s", {"S": at_least}
        names = {"#p": pk, **({"#s": sk} if len(values) > 1 else {})}
        kwargs: dict[str, Any] = {"TableName": self._records, "KeyConditionExpression": condition,
                                  "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
                                  "ScanIndexForward": forward}
        if index:
            kwargs["IndexName"] = index
        else:
            kwargs["ConsistentRead"] = True
        if limit is not None:
            kwargs["Limit"] = limit
        items = []
        for item in self._uow.store.query(**kwargs):
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
        return items

    def _page(self, index: str, partitions: list[str], *, key_of: Callable[[str], dict[str, str]], forward: bool,
              limit: int, page_token: str | None, between: tuple[str, str] | None = None,
              below: str | None = None,
              accept: Callable[[dict[str, Any]], bool] | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """One keyset page over ``partitions`` in order. The token names the last item (sort key, id and, across
        several partitions, which one); the caller's partitions bound where a token may point."""
        if limit < 1:
            raise InvalidInput("invalid_limit", "Số mục mỗi trang không hợp lệ.", message_en="Invalid page size.")
        if not all(fits(p) for p in partitions):
            return [], None  # no record has such a key
        first, start_key = 0, None
        if page_token:
            after = decode_page_token(page_token)
            sort, ident, part = after.get("k"), after.get("i"), after.get("p", partitions[0])
            if not (isinstance(sort, str) and isinstance(ident, str) and isinstance(part, str)) \
                    or part not in partitions or not 0 < len(ident) <= 200 or len(sort.encode()) > 1024:
                raise _bad_token()
            first = partitions.index(part)
            start_key = to_attributes({**key_of(ident), f"{index}pk": part, f"{index}sk": sort})
        names = {"#p": f"{index}pk", "#s": f"{index}sk"}
        condition, values = "#p = :p", {}
        if between is not None:
            condition += " AND #s BETWEEN :lo AND :hi"
            values = {":lo": {"S": between[0]}, ":hi": {"S": between[1]}}
        elif below is not None:
            condition += " AND #s < :hi"
            values = {":hi": {"S": below}}
        else:
            names.pop("#s")
        found: list[tuple[str, dict[str, Any]]] = []
        for part in partitions[first:]:
            exclusive = start_key if part == partitions[first] else None
            while len(found) <= limit:
                kwargs: dict[str, Any] = {
                    "TableName": self._records, "IndexName": index, "KeyConditionExpression": condition,
                    "ExpressionAttributeNames": names, "ExpressionAttributeValues": {":p": {"S": part}, **values},
                    "ScanIndexForward": forward, "Limit": max(limit + 1 - len(found), 25 if accept else 1)}
                if exclusive is not None:
                    kwargs["ExclusiveStartKey"] = exclusive
                try:
                    response = self._client.query(**kwargs)
                except ClientError as exc:
                    if page_token and error_code(exc) == "ValidationException":
                        raise _bad_token() from exc
                    raise
                for raw in response.get("Items", []):
                    item = from_attributes(raw)
                    if accept is None or accept(item):
                        found.append((part, item))
                        if len(found) > limit:
                            break
                exclusive = response.get("LastEvaluatedKey")
                if exclusive is None:
                    break
            if len(found) > limit:
                break
        token = None
        if len(found) > limit:
            part, last = found[limit - 1]
            position = {"k": last[f"{index}sk"], "i": last["id"]}
            if len(partitions) > 1:
                position["p"] = part
            token = encode_page_token(position)
        return [item for _, item in found[:limit]], token


# ------------------------------------------------------------------------------------------------- dossiers


def _dossier_key(dossier_id: str) -> dict[str, str]:
    return {"pk": f"DOSSIER#{dossier_id}", "sk": ONE}


class DynamoDossiers(_Repo):
    def __init__(self, uow: DynamoUnitOfWork) -> None:
        super().__init__(uow)
        self._seen: dict[str, Dossier] = {}
        self._codes: dict[str, str | None] = {}  # the code each seen dossier has in the store

    def _load(self, item: dict[str, Any] | None) -> Dossier | None:
        if item is None or "data" not in item:
            return None
        dossier = dossier_from_dict(json.loads(item["data"]))
        dossier.version = int(item["version"])
        self._seen[dossier.id] = dossier
        self._codes[dossier.id] = item.get("code")
        return dossier

    @staticmethod
    def _item(d: Dossier) -> dict[str, Any]:
        due = _utc(d.due_at) if d.due_at else None
        item: dict[str, Any] = {
            **_dossier_key(d.id), "id": d.id, "version": d.version, "data": store_json(dossier_to_dict(d)),
            "code": d.code, "status": d.status.value, "applicant_id": d.applicant_id,
            "procedure_code": d.procedure_code, "receiving_office_id": d.receiving_office_id,
            "holder_unit_id": d.holder_unit_id, "created_at": d.created_at.isoformat(),
            "updated_at": d.updated_at.isoformat(), "due_at": due,
            "gsi1pk": f"APPLICANT#{d.applicant_id}", "gsi1sk": f"{d.created_at.isoformat()}#{d.id}",
            "gsi2pk": f"DSTATUS#{d.status.value}", "gsi2sk": f"{d.updated_at.isoformat()}#{d.id}",
        }
        if d.holder_unit_id:
            item["gsi3pk"], item["gsi3sk"] = f"HOLDER#{d.holder_unit_id}", f"{due or ''}#{d.id}"
        if due:
            item["gsi4pk"], item["gsi4sk"] = f"DUE#{due[:4]}", f"{due}#{d.id}"  # one partition per (UTC) year
        return item

    def _write_code(self, d: Dossier, stored_code: str | None) -> None:
        if d.code == stored_code:
            return
        if stored_code:
            self._delete(f"DOSSIERCODE#{stored_code}")
        if d.code:
            self._put({"pk": f"DOSSIERCODE#{d.code}", "id": d.id}, condition=NOT_EXISTS)
        self._codes[d.id] = d.code

    def add(self, dossier: Dossier) -> None:
        dossier.version = 1
        self._put(self._item(dossier), condition=NOT_EXISTS)
        self._write_code(dossier, None)
        self._seen[dossier.id] = dossier

    def get(self, dossier_id: str) -> Dossier | None:
        return self._load(self._uow.get(self._records, _dossier_key(dossier_id)))

    def get_by_code(self, code: str) -> Dossier | None:
        pointer = self._get(f"DOSSIERCODE#{code}")
        if pointer is None:
            return None
        dossier = self.get(pointer["id"])
        return dossier if dossier is not None and dossier.code == code else None

    def _stored_version(self, dossier: Dossier) -> tuple[int | None, str | None]:
        """The stored version and code; read only when this unit of work did not load the dossier itself."""
        if self._seen.get(dossier.id) is dossier:
            return dossier.version, self._codes.get(dossier.id)
        item = self._uow.get(self._records, _dossier_key(dossier.id))
        return (int(item["version"]), item.get("code")) if item else (None, None)

    def save(self, dossier: Dossier) -> None:
        expected = dossier.version
        stored, stored_code = self._stored_version(dossier)
        if stored != expected:
            raise stale_version()
        dossier.version = expected + 1
        self._put(self._item(dossier), condition="#v = :v", names={"#v": "version"}, values={":v": expected})
        self._write_code(dossier, stored_code)
        self._seen[dossier.id] = dossier

    def delete(self, dossier: Dossier) -> None:
        stored, stored_code = self._stored_version(dossier)
        if stored == dossier.version:  # as SQLite: a changed dossier is not deleted
            self._delete(_dossier_key(dossier.id)["pk"])
            if stored_code:
                self._delete(f"DOSSIERCODE#{stored_code}")
        self._seen.pop(dossier.id, None)

    def _dossiers(self, items: list[dict[str, Any]]) -> list[Dossier]:
        return [d for d in (self._load(i) for i in items) if d is not None]

    def list_by_applicant(self, applicant_id: str, *, limit: int, page_token: str | None) -> Page[Dossier]:
        items, token = self._page("gsi1", [f"APPLICANT#{applicant_id}"], key_of=_dossier_key, forward=False,
                                  limit=limit, page_token=page_token)
        return Page(items=self._dossiers(items), next_page_token=token)

    def list_worklist(
        self, unit_id: str, *, limit: int, page_token: str | None, status: str | None = None,
        procedure_code: str | None = None, office_id: str | None = None,
    ) -> Page[Dossier]:
        wanted = {k: v for k, v in (("status", status), ("procedure_code", procedure_code),
                                    ("receiving_office_id", office_id)) if v}

        def accept(item: dict[str, Any]) -> bool:
            return all(item.get(k) == v for k, v in wanted.items())

        items, token = self._page("gsi3", [f"HOLDER#{unit_id}"], key_of=_dossier_key, forward=True, limit=limit,
                                  page_token=page_token, accept=accept if wanted else None)
        return Page(items=self._dossiers(items), next_page_token=token)

    def in_status_since(self, status: str, before: datetime, *, limit: int, page_token: str | None) -> Page[Dossier]:
        items, token = self._page("gsi2", [f"DSTATUS#{status}"], key_of=_dossier_key, forward=True, limit=limit,
                                  page_token=page_token, below=before.isoformat() + "$")  # '$' sorts after '#'
        return Page(items=self._dossiers(items), next_page_token=token)

    def due_between(self, start: datetime, end: datetime, *, limit: int, page_token: str | None) -> Page[Dossier]:
        first, last = start.astimezone(UTC).year, end.astimezone(UTC).year
        if last < first:
            return Page(items=[])
        if last - first > 300:
            raise InvalidInput("invalid_range", "Khoảng thời gian quá dài.", message_en="The time range is too long.")
        years = [f"DUE#{year:04d}" for year in range(first, last + 1)]
        # BETWEEN start AND end on "due#id": an item due exactly at ``end`` sorts after ``end`` and is left out.
        items, token = self._page("gsi4", years, key_of=_dossier_key, forward=True, limit=limit,
                                  page_token=page_token, between=(_utc(start), _utc(end)))
        return Page(items=self._dossiers(items), next_page_token=token)

    def seen(self) -> Iterator[Dossier]:
        return iter(list(self._seen.values()))


# ------------------------------------------------------------------------------------- citizens, otps, sessions


def _citizen(item: dict[str, Any]) -> Citizen:
    return Citizen(id=item["id"], phone=item["phone"], created_at=datetime.fromisoformat(item["created_at"]))


class DynamoCitizens(_Repo):
    def get_or_create(self, phone: str, *, now: datetime) -> Citizen:
        """At once (a conditional put of the phone's item): one citizen per phone across every process."""
        pointer = self._get(f"PHONE#{phone}")
        if pointer is None:
            self._uow.ensure_writable()
            citizen_id = uuid.uuid4().hex
            try:
                self._client.transact_write_items(TransactItems=[
                    {"Put": {"TableName": self._records, "ConditionExpression": NOT_EXISTS,
                             "ExpressionAttributeNames": PK_NAME,
                             "Item": to_attributes({"pk": f"PHONE#{phone}", "sk": ONE, "id": citizen_id})}},
                    {"Put": {"TableName": self._records, "Item": to_attributes(
                        {"pk": f"CITIZEN#{citizen_id}", "sk": ONE, "id": citizen_id, "phone": phone,
                         "created_at": now.isoformat()})}},
                ])
            except ClientError as exc:
                if error_code(exc) != "TransactionCanceledException":
                    raise
            else:
                return Citizen(id=citizen_id, phone=phone, created_at=now)  # what was just written
            pointer = self._get(f"PHONE#{phone}")  # another process created the citizen first
            assert pointer is not None
        citizen = self.get(pointer["id"])
        assert citizen is not None
        return citizen

    def get(self, citizen_id: str) -> Citizen | None:
        item = self._get(f"CITIZEN#{citizen_id}")
        return _citizen(item) if item else None


class DynamoOtps(_Repo):
    def get(self, phone: str) -> OtpChallenge | None:
        r = self._get(f"OTP#{phone}")
        if r is None:
            return None
        return OtpChallenge(phone=r["phone"], code_hash=r["code_hash"], expires_at=datetime.fromisoformat(
            r["expires_at"]), sent_at=datetime.fromisoformat(r["sent_at"]), attempts=int(r["attempts"]),
            sends_in_window=int(r["sends_in_window"]), window_started_at=_dt(r.get("window_started_at")))

    def put(self, c: OtpChallenge) -> None:
        pk = f"OTP#{c.phone}"
        self._put({"pk": pk, "phone": c.phone, "code_hash": c.code_hash, "expires_at": c.expires_at.isoformat(),
                   "sent_at": c.sent_at.isoformat(), "attempts": c.attempts, "sends_in_window": c.sends_in_window,
                   "window_started_at": _iso(c.window_started_at), **_expiring("otp_challenges", c.sent_at, pk)})

    def delete(self, phone: str) -> None:
        self._delete(f"OTP#{phone}")


class DynamoSessions(_Repo):
    def add(self, s: Session) -> None:
        pk = f"SESSION#{s.token_hash}"
        self._put({"pk": pk, "token_hash": s.token_hash, "user_kind": s.user_kind, "user_id": s.user_id,
                   "phone": s.phone, "created_at": s.created_at.isoformat(), "expires_at": s.expires_at.isoformat(),
                   "device": s.device, **_expiring("sessions", s.expires_at, pk)}, condition=NOT_EXISTS)

    def get(self, token_hash: str) -> Session | None:
        r = self._get(f"SESSION#{token_hash}")
        if r is None:
            return None
        return Session(token_hash=r["token_hash"], user_kind=r["user_kind"], user_id=r["user_id"], phone=r["phone"],
                       created_at=datetime.fromisoformat(r["created_at"]),
                       expires_at=datetime.fromisoformat(r["expires_at"]), device=r.get("device", ""))

    def delete(self, token_hash: str) -> None:
        self._delete(f"SESSION#{token_hash}")


# ------------------------------------------------------------------------- idempotency, counters, rate limits


class DynamoIdempotency(_Repo):
    @staticmethod
    def _key(scope: str, key: str) -> dict[str, str]:
        return {"pk": f"IDEM#{_short(scope)}", "sk": _short(key)}

    def _record(self, r: dict[str, Any]) -> IdempotencyRecord:
        return IdempotencyRecord(scope=r["scope"], key=r["key"], request_hash=r["request_hash"],
                                 created_at=datetime.fromisoformat(r["created_at"]), status_code=r.get("status_code"),
                                 body=r.get("body"), headers=json.loads(r.get("headers") or "{}"))

    def reserve(self, scope: str, key: str, request_hash: str, *, now: datetime) -> IdempotencyRecord | None:
        """At once (a conditional put), so a racing duplicate sees the reservation; a rollback releases it."""
        self._uow.ensure_writable()
        k = self._key(scope, key)
        item = {**k, "scope": scope, "key": key, "request_hash": request_hash, "created_at": now.isoformat(),
                **_expiring("idempotency_keys", now, f"{k['pk']}#{k['sk']}")}
        try:
            self._client.put_item(TableName=self._records, Item=to_attributes(item), ConditionExpression=NOT_EXISTS,
                                  ExpressionAttributeNames=PK_NAME)
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise
            existing = self._uow.get(self._records, k)
            if existing is not None:
                return self._record(existing)
            return self.reserve(scope, key, request_hash, now=now)  # released meanwhile: try again

        def release() -> None:
            try:
                self._client.delete_item(TableName=self._records, Key=to_attributes(k),
                                         ConditionExpression="attribute_not_exists(status_code)")
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise

        self._uow.tx.undo.append(release)
        return None

    def complete(self, scope: str, key: str, *, status_code: int, body: bytes, headers: dict[str, str]) -> None:
        def apply(item: dict[str, Any]) -> dict[str, Any]:
            return {**item, "status_code": status_code, "body": body, "headers": store_json(headers)}

        self._uow.write(Write(self._records, self._key(scope, key), "Update",
                              update="SET status_code = :c, body = :b, headers = :h",
                              condition="attribute_exists(#pk)", names=PK_NAME,
                              values={":c": status_code, ":b": body, ":h": store_json(headers)}, apply=apply,
                              conflict=lambda: Conflict("idempotency_released", "Khóa đã hết hạn.",
                                                        message_en="The idempotency key expired.")))

    def release(self, scope: str, key: str) -> None:
        k = self._key(scope, key)
        current = self._uow.get(self._records, k)
        if current is not None and current.get("status_code") is None:
            self._uow.write(Write(self._records, k, "Delete"))


class DynamoCounters(_Repo):
    def increment(self, name: str) -> int:
        """At once (UpdateItem ADD): unique across processes. A rolled-back unit leaves a gap, never a duplicate."""
        self._uow.ensure_writable()
        response = self._client.update_item(
            TableName=self._records, Key=to_attributes({"pk": f"COUNTER#{name}", "sk": ONE}),
            UpdateExpression="ADD #v :one", ExpressionAttributeNames={"#v": "value"},
            ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
        return int(response["Attributes"]["value"]["N"])


class DynamoRateLimits(_Repo):
    _window = staticmethod(window_start)
    _retry_after = staticmethod(seconds_until_reset)

    def blocked(self, key: str, *, limit: int, window_seconds: int, now: datetime) -> int:
        window_start = self._window(now, window_seconds)
        row = self._get(f"RATE#{_short(key)}")
        if row is None or row.get("window_start") != window_start or int(row.get("hits", 0)) < limit:
            return 0
        return self._retry_after(window_start, window_seconds, now)

    def hit(self, key: str, *, limit: int, window_seconds: int, now: datetime) -> int:
        """At once (ADD in the current window, or a conditional reset when a new window starts)."""
        self._uow.ensure_writable()
        pk = f"RATE#{_short(key)}"
        window_start = self._window(now, window_seconds)
        expiry = _expiring("rate_limits", datetime.fromisoformat(window_start), pk)
        common = {"TableName": self._records, "Key": to_attributes({"pk": pk, "sk": ONE}),
                  "ReturnValues": "UPDATED_NEW"}
        values = to_attributes({":w": window_start, ":one": 1, **{f":{k}": v for k, v in expiry.items()}})
        names = {"#w": "window_start", "#h": "hits", "#pa": "purge_at", "#t": "expires_ttl", "#g4p": "gsi4pk",
                 "#g4s": "gsi4sk"}
        hits = None
        for _ in range(5):
            counted = self._uow.store.update(
                **common, UpdateExpression="ADD #h :one", ConditionExpression="#w = :w",
                ExpressionAttributeNames={"#w": "window_start", "#h": "hits"},
                ExpressionAttributeValues={":w": values[":w"], ":one": values[":one"]})
            if counted is not None:
                hits = int(counted["hits"])
                break
            started = self._uow.store.update(
                **common, UpdateExpression="SET #w = :w, #h = :one, #pa = :purge_at, #t = :expires_ttl,"
                                           " #g4p = :gsi4pk, #g4s = :gsi4sk",
                ConditionExpression="attribute_not_exists(#w) OR #w <> :w", ExpressionAttributeNames=names,
                ExpressionAttributeValues=values)
            if started is not None:
                hits = 1
                break
        if hits is None:
            raise Conflict("busy", "Hệ thống đang bận, vui lòng thử lại.", message_en="Busy; try again.")
        return 0 if hits <= limit else self._retry_after(window_start, window_seconds, now)


# ---------------------------------------------------------------------------------------------- outbox, audit


class DynamoOutbox(_Repo):
    def add(self, topic: str, payload: dict[str, Any], *, now: datetime) -> None:
        # Time-ordered id (nanoseconds, then randomness): messages due at the same moment are claimed in the order
        # they were written, as SQLite's rowid order does.
        message_id = f"{time.time_ns():016x}{uuid.uuid4().hex[:16]}"
        self._put({"pk": f"OUTBOX#{message_id}", "id": message_id, "topic": topic, "payload": store_json(payload),
                   "created_at": now.isoformat(), "available_at": now.isoformat(), "attempts": 0,
                   "gsi3pk": OUTBOX_QUEUE, "gsi3sk": f"{now.isoformat()}#{message_id}"})

    def claim(self, *, now: datetime, limit: int, lease_seconds: int) -> list[OutboxMessage]:
        """At once: each due message is leased by a conditional update (only one worker wins it); a message whose
        worker dies is offered again when the lease ends. In a read-only unit it only looks (as SQLite's rolled-back
        claim does): the due messages, leased by no one."""
        lease = (now + timedelta(seconds=lease_seconds)).isoformat()
        claimed: list[OutboxMessage] = []
        # Pages of due messages, oldest first; racing workers skip what another leased and read on.
        candidates = self._uow.store.query(
            TableName=self._records, IndexName="gsi3", KeyConditionExpression="gsi3pk = :q AND gsi3sk < :due",
            ExpressionAttributeValues=to_attributes({":q": OUTBOX_QUEUE, ":due": now.isoformat() + "$"}),
            Limit=limit * 2)
        for candidate in candidates:
            if len(claimed) >= limit:
                break
            if self._uow.readonly:
                claimed.append(self._message({**candidate, "attempts": int(candidate["attempts"]) + 1}))
                continue
            item = self._uow.store.update(
                TableName=self._records, Key=to_attributes({"pk": candidate["pk"], "sk": ONE}),
                UpdateExpression="SET available_at = :lease, gsi3sk = :sk ADD attempts :one",
                ConditionExpression="available_at = :seen AND attribute_not_exists(done_at)",
                ExpressionAttributeValues=to_attributes({":lease": lease, ":sk": f"{lease}#{candidate['id']}",
                                                         ":one": 1, ":seen": candidate["available_at"]}),
                ReturnValues="ALL_NEW")
            if item is not None:
                claimed.append(self._message(item))
        return claimed

    @staticmethod
    def _message(item: dict[str, Any]) -> OutboxMessage:
        return OutboxMessage(id=item["id"], topic=item["topic"], payload=json.loads(item["payload"]),
                             created_at=datetime.fromisoformat(item["created_at"]), attempts=int(item["attempts"]))

    def mark_done(self, message_id: str, *, now: datetime) -> None:
        def apply(item: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in {**item, "done_at": now.isoformat()}.items() if k not in ("gsi3pk", "gsi3sk")}

        self._update(f"OUTBOX#{message_id}", "SET done_at = :d REMOVE gsi3pk, gsi3sk", apply,
                     values={":d": now.isoformat()})

    def mark_failed(self, message_id: str, *, error: str, retry_at: datetime) -> None:
        at = retry_at.astimezone(UTC).isoformat()

        def apply(item: dict[str, Any]) -> dict[str, Any]:
            return {**item, "last_error": error[:2000], "available_at": at, "gsi3pk": OUTBOX_QUEUE,
                    "gsi3sk": f"{at}#{message_id}"}

        self._update(f"OUTBOX#{message_id}", "SET last_error = :e, available_at = :a, gsi3pk = :q, gsi3sk = :s",
                     apply, values={":e": error[:2000], ":a": at, ":q": OUTBOX_QUEUE, ":s": f"{at}#{message_id}"})


def _audit_entry(r: dict[str, Any]) -> AuditEntry:
    return AuditEntry(subject=r["subject"], seq=int(r["seq"]), at=datetime.fromisoformat(r["at"]), actor=r["actor"],
                      action=r["action"], device=r["device"], before=json.loads(r["before"]),
                      after=json.loads(r["after"]), prev_hash=r["prev_hash"], hash=r["hash"])


class DynamoAudit(_Repo):
    @property
    def _table(self) -> str:
        return self._uow.store.audit

    def _head(self, subject: str) -> tuple[int, str]:
        heads = self._uow.tx.audit_heads
        if subject not in heads and not fits(subject):
            raise InvalidInput("invalid_subject", "Mã đối tượng quá dài.", message_en="The subject is too long.")
        if subject not in heads:
            response = self._client.query(
                TableName=self._table, KeyConditionExpression="subject = :s",
                ExpressionAttributeValues={":s": {"S": subject}}, ScanIndexForward=False, Limit=1,
                ConsistentRead=True)
            last = [from_attributes(i) for i in response.get("Items", [])]
            heads[subject] = (int(last[0]["seq"]), last[0]["hash"]) if last else (0, GENESIS)
        return heads[subject]

    def append(
        self, subject: str, *, actor: str, action: str, device: str, at: datetime,
        before: dict[str, Any] | None, after: dict[str, Any] | None,
    ) -> AuditEntry:
        self._uow.ensure_writable()
        last_seq, prev = self._head(subject)
        seq = last_seq + 1
        digest = entry_hash(subject=subject, seq=seq, at=at, actor=actor, action=action, device=device,
                            before=before, after=after, prev_hash=prev)
        item = {"subject": subject, "seq": seq, "at": at.isoformat(), "actor": actor, "action": action,
                "device": device, "before": store_json(before), "after": store_json(after), "prev_hash": prev,
                "hash": digest}
        # The next sequence number may be written once: a concurrent appender's transaction is cancelled.
        self._uow.write(Write(self._table, {"subject": subject, "seq": seq}, "Put", item=item,
                              condition="attribute_not_exists(#pk)", names={"#pk": "subject"}))
        self._uow.tx.audit_heads[subject] = (seq, digest)
        return AuditEntry(subject=subject, seq=seq, at=at, actor=actor, action=action, device=device,
                          before=before, after=after, prev_hash=prev, hash=digest)

    def entries(self, subject: str) -> list[AuditEntry]:
        if not fits(subject):
            return []
        items = self._uow.store.query(TableName=self._table, KeyConditionExpression="subject = :s",
                                      ExpressionAttributeValues={":s": {"S": subject}}, ConsistentRead=True)
        return [_audit_entry(i) for i in items]

    def subjects(self) -> list[str]:
        """Every subject with entries: a scan of the audit table (an operator's full check). Every entry is read, not
        only first ones, so a subject whose first entry was deleted is still listed (and reported broken)."""
        found: set[str] = set()
        kwargs: dict[str, Any] = {"TableName": self._table, "ProjectionExpression": "subject", "ConsistentRead": True}
        while True:
            response = self._client.scan(**kwargs)
            found.update(i["subject"]["S"] for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return sorted(found)
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


# ----------------------------------------------------------------------------- officials, enrolments, passkeys


class DynamoOfficials(_Repo):
    """Officials live in one partition (a province has hundreds); each membership is an item holding a copy."""

    def put(self, official: Official) -> None:
        data = official_to_json(official)
        old = self.get(official.id)
        new_members = {f"MEMBERS#{m.unit_id}#{m.role.value}" for m in official.memberships}
        if old is not None:
            for m in old.memberships:
                member = f"MEMBERS#{m.unit_id}#{m.role.value}"
                if member not in new_members:
                    self._delete(member, official.id)
        self._put({"pk": "OFFICIALS", "sk": official.id, "data": data})
        for member in sorted(new_members):
            self._put({"pk": member, "sk": official.id, "data": data})

    def get(self, official_id: str) -> Official | None:
        item = self._get("OFFICIALS", official_id)
        return official_from_json(item["data"]) if item else None

    def in_unit(self, unit_id: str, role: Role) -> list[Official]:
        return [official_from_json(i["data"]) for i in self._query(None, f"MEMBERS#{unit_id}#{role.value}")]

    def all(self) -> list[Official]:
        return [official_from_json(i["data"]) for i in self._query(None, "OFFICIALS")]


class DynamoEnrolments(_Repo):
    """Single-use enrolment links: only the token's hash is stored."""

    def add(self, token_hash: str, official_id: str, *, now: datetime, expires_at: datetime) -> None:
        pk = f"ENROL#{token_hash}"
        self._put({"pk": pk, "official_id": official_id, "created_at": now.isoformat(),
                   "expires_at": expires_at.isoformat(), **_expiring("enrolments", expires_at, pk)},
                  condition=NOT_EXISTS)

    def peek(self, token_hash: str, *, now: datetime) -> str | None:
        item = self._get(f"ENROL#{token_hash}")
        if item is None or item.get("used_at") or item["expires_at"] <= now.isoformat():
            return None
        return str(item["official_id"])

    def use(self, token_hash: str, *, now: datetime) -> str | None:
        """At once (a conditional update): of two racing uses only one gets the official."""
        self._uow.ensure_writable()
        pk = f"ENROL#{token_hash}"
        if self._uow.tx.buffered(self._records, {"pk": pk, "sk": ONE}) is not None:  # added in this unit
            official_id = self.peek(token_hash, now=now)
            if official_id is not None:
                self._update(pk, "SET used_at = :u", lambda i: {**i, "used_at": now.isoformat()},
                             values={":u": now.isoformat()})
            return official_id
        if len(pk.encode()) > 1024:
            return None
        item = self._uow.store.update(
            TableName=self._records, Key=to_attributes({"pk": pk, "sk": ONE}), UpdateExpression="SET used_at = :now",
            ConditionExpression="attribute_exists(#pk) AND attribute_not_exists(used_at) AND expires_at > :now",
            ExpressionAttributeNames=PK_NAME, ExpressionAttributeValues={":now": {"S": now.isoformat()}},
            ReturnValues="ALL_NEW")
        return str(item["official_id"]) if item else None


def _credential_key(credential_id: bytes) -> str:
    return "PASSKEY#" + base64.urlsafe_b64encode(credential_id).decode().rstrip("=")


class DynamoPasskeys(_Repo):
    @staticmethod
    def _credential(r: dict[str, Any]) -> PasskeyCredential:
        return PasskeyCredential(
            credential_id=bytes(r["credential_id"]), official_id=r["official_id"], public_key=bytes(r["public_key"]),
            sign_count=int(r["sign_count"]), transports=tuple(json.loads(r["transports"])),
            created_at=datetime.fromisoformat(r["created_at"]), last_used_at=_dt(r.get("last_used_at")),
            device_label=r["device_label"])

    def add(self, c: PasskeyCredential) -> None:
        pk = _credential_key(c.credential_id)
        self._put({"pk": pk, "credential_id": c.credential_id, "official_id": c.official_id,
                   "public_key": c.public_key, "sign_count": c.sign_count, "transports": json.dumps(list(c.transports)),
                   "created_at": c.created_at.isoformat(), "last_used_at": _iso(c.last_used_at),
                   "device_label": c.device_label, "gsi1pk": f"PASSKEYS#{c.official_id}",
                   "gsi1sk": f"{c.created_at.isoformat()}#{pk}"}, condition=NOT_EXISTS,
                  conflict=lambda: Conflict("passkey_exists", "Khóa truy cập này đã được đăng ký.",
                                            message_en="This passkey is already registered."))

    def get(self, credential_id: bytes) -> PasskeyCredential | None:
        item = self._get(_credential_key(credential_id))
        return self._credential(item) if item else None

    def for_official(self, official_id: str) -> list[PasskeyCredential]:
        return [self._credential(i) for i in self._query("gsi1", f"PASSKEYS#{official_id}")]

    def record_use(self, credential_id: bytes, *, sign_count: int, used_at: datetime) -> None:
        pk = _credential_key(credential_id)
        if self._get(pk) is None:
            return  # as SQLite's UPDATE of no row
        self._update(pk, "SET sign_count = :c, last_used_at = :u",
                     lambda i: {**i, "sign_count": sign_count, "last_used_at": used_at.isoformat()},
                     values={":c": sign_count, ":u": used_at.isoformat()})


class DynamoChallenges(_Repo):
    def put(self, p: PendingChallenge) -> None:
        pk = f"CHALLENGE#{p.id}"
        self._put({"pk": pk, "challenge": p.challenge, "purpose": p.purpose, "official_id": p.official_id,
                   "binding": p.binding, "expires_at": p.expires_at.isoformat(),
                   **_expiring("webauthn_challenges", p.expires_at, pk)})

    def take(self, challenge_id: str) -> PendingChallenge | None:
        """At once (DeleteItem returning the old item): single use even when two requests race."""
        self._uow.ensure_writable()
        key = {"pk": f"CHALLENGE#{challenge_id}", "sk": ONE}
        buffered = self._uow.tx.buffered(self._records, key)
        if buffered is not None:
            item = self._uow.get(self._records, key)
            self._uow.tx.discard(self._records, key)
        else:
            if len(key["pk"].encode()) > 1024:
                return None
            response = self._client.delete_item(TableName=self._records, Key=to_attributes(key),
                                                ReturnValues="ALL_OLD")
            item = from_attributes(response["Attributes"]) if response.get("Attributes") else None
        if item is None:
            return None
        return PendingChallenge(id=challenge_id, challenge=bytes(item["challenge"]), purpose=item["purpose"],
                                official_id=item.get("official_id"), binding=item.get("binding"),
                                expires_at=datetime.fromisoformat(item["expires_at"]))


# ---------------------------------------------------------------------- push subscriptions, deliveries, prefs


def _endpoint_key(endpoint: str) -> str:
    return "PUSHENDPOINT#" + hashlib.sha256(endpoint.encode()).hexdigest()


class DynamoPushSubscriptions(_Repo):
    @staticmethod
    def _subscription(r: dict[str, Any]) -> StoredSubscription:
        return StoredSubscription(id=r["id"], user_kind=r["user_kind"], user_id=r["user_id"], endpoint=r["endpoint"],
                                  p256dh=r["p256dh"], auth=r["auth"], user_agent=r.get("user_agent", ""),
                                  created_at=datetime.fromisoformat(r["created_at"]))

    def _item(self, s: StoredSubscription) -> dict[str, Any]:
        return {"pk": f"PUSHSUB#{s.id}", "id": s.id, "user_kind": s.user_kind, "user_id": s.user_id,
                "endpoint": s.endpoint, "p256dh": s.p256dh, "auth": s.auth, "created_at": s.created_at.isoformat(),
                "user_agent": s.user_agent, "gsi1pk": f"PUSHUSER#{s.user_kind}#{s.user_id}",
                "gsi1sk": f"{s.created_at.isoformat()}#{s.id}"}

    def upsert(self, s: StoredSubscription) -> StoredSubscription:
        """One record per endpoint: a browser that re-subscribes (or changes hands) replaces the old owner."""
        pointer = self._get(_endpoint_key(s.endpoint))
        current = self._get(f"PUSHSUB#{pointer['id']}") if pointer else None
        if current is not None:
            stored = self._subscription({**current, "user_kind": s.user_kind, "user_id": s.user_id,
                                         "p256dh": s.p256dh, "auth": s.auth})
        else:
            stored = s
            self._put({"pk": _endpoint_key(s.endpoint), "id": s.id}, condition=NOT_EXISTS)
        self._put(self._item(stored))
        return stored

    def for_user(self, user_kind: str, user_id: str) -> list[StoredSubscription]:
        return [self._subscription(i) for i in self._query("gsi1", f"PUSHUSER#{user_kind}#{user_id}")]

    def delete(self, subscription_id: str) -> None:
        current = self._get(f"PUSHSUB#{subscription_id}")
        if current is None:
            return
        self._delete(f"PUSHSUB#{subscription_id}")
        pointer = self._get(_endpoint_key(current["endpoint"]))
        if pointer is not None and pointer["id"] == subscription_id:
            self._delete(_endpoint_key(current["endpoint"]))

    def delete_for(self, user_kind: str, user_id: str, endpoint: str) -> bool:
        pointer = self._get(_endpoint_key(endpoint))
        current = self._get(f"PUSHSUB#{pointer['id']}") if pointer else None
        if current is None or current["user_kind"] != user_kind or current["user_id"] != user_id:
            return False
        # Both items were just read (the pointer names this subscription): no need for ``delete`` to read them again.
        self._delete(f"PUSHSUB#{current['id']}")
        self._delete(_endpoint_key(endpoint))
        return True


_DELIVERY_TIMES = ("event_at", "created_at", "sent_at", "read_at")
_DELIVERY_FIELDS = ("id", "event_id", "channel", "user_kind", "user_id", "address", "dossier_id", "title", "body",
                    "url", "status", "attempts", "last_error")


class DynamoDeliveries(_Repo):
    @staticmethod
    def _delivery(r: dict[str, Any]) -> Delivery:
        values: dict[str, Any] = {name: r.get(name) for name in _DELIVERY_FIELDS}
        values["attempts"] = int(values["attempts"] or 0)
        values.update({name: _dt(r.get(name)) for name in _DELIVERY_TIMES})
        return Delivery(**values)

    @staticmethod
    def _item(d: Delivery) -> dict[str, Any]:
        item: dict[str, Any] = {"pk": f"DELIVERY#{d.id}", **{name: getattr(d, name) for name in _DELIVERY_FIELDS},
                                **{name: _iso(getattr(d, name)) for name in _DELIVERY_TIMES}}
        created = f"{d.created_at.isoformat()}#{d.id}"
        item.update({"gsi2pk": "DELIVERIES", "gsi2sk": created})
        if d.dossier_id:
            item.update({"gsi1pk": f"DELDOSSIER#{d.dossier_id}", "gsi1sk": created})
        if d.channel == "inbox":
            # Ties in time (one worker pass) list the later write first, as SQLite's rowid order does.
            item.update({"gsi3pk": f"INBOX#{d.user_kind}#{d.user_id}",
                         "gsi3sk": f"{d.created_at.isoformat()}#{time.time_ns():020d}#{d.id}"})
        return item

    def get(self, delivery_id: str) -> Delivery | None:
        item = self._get(f"DELIVERY#{delivery_id}")
        return self._delivery(item) if item else None

    def put(self, delivery: Delivery) -> None:
        self._put(self._item(delivery))

    def inbox(self, user_kind: str, user_id: str, *, limit: int) -> list[Delivery]:
        return [self._delivery(i) for i in self._query("gsi3", f"INBOX#{user_kind}#{user_id}", forward=False,
                                                        limit=limit)]

    def mark_read(self, user_kind: str, user_id: str, ids: list[str], *, at: datetime) -> None:
        keys = [{"pk": f"DELIVERY#{delivery_id}", "sk": ONE} for delivery_id in dict.fromkeys(ids)]
        for item in self._uow.get_many(self._records, keys):  # one batch read, not one read per id
            if (item is not None and item["user_kind"] == user_kind and item["user_id"] == user_id
                    and item["channel"] == "inbox" and not item.get("read_at")):
                self._put({**item, "read_at": at.isoformat()})

    def for_dossier(self, dossier_id: str) -> list[Delivery]:
        return [self._delivery(i) for i in self._query("gsi1", f"DELDOSSIER#{dossier_id}")]

    def since(self, start: datetime) -> list[Delivery]:
        return [self._delivery(i) for i in self._query("gsi2", "DELIVERIES", at_least=start.isoformat())]


class DynamoPreferences(_Repo):
    def get(self, user_kind: str, user_id: str) -> Preferences:
        item = self._get(f"PREFS#{user_kind}#{user_id}")
        return Preferences.from_dict(json.loads(item["data"])) if item else Preferences()

    def put(self, user_kind: str, user_id: str, prefs: Preferences) -> None:
        self._put({"pk": f"PREFS#{user_kind}#{user_id}", "data": json.dumps(prefs.to_dict())})


# -------------------------------------------------------------------------------------- payments, housekeeping


def _payment_conflict() -> Conflict:
    return Conflict("stale_version", "Giao dịch vừa được cập nhật.", message_en="The payment changed meanwhile.")


class DynamoPayments(_Repo):
    def __init__(self, uow: DynamoUnitOfWork) -> None:
        super().__init__(uow)
        self._seen: dict[str, Payment] = {}

    def _load(self, item: dict[str, Any] | None) -> Payment | None:
        if item is None or "data" not in item:
            return None
        payment = payment_from_dict(json.loads(item["data"]), version=int(item["version"]))
        self._seen[payment.id] = payment
        return payment

    @staticmethod
    def _item(p: Payment, version: int) -> dict[str, Any]:
        created = f"{p.created_at.isoformat()}#{p.id}"
        return {"pk": f"PAYMENT#{p.id}", "id": p.id, "txn_ref": p.txn_ref, "dossier_id": p.dossier_id,
                "status": p.status.value, "created_at": p.created_at.isoformat(), "version": version,
                "data": store_json(payment_to_dict(p)),
                "gsi1pk": f"PAYDOSSIER#{p.dossier_id}", "gsi1sk": created,
                "gsi2pk": f"PSTATUS#{p.status.value}", "gsi2sk": created}

    def add(self, p: Payment) -> None:
        p.version = 1
        self._put(self._item(p, 1), condition=NOT_EXISTS, conflict=_payment_conflict)
        self._put({"pk": f"TXNREF#{p.txn_ref}", "id": p.id}, condition=NOT_EXISTS, conflict=_payment_conflict)
        self._seen[p.id] = p

    def save(self, p: Payment) -> None:
        expected = p.version
        if self._seen.get(p.id) is not p:
            stored = self._get(f"PAYMENT#{p.id}")
            if stored is None or int(stored["version"]) != expected:
                raise _payment_conflict()
        self._put(self._item(p, expected + 1), condition="#v = :v", names={"#v": "version"},
                  values={":v": expected}, conflict=_payment_conflict)
        p.version = expected + 1
        self._seen[p.id] = p

    def get(self, payment_id: str) -> Payment | None:
        return self._load(self._get(f"PAYMENT#{payment_id}"))

    def get_by_txn_ref(self, txn_ref: str) -> Payment | None:
        pointer = self._get(f"TXNREF#{txn_ref}")
        return self.get(pointer["id"]) if pointer else None

    def for_dossier(self, dossier_id: str) -> list[Payment]:
        items = self._query("gsi1", f"PAYDOSSIER#{dossier_id}")
        return [p for p in (self._load(self._fresh(i)) for i in items) if p is not None]

    def in_status_created_before(self, status: str, before: datetime, *, limit: int) -> list[Payment]:
        items = self._query("gsi2", f"PSTATUS#{status}", below=before.isoformat() + "$", limit=limit)
        return [p for p in (self._load(i) for i in items) if p is not None]

    def _fresh(self, item: dict[str, Any]) -> dict[str, Any] | None:
        """The item as this unit of work knows it (the index lags behind a write of the same unit)."""
        return self._get(item["pk"]) if self._uow.tx.buffered(self._records, {"pk": item["pk"], "sk": ONE}) \
            else item

    def seen(self) -> Iterator[Payment]:
        return iter(list(self._seen.values()))


class DynamoHousekeeping(_Repo):
    def purge(self, now: datetime) -> dict[str, int]:
        """Delete what SQLite's purge deletes, found by purge time on the ``EXPIRY#<table>`` index (TTL removes the
        same records on AWS, but only eventually)."""
        removed = {}
        for table, _, _ in RULES:
            expired = self._query("gsi4", f"EXPIRY#{table}", below=_utc(now))
            for item in expired:
                self._delete(item["pk"], item["sk"])
            removed[table] = len(expired)
        return removed
