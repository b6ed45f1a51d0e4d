"""Demo data for the embedded default, created through the same services a citizen uses. Idempotent."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw

from motcua.bootstrap import Container
from motcua.domain.officials import Membership, Official, Role
from motcua.services.dossiers import Actor
from motcua.services.ports import Session

DEMO_PHONE = "0912345678"

# Demo officials (names invented). Ward Trấn Biên receives and decides commune-level procedures; the provincial
# Centre receives for the departments; one administrator issues enrolment links.
DEMO_OFFICIALS = (
    Official("can-bo-tiep-nhan-tran-bien", "Trần Thị Thu Hà", "CÁN BỘ TIẾP NHẬN", "0901000001", None,
             (Membership("phuong-tran-bien", Role.RECEIVING_OFFICER),)),
    Official("chuyen-vien-tran-bien", "Lê Minh Tuấn", "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH", "0901000002", None,
             (Membership("phuong-tran-bien", Role.SPECIALIST),)),
    Official("lanh-dao-tran-bien", "Nguyễn Văn Bình", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "0901000003", None,
             (Membership("phuong-tran-bien", Role.LEADER),)),
    Official("can-bo-tiep-nhan-trung-tam", "Phạm Thị Lan", "CÁN BỘ TIẾP NHẬN", "0901000004", None,
             (Membership("trung-tam-phuc-vu-hanh-chinh-cong", Role.RECEIVING_OFFICER),)),
    Official("quan-tri", "Đỗ Quang Huy", "QUẢN TRỊ HỆ THỐNG", "0901000005", None,
             (Membership("ubnd-tinh-dong-nai", Role.ADMIN),)),
)


def seed_officials(container: Container) -> None:
    """Create or refresh the demo officials (idempotent: fixed ids)."""
    with container.uow() as uow:
        for official in DEMO_OFFICIALS:
            uow.officials.put(official)
        uow.commit()


def _demo_photo(text: str) -> bytes:
    image = Image.new("RGB", (900, 1200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 860, 1160), outline="black", width=4)
    draw.text((80, 100), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def seed_demo(container: Container) -> bool:
    """Create the demo citizen and one submitted birth-registration dossier. Returns False if already there."""
    now = container.clock.now()
    with container.uow() as uow:
        citizen = uow.citizens.get_or_create(DEMO_PHONE, now=now)
        already = uow.dossiers.list_by_applicant(citizen.id, limit=1, page_token=None).items
        uow.commit()
    if already:
        return False
    # An in-memory session (never stored) so that seeding goes through the same services a citizen uses.
    session = Session(token_hash="-",  # noqa: S106
                       user_kind="citizen", user_id=citizen.id, phone=DEMO_PHONE,
                      created_at=now, expires_at=now + timedelta(minutes=5))
    actor = Actor(session=session, device="seed")
    office = container.catalog.units.get("phuong-tran-bien")  # where the demo officials work
    procedure = container.catalog.get("1.001193")
    form = _sample_answers(procedure)
    dossier = container.dossiers.create_draft(actor, procedure_code=procedure.code, form=form,
                                              receiving_office_id=office.id)
    for document in procedure.documents:
        if document.upload_required:
            container.dossiers.add_attachment(actor, dossier.id, document_id=document.id,
                                              data=_demo_photo(document.name), filename=f"{document.id}.jpg")
    container.dossiers.submit(actor, dossier.id)
    return True


def _sample_answers(procedure) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Plausible answers for every required field of a procedure's form."""
    samples: dict[str, object] = {
        "applicant_name": "Nguyễn Thị Ngọc Ánh",
        "applicant_id_number": "075190001234",
        "applicant_phone": DEMO_PHONE,
        "applicant_address": "Số 12 đường Phạm Văn Thuận, Phường Trấn Biên, tỉnh Đồng Nai",
    }
    by_type: dict[str, object] = {
        "text": "Đặng Quốc Hưng", "textarea": "Không có", "date": "2026-11-01", "phone": DEMO_PHONE,
        "email": "ngocanh@example.vn", "id_number": "075190001234", "tax_code": "3600123456", "integer": 1,
        "money": 0, "checkbox": True,
    }
    for field in procedure.form:
        if field.name in samples or not field.required:
            continue
        if str(field.type) == "select" and field.options:
            samples[field.name] = field.options[0].value
        else:
            samples[field.name] = by_type.get(str(field.type), "Không có")
    return samples
