"""serverless.yml and infra/zappa_settings.json agree with each other and with the code they deploy.

What a wrong descriptor would cost an operator: a function whose handler does not import (every event fails), a
variable the aws runtime reads missing on one side (the app refuses to start, or runs against the wrong bucket),
tables whose keys or indexes differ from what the adapter queries (every query fails), a queue without its
dead-letter queue (poison messages loop), an index.html cached at the edge (citizens stuck on an old app).
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua import config
from motcua.adapters import dynamodb_schema, s3_files

ROOT = Path(__file__).resolve().parents[2]
STAGE = "production"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CloudFront's managed CachingDisabled policy

# Names config.py reads that the deployed functions must NOT be given, each with why.
NOT_DEPLOYED = {
    "PORT": "the embedded server's port; Lambda has no port",
    "SQLITE_SYNCHRONOUS": "the embedded SQLite store only",
    "PAYMENT_SANDBOX_PORT": "the local VNPay sandbox only",
    "AWS_REGION": "set by Lambda itself (a reserved variable)",
    "AWS_DEFAULT_REGION": "set by Lambda itself (a reserved variable)",
    "AWS_ENDPOINT_URL": "points the adapters at an emulator; real AWS endpoints in production",
}


def environment_names_read_by_config() -> set[str]:
    """Every ``<env>.get("NAME"…)`` / ``<env>["NAME"]`` in config.py (Settings.from_env and what it calls)."""
    tree = ast.parse(Path(config.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and isinstance(node.func.value, ast.Name) and node.func.value.id in {"env", "environ"}
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value)
        if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                and node.value.id in {"env", "environ"} and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)):
            names.add(node.slice.value)
    return names


def test_the_environment_scan_sees_what_config_reads():
    names = environment_names_read_by_config()
    # The scan is what the other checks rely on: it must find both settings classes' variables.
    assert {"MOTCUA_ENV", "SECRET_KEY", "MOTCUA_UPLOADS_BUCKET", "MOTCUA_OUTBOX_QUEUE_URL"} <= names
    stale = set(NOT_DEPLOYED) - names
    assert not stale, f"NOT_DEPLOYED names that config.py no longer reads: {sorted(stale)}"


def test_runtime_and_region_agree_with_each_other_and_with_the_build(serverless, zappa, packaging):
    ours = f"python{sys.version_info.major}.{sys.version_info.minor}"
    assert serverless["provider"]["runtime"] == zappa["runtime"] == f"python{packaging.PYTHON_VERSION}" == ours
    assert serverless["provider"]["region"] == zappa["aws_region"] == "ap-southeast-1"
    assert serverless["provider"].get("architecture", "x86_64") == "x86_64"
    assert all(p.endswith("x86_64") for p in packaging.PLATFORMS)


def test_every_function_handler_imports_and_takes_event_and_context(serverless):
    deployed = {}
    for name, fn in serverless["functions"].items():
        module_path, _, attribute = fn["handler"].rpartition(".")
        module = importlib.import_module(module_path.replace("/", "."))  # Lambda's python runtime does the same
        handler = getattr(module, attribute)
        assert callable(handler), name
        assert list(inspect.signature(handler).parameters) == ["event", "context"], name
        deployed[module.__name__] = name
    # ...and every entry point in functions/ is deployed.
    entry_points = {f"functions.{p.stem}" for p in (ROOT / "functions").glob("*.py") if not p.stem.startswith("_")}
    assert entry_points == set(deployed), "functions/ and serverless.yml disagree"


def test_the_package_artifact_is_the_one_both_tools_deploy(serverless, zappa, packaging):
    assert serverless["package"]["artifact"] == "build/motcua-lambda.zip"
    assert zappa["slim_handler"] is False and zappa["touch"] is False and zappa["keep_warm"] is True
    assert zappa["app_function"] == "motcua.lambda_app.app"
    assert {"boto3", "botocore"} <= set(zappa["exclude"]) and "tests" in zappa["exclude"]


def test_every_variable_the_aws_runtime_reads_is_deployed_on_both_sides(serverless, zappa):
    read = environment_names_read_by_config() - set(NOT_DEPLOYED)
    functions_env = serverless["provider"]["environment"]
    app_env = zappa["environment_variables"]
    assert not read - set(functions_env), f"missing in serverless.yml: {sorted(read - set(functions_env))}"
    secrets = {name for name, value in functions_env.items()
               if isinstance(value, str) and value.startswith("ssm-resolved-at-deploy:")}
    assert secrets == {"SECRET_KEY", "VNPAY_HASH_SECRET", "VAPID_PRIVATE_KEY"}
    # The app gets the same secrets from the same SSM path at cold start, never as values in its settings.
    path = serverless["custom"]["secretsPath"]
    assert app_env["MOTCUA_SECRETS_PATH"] == path
    for name in secrets:
        assert functions_env[name] == f"ssm-resolved-at-deploy:{path}{name}"
        assert name not in app_env, f"{name} must not be written into zappa_settings.json"
    missing = read - secrets - set(app_env)
    assert not missing, f"missing in zappa_settings.json: {sorted(missing)}"
    # Same values on both sides, except the queue URL (a CloudFormation Ref there, a literal here).
    for name in sorted(read - secrets - {"MOTCUA_OUTBOX_QUEUE_URL"}):
        assert str(functions_env[name]) == app_env[name], name
    for name in NOT_DEPLOYED:
        assert name not in functions_env and name not in app_env, name
    assert app_env["MOTCUA_RUNTIME"] == functions_env["MOTCUA_RUNTIME"] == "aws"
    assert app_env["MOTCUA_ENV"] == "production" and app_env["MOTCUA_START_WORKER"] == "0"


def test_the_deployed_environment_builds_the_aws_runtime_and_answers(zappa, tmp_path):
    """The app of zappa_settings.json starts (in production, aws runtime) and answers a request, without touching
    AWS: its endpoint is a closed port, so any call at start-up would fail this test."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    env = {k: v for k, v in zappa["environment_variables"].items() if k != "MOTCUA_SECRETS_PATH"}
    vapid = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    env.update(SECRET_KEY="test-secret", VNPAY_HASH_SECRET="test-hash", VAPID_PRIVATE_KEY=vapid,
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_ENDPOINT_URL="http://127.0.0.1:9",
               MOTCUA_DATA_DIR=str(tmp_path), PATH=os.environ["PATH"], PYTHONPATH=str(ROOT / "backend"))
    code = ("import json, motcua.lambda_app as m\n"
            "c = m.app.test_client()\n"
            "r = c.get('/api/v1/procedures?q=khai sinh')\n"
            "print(json.dumps({'status': r.status_code, 'runtime': m.app.config['MOTCUA'].settings.runtime,"
            " 'first': (r.get_json() or {}).get('items', [{}])[0].get('name')}, ensure_ascii=False))\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    reply = json.loads(out.stdout.strip().splitlines()[-1])
    assert reply == {"status": 200, "runtime": "aws", "first": "Đăng ký khai sinh"}


def _tables(resources: dict) -> dict[str, dict]:
    return {r["Properties"]["TableName"]: r["Properties"] for r in resources.values()
            if r["Type"] == "AWS::DynamoDB::Table"}


def test_tables_are_exactly_those_of_dynamodb_schema(resources, serverless, zappa):
    prefix = serverless["provider"]["environment"]["MOTCUA_TABLE_PREFIX"]
    assert prefix == zappa["environment_variables"]["MOTCUA_TABLE_PREFIX"]
    tables = _tables(resources)
    expected = {dynamodb_schema.table_name(prefix, logical) for logical in dynamodb_schema.TABLES}
    assert set(tables) == expected
    for logical, spec in dynamodb_schema.TABLES.items():
        table = tables[dynamodb_schema.table_name(prefix, logical)]
        assert table["KeySchema"] == spec["KeySchema"], logical
        assert sorted(table["AttributeDefinitions"], key=str) == sorted(spec["AttributeDefinitions"], key=str)
        assert table["BillingMode"] == spec["BillingMode"]
        declared = {g["IndexName"]: g for g in table.get("GlobalSecondaryIndexes", [])}
        wanted = {g["IndexName"]: g for g in spec.get("GlobalSecondaryIndexes", [])}
        assert set(declared) == set(wanted), logical
        for name, gsi in wanted.items():
            assert declared[name]["KeySchema"] == gsi["KeySchema"], name
            assert declared[name]["Projection"] == gsi["Projection"], name
        ttl = table.get("TimeToLiveSpecification")
        if logical in dynamodb_schema.TTL:
            assert ttl == {"AttributeName": dynamodb_schema.TTL[logical], "Enabled": True}
        else:
            assert ttl is None
        assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def _by_type(resources: dict, kind: str) -> dict[str, dict]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def test_buckets_named_in_the_environment_exist_private_and_encrypted(resources, serverless, zappa):
    buckets = {r["Properties"]["BucketName"]: r["Properties"] for r in _by_type(resources, "AWS::S3::Bucket").values()}
    env = serverless["provider"]["environment"]
    for variable in ("MOTCUA_UPLOADS_BUCKET", "MOTCUA_RESULTS_BUCKET", "MOTCUA_QUARANTINE_BUCKET"):
        assert env[variable] == zappa["environment_variables"][variable]
        assert env[variable] in buckets, variable
    for name, bucket in buckets.items():
        assert all(bucket["PublicAccessBlockConfiguration"].values()), name
        assert len(bucket["PublicAccessBlockConfiguration"]) == 4, name
        rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
        assert rule["SSEAlgorithm"] in {"aws:kms", "AES256"}, name
    # Files are written with the files key (the adapters name it on every put and upload form).
    assert env["MOTCUA_FILES_KMS_KEY_ID"] == zappa["environment_variables"]["MOTCUA_FILES_KMS_KEY_ID"]
    assert env["MOTCUA_FILES_KMS_KEY_ID"] == resources["FilesKeyAlias"]["Properties"]["AliasName"]
    uploads = buckets[env["MOTCUA_UPLOADS_BUCKET"]]
    cors = uploads["CorsConfiguration"]["CorsRules"]
    assert any("POST" in r["AllowedMethods"] and r["AllowedOrigins"] == [env["PUBLIC_BASE_URL"]] for r in cors)
    # New uploads (the adapter's inbox prefix) trigger the upload check function.
    (notification,) = uploads["NotificationConfiguration"]["LambdaConfigurations"]
    assert notification["Function"] == {"Fn::GetAtt": ["UploadCheckLambdaFunction", "Arn"]}
    assert notification["Event"] == "s3:ObjectCreated:*"
    assert notification["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": s3_files.INBOX_PREFIX}]
    permission = resources["UploadCheckS3Permission"]["Properties"]
    assert permission["SourceArn"] == f"arn:aws:s3:::{env['MOTCUA_UPLOADS_BUCKET']}"


