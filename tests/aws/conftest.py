"""The AWS emulator for every test under tests/aws: one moto server over real HTTP, shared by the session.

Tests never reset it (other fixtures of the session keep their resources): each test makes its own buckets,
queues and keys with unique names (``unique_name``).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from motcua.adapters.aws_clients import AwsClients, AwsConfig

# functions/ is imported as a package from the repository root, as Lambda does (functions/<module>.handler).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aws.aws_support import REGION, SENDER, unique_name  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_url():
    from moto.server import ThreadedMotoServer

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    # Dummy credentials: moto accepts any; nothing here can reach real AWS (every client gets the endpoint).
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"  # noqa: S105
    os.environ.pop("AWS_SESSION_TOKEN", None)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def aws(moto_url) -> AwsClients:
    return AwsClients(AwsConfig(region=REGION, endpoint_url=moto_url))


@pytest.fixture
def bucket(aws) -> str:
    name = unique_name("motcua-test")
    aws.client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


@pytest.fixture
def verified_sender(aws) -> str:
    aws.client("ses").verify_email_identity(EmailAddress=SENDER)
    return SENDER
