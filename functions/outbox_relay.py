"""EventBridge schedule (every minute) → committed outbox messages to SQS. Reply: ``{"relayed": n}``."""

from __future__ import annotations

import logging
from typing import Any

from functions import _runtime

log = logging.getLogger(__name__)


def handler(event: dict[str, Any], context: object) -> dict[str, int]:
    relayed = _runtime.aws().relay.run()
    log.info("outbox relay (%s): %d messages to SQS", _runtime.scheduled(event) or "manual", relayed)
    return {"relayed": relayed}
