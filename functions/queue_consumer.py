"""SQS → the outbox topic handlers. Event: an SQS batch; reply: ``{"batchItemFailures": [...]}``.

The event source mapping must enable ``ReportBatchItemFailures``; the queue's redrive policy
(``maxReceiveCount``) sends a message that keeps failing to the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from functions import _runtime


def handler(event: dict[str, Any], context: object) -> dict[str, list[dict[str, str]]]:
    return _runtime.aws().consumer.handle_event(event)
