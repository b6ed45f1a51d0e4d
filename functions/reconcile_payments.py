"""EventBridge schedule (every minute) → ask the gateway about payments still pending and settle them (a missing
IPN never leaves a paid fee unconfirmed). Reply: ``{"settled": n}``."""

from __future__ import annotations

import logging
from typing import Any

from functions import _runtime

log = logging.getLogger(__name__)


def handler(event: dict[str, Any], context: object) -> dict[str, int]:
    settled = _runtime.container().payments.reconcile()
    log.info("payment reconciliation (%s): %d settled", _runtime.scheduled(event) or "manual", settled)
    return {"settled": settled}
