"""What Lambda's SQS event source mapping does, done by hand against moto (moto does not run Lambda pollers):
receive a batch, hand it to the function as an SQS event, delete what the function did not report as failed."""

from __future__ import annotations

import hashlib

REGION = "ap-southeast-1"


def make_queue(sqs, name: str, *, max_receive_count: int = 3, visibility_timeout: int = 0) -> tuple[str, str]:
    """A queue with a dead-letter queue after ``max_receive_count`` receives; returns (queue url, dlq url)."""
    fifo = name.endswith(".fifo")
    dlq_name = name.replace(".fifo", "") + "-dlq" + (".fifo" if fifo else "")
    dlq_attrs = {"FifoQueue": "true"} if fifo else {}
    dlq_url = sqs.create_queue(QueueName=dlq_name, Attributes=dlq_attrs)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attrs = {"VisibilityTimeout": str(visibility_timeout),
             "RedrivePolicy": f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"{max_receive_count}"}}'}
    if fifo:
        attrs["FifoQueue"] = "true"
    return sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"], dlq_url


def sqs_event(sqs, queue_url: str, messages: list[dict]) -> dict:
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    records = []
    for m in messages:
        records.append({
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": {k: str(v) for k, v in m.get("Attributes", {}).items()},
            "messageAttributes": {
                k: {"stringValue": v.get("StringValue"), "stringListValues": [], "binaryListValues": [],
                    "dataType": v["DataType"]}
                for k, v in m.get("MessageAttributes", {}).items()
            },
            "md5OfBody": hashlib.md5(m["Body"].encode()).hexdigest(),  # noqa: S324 - SQS's own checksum
            "eventSource": "aws:sqs",
            "eventSourceARN": arn,
            "awsRegion": REGION,
        })
    return {"Records": records}


def poll(sqs, queue_url: str, handler) -> tuple[dict | None, int]:
    """One poll: (the function's reply or None if the queue was empty, number of records handed over)."""
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"],
                                   MessageAttributeNames=["All"], WaitTimeSeconds=0).get("Messages", [])
    if not messages:
        return None, 0
    reply = handler(sqs_event(sqs, queue_url, messages), None)
    failed = {f["itemIdentifier"] for f in reply["batchItemFailures"]}
    for m in messages:
        if m["MessageId"] not in failed:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
    return reply, len(messages)


def drain(sqs, queue_url: str, handler, *, polls: int = 20) -> list[dict]:
    replies = []
    for _ in range(polls):
        reply, _count = poll(sqs, queue_url, handler)
        if reply is None:
            break
        replies.append(reply)
    return replies


def bodies(sqs, queue_url: str) -> list[str]:
    found = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                    WaitTimeSeconds=0).get("Messages", [])
        if not batch:
            return found
        found += [m["Body"] for m in batch]
