"""What only the DynamoDB store has to prove (the shared contract is in test_store_conformance.py): the commit's
single transaction refuses a change that raced it and keeps none of its parts, and the tables are what
``dynamodb_schema`` declares."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from motcua.adapters.dynamodb_schema import TABLES, TTL, table_name
from motcua.adapters.dynamodb_store import DynamoConfig, DynamoUnitOfWorkFactory
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def dossier() -> Dossier:
    return Dossier(id="d1", procedure_code="1.001193", applicant_id="c1", applicant_phone="0912345678",
                   created_at=NOW, updated_at=NOW, form={"applicant_name": "Nguyễn Thị Ngọc Ánh"},
                   receiving_office_id="o", competent_unit_id="o")


def in_another_thread(work) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not errors, errors


def test_a_change_racing_between_load_and_commit_is_refused_and_none_of_it_is_kept(dynamodb_factory):
    uow_factory = dynamodb_factory
    with uow_factory() as uow:
        uow.dossiers.add(dossier())
        uow.commit()

    def other_official() -> None:
        with uow_factory() as uow:
            d = uow.dossiers.get("d1")
            d.form["note"] = "người khác"
            uow.dossiers.save(d)
            uow.commit()

    with uow_factory() as uow, pytest.raises(Conflict) as err:
        mine = uow.dossiers.get("d1")
        in_another_thread(other_official)  # saves after we loaded, before we commit
        mine.submit(code="H19-261126-0001", due_at=NOW, fee_vnd=0, procedure_name="p", now=NOW, actor="c")
        uow.dossiers.save(mine)  # loaded in this unit: only the transaction's condition can notice
        uow.audit.append("dossier:d1", actor="c", action="submit", device="ua", at=NOW, before=None, after=None)
        uow.commit()
    assert err.value.code == "stale_version"
    with uow_factory() as uow:
        stored = uow.dossiers.get("d1")
        assert stored.form["note"] == "người khác" and stored.code is None
        assert uow.dossiers.get_by_code("H19-261126-0001") is None
        assert uow.audit.entries("dossier:d1") == []
        assert uow.outbox.claim(now=NOW, limit=10, lease_seconds=60) == []


def test_an_idempotency_reservation_is_released_when_its_unit_fails_with_a_conflict(dynamodb_factory):
    uow_factory = dynamodb_factory
    with uow_factory() as uow:
        uow.dossiers.add(dossier())
        uow.commit()
    with uow_factory(readonly=True) as uow:
        stale = uow.dossiers.get("d1")
    with uow_factory() as uow:
        uow.dossiers.save(uow.dossiers.get("d1"))
        uow.commit()
    with uow_factory() as uow, pytest.raises(Conflict):
        assert uow.idempotency.reserve("s", "key-1", "h", now=NOW) is None
        uow.dossiers.save(stale)
    with uow_factory() as uow:
        assert uow.idempotency.reserve("s", "key-1", "h", now=NOW) is None  # free again


def test_the_tables_are_the_ones_the_schema_declares(dynamodb_factory):
    store = dynamodb_factory.store
    for logical, spec in TABLES.items():
        described = store.client.describe_table(TableName=table_name(store.config.table_prefix, logical))["Table"]
        assert described["KeySchema"] == spec["KeySchema"]
        assert sorted(i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])) == \
            sorted(i["IndexName"] for i in spec.get("GlobalSecondaryIndexes", []))
        assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        ttl = store.client.describe_time_to_live(TableName=described["TableName"])["TimeToLiveDescription"]
        assert ttl.get("AttributeName") == TTL.get(logical)


def test_nothing_connects_until_the_first_unit_of_work_is_used():
    factory = DynamoUnitOfWorkFactory(DynamoConfig(table_prefix="never-", endpoint_url="http://127.0.0.1:9"))
    with factory() as uow:
        uow.commit()  # an empty unit of work writes nothing
    assert factory.store._client is None
