"""Officials sign in with passkeys only. An admin (or `python -m motcua enrol`) issues a single-use enrolment
link; following it creates the official's first passkey and signs them in."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from motcua.domain.errors import NotFound, Unauthenticated
from motcua.domain.officials import Official
from motcua.services.auth import hash_token
from motcua.services.passkeys import PasskeyService
from motcua.services.ports import Clock, Session, UnitOfWorkFactory

ENROLMENT_TTL = timedelta(hours=72)


@dataclass(frozen=True)
class OfficialSignedIn:
    session: Session
    raw_token: str
    official: Official


def _gone() -> NotFound:
    return NotFound("enrolment_not_found", "Đường dẫn đăng ký không còn hiệu lực. Vui lòng xin quản trị viên cấp lại.",
                    message_en="This enrolment link is used, expired or unknown. Ask an administrator for a new one.")


class OfficialAuthService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, passkeys: PasskeyService, session_ttl: timedelta) -> None:
        self._uow = uow
        self._clock = clock
        self._passkeys = passkeys
        self._session_ttl = session_ttl

    def issue_enrolment(self, official_id: str) -> str:
        """A new single-use link token for an official (only its hash is stored)."""
        now = self._clock.now()
        token = secrets.token_urlsafe(24)
        with self._uow() as uow:
            if uow.officials.get(official_id) is None:
                raise NotFound("official_not_found", "Không tìm thấy cán bộ.", message_en="Unknown official.")
            uow.enrolments.add(hashlib.sha256(token.encode()).hexdigest(), official_id, now=now,
                               expires_at=now + ENROLMENT_TTL)
            uow.commit()
        return token

    def _official_for(self, token: object, *, use: bool) -> Official:
        if not isinstance(token, str) or not 10 <= len(token) <= 100:
            raise _gone()
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = self._clock.now()
        with self._uow() as uow:
            official_id = uow.enrolments.use(digest, now=now) if use else uow.enrolments.peek(digest, now=now)
            official = uow.officials.get(official_id) if official_id else None
            if official is None:
                raise _gone()
            uow.commit()
        return official

    def enrolment_options(self, token: object) -> tuple[str, dict[str, Any], Official]:
        official = self._official_for(token, use=False)
        challenge_id, options = self._passkeys.registration_options(
            official_id=official.id, user_name=official.email or official.id, display_name=official.name)
        return challenge_id, options, official

    def enrol(self, token: object, challenge_id: str, credential: object, *, device: str) -> OfficialSignedIn:
        official = self._official_for(token, use=False)
        self._passkeys.verify_registration(challenge_id, credential, device_label=device[:200])  # type: ignore[arg-type]
        self._official_for(token, use=True)  # spent only once the passkey is really registered
        return self._open_session(official, device)

    def login_options(self) -> tuple[str, dict[str, Any]]:
        return self._passkeys.authentication_options(purpose="login")

    def login(self, challenge_id: str, credential: object, *, device: str) -> OfficialSignedIn:
        official_id = self._passkeys.verify_authentication(challenge_id, credential, purpose="login")  # type: ignore[arg-type]
        with self._uow(readonly=True) as uow:
            official = uow.officials.get(official_id)
        if official is None:
            raise Unauthenticated("unauthenticated", "Tài khoản cán bộ không còn hiệu lực.",
                                  message_en="This official account no longer exists.")
        return self._open_session(official, device)

    def _open_session(self, official: Official, device: str) -> OfficialSignedIn:
        now = self._clock.now()
        raw = secrets.token_urlsafe(32)
        session = Session(token_hash=hash_token(raw), user_kind="official", user_id=official.id,
                          phone=official.phone or "", created_at=now, expires_at=now + self._session_ttl,
                          device=device[:200])
        with self._uow() as uow:
            uow.sessions.add(session)
            uow.commit()
        return OfficialSignedIn(session=session, raw_token=raw, official=official)
