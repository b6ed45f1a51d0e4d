"""The outbox on AWS: a relay that moves committed outbox messages to SQS, and the consumer of that queue.

Relay (:class:`SqsOutboxRelay`, run by ``functions/outbox_relay.py`` every minute). It claims due messages
through the ``OutboxRepository`` port (a lease: a relay that dies mid-way leaves them to the next run), sends
them with ``SendMessageBatch`` (ten per call) and marks a message done only after SQS listed it as
``Successful``. A message SQS refused, or a batch that failed as a whole, is marked failed with the outbox
worker's back-off and is relayed again later. A crash between SQS accepting and the done mark sends it twice:
delivery is at least once, and every handler is idempotent (deliveries are keyed by event and channel).
On a FIFO queue (URL ending in ``.fifo``) the outbox id is the deduplication id and the dossier the message
group, so one dossier's events arrive in order.

Consumer (:class:`SqsOutboxConsumer`, run by ``functions/queue_consumer.py`` from the SQS event source). Each
record's body is the outbox message; it goes to :meth:`OutboxWorker.handle`, i.e. the very topic → handlers
map of the embedded worker (bootstrap builds it once for both runtimes). The reply lists the failed records as
``{"batchItemFailures": [{"itemIdentifier": messageId}]}`` (the event source mapping needs
``FunctionResponseTypes: [ReportBatchItemFailures]``): Lambda deletes the others, and only the failed ones come
back after the queue's visibility timeout, which is the retry delay. After ``maxReceiveCount`` receives the
queue's redrive policy moves a message to the dead-letter queue, for an operator. A body that is not an outbox
message (a poison message) is reported as failed every time and so ends up there too. A handler that asks to be
retried at a given time (quiet hours: ``retry_at``) gets its message's visibility set to that time (at most
12 hours, SQS's limit).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from motcua.adapters.aws_clients import AwsClients
from motcua.services.outbox_worker import LEASE_SECONDS, OutboxWorker, backoff
from motcua.services.ports import Clock, OutboxMessage, UnitOfWorkFactory

log = logging.getLogger(__name__)

SQS_BATCH = 10  # SendMessageBatch's limit
MAX_VISIBILITY_SECONDS = 12 * 3600


def encode(message: OutboxMessage) -> str:
    """The SQS body of an outbox message (JSON; the consumer decodes it with :func:`decode`)."""
    return json.dumps({"id": message.id, "topic": message.topic, "payload": message.payload,
                       "created_at": message.created_at.isoformat()}, ensure_ascii=False, separators=(",", ":"))


def decode(body: str, *, receive_count: int = 1) -> OutboxMessage:
    """The outbox message in an SQS body; ValueError if it is not one (a poison message)."""
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("the body is not a JSON object")
    message_id, topic, payload, created = (data.get(k) for k in ("id", "topic", "payload", "created_at"))
    if not (isinstance(message_id, str) and message_id and isinstance(topic, str) and topic
            and isinstance(payload, dict) and isinstance(created, str)):
        raise ValueError("the body lacks id, topic, payload or created_at")
    created_at = datetime.fromisoformat(created)
    if created_at.tzinfo is None:
        raise ValueError("created_at has no time zone")
    return OutboxMessage(id=message_id, topic=topic, payload=payload, created_at=created_at, attempts=receive_count)


class SqsOutboxRelay:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, clients: AwsClients, queue_url: str) -> None:
        self._uow = uow
        self._clock = clock
        self._clients = clients
        self.queue_url = queue_url
        self._fifo = queue_url.endswith(".fifo")

    def run(self, *, max_messages: int = 1000, batch: int = 100) -> int:
        """Relay until the outbox has nothing due (or ``max_messages`` were claimed); returns how many SQS took."""
        relayed = claimed = 0
        while claimed < max_messages:
            sent, seen = self.run_once(limit=min(batch, max_messages - claimed))
            relayed += sent
            claimed += seen
            if seen == 0 or sent == 0:  # empty, or SQS refuses everything: leave the rest to the next run
                break
        return relayed

    def run_once(self, *, limit: int = 100) -> tuple[int, int]:
        """One claim → send → record cycle; returns (sent, claimed)."""
        with self._uow() as uow:
            messages = uow.outbox.claim(now=self._clock.now(), limit=limit, lease_seconds=LEASE_SECONDS)
            uow.commit()
        if not messages:
            return 0, 0
        done: list[str] = []
        failed: dict[str, tuple[str, int]] = {}
        for start in range(0, len(messages), SQS_BATCH):
            chunk = messages[start:start + SQS_BATCH]
            entries = [self._entry(str(i), m) for i, m in enumerate(chunk)]
            try:
                reply = self._clients.client("sqs").send_message_batch(QueueUrl=self.queue_url, Entries=entries)
            except Exception as exc:  # the whole call failed (network, throttling, permissions)
                log.warning("relaying %d outbox messages failed: %s", len(chunk), exc)
                failed.update({m.id: (repr(exc), m.attempts) for m in chunk})
                continue
            done += [chunk[int(ok["Id"])].id for ok in reply.get("Successful", [])]
            for bad in reply.get("Failed", []):
                message = chunk[int(bad["Id"])]
                failed[message.id] = (f"SQS {bad.get('Code')}: {bad.get('Message', '')}", message.attempts)
        with self._uow() as uow:
            now = self._clock.now()
            for message_id in done:
                uow.outbox.mark_done(message_id, now=now)
            for message_id, (error, attempts) in failed.items():
                uow.outbox.mark_failed(message_id, error=error, retry_at=now + backoff(attempts))
            uow.commit()
        return len(done), len(messages)

    def _entry(self, entry_id: str, message: OutboxMessage) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "Id": entry_id,
            "MessageBody": encode(message),
            "MessageAttributes": {"topic": {"DataType": "String", "StringValue": message.topic}},
        }
        if self._fifo:
            entry["MessageDeduplicationId"] = message.id
            entry["MessageGroupId"] = str(message.payload.get("dossier_id") or message.topic)[:128]
        return entry


class SqsOutboxConsumer:
    def __init__(self, worker: OutboxWorker, clock: Clock, clients: AwsClients | None = None) -> None:
        self._worker = worker
        self._clock = clock
        self._clients = clients
        self._queue_urls: dict[str, str] = {}

    def handle_event(self, event: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
        """Handle an SQS batch event; returns the partial-batch response (see the module docstring)."""
        failures: list[dict[str, str]] = []
        records = event.get("Records") if isinstance(event, Mapping) else None
        for record in records if isinstance(records, list) else []:
            message_id = record.get("messageId") if isinstance(record, Mapping) else None
            if not isinstance(message_id, str) or not message_id:
                log.error("SQS record without a messageId ignored: %.200r", record)
                continue
            try:
                attributes = record.get("attributes") or {}
                message = decode(record.get("body", ""),
                                 receive_count=int(attributes.get("ApproximateReceiveCount", 1)))
            except (ValueError, TypeError) as exc:
                log.error("poison message %s (%s): it will reach the dead-letter queue", message_id, exc)
                failures.append({"itemIdentifier": message_id})
                continue
            try:
                self._worker.handle(message)
            except Exception as exc:  # one message failing must not fail the batch
                log.warning("outbox message %s (%s) failed on receive %d: %s", message.id, message.topic,
                            message.attempts, exc)
                failures.append({"itemIdentifier": message_id})
                self._postpone(record, getattr(exc, "retry_at", None))
        return {"batchItemFailures": failures}

    def _postpone(self, record: Mapping[str, Any], retry_at: datetime | None) -> None:
        if retry_at is None or self._clients is None:
            return  # the queue's visibility timeout is the retry delay
        seconds = int(min(MAX_VISIBILITY_SECONDS, max(0.0, (retry_at - self._clock.now()).total_seconds())))
        try:
            sqs = self._clients.client("sqs")
            sqs.change_message_visibility(QueueUrl=self._queue_url(str(record.get("eventSourceARN", ""))),
                                          ReceiptHandle=record["receiptHandle"], VisibilityTimeout=seconds)
        except Exception as exc:  # then it simply comes back after the normal timeout
            log.warning("could not postpone message %s: %s", record.get("messageId"), exc)

    def _queue_url(self, arn: str) -> str:
        found = self._queue_urls.get(arn)
        if found is None:
            # arn:aws:sqs:<region>:<account>:<name>
            _, _, _, _, account, name = arn.split(":", 5)
            found = self._clients.client("sqs").get_queue_url(  # type: ignore[union-attr]
                QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
            self._queue_urls[arn] = found
        return found
