"""Shared fixtures: the Flask idiom (app / client), a controllable clock, and a signed-in citizen."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from motcua.api.app import create_app
from motcua.bootstrap import bootstrap
from motcua.config import Settings
from support.catalog_copy import data_copy  # noqa: F401 - a fixture for the catalog tests
from support.otp import code_from_outbox
from support.stores import dynamodb_factory, moto_url, uow_factory  # noqa: F401 - fixtures for every test


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


@pytest.fixture
def clock() -> FrozenClock:
    # Thursday 26 Nov 2026, 09:00 in Đồng Nai (02:00 UTC): a working day, before the 15:00 cut-off.
    return FrozenClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.from_env({}, data_dir=tmp_path / "var", start_worker=False, secret_key=b"test-secret",
                             public_base_url="http://127.0.0.1:8080")


@pytest.fixture
def container(request, settings, clock, monkeypatch):
    if os.environ.get("MOTCUA_TEST_STORE") == "dynamodb":  # the same tests on the DynamoDB store (moto server)
        factory = request.getfixturevalue("dynamodb_factory")
        monkeypatch.setattr("motcua.bootstrap.SqliteUnitOfWorkFactory", lambda db: factory)
    return bootstrap(settings, clock=clock)


@pytest.fixture
def app(container):
    app = create_app(container=container)
    app.config["TESTING"] = True
    return app


class ApiClient:
    """Flask test client that behaves like the PWA: fetches a CSRF token and sends it on unsafe requests."""

    def __init__(self, client) -> None:
        self.client = client
        self.csrf = ""
        self.refresh_csrf()

    def refresh_csrf(self) -> None:
        self.csrf = self.client.get("/api/v1/auth/session").get_json()["csrf_token"]

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def _unsafe(self, method, url, headers=None, **kw):
        headers = {"X-CSRF-Token": self.csrf, **(headers or {})}
        return getattr(self.client, method)(url, headers=headers, **kw)

    def post(self, url, **kw):
        return self._unsafe("post", url, **kw)

    def patch(self, url, **kw):
        return self._unsafe("patch", url, **kw)

    def delete(self, url, **kw):
        return self._unsafe("delete", url, **kw)

    def sign_in(self, phone: str = "0912345678") -> dict:
        assert self.post("/api/v1/auth/otp", json={"phone": phone}).status_code == 202
        code = latest_code(self.client, phone)
        reply = self.post("/api/v1/auth/verify", json={"phone": phone, "code": code})
        assert reply.status_code == 200, reply.get_json()
        self.csrf = reply.get_json()["csrf_token"]
        return reply.get_json()["user"]


def latest_code(client, phone: str) -> str:
    return code_from_outbox(client.get("/dev/outbox").get_json()["items"], phone)


@pytest.fixture
def api(app) -> ApiClient:
    return ApiClient(app.test_client())


@pytest.fixture
def citizen(api) -> ApiClient:
    api.sign_in()
    return api


class OfficialClient(ApiClient):
    """An official's phone: a passkey in a software authenticator, signed in through the real ceremony."""

    def __init__(self, client, container, official_id: str) -> None:
        from support.soft_authenticator import SoftAuthenticator

        super().__init__(client)
        self.official_id = official_id
        self.authenticator = SoftAuthenticator(origin=container.settings.webauthn_origin)
        token = container.official_auth.issue_enrolment(official_id)
        options = self.post("/api/v1/officials/enrol/options", json={"token": token}).get_json()
        credential = self.authenticator.create(options["options"])
        reply = self.post("/api/v1/officials/enrol/verify",
                          json={"token": token, "challenge_id": options["challenge_id"], "credential": credential})
        assert reply.status_code == 200, reply.get_json()
        self.csrf = reply.get_json()["csrf_token"]


@pytest.fixture
def officials(app, container):
    """Seeded demo officials; ``officials("lanh-dao-tran-bien")`` is a signed-in client for one of them."""
    from motcua.seed import seed_officials

    seed_officials(container)
    made: dict[str, OfficialClient] = {}

    def get(official_id: str) -> OfficialClient:
        if official_id not in made:
            made[official_id] = OfficialClient(app.test_client(), container, official_id)
        return made[official_id]

    return get
