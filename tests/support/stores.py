"""The store runtimes every conformance test runs on: the ``uow_factory`` fixture gives a unit-of-work factory on
each in turn (the DynamoDB one from the ``dynamodb_factory`` fixture below: one moto server, real HTTP and the
DynamoDB wire protocol, per session, and fresh tables for each test). ``tests/conftest.py`` imports the fixtures, so
every test can use them; ``run_threads`` and ``every_page`` are the conformance tests' race and paging helpers.

``MOTCUA_TEST_STORE=dynamodb pytest tests/api`` runs the whole API suite with the DynamoDB store.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid

import pytest

from motcua.adapters.dynamodb_schema import create_tables, delete_tables
from motcua.adapters.dynamodb_store import DynamoConfig, DynamoUnitOfWorkFactory
from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory

STORES = ["sqlite", "dynamodb"]


def every_page(uow_factory, fetch, *, limit: int) -> list:
    """Every item of a keyset-paged listing, following ``next_page_token`` to the end.

    ``fetch(uow, limit=, page_token=)`` asks for one page; each page is read in a unit of work of its own (as
    successive HTTP requests would) and holds no more than ``limit`` items.
    """
    seen, token = [], None
    while True:
        with uow_factory(readonly=True) as uow:
            page = fetch(uow, limit=limit, page_token=token)
        assert len(page.items) <= limit
        seen += page.items
        token = page.next_page_token
        if token is None:
            return seen


def run_threads(target, count: int) -> list:
    """Run ``target(index)`` on ``count`` threads released together; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def work(index: int) -> None:
        barrier.wait()
        try:
            results[index] = target(index)
        except Exception as exc:  # the test looks at what was raised
            results[index] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture(params=STORES)
def uow_factory(request, tmp_path):
    """A unit-of-work factory on each store runtime in turn: an SQLite file, then DynamoDB (moto server)."""
    if request.param == "sqlite":
        return SqliteUnitOfWorkFactory(Database(tmp_path / "store.sqlite3"))
    return request.getfixturevalue("dynamodb_factory")


def serial_moto_server():
    """A moto server that applies one request at a time.

    DynamoDB applies each request atomically; moto's backend is not thread-safe (a transaction deep-copies the
    table and, when cancelled, puts the copy back over what other threads wrote meanwhile). Serialising requests
    restores per-request atomicity while racing threads still interleave between requests, which is all the
    adapter may assume of DynamoDB.
    """
    import threading

    from moto.moto_server.threaded_moto_server import MotoRequestHandler, ThreadedMotoServer, make_server
    from moto.server import DomainDispatcherApplication, create_backend_app

    class SerialMotoServer(ThreadedMotoServer):
        def _server_entry(self) -> None:  # moto's own, with the application wrapped in a lock
            app = DomainDispatcherApplication(create_backend_app)
            lock = threading.Lock()

            def serial(environ, start_response):
                with lock:
                    return list(app(environ, start_response))

            self._server = make_server(self._ip_address, self._port, serial, True,
                                       request_handler=MotoRequestHandler)
            self._server_ready_event.set()
            self._server.serve_forever()

    return SerialMotoServer(ip_address="127.0.0.1", port=0, verbose=False)


@pytest.fixture(scope="session")
def moto_url():
    """``http://127.0.0.1:<free port>`` of THE moto server of the session (DynamoDB here, S3, SQS, SNS, SES, KMS for
    tests/aws), running in a thread, one request at a time (``serial_moto_server``)."""
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    # Dummy credentials: moto accepts any; nothing here can reach real AWS (every client gets the endpoint).
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"  # noqa: S105
    os.environ.pop("AWS_SESSION_TOKEN", None)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = serial_moto_server()
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture
def dynamodb_factory(moto_url, monkeypatch):
    """A DynamoDB unit-of-work factory on tables of its own (a unique prefix), dropped after the test."""
    # moto accepts any credentials; botocore only needs some (never real ones in tests).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    config = DynamoConfig(table_prefix=f"t{uuid.uuid4().hex[:12]}-", region="ap-southeast-1",
                          endpoint_url=moto_url)
    factory = DynamoUnitOfWorkFactory(config)
    create_tables(factory.store.client, config.table_prefix)
    yield factory
    delete_tables(factory.store.client, config.table_prefix)
