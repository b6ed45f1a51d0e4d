"""Officials' use cases: the worklist, a dossier's detail, and every step of processing (not signing: signing.py).

Each step runs in one unit of work: the dossier's change, its events (outbox) and an audit entry with the
official and device. Officials see only dossiers of the units they work in; others get the same 404 as a
dossier that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from motcua.domain import workflow as wf
from motcua.domain.calendar import VN_TZ, WorkingCalendar
from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier, MissingItem
from motcua.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from motcua.domain.officials import Official, Role
from motcua.services.ports import Clock, FileStore, Page, Session, UnitOfWork, UnitOfWorkFactory

MISSING_KINDS = {"original", "certified_copy", "copy"}


@dataclass(frozen=True)
class OfficialActor:
    official: Official
    device: str = ""

    @property
    def ref(self) -> str:
        return f"official:{self.official.id}"


def _text(body: dict[str, Any], name: str, label: str, *, required: bool = True, limit: int = 2000) -> str:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput("validation_failed", f"{label}: không được để trống.", message_en=f"{name} is required.",
                               fields={name: f"{label}: không được để trống."})
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput("validation_failed", f"{label}: không hợp lệ.", message_en=f"{name} is invalid.",
                           fields={name: f"{label}: tối đa {limit} ký tự."})
    return value.strip()


class WorkflowService:
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, calendar: WorkingCalendar, clock: Clock,
                 files: FileStore) -> None:
        self._uow = uow
        self._catalog = catalog
        self._calendar = calendar
        self._clock = clock
        self._files = files

    # --- who is acting ------------------------------------------------------------------------------------------

    def actor(self, session: Session | None, device: str) -> OfficialActor:
        if session is None or session.user_kind != "official":
            raise Unauthenticated("unauthenticated", "Vui lòng đăng nhập bằng tài khoản cán bộ.",
                                  message_en="Please sign in as an official.")
        with self._uow(readonly=True) as uow:
            official = uow.officials.get(session.user_id)
        if official is None:
            raise Unauthenticated("unauthenticated", "Tài khoản cán bộ không còn hiệu lực.",
                                  message_en="This official account no longer exists.")
        return OfficialActor(official=official, device=device)

    # --- reading ------------------------------------------------------------------------------------------------

    def visible(self, uow: UnitOfWork, actor: OfficialActor, dossier_id: object) -> Dossier:
        dossier = uow.dossiers.get(dossier_id) if isinstance(dossier_id, str) and len(dossier_id) <= 64 else None
        if dossier is None or not wf.can_see(actor.official, dossier):
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.", message_en="Dossier not found.")
        return dossier

    def get(self, actor: OfficialActor, dossier_id: str) -> Dossier:
        with self._uow(readonly=True) as uow:
            return self.visible(uow, actor, dossier_id)

    def worklist(self, actor: OfficialActor, unit_id: str, *, page_token: str | None, status: str | None = None,
                 procedure_code: str | None = None, office_id: str | None = None, limit: int = 30) -> Page[Dossier]:
        if unit_id not in actor.official.units():
            raise Forbidden("not_your_unit", "Bạn không làm việc tại đơn vị này.",
                            message_en="You do not work in this unit.")
        with self._uow(readonly=True) as uow:
            return uow.dossiers.list_worklist(unit_id, limit=limit, page_token=page_token, status=status,
                                              procedure_code=procedure_code, office_id=office_id)

    def candidates(self, dossier: Dossier) -> list[Official]:
        with self._uow(readonly=True) as uow:
            return uow.officials.in_unit(dossier.competent_unit_id or "", Role.SPECIALIST)

    def official_name(self, official_id: str | None) -> str | None:
        if official_id is None:
            return None
        with self._uow(readonly=True) as uow:
            official = uow.officials.get(official_id)
        return official.name if official else None

    def badge(self, dossier: Dossier) -> str | None:
        return wf.badge(self._calendar, dossier, self._clock.now())

    # --- acting -------------------------------------------------------------------------------------------------

    def act(self, actor: OfficialActor, dossier_id: str, step: str, body: dict[str, Any]) -> Dossier:
        """Perform one step; ``body["version"]`` must be the version the official saw (409 if it moved on)."""
        try:
            chosen = wf.Step(step)
        except ValueError:
            raise NotFound("unknown_action", "Không có thao tác này.", message_en="Unknown action.") from None
        if chosen is wf.Step.APPROVE:
            raise InvalidInput("sign_to_approve", "Phê duyệt được thực hiện bằng ký số trên trang ký.",
                               message_en="Approval happens by signing on the signing page.")
        version = body.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise InvalidInput("validation_failed", "Thiếu phiên bản hồ sơ.", message_en="version is required.",
                               fields={"version": "Thiếu phiên bản hồ sơ đang xem."})
        now = self._clock.now()
        with self._uow() as uow:
            dossier = self.visible(uow, actor, dossier_id)
            if dossier.version != version:
                raise Conflict("stale_version", "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại.",
                               message_en="Someone else updated this dossier first. Reload it.")
            wf.authorize(actor.official, dossier, chosen)
            before = {"status": dossier.status.value, "stage": dossier.stage, "holder": dossier.holder_unit_id}
            self._apply(uow, actor, dossier, chosen, body, now)
            uow.dossiers.save(dossier)
            uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action=chosen.value, device=actor.device,
                             at=now, before=before,
                             after={"status": dossier.status.value, "stage": dossier.stage,
                                    "holder": dossier.holder_unit_id})
            uow.commit()
        return dossier

    def _apply(self, uow: UnitOfWork, actor: OfficialActor, d: Dossier, step: wf.Step, body: dict[str, Any],
               now: datetime) -> None:
        official = actor.official
        procedure = self._catalog.get(d.procedure_code)
        if step is wf.Step.RECEIVE:
            wf.receive(d, official, now=now, due_at=self._calendar.due_at(now, procedure.processing_time))
            self._files.delete(f"dossiers/{d.id}/receipt.pdf")  # re-issued with the new due date
        elif step is wf.Step.REQUEST_SUPPLEMENT:
            wf.request_supplement(d, official, now=now, items=_missing_items(body.get("missing")),
                                  note=_text(body, "note", "Ghi chú", required=False))
        elif step is wf.Step.REFUSE:
            wf.refuse(d, official, now=now, reason=_text(body, "reason", "Lý do từ chối"))
        elif step is wf.Step.FORWARD:
            unit = self._catalog.units.get(d.competent_unit_id or "")
            wf.forward(self._calendar, d, official, now=now, unit_name=unit.name)
        elif step is wf.Step.ASSIGN:
            assignee_id = body.get("assignee_id")
            assignee = uow.officials.get(assignee_id) if isinstance(assignee_id, str) else None
            if assignee is None:
                raise InvalidInput("validation_failed", "Chưa chọn chuyên viên.", message_en="Choose a specialist.",
                                   fields={"assignee_id": "Chọn một chuyên viên của đơn vị."})
            wf.assign(self._calendar, d, official, assignee, now=now)
        elif step is wf.Step.PROPOSE:
            wf.propose(self._calendar, d, official, now=now, note=_text(body, "note", "Ý kiến", required=False))
        elif step is wf.Step.SEND_BACK:
            specialist = uow.officials.get(d.assignee_id or "")
            wf.send_back(self._calendar, d, official, now=now, comment=_text(body, "comment", "Ý kiến trả lại"),
                         specialist_name=specialist.name if specialist else "")
        elif step is wf.Step.RETURN_RESULT:
            method = body.get("method")
            wf.return_result(d, official, now=now, method=method if isinstance(method, str) else "",
                             tracking_number=_text(body, "tracking_number", "Số hiệu bưu gửi", required=False,
                                                   limit=50) or None,
                             address=_text(body, "address", "Địa chỉ nhận", required=False, limit=500) or None)
        elif step is wf.Step.STOP:
            wf.stop(d, official, now=now, reason=_text(body, "reason", "Lý do dừng xử lý"))
        elif step is wf.Step.REQUEST_FEE:
            amount = body.get("amount_vnd")
            wf.request_fee(d, official, now=now, amount_vnd=amount if isinstance(amount, int) else -1,
                           reason=_text(body, "reason", "Nội dung nghĩa vụ tài chính", limit=500))
        elif step is wf.Step.APOLOGY:
            wf.apologise(d, official, now=now, reason=_text(body, "reason", "Lý do trễ hạn"),
                         new_due_at=self._new_due(body.get("new_due_date")))

    def _new_due(self, raw: object) -> datetime:
        try:
            day = date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            day = None
        if day is None or not self._calendar.is_working_day(day):
            raise InvalidInput("validation_failed", "Ngày hẹn mới phải là một ngày làm việc (YYYY-MM-DD).",
                               message_en="new_due_date must be a working day (YYYY-MM-DD).",
                               fields={"new_due_date": "Chọn một ngày làm việc."})
        return datetime.combine(day, self._calendar.afternoon_end, tzinfo=VN_TZ)


def _missing_items(raw: object) -> list[MissingItem]:
    if not isinstance(raw, list) or not raw or len(raw) > 50:
        raise InvalidInput("validation_failed", "Cần nêu các giấy tờ cần bổ sung.",
                           message_en="List the missing items.",
                           fields={"missing": "Nêu ít nhất một giấy tờ (tối đa 50)."})
    items = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise InvalidInput("validation_failed", "Danh sách giấy tờ không hợp lệ.", message_en="Invalid item.",
                               fields={f"missing.{index}": "Mục không hợp lệ."})
        kind = entry.get("kind")
        if kind not in MISSING_KINDS:
            raise InvalidInput("validation_failed", "Hình thức giấy tờ không hợp lệ.", message_en="Invalid kind.",
                               fields={f"missing.{index}.kind": "Chọn bản chính, bản sao chứng thực hoặc bản sao."})
        items.append(MissingItem(name=_text(entry, "name", "Tên giấy tờ", limit=300), kind=kind,
                                 reason=_text(entry, "reason", "Lý do", limit=1000)))
    return items
