"""Store fixtures for the integration tests: one moto server (real HTTP, the DynamoDB wire protocol) per session,
and a unit-of-work factory per runtime with fresh tables for each test."""

from __future__ import annotations

import logging
import uuid

import pytest

from motcua.adapters.dynamodb_schema import create_tables, delete_tables
from motcua.adapters.dynamodb_store import DynamoConfig, DynamoUnitOfWorkFactory


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


@pytest.fixture(autouse=True)
def _dummy_aws_credentials(monkeypatch):
    # moto accepts any credentials; botocore only needs some (never real ones in tests).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def dynamodb_factory(dynamodb_endpoint, _dummy_aws_credentials):
    """A DynamoDB unit-of-work factory on tables of its own (a unique prefix), dropped after the test."""
    config = DynamoConfig(table_prefix=f"t{uuid.uuid4().hex[:12]}-", region="ap-southeast-1",
                          endpoint_url=dynamodb_endpoint)
    factory = DynamoUnitOfWorkFactory(config)
    create_tables(factory.store.client, config.table_prefix)
    yield factory
    delete_tables(factory.store.client, config.table_prefix)
