"""The public catalog over HTTP: search as people type it, procedure pages, due-date estimates."""

from api.helpers import KHAI_SINH


def first_code(api, q: str) -> str:
    return api.get(f"/api/v1/procedures?q={q}").get_json()["items"][0]["code"]


def test_search_without_diacritics_finds_birth_registration_first(api):
    assert first_code(api, "dang ky khai sinh") == KHAI_SINH
    assert first_code(api, "khai sinh") == KHAI_SINH
    assert first_code(api, "khai+sinh") == KHAI_SINH


def test_catalog_is_cacheable_public_data(api):
    reply = api.get("/api/v1/procedures")
    assert len(reply.get_json()["items"]) >= 20
    assert "public" in reply.headers["Cache-Control"]


def test_filters_by_level(api):
    items = api.get("/api/v1/procedures?level=commune").get_json()["items"]
    assert items and all(p["level"] == "commune" for p in items)


def test_procedure_page_lists_documents_and_form(api):
    body = api.get(f"/api/v1/procedures/{KHAI_SINH}").get_json()
    assert body["name"] == "Đăng ký khai sinh"
    assert [f["name"] for f in body["form"][:5]] == ["applicant_name", "applicant_id_number", "applicant_phone",
                                                      "applicant_email", "applicant_address"]
    assert body["documents"]


def test_unknown_procedure_is_a_404_in_vietnamese(api):
    reply = api.get("/api/v1/procedures/9.999999")
    assert reply.status_code == 404 and reply.get_json()["error"]["message"] == "Không tìm thấy thủ tục."


def test_due_date_for_a_friday_afternoon_filing_skips_the_weekend(api):
    # Friday 27/11/2026 at 16:00 local: after the cut-off → counts from Monday 30/11 → 1 day → Monday 17:00.
    reply = api.get(f"/api/v1/procedures/{KHAI_SINH}/due-date?received_at=2026-11-27T16:00:00%2B07:00")
    assert reply.status_code == 200
    assert reply.get_json()["due_at_local"] == "2026-11-30T17:00:00+07:00"
    assert reply.get_json()["due_at"] == "2026-11-30T10:00:00Z"


def test_due_date_defaults_to_now(api, clock):
    reply = api.get(f"/api/v1/procedures/{KHAI_SINH}/due-date")
    assert reply.get_json()["due_at_local"] == "2026-11-26T17:00:00+07:00"


def test_offices_include_communes_and_the_province_centre(api):
    offices = api.get("/api/v1/offices").get_json()["items"]
    levels = {o["level"] for o in offices}
    assert {"province", "commune"} <= levels
