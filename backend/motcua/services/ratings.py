"""Satisfaction ratings: online by the dossier's owner, or anonymously at a counter's kiosk with the dossier code.

One rating per dossier across both channels (the store's conditional write decides a race). The rating, its
``rating.submitted`` event (outbox) and an audit entry commit together. The kiosk answers only "thank you",
"already rated" or "not found or not finished": nothing about the dossier itself.
"""

from __future__ import annotations

import uuid
from typing import Any

from motcua.domain.codes import normalise_code
from motcua.domain.dossiers import Dossier
from motcua.domain.errors import Conflict, NotFound, TooManyRequests
from motcua.domain.events import RatingSubmitted
from motcua.domain.ratings import Rating, already_rated, clean_rating, ensure_rateable
from motcua.services.dossiers import Actor, DossierService
from motcua.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

KIOSK_ATTEMPTS_PER_IP = 30  # a counter's tablet serves one person a minute at most
KIOSK_WINDOW_SECONDS = 10 * 60


def _utc(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def not_rateable() -> NotFound:
    return NotFound("not_rateable", "Không tìm thấy hồ sơ đã trả kết quả với mã này.",
                    message_en="No dossier with a returned result has this code.")


class RatingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def for_own(self, actor: Actor, dossier_id: str) -> tuple[Dossier, Rating | None]:
        with self._uow(readonly=True) as uow:
            dossier = DossierService._own(uow, actor, dossier_id)
            return dossier, uow.ratings.for_dossier(dossier.id)

    def rate_own(self, actor: Actor, dossier_id: str, body: dict[str, Any]) -> Rating:
        overall, criteria, comment = clean_rating(body)
        with self._uow() as uow:
            dossier = DossierService._own(uow, actor, dossier_id)
            ensure_rateable(dossier)
            rating = self._record(uow, dossier, "online", overall, criteria, comment, actor.session.user_id,
                                  actor=actor.ref, device=actor.device)
            uow.commit()
        return rating

    def rate_at_kiosk(self, raw_code: object, body: dict[str, Any], *, client_ip: str, device: str) -> Rating:
        now = self._clock.now()
        with self._uow() as uow:  # counted whatever the outcome: the limit is what stops guessing codes
            wait = uow.rate_limits.hit(f"kiosk-ip:{client_ip}", limit=KIOSK_ATTEMPTS_PER_IP,
                                       window_seconds=KIOSK_WINDOW_SECONDS, now=now)
            uow.commit()
        if wait:
            raise TooManyRequests("rate_limited", f"Vui lòng thử lại sau {wait} giây.", retry_after=wait,
                                  message_en=f"Please try again in {wait} seconds.")
        code = normalise_code(raw_code) if isinstance(raw_code, str) and len(raw_code) <= 60 else None
        overall, criteria, comment = clean_rating(body)
        with self._uow() as uow:
            dossier = uow.dossiers.get_by_code(code) if code else None
            if dossier is None:
                raise not_rateable()
            try:
                ensure_rateable(dossier)
            except Conflict:
                raise not_rateable() from None
            rating = self._record(uow, dossier, "kiosk", overall, criteria, comment, None, actor="kiosk",
                                  device=device)
            uow.commit()
        return rating

    def _record(self, uow: UnitOfWork, dossier: Dossier, channel: str, overall: int,
                criteria: dict[str, int | None], comment: str, citizen_id: str | None, *, actor: str,
                device: str) -> Rating:
        if uow.ratings.for_dossier(dossier.id) is not None:
            raise already_rated()
        now = self._clock.now()
        assert dossier.competent_unit_id is not None  # ensure_rateable checked it
        rating = Rating(id=uuid.uuid4().hex, dossier_id=dossier.id, unit_id=dossier.competent_unit_id,
                        procedure_code=dossier.procedure_code, channel=channel, overall=overall, criteria=criteria,
                        comment=comment, created_at=now, citizen_id=citizen_id)
        if not uow.ratings.add(rating):  # someone rated it between our read and our write
            raise already_rated()
        event = RatingSubmitted(rating_id=rating.id, dossier_id=dossier.id, unit_id=rating.unit_id,
                                procedure_code=rating.procedure_code, channel=channel, overall=overall,
                                criteria=dict(criteria), at=_utc(now))
        uow.outbox.add(event.topic, event.payload(), now=now)
        uow.audit.append(f"dossier:{dossier.id}", actor=actor, action="rate", device=device[:200], at=now,
                         before=None, after={"rating_id": rating.id, "channel": channel, "overall": overall})
        return rating
