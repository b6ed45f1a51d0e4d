"""The passkey service's two stores on top of any unit of work (each call is its own unit, or a savepoint of the
request's one)."""

from __future__ import annotations

from datetime import datetime

from motcua.services.passkeys import PasskeyCredential, PendingChallenge
from motcua.services.ports import UnitOfWorkFactory


class UowPasskeyStore:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def add(self, credential: PasskeyCredential) -> None:
        with self._uow() as uow:
            uow.passkeys.add(credential)
            uow.commit()

    def get(self, credential_id: bytes) -> PasskeyCredential | None:
        with self._uow(readonly=True) as uow:
            return uow.passkeys.get(credential_id)

    def for_official(self, official_id: str) -> list[PasskeyCredential]:
        with self._uow(readonly=True) as uow:
            return uow.passkeys.for_official(official_id)

    def record_use(self, credential_id: bytes, *, sign_count: int, used_at: datetime) -> None:
        with self._uow() as uow:
            uow.passkeys.record_use(credential_id, sign_count=sign_count, used_at=used_at)
            uow.commit()


class UowChallengeStore:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def put(self, pending: PendingChallenge) -> None:
        with self._uow() as uow:
            uow.challenges.put(pending)
            uow.commit()

    def take(self, challenge_id: str) -> PendingChallenge | None:
        with self._uow() as uow:
            pending = uow.challenges.take(challenge_id)
            uow.commit()
        return pending
