"""Citizen sign-in with a phone number and a one-time code sent by SMS.

Codes are 6 digits, stored only as an HMAC, valid 5 minutes, 5 wrong tries at most; resending is throttled.
The identity port is the pair (request_code, verify): a VNeID (OpenID Connect) adapter will end in the same
``start_session`` call.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from motcua.domain.errors import InvalidInput, TooManyRequests, Unauthenticated
from motcua.domain.phones import normalise_phone
from motcua.services.ports import Citizen, Clock, OtpChallenge, Session, SmsSender, UnitOfWorkFactory

OTP_TTL = timedelta(minutes=5)
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_AFTER = timedelta(seconds=60)
OTP_MAX_SENDS_PER_HOUR = 5
OTP_REQUESTS_PER_IP_PER_HOUR = 30


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    session: Session
    raw_token: str
    citizen: Citizen


class AuthService:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, sms: SmsSender, secret: bytes, session_ttl: timedelta
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._sms = sms
        self._secret = secret
        self._session_ttl = session_ttl

    def _code_hash(self, phone: str, code: str) -> str:
        return hmac.new(self._secret, f"otp:{phone}:{code}".encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def _phone(raw: object) -> str:
        phone = normalise_phone(raw)
        if phone is None:
            raise InvalidInput(
                "invalid_phone",
                "Số điện thoại không hợp lệ.",
                message_en="Enter a Vietnamese mobile number, like 0912 345 678.",
                fields={"phone": "Số điện thoại: nhập số di động Việt Nam, ví dụ 0912 345 678."},
            )
        return phone

    def request_code(self, raw_phone: object, *, client_ip: str) -> dict[str, int]:
        """Send a new code by SMS. Throttled per phone (one a minute, five an hour) and per IP address."""
        phone = self._phone(raw_phone)
        now = self._clock.now()
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self._uow() as uow:
            wait = uow.rate_limits.hit(f"otp-ip:{client_ip}", limit=OTP_REQUESTS_PER_IP_PER_HOUR,
                                       window_seconds=3600, now=now)
            if wait:
                uow.commit()
                raise _too_many(wait)
            current = uow.otps.get(phone)
            sends, window = 1, now
            if current is not None:
                since = now - current.sent_at
                if since < OTP_RESEND_AFTER:
                    raise _too_many(int((OTP_RESEND_AFTER - since).total_seconds()) + 1)
                window = current.window_started_at or current.sent_at
                if now - window < timedelta(hours=1):
                    sends = current.sends_in_window + 1
                    if sends > OTP_MAX_SENDS_PER_HOUR:
                        raise _too_many(int((window + timedelta(hours=1) - now).total_seconds()) + 1)
                else:
                    window = now
            uow.otps.put(OtpChallenge(phone=phone, code_hash=self._code_hash(phone, code), expires_at=now + OTP_TTL,
                                      sent_at=now, attempts=0, sends_in_window=sends, window_started_at=window))
            uow.commit()
        # SMS practice in Vietnam: no diacritics, GSM-7, one segment.
        self._sms.send_sms(phone, f"Ma xac thuc DVC Dong Nai: {code}. Het han sau 5 phut. Khong chia se ma nay.")
        return {"expires_in": int(OTP_TTL.total_seconds()), "resend_after": int(OTP_RESEND_AFTER.total_seconds())}

    def verify(self, raw_phone: object, raw_code: object, *, device: str) -> SignedIn:
        """Check the code; on success open a new session (a fresh token: no session fixation)."""
        phone = self._phone(raw_phone)
        code = raw_code.strip() if isinstance(raw_code, str) else ""
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise InvalidInput("invalid_code", "Mã xác thực gồm 6 chữ số.", message_en="The code has 6 digits.",
                               fields={"code": "Mã xác thực: nhập đủ 6 chữ số."})
        now = self._clock.now()
        with self._uow() as uow:
            challenge = uow.otps.get(phone)
            if challenge is None or challenge.expires_at <= now or challenge.attempts >= OTP_MAX_ATTEMPTS:
                raise Unauthenticated("code_expired", "Mã xác thực đã hết hạn. Vui lòng lấy mã mới.",
                                      message_en="The code has expired. Ask for a new one.")
            if not hmac.compare_digest(challenge.code_hash, self._code_hash(phone, code)):
                challenge.attempts += 1
                uow.otps.put(challenge)
                uow.commit()  # the failed try must count even though we refuse
                left = OTP_MAX_ATTEMPTS - challenge.attempts
                raise Unauthenticated("wrong_code", f"Mã xác thực không đúng. Còn {left} lần thử.",
                                      message_en=f"Wrong code. {left} tries left.",
                                      fields={"code": "Mã xác thực không đúng."})
            uow.otps.delete(phone)
            citizen = uow.citizens.get_or_create(phone, now=now)
            raw_token = secrets.token_urlsafe(32)
            session = Session(token_hash=hash_token(raw_token), user_kind="citizen", user_id=citizen.id,
                              phone=phone, created_at=now, expires_at=now + self._session_ttl, device=device[:200])
            uow.sessions.add(session)
            uow.commit()
        return SignedIn(session=session, raw_token=raw_token, citizen=citizen)

    def session_for(self, raw_token: str | None) -> Session | None:
        if not raw_token or len(raw_token) > 200:
            return None
        with self._uow(readonly=True) as uow:
            session = uow.sessions.get(hash_token(raw_token))
        if session is None or session.expires_at <= self._clock.now():
            return None
        return session

    def sign_out(self, raw_token: str | None) -> None:
        if not raw_token:
            return
        with self._uow() as uow:
            uow.sessions.delete(hash_token(raw_token))
            uow.commit()


def _too_many(retry_after: int) -> TooManyRequests:
    return TooManyRequests(
        "rate_limited", f"Bạn thao tác quá nhanh. Vui lòng thử lại sau {retry_after} giây.",
        retry_after=retry_after, message_en=f"Too many requests. Try again in {retry_after} seconds.",
    )
