"""Checking the tamper-evident audit trail: every entry's hash must cover its content and the previous hash."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.adapters.audit_chain import GENESIS, entry_hash
from motcua.services.ports import AuditEntry, UnitOfWorkFactory


@dataclass(frozen=True)
class ChainReport:
    subject: str
    entries: int
    broken_at: int | None  # sequence number of the first entry that does not check out
    problem: str | None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def check_entries(subject: str, entries: list[AuditEntry]) -> ChainReport:
    previous = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return ChainReport(subject, len(entries), entry.seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != previous:
            return ChainReport(subject, len(entries), entry.seq, "does not follow the previous entry")
        recomputed = entry_hash(subject=entry.subject, seq=entry.seq, at=entry.at, actor=entry.actor,
                                action=entry.action, device=entry.device, before=entry.before, after=entry.after,
                                prev_hash=entry.prev_hash)
        if recomputed != entry.hash:
            return ChainReport(subject, len(entries), entry.seq, "content changed after it was written")
        previous = entry.hash
    return ChainReport(subject, len(entries), None, None)


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def check(self, subject: str) -> ChainReport:
        with self._uow(readonly=True) as uow:
            return check_entries(subject, uow.audit.entries(subject))

    def check_all(self) -> list[ChainReport]:
        with self._uow(readonly=True) as uow:
            subjects = uow.audit.subjects()
        return [self.check(subject) for subject in subjects]
