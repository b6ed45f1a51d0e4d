"""Leaders approve by signing: the exact PDF shown on the phone is what gets signed.

1. ``preview`` renders the result document once per proposal round and leader, and keeps it (bytes + stamp box).
2. ``options`` checks each item's SHA-256 against the kept preview and binds the passkey challenge to the
   dossier ids and those hashes.
3. ``complete`` verifies the passkey assertion against the same binding, then signs each kept preview with
   PAdES, stores it, and approves the dossier — each dossier in its own unit of work, so one failure does not
   undo the others.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from motcua.domain import workflow as wf
from motcua.domain.calendar import WorkingCalendar
from motcua.domain.catalog import Catalog
from motcua.domain.dossiers import Dossier, SignedResult
from motcua.domain.errors import Conflict, DomainError, Forbidden, InvalidInput
from motcua.domain.lifecycle import Action
from motcua.domain.procedures import APPLICANT_FIELD_NAMES
from motcua.services.passkeys import PasskeyService, binding_for
from motcua.services.ports import Clock, DocumentSigner, FileStore, SignatureRequest, UnitOfWorkFactory
from motcua.services.workflow import OfficialActor, WorkflowService

if TYPE_CHECKING:
    from motcua.documents.result import ResultData

MAX_BATCH = 20


@dataclass(frozen=True)
class Preview:
    pdf: bytes
    sha256: str
    page: int
    box: tuple[float, float, float, float]


def _items(raw: object) -> list[tuple[str, str]]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_BATCH:
        raise InvalidInput("validation_failed", f"Chọn từ 1 đến {MAX_BATCH} hồ sơ để ký.",
                           message_en=f"Sign 1 to {MAX_BATCH} dossiers at a time.", fields={"items": "Danh sách ký."})
    pairs = []
    for entry in raw:
        dossier_id = entry.get("dossier_id") if isinstance(entry, dict) else None
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(dossier_id, str) or not isinstance(sha, str) or len(sha) != 64 or len(dossier_id) > 64:
            raise InvalidInput("validation_failed", "Danh sách hồ sơ ký không hợp lệ.", message_en="Invalid items.",
                               fields={"items": "Mỗi mục cần dossier_id và sha256 (64 ký tự hex)."})
        pairs.append((dossier_id, sha.lower()))
    if len({d for d, _ in pairs}) != len(pairs):
        raise InvalidInput("validation_failed", "Một hồ sơ được chọn hai lần.", message_en="Duplicate dossier.")
    return pairs


class SigningService:
    def __init__(self, uow: UnitOfWorkFactory, catalog: Catalog, calendar: WorkingCalendar, clock: Clock,
                 files: FileStore, passkeys: PasskeyService, signer: DocumentSigner, workflow: WorkflowService,
                 public_base_url: str) -> None:
        self._uow = uow
        self._catalog = catalog
        self._calendar = calendar
        self._clock = clock
        self._files = files
        self._passkeys = passkeys
        self._signer = signer
        self._workflow = workflow
        self._base = public_base_url.rstrip("/")

    # --- the document shown --------------------------------------------------------------------------------------

    @staticmethod
    def _preview_key(d: Dossier, actor: OfficialActor) -> str:
        proposal_round = sum(1 for h in d.history if h.action is Action.PROPOSE)
        return f"dossiers/{d.id}/result-preview-{proposal_round}-{actor.official.id}"

    def preview(self, actor: OfficialActor, dossier_id: str) -> Preview:
        dossier = self._workflow.get(actor, dossier_id)
        wf.authorize(actor.official, dossier, wf.Step.APPROVE)
        key = self._preview_key(dossier, actor)
        pdf, meta = self._files.get(key + ".pdf"), self._files.get(key + ".json")
        if pdf is None or meta is None:
            from motcua.documents.result import render_result_document  # reportlab: on the first preview only

            rendered = render_result_document(self._result_data(dossier, actor))
            pdf = rendered.pdf
            meta = json.dumps({"page": rendered.signature_page, "box": rendered.signature_box}).encode()
            self._files.put(key + ".json", meta, content_type="application/json")
            self._files.put(key + ".pdf", pdf, content_type="application/pdf")
        info = json.loads(meta)
        return Preview(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), page=info["page"],
                       box=tuple(info["box"]))  # type: ignore[arg-type]

    def _result_data(self, d: Dossier, actor: OfficialActor) -> ResultData:
        procedure = self._catalog.get(d.procedure_code)
        unit = self._catalog.units.get(d.competent_unit_id or "")
        fields = {f.name: f for f in procedure.form}
        details = []
        for name, value in d.form.items():
            field = fields.get(name)
            if field is None or name in APPLICANT_FIELD_NAMES or str(field.type) == "checkbox":
                continue
            if field.options:
                value = next((o.label for o in field.options if o.value == value), value)
            details.append((field.label, str(value)))
        from motcua.documents.result import ResultData

        return ResultData(
            dossier_code=d.code or "", procedure_code=procedure.code, procedure_name=procedure.name,
            result_title=procedure.result, issuing_unit_name=unit.name, parent_unit_name="Tỉnh Đồng Nai",
            applicant_name=str(d.form.get("applicant_name", "")),
            applicant_id_number=_opt(d.form.get("applicant_id_number")),
            applicant_address=_opt(d.form.get("applicant_address")), details=details,
            decided_at=self._clock.now(), signer_name=actor.official.name, signer_title=actor.official.title,
            verify_url=f"{self._base}/xac-minh/{d.code}")

    # --- the passkey confirmation --------------------------------------------------------------------------------

    def _checked(self, actor: OfficialActor, pairs: list[tuple[str, str]]) -> dict[str, Preview]:
        previews = {}
        for dossier_id, sha in pairs:
            preview = self.preview(actor, dossier_id)
            if preview.sha256 != sha:
                raise Conflict("document_changed", "Văn bản đã thay đổi so với bản đang xem. Vui lòng tải lại.",
                               message_en="The document differs from the one shown. Reload it.")
            previews[dossier_id] = preview
        return previews

    def options(self, actor: OfficialActor, raw_items: object) -> tuple[str, dict[str, Any]]:
        pairs = _items(raw_items)
        self._checked(actor, pairs)
        return self._passkeys.authentication_options(
            purpose="sign", official_id=actor.official.id,
            binding=binding_for([d for d, _ in pairs], [s for _, s in pairs]))

    def complete(self, actor: OfficialActor, challenge_id: object, credential: object,
                 raw_items: object) -> list[dict[str, Any]]:
        pairs = _items(raw_items)
        previews = self._checked(actor, pairs)
        assertion = self._passkeys.verify_assertion(
            challenge_id if isinstance(challenge_id, str) else "", credential,  # type: ignore[arg-type]
            purpose="sign", binding=binding_for([d for d, _ in pairs], [s for _, s in pairs]))
        if assertion.official_id != actor.official.id:
            raise Forbidden("credential_not_owned", "Khóa truy cập không thuộc về người đang đăng nhập.",
                            message_en="The passkey does not belong to the signed-in official.")
        return [self._sign_one(actor, dossier_id, previews[dossier_id], assertion.credential_id)
                for dossier_id, _ in pairs]

    def _sign_one(self, actor: OfficialActor, dossier_id: str, preview: Preview, credential_id: bytes
                  ) -> dict[str, Any]:
        now = self._clock.now()
        code = None
        try:
            dossier = self._workflow.get(actor, dossier_id)
            code = dossier.code
            unit = self._catalog.units.get(dossier.competent_unit_id or "")
            office = self._catalog.units.get(dossier.receiving_office_id or "")
            signed = self._signer.sign(preview.pdf, SignatureRequest(
                signer_name=actor.official.name, signer_title=actor.official.title, unit_name=unit.name,
                signed_at=now, reason=f"Phê duyệt kết quả giải quyết hồ sơ {dossier.code}", location="Đồng Nai",
                verify_url=f"{self._base}/xac-minh/{dossier.code}", page=preview.page, box=preview.box),
                official_id=actor.official.id, email=actor.official.email)
            key = f"dossiers/{dossier.id}/result-signed.pdf"
            self._files.put(key, signed, content_type="application/pdf")
            with self._uow() as uow:
                dossier = self._workflow.visible(uow, actor, dossier_id)
                wf.authorize(actor.official, dossier, wf.Step.APPROVE)
                before = {"status": dossier.status.value, "stage": dossier.stage}
                wf.approve(self._calendar, dossier, actor.official, now=now, office_name=office.name,
                           result=SignedResult(storage_key=key, sha256=hashlib.sha256(signed).hexdigest(),
                                               signed_at=now, signer_id=actor.official.id,
                                               signer_name=actor.official.name))
                uow.dossiers.save(dossier)
                uow.audit.append(f"dossier:{dossier.id}", actor=actor.ref, action="approve_and_sign",
                                 device=actor.device, at=now, before=before,
                                 after={"status": dossier.status.value, "stage": dossier.stage,
                                        "shown_pdf_sha256": preview.sha256,
                                        "signed_pdf_sha256": dossier.result.sha256 if dossier.result else None,
                                        "passkey": credential_id.hex()})
                uow.commit()
        except DomainError as exc:
            return {"dossier_id": dossier_id, "code": code, "status": "failed",
                    "error": {"code": exc.code, "message": exc.message}}
        return {"dossier_id": dossier_id, "code": code, "status": "signed", "error": None}

    def signed_result(self, dossier: Dossier) -> bytes | None:
        return self._files.get(dossier.result.storage_key) if dossier.result else None


def _opt(value: object) -> str | None:
    return str(value) if value not in (None, "") else None

