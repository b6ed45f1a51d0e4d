"""Feedback and complaints (PAKN): citizens send, the responsible unit answers, the public reads the answer.

Sending needs a signed-in citizen. Signing in here IS the phone + one-time SMS code; asking for the same code on
a second, separate path would only add a flow to maintain, while a session lets the citizen follow the answer in
the app (inbox, push) on a cheap phone without typing the phone number again. The PWA keeps what they typed
while they sign in.

Each change commits with its event (outbox) and an audit entry under ``feedback:<id>``.
"""

from __future__ import annotations

import uuid
from typing import Any

from motcua.domain.calendar import WorkingCalendar
from motcua.domain.catalog import Catalog
from motcua.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.domain.events import FeedbackAnswered, FeedbackSubmitted
from motcua.domain.feedback import (
    ANSWER_PERIOD,
    ANSWERED,
    ANSWERING_ROLES,
    MAX_ANSWER,
    MAX_NAME,
    MAX_QUESTION,
    MIN_QUESTION,
    SUBJECT_KINDS,
    Feedback,
    FeedbackAttachment,
    can_handle,
    clean_email,
    clean_text,
)
from motcua.services.dossiers import Actor, DossierService
from motcua.services.ports import Clock, FileStore, Page, UnitOfWork, UnitOfWorkFactory, UploadChecker
from motcua.services.workflow import OfficialActor

PAGE_SIZE = 20


