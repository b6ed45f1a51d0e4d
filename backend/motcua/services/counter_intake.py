"""Counter intake: a receiving officer enters a paper dossier for a citizen who came to the one-stop office.

The dossier belongs to the citizen (found or created by phone number, so they can follow it and download the
result later); every step is recorded as done by the officer. Scanned papers go through the same upload checks as
a citizen's photos. Submitting it also receives it: the officer has checked the papers at the counter.
"""

from __future__ import annotations

from datetime import timedelta

from motcua.domain import workflow as wf
from motcua.domain.dossiers import Attachment, Dossier
from motcua.domain.errors import Forbidden, InvalidInput, NotFound
from motcua.domain.officials import Role
from motcua.domain.phones import normalise_phone
from motcua.services.dossiers import Actor, DossierService
from motcua.services.ports import Clock, Session, UnitOfWorkFactory
from motcua.services.workflow import OfficialActor, WorkflowService


class CounterIntakeService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, dossiers: DossierService,
                 workflow: WorkflowService) -> None:
        self._uow = uow
        self._clock = clock
        self._dossiers = dossiers
        self._workflow = workflow

    def _on_behalf(self, officer: OfficialActor, phone: str, citizen_id: str) -> Actor:
        now = self._clock.now()
        session = Session(token_hash="-", user_kind="citizen", user_id=citizen_id, phone=phone,  # noqa: S106
                          created_at=now, expires_at=now + timedelta(minutes=5))
        return Actor(session=session, device=officer.device, on_behalf_by=officer.ref)

    def _draft(self, officer: OfficialActor, dossier_id: str) -> tuple[Dossier, Actor]:
        with self._uow(readonly=True) as uow:
            dossier = uow.dossiers.get(dossier_id) if isinstance(dossier_id, str) and len(dossier_id) <= 64 else None
        if (dossier is None or dossier.channel != "counter"
                or not officer.official.has_role(dossier.receiving_office_id, Role.RECEIVING_OFFICER)):
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ.", message_en="Dossier not found.")
        return dossier, self._on_behalf(officer, dossier.applicant_phone, dossier.applicant_id)

    def start(self, officer: OfficialActor, *, office_id: object, phone: object, procedure_code: object,
              form: object, competent_unit_id: object = None) -> Dossier:
        if not isinstance(office_id, str) or not officer.official.has_role(office_id, Role.RECEIVING_OFFICER):
            raise Forbidden("not_allowed", "Bạn không tiếp nhận hồ sơ tại bộ phận một cửa này.",
                            message_en="You do not receive dossiers at this office.")
        normalised = normalise_phone(phone)
        if normalised is None:
            raise InvalidInput("invalid_phone", "Số điện thoại của người nộp không hợp lệ.",
                               message_en="The applicant's phone number is not valid.",
                               fields={"applicant_phone": "Số điện thoại: nhập số di động Việt Nam."})
        with self._uow() as uow:
            citizen = uow.citizens.get_or_create(normalised, now=self._clock.now())
            uow.commit()
        actor = self._on_behalf(officer, normalised, citizen.id)
        return self._dossiers.create_draft(actor, procedure_code=procedure_code, form=form, channel="counter",
                                           receiving_office_id=office_id, competent_unit_id=competent_unit_id)

    def attach(self, officer: OfficialActor, dossier_id: str, *, document_id: object, data: bytes,
               filename: str) -> Attachment:
        _, actor = self._draft(officer, dossier_id)
        return self._dossiers.add_attachment(actor, dossier_id, document_id=document_id, data=data, filename=filename)

    def submit(self, officer: OfficialActor, dossier_id: str) -> Dossier:
        """Give the dossier its code and receive it at once (the papers were checked at the counter)."""
        _, actor = self._draft(officer, dossier_id)
        submitted = self._dossiers.submit(actor, dossier_id)
        return self._workflow.act(officer, dossier_id, wf.Step.RECEIVE.value, {"version": submitted.version})
