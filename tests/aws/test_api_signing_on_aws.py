"""tests/api/test_signing_flow.py, unchanged, on the aws runtime: leaders sign with KMS keys, results are stored
in S3 and downloaded through presigned links, sign-in codes and notices go through SNS/SES (all in moto)."""

from api.test_signing_flow import *  # noqa: F403 - the same tests, collected again with the fixtures below
from aws.api_on_aws import api, container  # noqa: F401 - override the embedded fixtures


def test_on_aws_the_result_is_signed_with_the_leaders_kms_key_and_served_by_a_short_lived_s3_link(
        citizen, officials, app):
    from urllib.parse import parse_qs, urlsplit

    from api.test_workflow import LEADER, ok, to_approval

    aws = app.config["MOTCUA"].aws
    settings = app.config["MOTCUA"].settings.aws
    d = to_approval(citizen, officials)
    leader = officials(LEADER)
    ok(sign(leader, [{"dossier_id": d["id"], "sha256": preview(leader, d["id"])}]))  # noqa: F405
    aliases = aws.clients.client("kms").list_aliases()["Aliases"]
    assert f"alias/{settings.kms_key_alias_prefix}{LEADER}" in {a["AliasName"] for a in aliases}
    raw = citizen.client._client.get(f"/api/v1/dossiers/{d['id']}/result.pdf")  # without following the link
    assert raw.status_code == 302 and raw.headers["Cache-Control"] == "private, no-store"
    link = urlsplit(raw.location)
    assert link.path.startswith(f"/{settings.results_bucket}/")
    assert parse_qs(link.query)["X-Amz-Expires"] == ["300"]
    key = link.path.split("/", 2)[2]
    head = aws.clients.client("s3").head_object(Bucket=settings.results_bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
