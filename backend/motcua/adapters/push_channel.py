"""The notification service's push port on top of the Web Push sender (pywebpush, VAPID)."""

from __future__ import annotations

from typing import Any

from motcua.adapters.webpush_sender import PushTarget, VapidKeys, WebPushSender
from motcua.services.notification_ports import PushResult, StoredSubscription


class WebPushChannel:
    def __init__(self, keys: VapidKeys, *, allow_loopback: bool) -> None:
        self.public_key = keys.public_key_b64url
        # Loopback push services exist only in development and tests; in production a subscriber must never be
        # able to make the server call 127.0.0.1.
        self._sender = WebPushSender(keys, allow_loopback=allow_loopback)

    def push(self, subscription: StoredSubscription, payload: dict[str, Any], *, ttl: int, urgency: str,
             topic: str | None) -> PushResult:
        outcome = self._sender.send(PushTarget(endpoint=subscription.endpoint, p256dh=subscription.p256dh,
                                               auth=subscription.auth), payload, ttl=ttl, urgency=urgency, topic=topic)
        return PushResult(delivered=outcome.delivered, gone=outcome.gone, retry_after=outcome.retry_after,
                          status=outcome.status, retryable=outcome.retryable)
