"""Notifications from committed events: the in-app inbox, Web Push, SMS and e-mail, each exactly once to see.

The outbox delivers an event at least once. Every (event, channel, recipient) gets a delivery record before it
is sent and is marked after: a retried event skips what was already sent. If the worker dies between sending
and marking, the retry sends again, and it is still seen once: a push carries the event as its tag and Topic
(the phone replaces, not adds), and SMS / e-mail carry a dedupe key the sender honours.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from motcua.domain.calendar import VN_TZ
from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier
from motcua.domain.officials import Role
from motcua.services.notification_ports import Delivery, PushPort
from motcua.services.notification_templates import (
    Notice,
    citizen_notice,
    feedback_notice,
    local,
    official_notice,
    payment_notice,
    reminder_notice,
)
from motcua.services.ports import Clock, EmailSender, OutboxMessage, SmsSender, UnitOfWorkFactory

log = logging.getLogger(__name__)

PUSH_TTL = 24 * 3600  # a phone that is off for a day still gets it
PUBLIC_SIDE_TOPICS = frozenset({"feedback.submitted", "feedback.answered", "rating.submitted"})
LOW_RATING = 2  # an overall score this low is brought to the unit's leaders at once


class DeliverLater(Exception):
    """A channel answered 'try again later' (or it is the person's quiet hours): the outbox retries the event,
    at ``retry_at`` when given, else with back-off."""

    def __init__(self, message: str, *, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


QUIET_START, QUIET_END = time(22, 0), time(7, 0)


def quiet_until(now: datetime) -> datetime | None:
    """When quiet hours (22:00–07:00 in Đồng Nai) end, or None outside them."""
    local_now = now.astimezone(VN_TZ)
    if QUIET_END <= local_now.time() < QUIET_START:
        return None
    day = local_now.date() if local_now.time() < QUIET_END else local_now.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=VN_TZ)


@dataclass(frozen=True)
class Recipient:
    kind: str  # citizen | official
    id: str
    phone: str | None
    email: str | None
    url: str  # where tapping the notification leads


class NotificationDispatcher:
    """Outbox handler for dossier events (status changes, steps, deadline alerts)."""

    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, clock: Clock, push: PushPort | None,
                 sms: SmsSender, email: EmailSender, public_base_url: str) -> None:
        self._base = public_base_url.rstrip("/")
        self._uow = uow
        self._catalog = catalog
        self._clock = clock
        self._push = push
        self._sms = sms
        self._email = email

    def __call__(self, message: OutboxMessage) -> None:
        if message.topic in PUBLIC_SIDE_TOPICS:
            self._public_side(message)
            return
        payload = message.payload
        with self._uow(readonly=True) as uow:
            dossier = uow.dossiers.get(payload.get("dossier_id", ""))
        if dossier is None or dossier.code is None:
            return
        self._deliver(message, dossier.id, self._plan(message.topic, payload, dossier))

    def _deliver(self, message: OutboxMessage, dossier_id: str | None, plan: list[tuple[Recipient, Notice]]) -> None:
        jobs: list[tuple[Delivery, Any]] = []
        resume_at: datetime | None = None
        postponed = False
        for recipient, notice in plan:
            try:
                jobs += self._jobs(message, dossier_id, recipient, notice)
            except DeliverLater as later:  # quiet hours: this recipient later, the others now
                postponed, resume_at = True, later.retry_at or resume_at
        if not self._send_all(jobs):
            postponed = True
        if postponed:
            raise DeliverLater(f"some deliveries of {message.id} must be retried", retry_at=resume_at)

    def _public_side(self, message: OutboxMessage) -> None:
        """Feedback answered → its sender; new feedback → the unit's leaders and receiving officers; a low
        satisfaction rating → the unit's leaders."""
        topic, payload = message.topic, message.payload
        plan: list[tuple[Recipient, Notice]] = []
        dossier_id: str | None = None
        with self._uow(readonly=True) as uow:
            if topic == "feedback.answered":
                feedback = uow.feedback.get(str(payload.get("feedback_id", "")))
                notice = feedback_notice(topic)
                if feedback is not None and notice is not None:
                    plan.append((Recipient("citizen", feedback.citizen_id, feedback.sender_phone,
                                           feedback.sender_email, f"/phan-anh/{feedback.id}"), notice))
            elif topic == "feedback.submitted":
                unit = str(payload.get("unit_id", ""))
                notice = feedback_notice(topic, due=local(payload.get("due_at")))
                people = uow.officials.in_unit(unit, Role.LEADER) + uow.officials.in_unit(unit, Role.RECEIVING_OFFICER)
                url = f"/can-bo/phan-anh/{payload.get('feedback_id', '')}"
                plan += [(Recipient("official", p.id, p.phone, p.email, url), notice) for p in people if notice]
            elif topic == "rating.submitted" and int(payload.get("overall") or 5) <= LOW_RATING:
                dossier = uow.dossiers.get(str(payload.get("dossier_id", "")))
                dossier_id = dossier.id if dossier else None
                notice = feedback_notice(topic, overall=int(payload["overall"]), code=dossier.code or "" if dossier
                                         else "")
                people = uow.officials.in_unit(str(payload.get("unit_id", "")), Role.LEADER)
                plan += [(Recipient("official", p.id, p.phone, p.email, f"/can-bo/ho-so/{dossier_id}"), notice)
                         for p in people if notice and dossier_id]
        if plan:
            self._deliver(message, dossier_id, plan)

    # --- who is told what --------------------------------------------------------------------------------------

    def _plan(self, topic: str, payload: dict[str, Any], d: Dossier) -> list[tuple[Recipient, Notice]]:
        action = payload.get("action", "")
        procedure = self._catalog.get(d.procedure_code).name
        due = local(d.due_at)
        plan: list[tuple[Recipient, Notice]] = []
        if topic in ("dossier.status_changed", "dossier.step"):
            note = d.history[-1].note if d.history else ""
            new_date = local(d.apologies[-1].new_due_at)[6:] if action == "apology" and d.apologies else ""
            notice = citizen_notice(action, code=d.code or "", procedure=procedure, due=due, note=note,
                                    new_date=new_date)
            if notice is not None:
                plan.append((self._citizen(d), notice))
            officials_notice = official_notice(action, code=d.code or "", procedure=procedure, due=due)
            if officials_notice is not None:
                plan += [(r, officials_notice) for r in self._officials_for(action, d)]
        elif topic in ("payment.confirmed", "payment.refunded"):
            amount = f"{int(payload.get('amount_vnd', 0)):,} đồng".replace(",", ".")
            paid = payment_notice(topic, code=d.code or "", amount=amount)
            if paid is not None:
                plan.append((self._citizen(d), paid))
        elif topic == "dossier.reminder":
            reminder = reminder_notice(payload.get("kind", ""), code=d.code or "")
            if reminder is not None:
                plan.append((self._citizen(d), replace(reminder, reminder=True)))
        elif topic == "dossier.at_risk":
            notice = official_notice("at_risk", code=d.code or "", procedure=procedure, due=due)
            assert notice is not None
            plan += [(r, notice) for r in self._officials_for("at_risk", d)]
        return plan

    def _citizen(self, d: Dossier) -> Recipient:
        email = d.form.get("applicant_email")
        return Recipient("citizen", d.applicant_id, str(d.form.get("applicant_phone") or d.applicant_phone),
                         email if isinstance(email, str) and email else None, f"/ho-so/{d.id}")

    def _officials_for(self, action: str, d: Dossier) -> list[Recipient]:
        with self._uow(readonly=True) as uow:
            if action == "submit":
                people = uow.officials.in_unit(d.receiving_office_id or "", Role.RECEIVING_OFFICER)
            elif action == "assign":
                assignee = uow.officials.get(d.assignee_id or "")
                people = [assignee] if assignee else []
            elif action == "propose":
                people = uow.officials.in_unit(d.competent_unit_id or "", Role.LEADER)
            elif action == "at_risk":
                people = uow.officials.in_unit(d.holder_unit_id or d.competent_unit_id or "", Role.LEADER)
                assignee = uow.officials.get(d.assignee_id or "")
                people += [assignee] if assignee and assignee not in people else []
            else:
                people = []
        return [Recipient("official", p.id, p.phone, p.email, f"/can-bo/ho-so/{d.id}") for p in people]

    # --- sending, once -------------------------------------------------------------------------------------------

    def _jobs(self, message: OutboxMessage, dossier_id: str | None, to: Recipient,
              notice: Notice) -> list[tuple[Delivery, Any]]:
        """The deliveries one recipient gets for one event, each with the call that sends it."""
        with self._uow(readonly=True) as uow:
            prefs = uow.preferences.get(to.kind, to.id)
            subscriptions = uow.push_subscriptions.for_user(to.kind, to.id) if prefs.push else []
        if notice.reminder and prefs.quiet_hours:
            resume = quiet_until(self._clock.now())
            if resume is not None:
                raise DeliverLater("quiet hours", retry_at=resume)
        english = prefs.lang == "en"
        title, body = (notice.title_en, notice.body_en) if english else (notice.title_vi, notice.body_vi)
        base = Delivery(id="", event_id=message.id, event_at=message.created_at, channel="", user_kind=to.kind,
                        user_id=to.id, address="", dossier_id=dossier_id, title=title, body=body, url=to.url,
                        status="sending", attempts=0, last_error=None, created_at=self._clock.now())
        inbox_id = f"{message.id}:inbox:{to.kind}:{to.id}"
        jobs: list[tuple[Delivery, Any]] = [(replace(base, id=inbox_id, channel="inbox"), None)]
        for subscription in subscriptions:
            # id: the inbox item (tapping marks it read); tag: the event (a resend replaces, never adds).
            payload = {"id": inbox_id, "title": title, "body": body, "url": to.url, "tag": message.id,
                       "lang": "en" if english else "vi", "kind": to.kind}
            jobs.append((replace(base, id=f"{message.id}:push:{subscription.id}", channel="push",
                                 address=subscription.id),
                         lambda s=subscription, p=payload: self._send_push(s, p, notice)))
        if notice.sms and to.phone and prefs.sms:
            jobs.append((replace(base, id=f"{message.id}:sms:{to.phone}", channel="sms", address=to.phone),
                         lambda: self._send_sms(to.phone or "", notice.sms or "", f"{message.id}:sms")))
        if to.email and prefs.email:
            jobs.append((replace(base, id=f"{message.id}:email:{to.email}", channel="email", address=to.email),
                         lambda: self._send_email(to.email or "", title, body, to.url, f"{message.id}:email")))
        return jobs

    def _send_all(self, jobs: list[tuple[Delivery, Any]]) -> bool:
        """Record every pending delivery (one commit), send, record the outcomes (one commit). False if any must be
        retried. The in-app item needs no sending: it is the record itself. Two commits per event, not per channel:
        the relay shares the write lock with citizens' requests."""
        now = self._clock.now()
        to_send: list[tuple[Delivery, Any]] = []
        with self._uow() as uow:
            for delivery, send in jobs:
                existing = uow.deliveries.get(delivery.id)
                if existing is not None and existing.status in ("sent", "gone"):
                    continue
                current = replace(delivery, attempts=(existing.attempts if existing else 0) + 1,
                                  created_at=existing.created_at if existing else delivery.created_at,
                                  read_at=existing.read_at if existing else None)
                if send is None:
                    current = replace(current, status="sent", sent_at=now)
                else:
                    to_send.append((current, send))
                uow.deliveries.put(current)
            uow.commit()
        outcomes, all_done = [], True
        for current, send in to_send:
            try:
                outcomes.append(replace(current, status=send(), sent_at=self._clock.now()))
            except Exception as exc:  # a broken channel must not stop the others; recorded for officials to see
                log.warning("delivery %s failed: %s", current.id, exc)
                outcomes.append(replace(current, status="failed", last_error=repr(exc)[:500]))
                all_done = False
        if outcomes:
            self._record(outcomes)
        return all_done

    def _record(self, deliveries: list[Delivery]) -> None:
        with self._uow() as uow:
            for delivery in deliveries:
                uow.deliveries.put(delivery)
            uow.commit()

    def _send_push(self, subscription: Any, payload: dict[str, Any], notice: Notice) -> str:
        assert self._push is not None
        result = self._push.push(subscription, payload, ttl=PUSH_TTL, urgency="high" if notice.urgent else "normal",
                                 topic=payload["tag"][:32])
        if result.gone:
            with self._uow() as uow:
                uow.push_subscriptions.delete(subscription.id)
                uow.commit()
            return "gone"
        if not result.delivered and result.retryable:
            raise DeliverLater(f"push service answered {result.status}")
        if not result.delivered:
            log.error("push service refused %s with %s: not retried", subscription.id, result.status)
            return "failed"
        return "sent"

    def _send_sms(self, phone: str, text: str, key: str) -> str:
        self._sms.send_sms(phone, text, key=key)
        return "sent"

    def _send_email(self, address: str, subject: str, body: str, url: str, key: str) -> str:
        text = f"{body}\n\nXem chi tiết: {self._base}{url}\n\nDịch vụ công Đồng Nai"
        self._email.send_email(address, subject, text, key=key)
        return "sent"


def handed_over_within(deliveries: list[Delivery], seconds: float) -> tuple[int, int]:
    """(push deliveries handed to the push service within ``seconds`` of the state change, all push deliveries)."""
    pushes = [d for d in deliveries if d.channel == "push" and d.status == "sent" and d.sent_at is not None]
    fast = [d for d in pushes if (d.sent_at - d.event_at).total_seconds() <= seconds]  # type: ignore[operator]
    return len(fast), len(pushes)

