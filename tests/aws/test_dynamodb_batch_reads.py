"""Reads of several DynamoDB items in one unit of work (``DynamoStore.get_many``: BatchGetItem) see what a loop of
single reads would: the unit's own buffered writes, other people's items left alone, unknown ids ignored, and
more keys than one BatchGetItem takes (100)."""

from datetime import UTC, datetime, timedelta

from motcua.services.notification_ports import Delivery

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _delivery(n: int, *, user: str = "c1") -> Delivery:
    return Delivery(id=f"del-{n}", event_id=f"ev-{n}", event_at=NOW, channel="inbox", user_kind="citizen",
                    user_id=user, address="", dossier_id="d1", title="Hồ sơ đã được tiếp nhận",
                    body="Hồ sơ H19-261126-0001 đã được tiếp nhận.", url="/ho-so/d1", status="sent", attempts=1,
                    last_error=None, created_at=NOW + timedelta(minutes=n))


def test_marking_many_notifications_read_reads_them_in_batches_and_sees_the_units_own_writes(dynamodb_factory):
    with dynamodb_factory() as uow:
        for n in range(120):
            uow.deliveries.put(_delivery(n, user="c2" if n == 7 else "c1"))
        uow.commit()
    read_at = NOW + timedelta(hours=1)
    with dynamodb_factory() as uow:
        uow.deliveries.put(_delivery(500))  # written in this unit: not in the table yet
        ids = ["del-500", *(f"del-{n}" for n in range(120)), "del-3", "del-missing", "x" * 150]
        uow.deliveries.mark_read("citizen", "c1", ids, at=read_at)
        uow.commit()
    with dynamodb_factory(readonly=True) as uow:
        unread = [n for n in [*range(120), 500] if uow.deliveries.get(f"del-{n}").read_at != read_at]
        assert unread == [7]  # someone else's
        assert uow.deliveries.get("del-missing") is None
