"""What a signed-in person manages about their notifications: push subscriptions, the inbox, preferences."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import uuid
from typing import Any
from urllib.parse import urlsplit

from motcua.domain.errors import InvalidInput
from motcua.services.notification_ports import Delivery, Preferences, StoredSubscription
from motcua.services.ports import Clock, Session, UnitOfWorkFactory

INBOX_SIZE = 50


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput("validation_failed", message, message_en=f"Invalid {field}.", fields={field: message})


def _endpoint(value: object, *, allow_local: bool) -> str:
    """A push service URL: https (http only to loopback, for tests), never an address inside our network."""
    if not isinstance(value, str) or not 10 <= len(value) <= 1000:
        raise _invalid("endpoint", "Địa chỉ nhận thông báo không hợp lệ.")
    parts = urlsplit(value)
    host = parts.hostname or ""
    local = host in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (allow_local and local and parts.scheme == "http"):
        raise _invalid("endpoint", "Địa chỉ nhận thông báo phải dùng https.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and not (allow_local and address.is_loopback) and (
            address.is_private or address.is_loopback or address.is_link_local or address.is_reserved):
        raise _invalid("endpoint", "Địa chỉ nhận thông báo không hợp lệ.")
    return value


def _key(value: object, field: str, lengths: tuple[int, ...]) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise _invalid(field, "Khóa mã hóa của trình duyệt không hợp lệ.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise _invalid(field, "Khóa mã hóa của trình duyệt không hợp lệ.") from None
    if len(raw) not in lengths:
        raise _invalid(field, "Khóa mã hóa của trình duyệt không hợp lệ.")
    return value


class NotificationCenter:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, *, allow_local_push: bool) -> None:
        self._uow = uow
        self._clock = clock
        self._allow_local = allow_local_push

    def subscribe(self, session: Session, body: dict[str, Any], *, user_agent: str) -> StoredSubscription:
        keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
        subscription = StoredSubscription(
            id=uuid.uuid4().hex, user_kind=session.user_kind, user_id=session.user_id,
            endpoint=_endpoint(body.get("endpoint"), allow_local=self._allow_local),
            p256dh=_key(keys.get("p256dh"), "keys.p256dh", (65,)),  # type: ignore[union-attr]
            auth=_key(keys.get("auth"), "keys.auth", (16,)),  # type: ignore[union-attr]
            created_at=self._clock.now(), user_agent=user_agent[:200])
        with self._uow() as uow:
            stored = uow.push_subscriptions.upsert(subscription)
            uow.commit()
        return stored

    def unsubscribe(self, session: Session, endpoint: object) -> None:
        if not isinstance(endpoint, str):
            raise _invalid("endpoint", "Thiếu địa chỉ nhận thông báo.")
        with self._uow() as uow:
            uow.push_subscriptions.delete_for(session.user_kind, session.user_id, endpoint)
            uow.commit()

    def inbox(self, session: Session) -> list[Delivery]:
        with self._uow(readonly=True) as uow:
            return uow.deliveries.inbox(session.user_kind, session.user_id, limit=INBOX_SIZE)

    def mark_read(self, session: Session, ids: object) -> None:
        if not isinstance(ids, list) or len(ids) > 200 or not all(isinstance(i, str) and len(i) < 200 for i in ids):
            raise _invalid("ids", "Danh sách thông báo không hợp lệ.")
        with self._uow() as uow:
            uow.deliveries.mark_read(session.user_kind, session.user_id, ids, at=self._clock.now())
            uow.commit()

    def preferences(self, session: Session) -> Preferences:
        with self._uow(readonly=True) as uow:
            return uow.preferences.get(session.user_kind, session.user_id)

    def set_preferences(self, session: Session, body: dict[str, Any]) -> Preferences:
        channels = body.get("channels")
        if not isinstance(channels, dict) or not all(
                isinstance(channels.get(k), bool) for k in ("push", "sms", "email")):
            raise _invalid("channels", "Chọn bật hoặc tắt từng kênh (push, sms, email).")
        quiet, lang = body.get("quiet_hours", True), body.get("lang", "vi")
        if not isinstance(quiet, bool) or lang not in ("vi", "en"):
            raise _invalid("quiet_hours", "Giá trị không hợp lệ.")
        prefs = Preferences(push=channels["push"], sms=channels["sms"], email=channels["email"], quiet_hours=quiet,
                            lang=lang)
        with self._uow() as uow:
            uow.preferences.put(session.user_kind, session.user_id, prefs)
            uow.commit()
        return prefs
