"""The contract of the statistics port (services/ports.py: StatisticsRepository), for every store adapter.

SQLite and DynamoDB (moto server: counter items with ADD, the processed-marker put with a condition in the same
transaction).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from motcua.domain.statistics import METRICS, StatKey
from support.stores import run_threads

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
WARD, OTHER = "phuong-tran-bien", "phuong-bien-hoa"


def read(uow_factory, units=(WARD,), fields=("ho-tich",), month_from="2026-01", month_to="2026-12", procedure=""):
    with uow_factory(readonly=True) as uow:
        rows = uow.statistics.read(units=list(units), fields=list(fields), procedure_code=procedure,
                                   month_from=month_from, month_to=month_to)
    return {key: dict(zip(METRICS, values, strict=True)) for key, values in rows}


def test_increments_start_at_zero_and_add_up(uow_factory):
    key = StatKey(WARD, "ho-tich", "", "2026-11")
    with uow_factory() as uow:
        uow.statistics.add(key, {"received": 2, "received_online": 1})
        uow.statistics.add(key, {"received": 3, "resolved_late": 1})
        uow.commit()
    row = read(uow_factory)[key]
    assert (row["received"], row["received_online"], row["resolved_late"], row["ratings"]) == (5, 1, 1, 0)


def test_read_returns_the_pairs_and_months_asked_for_only(uow_factory):
    with uow_factory() as uow:
        for unit, field, procedure, month in [
                (WARD, "ho-tich", "", "2026-10"), (WARD, "ho-tich", "", "2026-11"),
                (WARD, "ho-tich", "1.001193", "2026-11"), (WARD, "chung-thuc", "", "2026-11"),
                (OTHER, "ho-tich", "", "2026-11"), (WARD, "ho-tich", "", "2027-01")]:
            uow.statistics.add(StatKey(unit, field, procedure, month), {"received": 1})
        uow.commit()
    assert set(read(uow_factory, month_from="2026-11", month_to="2026-12")) == {StatKey(WARD, "ho-tich", "", "2026-11")}
    assert len(read(uow_factory, units=(WARD, OTHER), fields=("ho-tich", "chung-thuc"))) == 4
    assert set(read(uow_factory, procedure="1.001193")) == {StatKey(WARD, "ho-tich", "1.001193", "2026-11")}
    assert read(uow_factory, units=()) == {}


def test_a_message_is_marked_processed_once_and_a_rollback_keeps_no_mark(uow_factory):
    with uow_factory() as uow:
        assert uow.statistics.mark_processed("m1", at=NOW) is True
        uow.statistics.add(StatKey(WARD, "ho-tich", "", "2026-11"), {"received": 1})
    # rolled back (the handler failed): the message will be delivered again and must count then
    with uow_factory() as uow:
        assert uow.statistics.mark_processed("m1", at=NOW) is True
        uow.commit()
    with uow_factory() as uow:
        assert uow.statistics.mark_processed("m1", at=NOW) is False
    assert read(uow_factory) == {}


def test_concurrent_increments_are_not_lost(uow_factory):
    key = StatKey(WARD, "ho-tich", "", "2026-11")

    def bump(_: int) -> None:
        for _ in range(25):
            with uow_factory() as uow:
                uow.statistics.add(key, {"received": 1, "rating_sum": 4})
                uow.commit()

    assert run_threads(bump, 4) == [None] * 4  # none raised
    row = read(uow_factory)[key]
    assert (row["received"], row["rating_sum"]) == (100, 400)


def test_reset_zeroes_only_the_metrics_named(uow_factory):
    key = StatKey(WARD, "ho-tich", "", "2026-11")
    with uow_factory() as uow:
        uow.statistics.add(key, {"received": 7, "ratings": 2})
        uow.statistics.reset(["received"])
        uow.commit()
    row = read(uow_factory)[key]
    assert (row["received"], row["ratings"]) == (0, 2)


def test_unknown_metrics_are_refused(uow_factory):
    with uow_factory() as uow, pytest.raises(ValueError, match="unknown statistics metric"):
        uow.statistics.add(StatKey(WARD, "ho-tich", "", "2026-11"), {"received; DROP TABLE x": 1})


def test_the_version_moves_with_each_touch(uow_factory):
    with uow_factory(readonly=True) as uow:
        before = uow.statistics.version()
    with uow_factory() as uow:
        uow.statistics.touch()
        uow.statistics.touch()
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.statistics.version() == before + 2