def test_outbox_queue_has_a_dead_letter_queue_and_the_consumer_reports_partial_failures(resources, serverless,
                                                                                        zappa):
    queue = resources["OutboxQueue"]["Properties"]
    name = queue["QueueName"]
    assert zappa["environment_variables"]["MOTCUA_OUTBOX_QUEUE_URL"].rsplit("/", 1)[1] == name
    assert serverless["provider"]["environment"]["MOTCUA_OUTBOX_QUEUE_URL"] == {"Ref": "OutboxQueue"}
    redrive = queue["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["OutboxDeadLetterQueue", "Arn"]}
    assert 1 < redrive["maxReceiveCount"] <= 10
    consumer = serverless["functions"]["queueConsumer"]
    (event,) = consumer["events"]
    assert event["sqs"]["functionResponseType"] == "ReportBatchItemFailures"
    assert event["sqs"]["arn"] == {"Fn::GetAtt": ["OutboxQueue", "Arn"]}
    assert queue["VisibilityTimeout"] >= 6 * consumer["timeout"]


@pytest.mark.parametrize(("function", "rate"), [("deadlineSweep", "rate(5 minutes)"),
                                                ("reconcilePayments", "rate(1 minute)"),
                                                ("outboxRelay", "rate(1 minute)"),
                                                ("housekeeping", "rate(1 hour)")])
def test_schedules(serverless, function, rate):
    assert serverless["functions"][function]["events"] == [{"schedule": rate}]


def _statements(role: dict) -> list[dict]:
    return [s for policy in role["Properties"]["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def test_each_function_has_its_own_least_privilege_role(resources, serverless, zappa):
    roles = _by_type(resources, "AWS::IAM::Role")
    function_roles = [fn["role"] for fn in serverless["functions"].values()]
    assert len(set(function_roles)) == len(function_roles), "two functions share a role"
    assert set(function_roles) <= set(roles)
    app_roles = [name for name, r in roles.items() if r["Properties"]["RoleName"] == zappa["role_name"]]
    assert app_roles == ["AppRole"] and zappa["manage_roles"] is False
    assert set(roles) == set(function_roles) | {"AppRole"}, "a role no function uses"
    for name, role in roles.items():
        for statement in _statements(role):
            actions = _as_list(statement["Action"])
            assert not any(a == "*" or a.endswith(":*") for a in actions), (name, statement["Sid"])
            if statement["Effect"] == "Allow" and "*" in _as_list(statement["Resource"]):
                # Only an SMS to a phone number (no resource ARN), paired with a Deny on every topic.
                assert actions == ["sns:Publish"], (name, statement["Sid"])
                assert any(s["Effect"] == "Deny" and s["Action"] == "sns:Publish" for s in _statements(role))
    # Only the functions that need them may send, sign or touch the queue.
    def actions_of(role_name: str) -> set[str]:
        return {a for s in _statements(roles[role_name]) if s["Effect"] == "Allow" for a in _as_list(s["Action"])}

    assert not actions_of("HousekeepingRole") & {"sns:Publish", "ses:SendEmail", "kms:Sign", "sqs:SendMessage"}
    assert "sqs:SendMessage" in actions_of("OutboxRelayRole")
    assert "kms:Sign" in actions_of("AppRole") and "kms:Sign" not in actions_of("QueueConsumerRole")
    assert not any(a.startswith("s3:") for a in actions_of("OutboxRelayRole") | actions_of("DeadlineSweepRole"))
    assert not any(a.startswith("dynamodb:") for a in actions_of("UploadCheckRole"))


def test_a_role_that_reads_objects_may_list_their_bucket_so_a_missing_key_is_404_not_403(resources):
    """Our S3 adapters read a key that may not exist yet as None (a sample not rendered yet, a ledger entry just
    released, a result not signed yet). Without ``s3:ListBucket`` S3 answers 403 AccessDenied for a missing key,
    which the adapters must treat as a failure, so the request would fail with 500."""
    def bucket(arn: object) -> str | None:
        text = str(arn)
        return text.removeprefix("arn:aws:s3:::").split("/")[0] if text.startswith("arn:aws:s3:::") else None

    for name, role in _by_type(resources, "AWS::IAM::Role").items():
        allowed = [s for s in _statements(role) if s["Effect"] == "Allow"]
        read = {bucket(r) for s in allowed if {"s3:GetObject", "s3:GetObjectTagging"} & set(_as_list(s["Action"]))
                for r in _as_list(s["Resource"])} - {None}
        listed = {bucket(r) for s in allowed if "s3:ListBucket" in _as_list(s["Action"])
                  for r in _as_list(s["Resource"])}
        assert read <= listed, f"{name} reads objects in {sorted(read - listed)} but may not list the bucket"


def test_a_role_that_sends_sms_or_email_may_claim_mark_and_release_in_the_send_ledger(resources, serverless):
    """SNS and SES send once per dedupe key through the S3 ledger: claim (put), read a rival claim (get), mark
    sent (put) and, when the provider refused, release (delete) so the retry may send."""
    ledger_key = "arn:aws:s3:::{}/ledger/messages/0f".format(serverless["provider"]["environment"][
        "MOTCUA_RESULTS_BUCKET"])
    for name, role in _by_type(resources, "AWS::IAM::Role").items():
        allowed = [s for s in _statements(role) if s["Effect"] == "Allow"]
        actions = {a for s in allowed for a in _as_list(s["Action"])}
        if not {"sns:Publish", "ses:SendEmail", "ses:SendRawEmail"} & actions:
            continue
        on_ledger = {a for s in allowed for a in _as_list(s["Action"])
                     if any(fnmatch.fnmatchcase(ledger_key, str(r)) for r in _as_list(s["Resource"]))}
        assert {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"} <= on_ledger, (name, sorted(on_ledger))


def _behaviour(distribution: dict, pattern: str) -> dict:
    behaviours = distribution["CacheBehaviors"]["Fn::If"][2]  # without the API origin (first deploy)
    return next(b for b in behaviours if b["PathPattern"] == pattern)


def _cache_control(resources: dict, behaviour: dict) -> str:
    policy = resources[behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
    (header,) = [h for h in policy["CustomHeadersConfig"]["Items"] if h["Header"] == "Cache-Control"]
    assert header["Override"] is True
    return header["Value"]


def test_pwa_caching_index_and_service_worker_never_cached_hashed_assets_for_a_year(resources):
    distribution = resources["PwaDistribution"]["Properties"]["DistributionConfig"]
    for pattern in ("sw.js", "index.html"):
        behaviour = _behaviour(distribution, pattern)
        assert behaviour["CachePolicyId"] == CACHING_DISABLED, pattern
        assert _cache_control(resources, behaviour) == "no-cache", pattern
    default = distribution["DefaultCacheBehavior"]  # the shell served for client-side routes, and the rest
    assert default["CachePolicyId"] == CACHING_DISABLED
    assert _cache_control(resources, default) == "no-cache"
    assets = _behaviour(distribution, "assets/*")
    policy = resources[assets["CachePolicyId"]["Ref"]]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == policy["DefaultTTL"] == policy["MaxTTL"] == 365 * 24 * 3600
    assert _cache_control(resources, assets) == "public, max-age=31536000, immutable"
    # The same rules as the embedded server's (api/shell.py), so both runtimes cache alike.
    from motcua.api import shell

    assert {"index.html", "sw.js"} <= shell.NEVER_STALE
    # The private bucket is read by this distribution only, through origin access control.
    (origin,) = [o for o in distribution["Origins"] if isinstance(o, dict) and o.get("Id") == "pwa"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["PwaOriginAccessControl", "Id"]}
    grant = resources["PwaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert grant["Principal"] == {"Service": "cloudfront.amazonaws.com"} and grant["Action"] == "s3:GetObject"
    assert "PwaDistribution" in json.dumps(grant["Condition"])


def test_the_pwa_may_post_upload_forms_to_the_uploads_bucket(resources, serverless, monkeypatch):
    """The form the API hands out (real AWS endpoints, the deployed region and bucket) posts to an origin the PWA's
    Content-Security-Policy allows, and the bucket's CORS lets the PWA's origin POST there."""
    from urllib.parse import urlsplit

    from motcua.adapters.aws_clients import AwsClients, AwsConfig
    from motcua.adapters.s3_files import S3FileStore

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "stub")  # presigning is local: nothing is sent anywhere
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "stub")
    environment = serverless["provider"]["environment"]
    clients = AwsClients(AwsConfig(region=serverless["provider"]["region"], endpoint_url=None))
    form = S3FileStore(clients, environment["MOTCUA_UPLOADS_BUCKET"]).upload_form(
        "incoming/dossiers/d/doc/a-b", content_type="image/jpeg", max_bytes=1000)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(form.url))
    policy = resources["ImmutableHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    connect = next(d for d in csp.split(";") if d.strip().startswith("connect-src")).split()
    assert origin in connect, (origin, connect)
    rules = resources["UploadsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert any("POST" in r["AllowedMethods"] and environment["PUBLIC_BASE_URL"] in r["AllowedOrigins"]
               for r in rules)


def test_api_behaviour_forwards_everything_and_caches_nothing(cfn, serverless_raw, stub_params):
    api_host = "abc123defg.execute-api.ap-southeast-1.amazonaws.com"
    body = cfn.template(STAGE, {**stub_params, "apiOriginDomain": api_host}, doc=serverless_raw)
    distribution = body["Resources"]["PwaDistribution"]["Properties"]["DistributionConfig"]
    api = next(b for b in distribution["CacheBehaviors"]["Fn::If"][1] if b["PathPattern"] == "api/*")
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert {"POST", "PUT", "DELETE", "PATCH"} <= set(api["AllowedMethods"])
    (origin,) = [o["Fn::If"][1] for o in distribution["Origins"] if "Fn::If" in o]
    assert origin["OriginPath"] == f"/{STAGE}"  # Zappa's REST API stage


def _lint(template: dict) -> list[str]:
    """cfn-lint's errors and warnings for the template (ap-southeast-1's resource specifications)."""
    from cfnlint.api import ManualArgs, lint

    # W8003: the Conditions compare values Serverless fills in at deploy time, so offline they are constant.
    matches = lint(json.dumps(template), config=ManualArgs(regions=["ap-southeast-1"], ignore_checks=["W8003"]))
    return [f"{m.rule.id} {m.message} (at {'/'.join(str(p) for p in m.path)})" for m in matches
            if m.rule.id[0] in "EW"]


def test_cfn_lint_passes_on_the_resources_before_and_after_the_api_origin(cfn, serverless_raw, stub_params):
    for params in ({}, {"apiOriginDomain": "abc123defg.execute-api.ap-southeast-1.amazonaws.com"}):
        body = cfn.template(STAGE, {**stub_params, **params}, doc=serverless_raw)
        problems = _lint(body)
        assert not problems, "\n".join(problems)


def test_cfn_lint_is_live_it_rejects_a_broken_template(template):
    broken = json.loads(json.dumps(template))
    broken["Resources"]["OutboxQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"] = {
        "Fn::GetAtt": ["NoSuchQueue", "Arn"]}
    broken["Resources"]["QueueConsumerLambdaFunction"]["Properties"]["Runtime"] = "python2.7"
    problems = "\n".join(_lint(broken))
    assert "E1010" in problems and "NoSuchQueue" in problems  # a reference to no resource
    assert "python2.7" in problems  # a runtime Lambda no longer has


def test_template_has_no_unresolved_serverless_variables(template):
    text = json.dumps(template)
    assert "${" not in text, text[text.index("${") - 80:text.index("${") + 80]
