"""In-memory passkey and challenge stores: the reference behaviour for the SQLite and DynamoDB adapters, and the
stores unit tests use. Thread-safe (one lock each); nothing survives a restart."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime

from motcua.domain.errors import Conflict
from motcua.services.passkeys import PasskeyCredential, PendingChallenge
from motcua.services.ports import Clock


class MemoryPasskeyStore:
    """Implements ``PasskeyStore``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[bytes, PasskeyCredential] = {}

    def add(self, credential: PasskeyCredential) -> None:
        with self._lock:
            # Checked under the lock: two registrations racing with one credential id must not both succeed.
            if credential.credential_id in self._by_id:
                raise Conflict("credential_already_registered", "Khoá truy cập này đã được đăng ký.",
                               message_en="This passkey is already registered.")
            self._by_id[credential.credential_id] = credential

    def get(self, credential_id: bytes) -> PasskeyCredential | None:
        with self._lock:
            return self._by_id.get(bytes(credential_id))

    def for_official(self, official_id: str) -> list[PasskeyCredential]:
        with self._lock:
            found = [c for c in self._by_id.values() if c.official_id == official_id]
        return sorted(found, key=lambda c: (c.created_at, c.credential_id))

    def record_use(self, credential_id: bytes, *, sign_count: int, used_at: datetime) -> None:
        with self._lock:
            current = self._by_id.get(bytes(credential_id))
            if current is None:
                return  # removed meanwhile: nothing to update
            # max(): a slower request finishing last must not lower the count the clone check relies on.
            self._by_id[current.credential_id] = dataclasses.replace(
                current, sign_count=max(current.sign_count, sign_count), last_used_at=used_at)


class MemoryChallengeStore:
    """Implements ``ChallengeStore``. Expired challenges are dropped on ``put`` when a clock is given, and the
    number held is capped, so an anonymous caller asking for sign-in options again and again cannot fill memory."""

    def __init__(self, clock: Clock | None = None, *, max_pending: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, PendingChallenge] = {}
        self._clock = clock
        self._max_pending = max_pending

    def put(self, pending: PendingChallenge) -> None:
        with self._lock:
            if self._clock is not None:
                now = self._clock.now()
                for key in [k for k, p in self._pending.items() if p.expires_at <= now]:
                    del self._pending[key]
            while len(self._pending) >= self._max_pending:
                # Dicts keep insertion order: evict the oldest challenge first.
                del self._pending[next(iter(self._pending))]
            self._pending[pending.id] = pending

    def take(self, challenge_id: str) -> PendingChallenge | None:
        with self._lock:
            return self._pending.pop(challenge_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)
