"""Small builders shared by the API tests: valid answers for any procedure, real image and PDF bytes, drafts ready
to submit; and what the outbox worker delivers (``drain``) or was handed (``outbox_payloads``)."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

KHAI_SINH = "1.001193"
OFFICE = "phuong-tran-bien"

BY_TYPE = {
    "text": "Đặng Quốc Hưng", "textarea": "Không có", "date": "2026-11-01", "phone": "0912345678",
    "email": "ngocanh@example.vn", "id_number": "075190001234", "tax_code": "3600123456", "integer": 1,
    "money": 0, "checkbox": True,
}


def complete_answers(procedure: dict) -> dict:
    """Valid answers for every required field of a procedure (as the API describes it)."""
    answers = {"applicant_name": "Nguyễn Thị Ngọc Ánh", "applicant_id_number": "075190001234",
               "applicant_phone": "0912345678", "applicant_address": "Số 12 Phạm Văn Thuận, Phường Trấn Biên"}
    for field in procedure["form"]:
        if field["name"] in answers or not field["required"]:
            continue
        if field["type"] == "select":
            answers[field["name"]] = field["options"][0]["value"]
        else:
            answers[field["name"]] = BY_TYPE[field["type"]]
    return answers


def uploadable_documents(procedure: dict) -> list[dict]:
    return [d for d in procedure["documents"] if d["upload_required"]]


def jpeg_bytes(size=(1200, 900), *, gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 180, 160))
    buffer = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (10.0, 57.0, 0.0), 3: "E", 4: (106.0, 49.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes(text: str = "Giấy chứng sinh") -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, text.encode("ascii", "ignore").decode())
    c.save()
    return buffer.getvalue()


def new_draft(citizen, code: str = KHAI_SINH, *, complete: bool = True, office: str | None = OFFICE) -> dict:
    procedure = citizen.get(f"/api/v1/procedures/{code}").get_json()
    body = {"procedure_code": code, "form": complete_answers(procedure) if complete else {}}
    if office:
        body["receiving_office_id"] = office
    reply = citizen.post("/api/v1/dossiers", json=body)
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()


def attach_documents(client, url: str, procedure: dict) -> None:
    """A photo for every document of ``procedure`` that must be uploaded, posted to ``url`` (a citizen's draft or
    a counter intake)."""
    for document in uploadable_documents(procedure):
        reply = client.post(url, data={"document_id": document["id"], "file": (io.BytesIO(jpeg_bytes()), "anh.jpg")},
                            content_type="multipart/form-data")
        assert reply.status_code == 201, reply.get_json()


def attach_all(citizen, dossier: dict) -> None:
    procedure = citizen.get(f"/api/v1/procedures/{dossier['procedure']['code']}").get_json()
    attach_documents(citizen, f"/api/v1/dossiers/{dossier['id']}/attachments", procedure)


def ready_to_submit(citizen, code: str = KHAI_SINH) -> dict:
    dossier = new_draft(citizen, code)
    attach_all(citizen, dossier)
    return dossier


def drain(container) -> int:
    """Run the outbox worker until it finds nothing more to deliver; how many messages it handled."""
    total = 0
    while handled := container.worker.run_once():
        total += handled
    return total


def outbox_payloads(container, topic: str) -> list[dict]:
    """The payloads of every outbox message of ``topic``, delivered or not, oldest first (SQLite store only)."""
    if not hasattr(container.uow, "db"):  # MOTCUA_TEST_STORE=dynamodb
        pytest.skip("reads the SQLite outbox table directly")
    rows = container.uow.db.connection().execute("SELECT payload FROM outbox WHERE topic = ?", (topic,)).fetchall()
    return [json.loads(r[0]) for r in rows]
