"""Secrets from SSM Parameter Store into the environment, for the HTTP app on Lambda (see motcua/lambda_app.py).

Every parameter under ``MOTCUA_SECRETS_PATH`` (e.g. ``/motcua/production/SECRET_KEY``, SecureString) becomes the
variable named by its last path segment. Without ``MOTCUA_SECRETS_PATH`` nothing is fetched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, MutableMapping
from typing import Any


class SecretsMissing(RuntimeError):
    """MOTCUA_SECRETS_PATH names a path that holds no parameter: refuse to start rather than run without keys."""


def load_secrets(environ: MutableMapping[str, str] | None = None,
                 client_factory: Callable[[], Any] | None = None) -> list[str]:
    """Copy the SecureString parameters under ``MOTCUA_SECRETS_PATH`` into ``environ``; return the names set.

    A variable already set to a non-empty value wins (an operator's override while debugging). One paginated
    ``GetParametersByPath`` call per cold start.
    """
    env = os.environ if environ is None else environ
    path = env.get("MOTCUA_SECRETS_PATH", "")
    if not path:
        return []
    if client_factory is None:
        import boto3  # in the Lambda runtime; loaded only when secrets are configured

        def client_factory() -> Any:
            return boto3.client("ssm", region_name=env.get("AWS_REGION") or None)

    client = client_factory()
    found: list[str] = []
    for page in client.get_paginator("get_parameters_by_path").paginate(
            Path=path, Recursive=False, WithDecryption=True):
        for parameter in page.get("Parameters", []):
            name = parameter["Name"].rstrip("/").rsplit("/", 1)[-1]
            found.append(name)
            if not env.get(name):
                env[name] = parameter["Value"]
    if not found:
        raise SecretsMissing(f"no parameter under {path}: put SECRET_KEY, VNPAY_HASH_SECRET and VAPID_PRIVATE_KEY "
                             "there (infra/README.md, 'Secrets')")
    return sorted(found)
