"""The DynamoDB store: units of work over the tables of ``dynamodb_schema`` (ADR 0006 explains the keys).

Usage (the composition root)::

    factory = DynamoUnitOfWorkFactory(DynamoConfig(table_prefix="motcua-prod-", region="ap-southeast-1"))
    with factory() as uow:
        ...
        uow.commit()

A unit of work buffers its writes, one per item key, and ``commit()`` sends them as ONE ``TransactWriteItems``
(the dossier's change + its outbox messages + its audit entry + uniqueness items); a cancelled transaction raises
``Conflict('stale_version')`` like the SQLite adapter. Keyed reads look at the buffer first (read-your-writes) and
are strongly consistent. A few operations act at once because they must be unique across processes or answer now
(counters, rate-limit hits, idempotency reservations, outbox leases, single-use challenges and enrolment links,
citizens by phone); see ADR 0006 for what that changes. Units of work opened while another is open on the same
thread join it (the idempotency decorator around a service): an inner rollback drops only the inner writes.

The boto3 client is created on first use, once per factory, and shared by threads (boto3 clients are thread-safe).
"""

from __future__ import annotations

import threading
from typing import Any

from motcua.adapters import dynamodb_repositories as repos
from motcua.adapters.dynamodb_core import DynamoConfig, DynamoStore, Transaction, Write
from motcua.adapters.dynamodb_public import DynamoFeedback, DynamoRatings
from motcua.adapters.dynamodb_statistics import DynamoStatistics
from motcua.domain.dossiers import Dossier
from motcua.domain.payments import Payment

__all__ = ["DynamoConfig", "DynamoStore", "DynamoUnitOfWork", "DynamoUnitOfWorkFactory"]


class DynamoUnitOfWork:
    """Implements services.ports.UnitOfWork over DynamoDB (see the module docstring)."""

    def __init__(self, factory: DynamoUnitOfWorkFactory, *, readonly: bool = False) -> None:
        self._factory = factory
        self.store = factory.store
        self._readonly = readonly
        self._open = False
        self._tx: Transaction | None = None
        self._snapshot: Any = None
        self.dossiers = repos.DynamoDossiers(self)
        self.citizens = repos.DynamoCitizens(self)
        self.otps = repos.DynamoOtps(self)
        self.sessions = repos.DynamoSessions(self)
        self.idempotency = repos.DynamoIdempotency(self)
        self.counters = repos.DynamoCounters(self)
        self.rate_limits = repos.DynamoRateLimits(self)
        self.outbox = repos.DynamoOutbox(self)
        self.audit = repos.DynamoAudit(self)
        self.officials = repos.DynamoOfficials(self)
        self.enrolments = repos.DynamoEnrolments(self)
        self.passkeys = repos.DynamoPasskeys(self)
        self.challenges = repos.DynamoChallenges(self)
        self.push_subscriptions = repos.DynamoPushSubscriptions(self)
        self.deliveries = repos.DynamoDeliveries(self)
        self.preferences = repos.DynamoPreferences(self)
        self.payments = repos.DynamoPayments(self)
        self.housekeeping = repos.DynamoHousekeeping(self)
        self.ratings = DynamoRatings(self)
        self.feedback = DynamoFeedback(self)
        self.statistics = DynamoStatistics(self)

    @property
    def readonly(self) -> bool:
        return self._readonly

    @property
    def tx(self) -> Transaction:
        if self._tx is None or not self._open:
            raise RuntimeError("the unit of work is not open")
        return self._tx

    def write(self, write: Write) -> None:
        self.ensure_writable()
        self.tx.add(write)

    def ensure_writable(self) -> None:
        if self._readonly:
            raise RuntimeError("read-only unit of work")

    def get(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        return self.tx.get(table, key)

    def get_many(self, table: str, keys: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        return self.tx.get_many(table, keys)

    def __enter__(self) -> DynamoUnitOfWork:
        scopes = self._factory.scopes()
        outer = scopes[-1] if scopes else None
        if outer is not None:
            if outer.readonly and not self._readonly:
                raise RuntimeError("a writing unit of work cannot nest inside a read-only one")
            self._tx = outer.tx
            self._snapshot = self._tx.snapshot()
        else:
            self._tx = Transaction(self.store)
        scopes.append(self)
        self._open = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._open:
            self.rollback()

    def _close(self) -> None:
        self._open = False
        scopes = self._factory.scopes()
        if scopes and scopes[-1] is self:
            scopes.pop()

    def commit(self) -> None:
        if self._readonly:
            raise RuntimeError("read-only unit of work")
        aggregates: list[Dossier | Payment] = [*self.dossiers.seen(), *self.payments.seen()]
        for aggregate in aggregates:
            for event in aggregate.events:
                self.outbox.add(event.topic, event.payload(), now=aggregate.updated_at)
            aggregate.events.clear()
        tx = self.tx
        self._close()
        if self._snapshot is None:
            try:
                tx.flush()
            except BaseException:
                tx.run_undo()
                raise
            tx.undo.clear()

    def rollback(self) -> None:
        if not self._open:
            return
        tx = self.tx
        self._close()
        if self._snapshot is not None:
            tx.restore(self._snapshot)
        else:
            tx.writes.clear()
            tx.run_undo()


class DynamoUnitOfWorkFactory:
    """``DynamoUnitOfWorkFactory(DynamoConfig(table_prefix=…, region=…, endpoint_url=…))``: a UnitOfWorkFactory."""

    def __init__(self, config: DynamoConfig | None = None, *, store: DynamoStore | None = None) -> None:
        self.store = store or DynamoStore(config or DynamoConfig())
        self._local = threading.local()

    def scopes(self) -> list[DynamoUnitOfWork]:
        scopes: list[DynamoUnitOfWork] | None = getattr(self._local, "scopes", None)
        if scopes is None:
            scopes = self._local.scopes = []
        return scopes

    def __call__(self, *, readonly: bool = False) -> DynamoUnitOfWork:
        return DynamoUnitOfWork(self, readonly=readonly)
