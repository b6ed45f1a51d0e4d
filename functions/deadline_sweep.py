"""EventBridge schedule (every 5 minutes) → the deadline sweep: units are warned about dossiers due within one
working day, citizens reminded of awaited supplements. Reply: ``{"events": n}`` (events raised)."""

from __future__ import annotations

import logging
from typing import Any

from functions import _runtime

log = logging.getLogger(__name__)


def handler(event: dict[str, Any], context: object) -> dict[str, int]:
    raised = _runtime.container().sweep.run()
    log.info("deadline sweep (%s): %d events", _runtime.scheduled(event) or "manual", raised)
    return {"events": raised}