def _utc(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _not_found() -> NotFound:
    return NotFound("feedback_not_found", "Không tìm thấy phản ánh.", message_en="Feedback not found.")


def _id(value: object) -> str:
    return value if isinstance(value, str) and 0 < len(value) <= 64 else ""


class FeedbackService:
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, calendar: WorkingCalendar, clock: Clock,
                 files: FileStore, uploads: UploadChecker) -> None:
        self._uow = uow
        self._catalog = catalog
        self._calendar = calendar
        self._clock = clock
        self._files = files
        self._uploads = uploads

    # --- citizens ---------------------------------------------------------------------------------------------

    def submit(self, actor: Actor, body: dict[str, Any]) -> Feedback:
        kind = body.get("subject_kind")
        if kind not in SUBJECT_KINDS:
            raise InvalidInput("validation_failed", "Chọn nội dung phản ánh về hồ sơ, thủ tục hay cơ quan.",
                               message_en="subject_kind must be dossier, procedure or office.",
                               fields={"subject_kind": "Phản ánh về: chọn hồ sơ, thủ tục hoặc cơ quan."})
        question = clean_text(body.get("question"), "question", "Nội dung phản ánh", minimum=MIN_QUESTION,
                              maximum=MAX_QUESTION)
        name = clean_text(body.get("sender_name"), "sender_name", "Họ và tên", minimum=1, maximum=MAX_NAME,
                          required=False)
        email = clean_email(body.get("sender_email"))
        now = self._clock.now()
        with self._uow() as uow:
            unit_id, procedure_code, dossier_id, code, applicant = self._route(uow, actor, kind, body)
            feedback = Feedback(
                id=uuid.uuid4().hex, subject_kind=kind, unit_id=unit_id, citizen_id=actor.session.user_id,
                sender_phone=actor.session.phone, sender_name=name, question=question, created_at=now,
                due_at=self._calendar.due_at(now, ANSWER_PERIOD), dossier_id=dossier_id, dossier_code=code,
                procedure_code=procedure_code, applicant_name=applicant, sender_email=email)
            uow.feedback.add(feedback)
            event = FeedbackSubmitted(feedback_id=feedback.id, unit_id=unit_id, subject_kind=kind,
                                      procedure_code=procedure_code, at=_utc(now), due_at=_utc(feedback.due_at))
            uow.outbox.add(event.topic, event.payload(), now=now)
            uow.audit.append(f"feedback:{feedback.id}", actor=actor.ref, action="submit", device=actor.device,
                             at=now, before=None, after={"unit_id": unit_id, "subject_kind": kind,
                                                         "due_at": _utc(feedback.due_at)})
            uow.commit()
        return feedback

    def _route(self, uow: UnitOfWork, actor: Actor, kind: str,
               body: dict[str, Any]) -> tuple[str, str | None, str | None, str | None, str | None]:
        """(unit, procedure code, dossier id, dossier code, applicant name) of what the feedback is about."""
        units = self._catalog.units
        if kind == "dossier":
            dossier = DossierService._own(uow, actor, _id(body.get("dossier_id")))
            unit = dossier.competent_unit_id or dossier.receiving_office_id
            if dossier.is_draft or unit is None:
                raise Conflict("dossier_not_submitted", "Hồ sơ chưa được nộp nên chưa có cơ quan giải quyết.",
                               message_en="The dossier has not been submitted, so no unit handles it yet.")
            applicant = dossier.form.get("applicant_name")
            return (unit, dossier.procedure_code, dossier.id, dossier.code,
                    applicant if isinstance(applicant, str) else None)
        chosen = body.get("unit_id")
        chosen_unit = units.find(chosen) if isinstance(chosen, str) and len(chosen) <= 100 else None
        if kind == "procedure":
            code = body.get("procedure_code")
            procedure = self._catalog.find(code) if isinstance(code, str) and len(code) <= 40 else None
            if procedure is None:
                raise InvalidInput("validation_failed", "Thủ tục không tồn tại.", message_en="Unknown procedure.",
                                   fields={"procedure_code": "Thủ tục: không tồn tại."})
            deciding = procedure.competent_unit(units, chosen_unit_id=chosen_unit.id if chosen_unit else None,
                                                receiving_office_id=chosen_unit.id if chosen_unit else "")
            return deciding.id, procedure.code, None, None, None
        if chosen_unit is None or not chosen_unit.has_one_stop_office:
            raise InvalidInput("validation_failed", "Chọn cơ quan, bộ phận một cửa.", message_en="Choose an office.",
                               fields={"unit_id": "Cơ quan: chọn một bộ phận một cửa."})
        return chosen_unit.id, None, None, None, None

    def add_attachment(self, actor: Actor, feedback_id: str, *, data: bytes, filename: str) -> FeedbackAttachment:
        with self._uow(readonly=True) as uow:
            self._own(uow, actor, feedback_id)  # who asks, and for what, before any work on the bytes
        checked = self._uploads.check(data, filename)
        now = self._clock.now()
        attachment_id = uuid.uuid4().hex
        key = f"feedback/{feedback_id}/{attachment_id}{checked.extension}"
        attachment = FeedbackAttachment(id=attachment_id, filename=checked.filename, content_type=checked.content_type,
                                        size=checked.size, sha256=checked.sha256, storage_key=key, created_at=now)
        self._files.put(key, checked.data, content_type=checked.content_type)
        try:
            with self._uow() as uow:
                feedback = self._own(uow, actor, feedback_id)
                feedback.add_attachment(attachment)
                uow.feedback.save(feedback)
                uow.audit.append(f"feedback:{feedback.id}", actor=actor.ref, action="attach", device=actor.device,
                                 at=now, before=None, after={"attachment_id": attachment_id, "sha256": checked.sha256})
                uow.commit()
        except BaseException:
            self._files.delete(key)
            raise
        return attachment

    @staticmethod
    def _own(uow: UnitOfWork, actor: Actor, feedback_id: object) -> Feedback:
        feedback = uow.feedback.get(_id(feedback_id)) if _id(feedback_id) else None
        if feedback is None or feedback.citizen_id != actor.session.user_id:
            raise _not_found()
        return feedback

    def get_own(self, actor: Actor, feedback_id: str) -> Feedback:
        with self._uow(readonly=True) as uow:
            return self._own(uow, actor, feedback_id)

    def mine(self, actor: Actor, *, page_token: str | None) -> Page[Feedback]:
        with self._uow(readonly=True) as uow:
            return uow.feedback.by_citizen(actor.session.user_id, limit=PAGE_SIZE, page_token=page_token)

    def file_of(self, feedback: Feedback, attachment_id: str) -> tuple[FeedbackAttachment, bytes]:
        found = next((a for a in feedback.attachments if a.id == attachment_id), None)
        data = self._files.get(found.storage_key) if found else None
        if found is None or data is None:
            raise NotFound("attachment_not_found", "Không tìm thấy tệp đính kèm.", message_en="File not found.")
        return found, data

    # --- officials --------------------------------------------------------------------------------------------

    def worklist(self, actor: OfficialActor, unit_id: str, status: str, *, page_token: str | None) -> Page[Feedback]:
        if status not in ("open", ANSWERED):
            raise InvalidInput("validation_failed", "Trạng thái không hợp lệ.", message_en="status: open or answered.",
                               fields={"status": "Trạng thái: open hoặc answered."})
        if not unit_id:
            raise InvalidInput("validation_failed", "Chọn đơn vị.", message_en="unit is required.",
                               fields={"unit": "Đơn vị: chưa chọn."})
        if not any(actor.official.has_role(unit_id, role) for role in ANSWERING_ROLES):
            raise Forbidden("forbidden", "Bạn không xử lý phản ánh của đơn vị này.",
                            message_en="You do not handle this unit's feedback.")
        with self._uow(readonly=True) as uow:
            return uow.feedback.worklist(unit_id, status, limit=PAGE_SIZE, page_token=page_token)

    @staticmethod
    def _handled(uow: UnitOfWork, actor: OfficialActor, feedback_id: object) -> Feedback:
        feedback = uow.feedback.get(_id(feedback_id)) if _id(feedback_id) else None
        if feedback is None or not can_handle(actor.official, feedback):
            raise _not_found()  # another unit's feedback looks like none at all
        return feedback

    def get_for_official(self, actor: OfficialActor, feedback_id: str) -> Feedback:
        with self._uow(readonly=True) as uow:
            return self._handled(uow, actor, feedback_id)

    def answer(self, actor: OfficialActor, feedback_id: str, body: dict[str, Any]) -> Feedback:
        """The unit's answer (published at once), or a leader's correction of it (audited with before/after)."""
        version = body.get("version")
        with self._uow() as uow:
            feedback = self._handled(uow, actor, feedback_id)
            text = clean_text(body.get("answer"), "answer", "Nội dung trả lời", minimum=MIN_QUESTION,
                              maximum=MAX_ANSWER)
            if isinstance(version, bool) or not isinstance(version, int):
                raise InvalidInput("validation_failed", "Thiếu phiên bản đã xem.", message_en="version is required.",
                                   fields={"version": "Phiên bản: bắt buộc."})
            if version != feedback.version:
                raise Conflict("stale_version", "Phản ánh vừa được người khác cập nhật. Vui lòng tải lại.",
                               message_en="Someone else updated this feedback first. Reload it.")
            now = self._clock.now()
            before = feedback.answer_with(actor.official, text, now=now)
            uow.feedback.save(feedback)
            if before is None:
                assert feedback.answered_at is not None
                event = FeedbackAnswered(feedback_id=feedback.id, unit_id=feedback.unit_id,
                                         procedure_code=feedback.procedure_code, answered_at=_utc(now),
                                         due_at=_utc(feedback.due_at), on_time=bool(feedback.on_time))
                uow.outbox.add(event.topic, event.payload(), now=now)
            uow.audit.append(f"feedback:{feedback.id}", actor=actor.ref, device=actor.device[:200], at=now,
                             action="answer" if before is None else "edit_answer", before=before,
                             after={"answer": text, "answered_by": feedback.answered_by})
            uow.commit()
        return feedback

    # --- the public -------------------------------------------------------------------------------------------

    def public_list(self, *, page_token: str | None) -> Page[Feedback]:
        with self._uow(readonly=True) as uow:
            return uow.feedback.answered(limit=PAGE_SIZE, page_token=page_token)

    def public_get(self, feedback_id: str) -> Feedback:
        with self._uow(readonly=True) as uow:
            feedback = uow.feedback.get(_id(feedback_id)) if _id(feedback_id) else None
        if feedback is None or feedback.status != ANSWERED:
            raise _not_found()
        return feedback
