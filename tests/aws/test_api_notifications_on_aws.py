"""tests/api/test_notifications.py, unchanged, on the aws runtime (DynamoDB, S3, SNS, SES, KMS in moto)."""

from api.test_notifications import *  # noqa: F403 - the same tests, collected again with the fixtures below
from aws.api_on_aws import api, container  # noqa: F401 - override the embedded fixtures
