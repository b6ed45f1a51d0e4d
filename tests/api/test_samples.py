"""Sample dossiers (hồ sơ mẫu) for every procedure, and a draft printed as its declaration (tờ khai)."""

import re

import pytest

from api.helpers import KHAI_SINH, new_draft
from motcua.adapters.catalog_files import load_catalog
from motcua.documents.declaration import SAMPLE_MARK
from motcua.domain.procedures import DocumentKind
from motcua.domain.samples import display_value, sample_answers
from support.pdf import flat, pages_text

CATALOG = load_catalog()


def sample_of(api, code: str):
    reply = api.get(f"/api/v1/procedures/{code}/sample-dossier.pdf")
    assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
    assert reply.mimetype == "application/pdf"
    return reply


@pytest.mark.parametrize("procedure", CATALOG.all(), ids=lambda p: p.code)
def test_every_procedure_has_a_sample_dossier_with_its_form_papers_fee_and_time(api, procedure):
    reply = sample_of(api, procedure.code)
    pages = pages_text(reply.data)
    text = flat(" ".join(pages))
    for field in procedure.form:
        assert flat(field.label) in text, field.name
    for document in procedure.documents:
        assert flat(document.name) in text, document.id
    assert flat(procedure.fee.label_vi) in text
    assert procedure.processing_time.label_vi() in text
    # Every page says it is a sample, so it is never taken for a real dossier.
    assert len(pages) >= 3
    assert all(SAMPLE_MARK in page for page in pages)


@pytest.mark.parametrize("procedure", CATALOG.all(), ids=lambda p: p.code)
def test_sample_answers_are_complete_and_pass_the_forms_own_rules(procedure):
    answers = sample_answers(procedure)
    assert set(answers) == {f.name for f in procedure.form}, "every field has a realistic sample"
    from motcua.domain.samples import SAMPLE_DATE

    cleaned, errors = procedure.clean_form(answers, partial=False, today=SAMPLE_DATE)
    assert errors == {}
    assert cleaned == answers


def test_sample_of_birth_registration_reads_like_a_real_filled_form(api):
    text = flat(" ".join(pages_text(sample_of(api, KHAI_SINH).data)))
    procedure = CATALOG.get(KHAI_SINH)
    answers = sample_answers(procedure)
    # Full Vietnamese diacritics survive extraction, values included.
    assert "Họ, chữ đệm, tên người được khai sinh" in text
    assert f"Họ, chữ đệm, tên người được khai sinh (*): {answers['child_full_name']}" in text
    assert re.fullmatch(r"075[0-3]\d{8}", answers["applicant_id_number"])
    # The applicant is the father: same person, same family name as the child, same home as the parents.
    assert answers["applicant_name"] == answers["father_full_name"]
    assert answers["child_full_name"].split()[0] == answers["father_full_name"].split()[0]
    assert answers["mother_residence"] == answers["applicant_address"]
    for field in procedure.form:
        value = display_value(field, answers[field.name])
        if field.type.value not in ("checkbox",):
            assert flat(value) in text, field.name
    assert "Miễn lệ phí khi đăng ký đúng hạn" in text
    assert "Bản chính, số lượng: 01 bản (bắt buộc)" in text
    assert "Xuất trình" in text
    assert "Trung tâm Phục vụ hành chính công phường Trấn Biên" in text  # where to file
    assert "Kính gửi: Ủy ban nhân dân" in text
    assert "tờ khai để trống" in text and ".........." in text  # the blank form to fill by hand
    assert "giả định" in text


def test_papers_say_what_kind_and_what_to_avoid(api):
    text = flat(" ".join(pages_text(sample_of(api, KHAI_SINH).data)))
    assert ("Giấy chứng sinh — Bản chính, số lượng: 01 bản (bắt buộc) – Hướng dẫn: Nộp bản chính (giấy tờ gốc)."
            in text)
    assert "Cần tránh: Nộp bản chụp thay cho bản chính." in text
    # The catalog's own note on the paper is the guidance too.
    assert "Không có Giấy chứng sinh thì nộp văn bản của người làm chứng" in text
    copies = next(p for p in CATALOG.all() if any(d.kind is DocumentKind.COPY for d in p.documents))
    text = flat(" ".join(pages_text(sample_of(api, copies.code).data)))
    assert "nộp trực tiếp thì mang theo bản chính để cán bộ đối chiếu" in text


