"""The AWS emulator for every test under tests/aws: the session's one moto server over real HTTP (``moto_url`` from
tests/support/stores.py, shared with the DynamoDB store tests).

Tests never reset it (other fixtures of the session keep their resources): each test makes its own buckets,
queues and keys with unique names (``unique_name``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from motcua.adapters.aws_clients import AwsClients, AwsConfig

# functions/ is imported as a package from the repository root, as Lambda does (functions/<module>.handler).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aws.aws_support import REGION, SENDER, unique_name  # noqa: E402


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
