"""boto3 clients for the AWS adapters, created lazily from configuration and shared by every adapter.

boto3 and botocore are imported on the first ``client()`` call, not at import time: a Lambda function that
never touches S3 (or a cold start that answers before it does) does not pay for loading them. Clients are
cached per service and created under a lock, because boto3's sessions are not safe for concurrent client
creation (clients themselves are thread-safe).

``endpoint_url`` points every service at one emulator (moto's server in tests and local development);
``None`` means the real regional AWS endpoints. Credentials come from boto3's usual chain (the Lambda
execution role in production, environment variables against the emulator).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AwsConfig:
    region: str = "ap-southeast-1"
    endpoint_url: str | None = None
    connect_timeout: float = 3.0
    read_timeout: float = 10.0


# Options of one service on top of the shared ones: every request of the app goes through the DynamoDB client (a
# pool as large as the threads that share it), and a transaction cancelled by throttling is worth a longer retry.
_SERVICE_OPTIONS: dict[str, dict[str, Any]] = {
    "dynamodb": {"max_pool_connections": 32, "retries": {"mode": "standard", "max_attempts": 5}},
}


class AwsClients:
    def __init__(self, config: AwsConfig) -> None:
        self.config = config
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._session: Any = None

    def client(self, service: str) -> Any:
        """The cached client for ``service`` ("s3", "sqs", "sns", "ses", "kms", "dynamodb" …), all from one boto3
        session: a second session would load botocore's endpoint and model data again (tens of ms per cold start)."""
        found = self._clients.get(service)
        if found is not None:
            return found
        with self._lock:
            found = self._clients.get(service)
            if found is None:
                found = self._create(service)
                self._clients[service] = found
            return found

    def _create(self, service: str) -> Any:
        import boto3
        from botocore.config import Config

        if self._session is None:
            self._session = boto3.session.Session()
        options: dict[str, Any] = {
            "region_name": self.config.region,
            "connect_timeout": self.config.connect_timeout,
            "read_timeout": self.config.read_timeout,
            "retries": {"mode": "standard", "max_attempts": 3},
            **_SERVICE_OPTIONS.get(service, {}),
        }
        if service == "s3":
            # Presigned URLs must carry SigV4; an emulator at an IP address only understands path-style URLs.
            options["signature_version"] = "s3v4"
            if self.config.endpoint_url:
                options["s3"] = {"addressing_style": "path"}
            else:
                # Presigned links and upload forms name the regional host (<bucket>.s3.<region>.amazonaws.com):
                # the one the PWA's Content-Security-Policy allows, and no 307 from the global endpoint for a
                # bucket outside us-east-1.
                options["s3"] = {"addressing_style": "virtual"}
                return self._session.client(service, endpoint_url=f"https://s3.{self.config.region}.amazonaws.com",
                                            config=Config(**options))
        return self._session.client(service, endpoint_url=self.config.endpoint_url, config=Config(**options))


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError ("NoSuchKey", "PreconditionFailed" …), else ""."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""
