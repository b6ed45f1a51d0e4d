"""The app's Lambda entry reads its secrets from SSM Parameter Store at cold start (moto in server mode, real HTTP)."""

from __future__ import annotations

import socket

import boto3
import pytest

from motcua.aws_secrets import SecretsMissing, load_secrets

PEM = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"


@pytest.fixture(scope="module")
def ssm_endpoint():
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def ssm(ssm_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = boto3.client("ssm", region_name="ap-southeast-1", endpoint_url=ssm_endpoint)
    yield client
    for page in client.get_paginator("describe_parameters").paginate():
        for parameter in page["Parameters"]:
            client.delete_parameter(Name=parameter["Name"])


def put(ssm, name: str, value: str) -> None:
    ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)


def test_every_parameter_under_the_path_becomes_a_variable(ssm):
    put(ssm, "/motcua/production/SECRET_KEY", "k" * 64)
    put(ssm, "/motcua/production/VNPAY_HASH_SECRET", "vnpay-secret")
    put(ssm, "/motcua/production/VAPID_PRIVATE_KEY", PEM)
    put(ssm, "/motcua/staging/SECRET_KEY", "another stage's")
    env = {"MOTCUA_SECRETS_PATH": "/motcua/production/"}
    names = load_secrets(env, client_factory=lambda: ssm)
    assert names == ["SECRET_KEY", "VAPID_PRIVATE_KEY", "VNPAY_HASH_SECRET"]
    assert env["SECRET_KEY"] == "k" * 64 and env["VNPAY_HASH_SECRET"] == "vnpay-secret"
    assert env["VAPID_PRIVATE_KEY"] == PEM  # multi-line values arrive whole, decrypted


def test_a_variable_already_set_wins_an_empty_one_does_not(ssm):
    put(ssm, "/motcua/production/SECRET_KEY", "from-ssm")
    put(ssm, "/motcua/production/VNPAY_HASH_SECRET", "from-ssm")
    env = {"MOTCUA_SECRETS_PATH": "/motcua/production/", "SECRET_KEY": "operator override", "VNPAY_HASH_SECRET": ""}
    load_secrets(env, client_factory=lambda: ssm)
    assert env["SECRET_KEY"] == "operator override" and env["VNPAY_HASH_SECRET"] == "from-ssm"


def test_a_path_without_parameters_refuses_to_start(ssm):
    with pytest.raises(SecretsMissing, match="/motcua/production/"):
        load_secrets({"MOTCUA_SECRETS_PATH": "/motcua/production/"}, client_factory=lambda: ssm)


def test_without_a_path_nothing_is_fetched():
    def no_client():
        raise AssertionError("SSM must not be called")

    env: dict[str, str] = {}
    assert load_secrets(env, client_factory=no_client) == [] and env == {}
