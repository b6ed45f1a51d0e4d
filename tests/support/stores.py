"""The store runtimes every conformance test runs on, and how to get a unit-of-work factory for each (the DynamoDB
one comes from the ``dynamodb_factory`` fixture in ``tests/integration/conftest.py``)."""

from __future__ import annotations

from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory

STORES = ["sqlite", "dynamodb"]


def make_uow_factory(runtime: str, request, tmp_path):
    if runtime == "sqlite":
        return SqliteUnitOfWorkFactory(Database(tmp_path / "store.sqlite3"))
    if runtime == "dynamodb":
        return request.getfixturevalue("dynamodb_factory")
    raise AssertionError(runtime)
