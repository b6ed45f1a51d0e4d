"""Public tracking by dossier code + phone. Failed look-ups are rate limited, so codes cannot be enumerated."""

from __future__ import annotations

from motcua.domain.codes import normalise_code
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import NotFound, TooManyRequests
from motcua.domain.phones import normalise_phone
from motcua.services.ports import Clock, UnitOfWorkFactory

FAILURES_PER_IP = 10
FAILURES_PER_CODE = 10
WINDOW_SECONDS = 15 * 60


class TrackingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def track(self, raw_code: object, raw_phone: object, *, client_ip: str) -> Dossier:
        """The dossier if code AND phone match; otherwise NotFound, without saying which part was wrong."""
        code = normalise_code(raw_code) if isinstance(raw_code, str) else None
        phone = normalise_phone(raw_phone)
        now = self._clock.now()
        keys = [(f"track-ip:{client_ip}", FAILURES_PER_IP)]
        if code:
            keys.append((f"track-code:{code}", FAILURES_PER_CODE))
        with self._uow(readonly=True) as uow:
            for key, limit in keys:
                wait = uow.rate_limits.blocked(key, limit=limit, window_seconds=WINDOW_SECONDS, now=now)
                if wait:
                    raise _too_many(wait)
            dossier = uow.dossiers.get_by_code(code) if code and phone else None
        if dossier is not None and phone in {dossier.applicant_phone, dossier.form.get("applicant_phone")}:
            return dossier
        # Only failures are counted (a durable write); honest look-ups stay read-only and fast.
        with self._uow() as uow:
            for key, limit in keys:
                uow.rate_limits.hit(key, limit=limit, window_seconds=WINDOW_SECONDS, now=now)
            uow.commit()
        raise NotFound("not_found", "Không tìm thấy hồ sơ với mã và số điện thoại này.",
                       message_en="No dossier matches this code and phone number.")


def _too_many(retry_after: int) -> TooManyRequests:
    return TooManyRequests(
        "rate_limited", f"Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau {retry_after} giây.",
        retry_after=retry_after, message_en=f"Too many failed look-ups. Try again in {retry_after} seconds.",
    )
