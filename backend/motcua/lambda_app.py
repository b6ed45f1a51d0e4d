"""The HTTP app on AWS Lambda: Zappa's ``app_function`` (``motcua.lambda_app.app``, see infra/zappa_settings.json).

Zappa's handler imports this module once per cold start. Before the app is built, secrets are copied from SSM
Parameter Store into the environment: every parameter under ``MOTCUA_SECRETS_PATH`` (e.g.
``/motcua/production/SECRET_KEY``, SecureString) becomes the variable named by its last path segment. Zappa has no
deploy-time SSM lookup, and this keeps secret values out of zappa_settings.json, out of the artifact and out of
the Lambda console; the event functions of serverless.yml receive the same parameters through ``${ssm:…}``.
Without ``MOTCUA_SECRETS_PATH`` (tests, the cold-start bench) nothing is fetched.
"""

from __future__ import annotations

from motcua.api.app import create_app
from motcua.aws_secrets import load_secrets

load_secrets()
app = create_app()
