"""The outbox relayed to SQS and consumed from it, over HTTP against moto: done only after SQS took a message,
the same handlers as the embedded worker, partial batch failures, and poison messages parked in the DLQ."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aws.aws_support import REGION, unique_name
from aws.lambda_sqs import bodies, drain, make_queue, poll
from motcua.adapters.dynamodb_schema import create_tables
from motcua.adapters.dynamodb_store import DynamoConfig, DynamoUnitOfWorkFactory
from motcua.adapters.sqlite_store import Database, SqliteUnitOfWorkFactory
from motcua.adapters.sqs_outbox import SqsOutboxConsumer, SqsOutboxRelay, decode
from motcua.services.outbox_worker import OutboxWorker


@pytest.fixture(params=["sqlite", "dynamodb"])
def uow(request, tmp_path, aws):
    """The relay claims through the OutboxRepository port: the same tests on both stores."""
    if request.param == "sqlite":
        return SqliteUnitOfWorkFactory(Database(tmp_path / "store.sqlite3"))
    prefix = unique_name("t") + "-"
    create_tables(aws.client("dynamodb"), prefix)
    return DynamoUnitOfWorkFactory(DynamoConfig(table_prefix=prefix, region=REGION,
                                                endpoint_url=aws.config.endpoint_url))


@pytest.fixture
def sqs(aws):
    return aws.client("sqs")


def add(uow, clock, topic, payload):
    with uow() as u:
        u.outbox.add(topic, payload, now=clock.now())
        u.commit()


def due(uow, clock):
    """What a relay would find now (a read-only look: nothing is leased)."""
    with uow(readonly=True) as u:
        return u.outbox.claim(now=clock.now(), limit=1000, lease_seconds=1)


def test_every_committed_message_reaches_sqs_once_with_its_text_intact(uow, clock, aws, sqs):
    queue, _ = make_queue(sqs, unique_name("outbox"))
    for n in range(23):
        add(uow, clock, "dossier.step", {"dossier_id": f"d{n}", "note": "Hồ sơ đã được tiếp nhận"})
    assert SqsOutboxRelay(uow, clock, aws, queue).run(batch=10) == 23
    assert due(uow, clock) == []
    clock.advance(hours=2)
    assert due(uow, clock) == []  # marked done, not merely leased
    received = [decode(b) for b in bodies(sqs, queue)]
    assert sorted(m.payload["dossier_id"] for m in received) == sorted(f"d{n}" for n in range(23))
    assert {m.topic for m in received} == {"dossier.step"}
    assert {m.payload["note"] for m in received} == {"Hồ sơ đã được tiếp nhận"}


def test_messages_sqs_did_not_take_stay_in_the_outbox_for_a_later_run(uow, clock, aws, sqs):
    add(uow, clock, "dossier.step", {"dossier_id": "d1"})
    missing = sqs.get_queue_url(QueueName=make_queue(sqs, unique_name("gone"))[0].rsplit("/", 1)[1])["QueueUrl"]
    sqs.delete_queue(QueueUrl=missing)
    relay = SqsOutboxRelay(uow, clock, aws, missing)
    assert relay.run() == 0
    assert due(uow, clock) == []  # backing off, not lost
    clock.advance(minutes=1)
    [again] = due(uow, clock)
    assert again.payload == {"dossier_id": "d1"}
    queue, _ = make_queue(sqs, unique_name("outbox"))
    assert SqsOutboxRelay(uow, clock, aws, queue).run() == 1
    assert [decode(b).payload for b in bodies(sqs, queue)] == [{"dossier_id": "d1"}]


def test_a_fifo_queue_gets_the_outbox_id_as_deduplication_id_and_the_dossier_as_group(uow, clock, aws, sqs):
    queue, _ = make_queue(sqs, unique_name("outbox") + ".fifo")
    add(uow, clock, "dossier.status_changed", {"dossier_id": "d7", "action": "receive"})
    [pending] = due(uow, clock)
    assert SqsOutboxRelay(uow, clock, aws, queue).run() == 1
    [m] = sqs.receive_message(QueueUrl=queue, AttributeNames=["All"]).get("Messages", [])
    assert m["Attributes"]["MessageGroupId"] == "d7"
    assert m["Attributes"]["MessageDeduplicationId"] == pending.id


class Recorder:
    def __init__(self, fail_for=()):
        self.seen: list[str] = []
        self.fail_for = set(fail_for)

    def __call__(self, message):
        if message.payload.get("dossier_id") in self.fail_for:
            raise RuntimeError("gateway down")
        self.seen.append(message.payload["dossier_id"])


def test_consumer_runs_the_workers_handlers_and_reports_only_the_failed_message(uow, clock, aws, sqs):
    queue, dlq = make_queue(sqs, unique_name("outbox"), max_receive_count=2)
    for n in range(4):
        add(uow, clock, "dossier.step", {"dossier_id": f"d{n}"})
    SqsOutboxRelay(uow, clock, aws, queue).run()
    first, second = Recorder(fail_for={"d2"}), Recorder()
    worker = OutboxWorker(uow, clock, {"dossier.step": [first, second]})
    consumer = SqsOutboxConsumer(worker, clock, aws)
    reply, count = poll(sqs, queue, lambda event, context: consumer.handle_event(event))
    assert count == 4 and len(reply["batchItemFailures"]) == 1
    assert sorted(first.seen) == ["d0", "d1", "d3"] and sorted(second.seen) == ["d0", "d1", "d3"]
    # Only the failed one comes back; after maxReceiveCount receives it is parked in the DLQ.
    drain(sqs, queue, lambda event, context: consumer.handle_event(event))
    assert sorted(first.seen) == ["d0", "d1", "d3"]
    assert [decode(b).payload["dossier_id"] for b in bodies(sqs, dlq)] == ["d2"]


def test_a_message_that_recovers_is_handled_on_the_retry(uow, clock, aws, sqs):
    queue, dlq = make_queue(sqs, unique_name("outbox"), max_receive_count=3)
    add(uow, clock, "dossier.step", {"dossier_id": "d1"})
    SqsOutboxRelay(uow, clock, aws, queue).run()
    flaky = Recorder(fail_for={"d1"})
    consumer = SqsOutboxConsumer(OutboxWorker(uow, clock, {"dossier.step": [flaky]}), clock, aws)
    reply, _ = poll(sqs, queue, lambda event, context: consumer.handle_event(event))
    assert len(reply["batchItemFailures"]) == 1
    flaky.fail_for.clear()
    reply, _ = poll(sqs, queue, lambda event, context: consumer.handle_event(event))
    assert reply == {"batchItemFailures": []} and flaky.seen == ["d1"]
    assert bodies(sqs, queue) == [] and bodies(sqs, dlq) == []


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"id": "x", "topic": "dossier.step"}',
                                  '{"id": "x", "topic": "t", "payload": {}, "created_at": "2026-11-26T02:00:00"}',
                                  '{"id": "", "topic": "t", "payload": {}, "created_at": "2026-11-26T02:00:00+00:00"}'])
def test_a_poison_message_never_reaches_a_handler_and_ends_in_the_dlq(uow, clock, aws, sqs, body):
    queue, dlq = make_queue(sqs, unique_name("outbox"), max_receive_count=2)
    sqs.send_message(QueueUrl=queue, MessageBody=body)
    called = Recorder()
    consumer = SqsOutboxConsumer(OutboxWorker(uow, clock, {"dossier.step": [called], "t": [called]}), clock, aws)
    replies = drain(sqs, queue, lambda event, context: consumer.handle_event(event))
    assert len(replies) == 2 and all(len(r["batchItemFailures"]) == 1 for r in replies)
    assert called.seen == []
    assert bodies(sqs, dlq) == [body]


def test_a_handler_asking_for_later_hides_the_message_until_then(uow, clock, aws, sqs):
    from motcua.services.notifications import DeliverLater

    queue, _ = make_queue(sqs, unique_name("outbox"))
    add(uow, clock, "dossier.reminder", {"dossier_id": "d1"})
    SqsOutboxRelay(uow, clock, aws, queue).run()

    def quiet(message):
        raise DeliverLater("quiet hours", retry_at=clock.now() + timedelta(hours=5))

    consumer = SqsOutboxConsumer(OutboxWorker(uow, clock, {"dossier.reminder": [quiet]}), clock, aws)
    reply, _ = poll(sqs, queue, lambda event, context: consumer.handle_event(event))
    assert len(reply["batchItemFailures"]) == 1
    # With the queue's visibility timeout of 0 it would be back at once; it is hidden for 5 hours instead.
    assert poll(sqs, queue, lambda event, context: consumer.handle_event(event)) == (None, 0)
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])
    assert counts["Attributes"]["ApproximateNumberOfMessagesNotVisible"] == "1"


def test_malformed_events_do_not_crash_the_consumer(uow, clock):
    consumer = SqsOutboxConsumer(OutboxWorker(uow, clock, {}), clock)
    for event in ({}, {"Records": None}, {"Records": [None, 1, {"body": "{}"}]}, []):
        assert consumer.handle_event(event) == {"batchItemFailures": []}
