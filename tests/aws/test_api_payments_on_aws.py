"""tests/api/test_payments.py, unchanged, on the aws runtime (DynamoDB, S3, SNS, SES in moto): VNPay/MoMo
callbacks, reconciliation and the e-receipt, which is stored in S3 and served through a short-lived link."""

from api.test_payments import *  # noqa: F403 - the same tests, collected again with the fixtures below
from aws.api_on_aws import api, container  # noqa: F401 - override the embedded fixtures


def test_on_aws_both_receipts_are_stored_in_s3_and_served_by_a_short_lived_link(citizen, api, container):  # noqa: F811
    from urllib.parse import parse_qs, urlsplit

    settings = container.settings.aws
    d = fee_dossier(citizen)  # noqa: F405
    payment = start(citizen, d).get_json()["payment"]  # noqa: F405
    ipn(api, callback(container, payment))  # noqa: F405
    for url, name in ((f"/api/v1/dossiers/{d['id']}/receipt.pdf", f"giay-tiep-nhan-{d['code']}.pdf"),
                      (f"/api/v1/payments/{payment['id']}/receipt.pdf", "bien-lai-")):
        raw = citizen.client._client.get(url)  # without following the link
        assert raw.status_code == 302 and raw.headers["Cache-Control"] == "private, no-store", url
        link = urlsplit(raw.location)
        assert link.path.startswith(f"/{settings.results_bucket}/") and link.path.endswith("/receipt.pdf")
        assert parse_qs(link.query)["X-Amz-Expires"] == ["300"]
        followed = citizen.get(url)
        assert followed.status_code == 200 and followed.data.startswith(b"%PDF")
        assert name in followed.headers["Content-Disposition"]
        assert followed.headers["Cache-Control"] == "private, no-store"
        assert citizen.client._client.get(url).location.split("?")[0] == raw.location.split("?")[0]  # stored once
