"""The aws runtime's configuration: production never creates signing keys or trusts the development CA, and the
runtime refuses to start without what it cannot work without (naming it)."""

from __future__ import annotations

import pytest

from motcua.bootstrap import bootstrap
from motcua.config import Settings

COMPLETE = {"MOTCUA_RUNTIME": "aws", "MOTCUA_RESULTS_BUCKET": "r-bucket", "MOTCUA_UPLOADS_BUCKET": "u-bucket",
            "MOTCUA_OUTBOX_QUEUE_URL": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/q",
            "MOTCUA_EMAIL_SENDER": "no-reply@dichvucong.dongnai.gov.vn"}


def settings(tmp_path, **env):
    return Settings.from_env({**COMPLETE, **env}, data_dir=tmp_path / "var", secret_key=b"x")


def test_development_defaults_make_keys_and_use_the_development_ca(tmp_path):
    aws = settings(tmp_path).aws
    assert (aws.kms_create_keys, aws.signing_certs, aws.region) == (True, "local", "ap-southeast-1")


def test_production_defaults_never_make_keys_and_read_stored_certificates(tmp_path):
    aws = settings(tmp_path, MOTCUA_ENV="production", AWS_REGION="ap-southeast-2").aws
    assert (aws.kms_create_keys, aws.signing_certs, aws.region) == (False, "stored", "ap-southeast-2")


def test_the_worker_thread_is_off_on_aws_and_on_when_embedded(tmp_path):
    assert settings(tmp_path).start_worker is False
    assert Settings.from_env({}, data_dir=tmp_path / "var", secret_key=b"x").start_worker is True


def test_an_unknown_certificate_source_is_refused(tmp_path):
    with pytest.raises(ValueError, match="MOTCUA_SIGNING_CERTS"):
        settings(tmp_path, MOTCUA_SIGNING_CERTS="self-signed")


def test_production_on_aws_needs_a_stable_vapid_key(tmp_path):
    with pytest.raises(ValueError, match="VAPID_PRIVATE_KEY"):
        bootstrap(settings(tmp_path, MOTCUA_ENV="production"))


def test_an_unknown_runtime_is_refused(tmp_path):
    with pytest.raises(ValueError, match="'embedded' or 'aws'"):
        bootstrap(settings(tmp_path, MOTCUA_RUNTIME="azure"))