@pytest.mark.parametrize("procedure", [p for p in CATALOG.all() if p.common_mistakes], ids=lambda p: p.code)
def test_the_catalogs_common_mistakes_are_printed(api, procedure):
    text = flat(" ".join(pages_text(sample_of(api, procedure.code).data)))
    assert "Những điều cần tránh khi chuẩn bị hồ sơ" in text
    for mistake in procedure.common_mistakes:
        assert flat(mistake) in text


def test_example_fees_are_marked_as_unconfirmed(api):
    procedure = next(p for p in CATALOG.all() if p.fee.is_example)
    text = flat(" ".join(pages_text(sample_of(api, procedure.code).data)))
    assert "Mức phí, lệ phí ghi trên là ví dụ, chưa được xác nhận" in text


def test_strong_etag_and_revalidation(api):
    first = sample_of(api, KHAI_SINH)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    cache = first.headers["Cache-Control"]
    assert "public" in cache and "must-revalidate" in cache
    again = api.get(f"/api/v1/procedures/{KHAI_SINH}/sample-dossier.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other = api.get(f"/api/v1/procedures/{KHAI_SINH}/sample-dossier.pdf", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.data == first.data
    # Another procedure has another sample and another ETag.
    assert sample_of(api, "1.000894").headers["ETag"] != etag


@pytest.mark.parametrize("code, status", [("9.999999", 404), ("1.00119", 422), ("abc", 422),
                                          ("1.001193x", 422), ("%3Cscript%3E", 422), ("1" * 300, 422)])
def test_unknown_or_malformed_codes_are_4xx(api, code, status):
    reply = api.get(f"/api/v1/procedures/{code}/sample-dossier.pdf")
    assert reply.status_code == status
    assert "<script>" not in reply.get_data(as_text=True)


# --- the declaration of a draft ---------------------------------------------------------------------------------


def test_owner_prints_the_draft_as_the_declaration_with_their_answers(citizen):
    draft = new_draft(citizen)
    citizen.patch(f"/api/v1/dossiers/{draft['id']}", json={"form": {"child_full_name": "Trần Ngọc Bảo <Hân> & Co"}})
    reply = citizen.get(f"/api/v1/dossiers/{draft['id']}/declaration.pdf")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    assert "no-store" in reply.headers["Cache-Control"]
    text = flat(" ".join(pages_text(reply.data)))
    assert "TỜ KHAI" in text and "Thủ tục đăng ký khai sinh" in text
    assert "Nguyễn Thị Ngọc Ánh" in text  # the applicant's name as entered
    assert "075190001234" in text
    assert "Trần Ngọc Bảo <Hân> & Co" in text  # user text printed literally, not parsed as markup
    assert "Kính gửi: Ủy ban nhân dân phường Trấn Biên" in text
    assert SAMPLE_MARK not in text  # a real declaration, not a sample


def test_blank_answers_keep_a_dotted_line_to_finish_by_hand(citizen):
    draft = new_draft(citizen, complete=False)
    text = flat(" ".join(pages_text(citizen.get(f"/api/v1/dossiers/{draft['id']}/declaration.pdf").data)))
    assert "Họ, chữ đệm, tên người được khai sinh (*): ......" in text


def test_someone_elses_declaration_is_a_404(app, citizen):
    from conftest import ApiClient

    draft = new_draft(citizen)
    stranger = ApiClient(app.test_client())
    stranger.sign_in("0987654321")
    reply = stranger.get(f"/api/v1/dossiers/{draft['id']}/declaration.pdf")
    assert reply.status_code == 404
    assert b"%PDF" not in reply.data
    anonymous = app.test_client().get(f"/api/v1/dossiers/{draft['id']}/declaration.pdf")
    assert anonymous.status_code == 401
    assert citizen.get("/api/v1/dossiers/nope/declaration.pdf").status_code == 404
