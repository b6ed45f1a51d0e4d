"""Sending an SMS or e-mail at most once per dedupe key on AWS: a conditional record in S3.

Why not SNS/SES themselves: SMS published straight to a phone number cannot use SNS FIFO deduplication (that
exists only for FIFO topics, which do not deliver SMS), and SES has no idempotency key at all. Why S3 and not a
DynamoDB table: S3 conditional writes (``If-None-Match: *`` to create, ``If-Match: <etag>`` to update) give
the same compare-and-set, in a bucket the runtime already has, with a lifecycle rule on ``ledger/`` as the
expiry (a key only matters while its event can still be retried: days, not years).

A key moves through three states:

- absent → ``claim`` creates ``{"state": "sending"}`` with If-None-Match; only one caller can win;
- ``sent`` after the provider accepted the message (If-Match on the claim's ETag): later claims return
  ``None`` and nothing is sent again;
- a failed send deletes the claim, so the retry of the event may send.

A claim older than ``lease`` whose holder never finished (a Lambda killed between the provider's "accepted"
and the ``sent`` mark) may be taken over: that one case can send twice, which beats never sending. While a
fresh claim is held by someone else, :class:`SendInProgress` is raised: the caller's retry (the outbox) comes
back later and then finds ``sent``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from motcua.adapters.aws_clients import AwsClients, error_code

_CONFLICT = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}


class SendInProgress(Exception):
    """Another sender holds a fresh claim on this key; try again later."""


class S3SendLedger:
    def __init__(self, clients: AwsClients, bucket: str, *, prefix: str = "ledger/messages/",
                 lease: timedelta = timedelta(minutes=5), now: Callable[[], datetime] | None = None) -> None:
        self._clients = clients
        self.bucket = bucket
        self.prefix = prefix
        self.lease = lease
        self._now = now or (lambda: datetime.now(UTC))

    @property
    def _s3(self) -> Any:
        return self._clients.client("s3")

    def _key(self, key: str) -> str:
        return self.prefix + hashlib.sha256(key.encode()).hexdigest()

    def _body(self, state: str) -> bytes:
        return json.dumps({"state": state, "at": self._now().isoformat()}).encode()

    def claim(self, key: str) -> str | None:
        """A claim token (ETag) if the caller may send now; None if the key was sent already."""
        try:
            return str(self._s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=self._body("sending"),
                                           IfNoneMatch="*", ServerSideEncryption="AES256")["ETag"])
        except Exception as exc:
            if error_code(exc) not in _CONFLICT:
                raise
        try:
            found = self._s3.get_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:
            if error_code(exc) in {"NoSuchKey", "404"}:  # released meanwhile: try once more from the start
                return self.claim(key)
            raise
        record = json.loads(found["Body"].read())
        if record.get("state") == "sent":
            return None
        if self._now() - datetime.fromisoformat(record["at"]) < self.lease:
            raise SendInProgress(key)
        try:  # a stale claim: take it over, unless someone else just did
            return str(self._s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=self._body("sending"),
                                           IfMatch=found["ETag"], ServerSideEncryption="AES256")["ETag"])
        except Exception as exc:
            if error_code(exc) in _CONFLICT:
                raise SendInProgress(key) from exc
            raise

    def mark_sent(self, key: str, token: str) -> None:
        self._s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=self._body("sent"), IfMatch=token,
                            ServerSideEncryption="AES256")

    def release(self, key: str) -> None:
        self._s3.delete_object(Bucket=self.bucket, Key=self._key(key))

    def once(self, key: str | None, send: Callable[[], object]) -> bool:
        """Call ``send`` unless ``key`` was sent before; True if it was called. No key: always send."""
        if key is None:
            send()
            return True
        token = self.claim(key)
        if token is None:
            return False
        try:
            send()
        except BaseException:
            self.release(key)
            raise
        self.mark_sent(key, token)
        return True
