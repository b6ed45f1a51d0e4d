"""The container every function shares: built once per Lambda instance from the environment (the aws runtime),
on the first invocation, and reused by the warm ones."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motcua.bootstrap import AwsServices, Container

_container: Container | None = None
_lock = threading.Lock()


def container() -> Container:
    global _container
    if _container is None:
        with _lock:
            if _container is None:
                from motcua.bootstrap import bootstrap
                from motcua.config import Settings

                logging.getLogger().setLevel(logging.INFO)  # Lambda's root handler ships INFO to CloudWatch
                settings = Settings.from_env()
                if settings.runtime != "aws":
                    raise RuntimeError("functions/ run with MOTCUA_RUNTIME=aws")
                _container = bootstrap(settings)
    return _container


def aws() -> AwsServices:
    services = container().aws
    assert services is not None  # bootstrap always sets it for the aws runtime
    return services


def reset() -> None:
    """Forget the container (tests change the environment between cases)."""
    global _container
    with _lock:
        _container = None


def scheduled(event: object) -> str:
    """The rule that fired, from an EventBridge Scheduled Event (for the log line); "" when invoked by hand."""
    if isinstance(event, dict):
        resources = event.get("resources")
        if isinstance(resources, list) and resources and isinstance(resources[0], str):
            return resources[0]
    return ""
