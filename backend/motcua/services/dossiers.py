"""Use cases of a citizen's dossier: draft, fill, attach, submit, list. Each runs in one unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from motcua.domain import workflow as wf
from motcua.domain.calendar import VN_TZ, WorkingCalendar
from motcua.domain.catalog import Catalog
from motcua.domain.codes import format_dossier_code, sequence_key
from motcua.domain.dossiers import Attachment, Dossier
from motcua.domain.errors import Conflict, InvalidInput, NotFound
from motcua.domain.lifecycle import DossierStatus
from motcua.domain.procedures import Procedure
from motcua.services.ports import (
    Clock,
    FileStore,
    Page,
    Session,
    UnitOfWork,
    UnitOfWorkFactory,
    UploadChecker,
)

DOSSIER_NOT_FOUND = ("dossier_not_found", "Không tìm thấy hồ sơ.")
_ATTACH_ATTEMPTS = 4
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


@dataclass(frozen=True)
class StoredUpload:
    """An inspected file about to be attached: the facts the dossier records (the bytes are placed separately)."""

    filename: str
    content_type: str  # "image/jpeg" | "image/png" | "application/pdf", decided by the inspection
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.content_type]


@dataclass(frozen=True)
class Actor:
    """Who acts, from which device: recorded in history and in the audit trail."""

    session: Session
    device: str = ""
    on_behalf_by: str | None = None  # "official:<id>" when a counter officer files for the citizen

    @property
    def ref(self) -> str:
        return self.on_behalf_by or f"{self.session.user_kind}:{self.session.user_id}"


class DossierService:
    def __init__(
        self, uow: UnitOfWorkFactory, catalog: Catalog, calendar: WorkingCalendar, files: FileStore, clock: Clock,
        uploads: UploadChecker,
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._calendar = calendar
        self._files = files
        self._clock = clock
        self._uploads = uploads

    # --- reading -------------------------------------------------------------------------------------------

    @staticmethod
    def _own(uow: UnitOfWork, actor: Actor, dossier_id: str) -> Dossier:
        dossier = uow.dossiers.get(dossier_id) if isinstance(dossier_id, str) and len(dossier_id) <= 64 else None
        # Another citizen's dossier and a missing one look the same: no hint that the id exists.
        if dossier is None or dossier.applicant_id != actor.session.user_id:
            raise NotFound(*DOSSIER_NOT_FOUND, message_en="Dossier not found.")
        return dossier

    def get(self, actor: Actor, dossier_id: str) -> Dossier:
        with self._uow(readonly=True) as uow:
            return self._own(uow, actor, dossier_id)

    def list_mine(self, actor: Actor, *, page_token: str | None, limit: int = 20) -> Page[Dossier]:
        with self._uow(readonly=True) as uow:
            return uow.dossiers.list_by_applicant(actor.session.user_id, limit=limit, page_token=page_token)

    def procedure_of(self, dossier: Dossier) -> Procedure:
        return self._catalog.get(dossier.procedure_code)

    def problems(self, dossier: Dossier) -> dict[str, str]:
        """What still stops a draft from being submitted, by field (shown while the citizen fills it in)."""
        if not dossier.is_draft:
            return {}
        procedure = self.procedure_of(dossier)
        _, errors = procedure.clean_form(dossier.form, partial=False, today=self._today())
        errors.update(self._missing_documents(procedure, dossier))
        if dossier.receiving_office_id is None:
            errors["receiving_office_id"] = "Nơi tiếp nhận hồ sơ: chưa chọn."
        return errors

    # --- drafts --------------------------------------------------------------------------------------------

    def create_draft(
        self, actor: Actor, *, procedure_code: object, form: object = None, receiving_office_id: object = None,
        competent_unit_id: object = None, channel: str = "online",
    ) -> Dossier:
        if not isinstance(procedure_code, str):
            raise InvalidInput("validation_failed", "Chưa chọn thủ tục.", message_en="Choose a procedure.",
                               fields={"procedure_code": "Thủ tục: chưa chọn."})
        procedure = self._catalog.get(procedure_code)
        if channel == "online" and not procedure.accepts("online"):
            raise InvalidInput("not_online", "Thủ tục này chỉ nộp trực tiếp tại bộ phận một cửa.",
                               message_en="This procedure can only be filed in person at a one-stop office.",
                               fields={"procedure_code": "Thủ tục: không nộp trực tuyến được."})
        now = self._clock.now()
        values = {"applicant_phone": actor.session.phone}
        values.update(self._clean_partial(procedure, form))
        dossier = Dossier(
            id=uuid.uuid4().hex, procedure_code=procedure.code, applicant_id=actor.session.user_id,
            applicant_phone=actor.session.phone, created_at=now, updated_at=now, form=values, channel=channel,
        )
        self._apply_offices(procedure, dossier, receiving_office_id, competent_unit_id)
        with self._uow() as uow:
            uow.dossiers.add(dossier)
            uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action="create", device=actor.device, at=now,
                             before=None, after={"status": dossier.status.value, "procedure": procedure.code})
            uow.commit()
        return dossier

    def update_draft(
        self, actor: Actor, dossier_id: str, *, form: object = None, receiving_office_id: object = None,
        competent_unit_id: object = None,
    ) -> Dossier:
        now = self._clock.now()
        with self._uow() as uow:
            dossier = self._own(uow, actor, dossier_id)
            dossier.ensure_draft()
            procedure = self.procedure_of(dossier)
            cleaned = self._clean_partial(procedure, form) if form is not None else None
            if cleaned is not None and isinstance(form, dict):
                # A field the citizen emptied is removed from the draft.
                cleaned.update({k: None for k, v in form.items() if v in ("", None) and k not in cleaned})
            dossier.update_draft(form=cleaned, now=now)
            self._apply_offices(procedure, dossier, receiving_office_id, competent_unit_id)
            uow.dossiers.save(dossier)
            uow.commit()
        return dossier

    def delete_draft(self, actor: Actor, dossier_id: str) -> None:
        with self._uow() as uow:
            dossier = self._own(uow, actor, dossier_id)
            dossier.ensure_draft()
            keys = [a.storage_key for a in dossier.attachments]
            uow.dossiers.delete(dossier)
            uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action="delete_draft", device=actor.device,
                             at=self._clock.now(), before={"status": dossier.status.value}, after=None)
            uow.commit()
        for key in keys:
            self._files.delete(key)

    # --- attachments ---------------------------------------------------------------------------------------

    def accepting_document(self, actor: Actor, dossier_id: str, document_id: object) -> Dossier:
        """The citizen's own dossier if it takes a file for ``document_id`` now (draft, or supplement requested,
        and a document of its procedure); the rules every way of attaching a file shares."""
        with self._uow(readonly=True) as uow:
            dossier = self._own(uow, actor, dossier_id)
        dossier.ensure_accepts_files()  # before any work on the bytes
        procedure = self.procedure_of(dossier)
        if not isinstance(document_id, str) or document_id not in {d.id for d in procedure.documents}:
            raise InvalidInput("unknown_document", "Loại giấy tờ không có trong thành phần hồ sơ.",
                               message_en="This document is not part of the procedure.",
                               fields={"document_id": "Loại giấy tờ: không có trong thành phần hồ sơ."})
        return dossier

    def add_attachment(
        self, actor: Actor, dossier_id: str, *, document_id: object, data: bytes, filename: str
    ) -> Attachment:
        dossier = self.accepting_document(actor, dossier_id, document_id)
        assert isinstance(document_id, str)
        checked = self._uploads.check(data, filename)
        attachment_id = uuid.uuid4().hex
        upload = StoredUpload(filename=checked.filename, content_type=checked.content_type, size=checked.size,
                              sha256=checked.sha256)
        return self._attach(actor, dossier.id, attachment_id, document_id, upload,
                            lambda key: self._files.put(key, checked.data, content_type=checked.content_type))

    def add_checked_attachment(
        self, actor: Actor, dossier_id: str, *, attachment_id: str, document_id: str, upload: StoredUpload,
        place: Callable[[str], None],
    ) -> Attachment:
        """Attach a file already inspected elsewhere (a direct upload): ``place(key)`` puts its bytes at the
        attachment's storage key. Idempotent on ``attachment_id``: if the dossier holds it already, that one is
        returned and nothing is placed."""
        with self._uow(readonly=True) as uow:
            existing = self._own(uow, actor, dossier_id).find_attachment_or_none(attachment_id)
        if existing is not None:
            return existing
        self.accepting_document(actor, dossier_id, document_id)
        return self._attach(actor, dossier_id, attachment_id, document_id, upload, place)

    def _attach(self, actor: Actor, dossier_id: str, attachment_id: str, document_id: str, upload: StoredUpload,
                place: Callable[[str], None]) -> Attachment:
        now = self._clock.now()
        key = f"dossiers/{dossier_id}/attachments/{attachment_id}{upload.extension}"
        attachment = Attachment(id=attachment_id, document_id=document_id, filename=upload.filename,
                                content_type=upload.content_type, size=upload.size, sha256=upload.sha256,
                                storage_key=key, created_at=now)
        # The file goes first: a dossier never points at bytes that are not there. If the commit fails, the
        # orphan is removed here (unless a racing request attached the same id, with the same bytes, first).
        try:
            place(key)
            for attempt in range(_ATTACH_ATTEMPTS):
                try:
                    with self._uow() as uow:
                        dossier = self._own(uow, actor, dossier_id)
                        existing = dossier.find_attachment_or_none(attachment_id)
                        if existing is not None:
                            return existing
                        dossier.add_attachment(attachment, now=now)
                        uow.dossiers.save(dossier)
                        uow.commit()
                    return attachment
                except Conflict as exc:
                    # Another file of the same dossier was attached between our read and our write (a phone
                    # sends several at once): read again and add ours, a few times.
                    if exc.code != "stale_version" or attempt == _ATTACH_ATTEMPTS - 1:
                        raise
        except Exception:
            with self._uow(readonly=True) as uow:
                held = uow.dossiers.get(dossier_id)
            found = held.find_attachment_or_none(attachment_id) if held is not None else None
            if found is not None:
                return found  # a racing request attached the same id (the same bytes) first
            self._files.delete(key)
            raise
        return attachment  # not reached: the loop returns or raises

    def remove_attachment(self, actor: Actor, dossier_id: str, attachment_id: str) -> None:
        with self._uow() as uow:
            dossier = self._own(uow, actor, dossier_id)
            removed = dossier.remove_attachment(attachment_id, now=self._clock.now())
            uow.dossiers.save(dossier)
            uow.commit()
        self._files.delete(removed.storage_key)

    def attachment_file(self, actor: Actor, dossier_id: str, attachment_id: str) -> tuple[Attachment, bytes]:
        dossier = self.get(actor, dossier_id)
        attachment = dossier.find_attachment(attachment_id)
        data = self._files.get(attachment.storage_key)
        if data is None:
            raise NotFound("attachment_not_found", "Không tìm thấy tệp đính kèm.", message_en="Attachment not found.")
        return attachment, data

    # --- submit --------------------------------------------------------------------------------------------

    def submit(self, actor: Actor, dossier_id: str) -> Dossier:
        """Check everything, then give the dossier its code and due date and enter the lifecycle."""
        now = self._clock.now()
        with self._uow() as uow:
            dossier = self._own(uow, actor, dossier_id)
            dossier.ensure_draft()
            procedure = self.procedure_of(dossier)
            cleaned, errors = procedure.clean_form(dossier.form, partial=False, today=self._today())
            errors.update(self._missing_documents(procedure, dossier))
            if dossier.receiving_office_id is None:
                errors["receiving_office_id"] = "Nơi tiếp nhận hồ sơ: chưa chọn."
            if errors:
                raise InvalidInput("validation_failed", "Hồ sơ chưa đầy đủ. Vui lòng kiểm tra các mục được đánh dấu.",
                                   message_en="The dossier is incomplete. Check the marked items.", fields=errors)
            office = self._catalog.units.get(dossier.receiving_office_id)  # type: ignore[arg-type]
            competent = procedure.competent_unit(self._catalog.units, chosen_unit_id=dossier.competent_unit_id,
                                                 receiving_office_id=office.id)
            dossier.update_draft(form=cleaned, competent_unit_id=competent.id, now=now)
            local_day = now.astimezone(VN_TZ).date()
            sequence = uow.counters.increment(sequence_key(office.agency_code, local_day))
            before = {"status": dossier.status.value}
            dossier.submit(
                code=format_dossier_code(office.agency_code, local_day, sequence),
                due_at=self._calendar.due_at(now, procedure.processing_time),
                fee_vnd=procedure.fee_for(dossier.channel),  # type: ignore[arg-type]
                procedure_name=procedure.name, now=now,
                actor=actor.ref,
            )
            uow.dossiers.save(dossier)
            uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action="submit", device=actor.device, at=now,
                             before=before, after={"status": dossier.status.value, "code": dossier.code,
                                                   "due_at": dossier.due_at.isoformat() if dossier.due_at else None})
            uow.commit()
        return dossier

    def resubmit(self, actor: Actor, dossier_id: str) -> Dossier:
        """The citizen has added what was asked for: the dossier goes back to the official who asked."""
        now = self._clock.now()
        with self._uow() as uow:
            dossier = self._own(uow, actor, dossier_id)
            if dossier.status is not DossierStatus.SUPPLEMENT_REQUESTED:
                raise Conflict("not_awaiting_supplement", "Hồ sơ không ở trạng thái chờ bổ sung.",
                               message_en="The dossier is not waiting for a supplement.")
            pending = dossier.supplements[-1]
            if not any(a.created_at >= pending.requested_at for a in dossier.attachments):
                raise InvalidInput("validation_failed", "Chưa đính kèm giấy tờ bổ sung nào.",
                                   message_en="Attach the missing documents first.",
                                   fields={"attachments": "Đính kèm các giấy tờ được yêu cầu bổ sung."})
            procedure = self.procedure_of(dossier)
            before = {"status": dossier.status.value}
            wf.resubmit(dossier, actor=actor.ref, now=now, due_at=self._calendar.due_at(now, procedure.processing_time))
            uow.dossiers.save(dossier)
            uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action="resubmit", device=actor.device,
                             at=now, before=before, after={"status": dossier.status.value})
            uow.commit()
        return dossier

    def withdraw(self, actor: Actor, dossier_id: str, reason: object) -> Dossier:
        now = self._clock.now()
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 1000:
            raise InvalidInput("validation_failed", "Cần nêu lý do rút hồ sơ.", message_en="Give a reason.",
                               fields={"reason": "Lý do rút hồ sơ: không được để trống (tối đa 1000 ký tự)."})
        with self._uow() as uow:
            dossier = self._own(uow, actor, dossier_id)
            before = {"status": dossier.status.value}
            wf.withdraw(dossier, actor=actor.ref, now=now, reason=reason.strip())
            uow.dossiers.save(dossier)
            uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action="request_withdrawal",
                             device=actor.device, at=now, before=before, after={"status": dossier.status.value})
            uow.commit()
        return dossier

    # --- helpers -------------------------------------------------------------------------------------------

    def _today(self):  # type: ignore[no-untyped-def]
        return self._clock.now().astimezone(VN_TZ).date()

    def _clean_partial(self, procedure: Procedure, form: object) -> dict[str, Any]:
        if form is None:
            return {}
        if not isinstance(form, dict):
            raise InvalidInput("validation_failed", "Dữ liệu biểu mẫu không hợp lệ.", message_en="Invalid form data.",
                               fields={"form": "Biểu mẫu: dữ liệu không hợp lệ."})
        present = {k: v for k, v in form.items() if v not in ("", None)}
        cleaned, errors = procedure.clean_form(present, partial=True, today=self._today())
        if errors:
            raise InvalidInput("validation_failed", "Một số thông tin chưa hợp lệ.",
                               message_en="Some answers are not valid.", fields=errors)
        return cleaned

    def _apply_offices(
        self, procedure: Procedure, dossier: Dossier, receiving_office_id: object, competent_unit_id: object
    ) -> None:
        units = self._catalog.units
        office_id = None
        if receiving_office_id is not None:
            office = units.find(receiving_office_id) if isinstance(receiving_office_id, str) else None
            if office is None or not office.has_one_stop_office:
                raise InvalidInput("validation_failed", "Nơi tiếp nhận không hợp lệ.",
                                   message_en="Unknown receiving office.",
                                   fields={"receiving_office_id": "Nơi tiếp nhận hồ sơ: không hợp lệ."})
            office_id = office.id
        unit_id = None
        if competent_unit_id is not None:
            unit = units.find(competent_unit_id) if isinstance(competent_unit_id, str) else None
            if unit is None:
                raise InvalidInput("validation_failed", "Cơ quan giải quyết không hợp lệ.",
                                   message_en="Unknown competent unit.",
                                   fields={"competent_unit_id": "Cơ quan giải quyết: không hợp lệ."})
            unit_id = unit.id
        if office_id or unit_id:
            dossier.update_draft(receiving_office_id=office_id, competent_unit_id=unit_id, now=dossier.updated_at)
        if dossier.receiving_office_id and dossier.competent_unit_id is None:
            try:
                resolved = procedure.competent_unit(units, chosen_unit_id=None,
                                                    receiving_office_id=dossier.receiving_office_id)
            except InvalidInput:
                return  # the citizen still has to choose a commune; submit will say so
            dossier.update_draft(competent_unit_id=resolved.id, now=dossier.updated_at)

    @staticmethod
    def _missing_documents(procedure: Procedure, dossier: Dossier) -> dict[str, str]:
        attached = {a.document_id for a in dossier.attachments}
        return {
            f"documents.{doc.id}": f"{doc.name}: chưa đính kèm."
            for doc in procedure.documents
            if doc.upload_required and doc.id not in attached
        }
