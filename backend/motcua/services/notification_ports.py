"""What the notification service stores and the push port it sends through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class StoredSubscription:
    id: str
    user_kind: str  # "citizen" | "official"
    user_id: str
    endpoint: str
    p256dh: str
    auth: str
    created_at: datetime
    user_agent: str = ""


@dataclass(frozen=True)
class Delivery:
    """One notification for one recipient on one channel. The id is (event, channel, address): a retried event
    finds the record and does not send twice what was already sent. Channel "inbox" is the in-app list."""

    id: str
    event_id: str
    event_at: datetime
    channel: str  # inbox | push | sms | email
    user_kind: str
    user_id: str
    address: str  # phone, e-mail, push subscription id, or "" for the inbox
    dossier_id: str | None
    title: str
    body: str
    url: str
    status: str  # sending | sent | failed | gone
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None = None
    read_at: datetime | None = None


@dataclass(frozen=True)
class Preferences:
    push: bool = True
    sms: bool = True
    email: bool = True
    quiet_hours: bool = True  # 22:00–07:00 hold back reminders (never urgent notices)
    lang: str = "vi"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"channels": {"push": self.push, "sms": self.sms, "email": self.email},
                "quiet_hours": self.quiet_hours, "lang": self.lang}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preferences:
        channels = data.get("channels") or {}
        lang = data.get("lang")
        return cls(push=bool(channels.get("push", True)), sms=bool(channels.get("sms", True)),
                   email=bool(channels.get("email", True)), quiet_hours=bool(data.get("quiet_hours", True)),
                   lang=lang if isinstance(lang, str) and lang in ("vi", "en") else "vi")


@dataclass(frozen=True)
class PushResult:
    delivered: bool
    gone: bool
    retry_after: float | None
    status: int
    retryable: bool = True


class PushPort(Protocol):
    public_key: str

    def push(self, subscription: StoredSubscription, payload: dict[str, Any], *, ttl: int, urgency: str,
             topic: str | None) -> PushResult: ...
