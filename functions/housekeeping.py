"""EventBridge schedule (hourly) → delete expired sessions, one-time codes, challenges, idempotency records and
rate-limit windows. Reply: ``{"removed": {kind: count}}``."""

from __future__ import annotations

import logging
from typing import Any

from functions import _runtime

log = logging.getLogger(__name__)


def handler(event: dict[str, Any], context: object) -> dict[str, dict[str, int]]:
    removed = _runtime.container().housekeeping.run()
    log.info("housekeeping (%s): %s", _runtime.scheduled(event) or "manual", removed)
    return {"removed": removed}
