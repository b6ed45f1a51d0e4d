"""The store runtimes every conformance test runs on, and how to get a unit-of-work factory for each (the DynamoDB
one from the ``dynamodb_factory`` fixture below: one moto server, real HTTP and the DynamoDB wire protocol, per
session, and fresh tables for each test). ``tests/conftest.py`` imports the fixtures, so every test can use them.

``MOTCUA_TEST_STORE=dynamodb pytest tests/api`` runs the whole API suite with the DynamoDB store.
"""

from __future__ import annotations

import logging
import uuid

import pytest

from motcua.adapters.dynamodb_schema import create_tables, delete_tables
from motcua.adapters.dynamodb_store import DynamoConfig, DynamoUnitOfWorkFactory
from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory

STORES = ["sqlite", "dynamodb"]


def make_uow_factory(runtime: str, request, tmp_path):
    if runtime == "sqlite":
        return SqliteUnitOfWorkFactory(Database(tmp_path / "store.sqlite3"))
    if runtime == "dynamodb":
        return request.getfixturevalue("dynamodb_factory")
    raise AssertionError(runtime)


@pytest.fixture(scope="session")
def dynamodb_endpoint():
    """``http://127.0.0.1:<free port>`` of a moto server running in a thread for the whole session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def dynamodb_factory(dynamodb_endpoint, monkeypatch):
    """A DynamoDB unit-of-work factory on tables of its own (a unique prefix), dropped after the test."""
    # moto accepts any credentials; botocore only needs some (never real ones in tests).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    config = DynamoConfig(table_prefix=f"t{uuid.uuid4().hex[:12]}-", region="ap-southeast-1",
                          endpoint_url=dynamodb_endpoint)
    factory = DynamoUnitOfWorkFactory(config)
    create_tables(factory.store.client, config.table_prefix)
    yield factory
    delete_tables(factory.store.client, config.table_prefix)
