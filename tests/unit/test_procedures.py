"""Rules of a procedure's online form (clean_form), its competent unit and its fee; and what a valid
procedure definition is."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from motcua.domain.errors import InvalidInput
from motcua.domain.procedures import APPLICANT_FIELDS, UNKNOWN_FIELD_MESSAGE, Channel, FormField, Procedure
from motcua.domain.units import Level, Unit, UnitKind, UnitTree

TODAY = date(2026, 3, 15)

OWN_FIELDS: list[dict[str, Any]] = [
    {"name": "child_full_name", "label": "Họ, chữ đệm, tên người được khai sinh", "label_en": "Child's name",
     "type": "text", "required": True, "min_length": 2, "max_length": 20, "group": "Người được khai sinh"},
    {"name": "child_date_of_birth", "label": "Ngày sinh", "label_en": "Date of birth", "type": "date",
     "required": True, "min": date(1900, 1, 1), "not_future": True},
    {"name": "child_sex", "label": "Giới tính", "label_en": "Sex", "type": "select", "required": True,
     "options": [{"value": "nam", "label": "Nam", "label_en": "Male"},
                 {"value": "nu", "label": "Nữ", "label_en": "Female"}]},
    {"name": "notes", "label": "Ghi chú", "label_en": "Notes", "type": "textarea"},
    {"name": "copies_requested", "label": "Số bản sao", "label_en": "Copies", "type": "integer", "min": 0,
     "max": 20},
    {"name": "capital_vnd", "label": "Vốn kinh doanh", "label_en": "Capital", "type": "money"},
    {"name": "owner_tax_code", "label": "Mã số thuế", "label_en": "Tax code", "type": "tax_code"},
    {"name": "time_of_death", "label": "Giờ chết", "label_en": "Time", "type": "text",
     "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"},
    {"name": "declaration", "label": "Tôi cam đoan", "label_en": "I declare", "type": "checkbox", "required": True},
]


def procedure_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "official_name": "Thủ tục đăng ký khai sinh",
        "name_en": "Birth registration",
        "field": "ho-tich",
        "level": "commune",
        "authority": {"level": "commune"},
        "processing_time": {"amount": 1, "unit": "working_days"},
        "fee": {"amount_vnd": 20000, "online_amount_vnd": 10000, "label_vi": "20.000 đồng"},
        "documents": [{"id": "to_khai", "name": "Tờ khai", "kind": "original"}],
        "form": [*APPLICANT_FIELDS, *OWN_FIELDS],
        "online_level": "toan_trinh",
        "result": "Giấy khai sinh",
        "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
        "sources": ["https://dichvucong.gov.vn/"],
    }
    data.update(overrides)
    return data


PROCEDURE = Procedure.model_validate(procedure_data())

VALID = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_id_number": "079123456789",
    "applicant_phone": "0912345678",
    "applicant_address": "Phường Trấn Biên, tỉnh Đồng Nai",
    "child_full_name": "Nguyễn Thị Bình",
    "child_date_of_birth": "2026-03-01",
    "child_sex": "nu",
    "declaration": True,
}


def clean(values: dict[str, Any], *, partial: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    return PROCEDURE.clean_form(values, partial=partial, today=TODAY)


def error_for(field: str, value: object) -> str | None:
    _, errors = clean({**VALID, field: value})
    return errors.get(field)


def cleaned_value(field: str, value: object) -> object:
    cleaned, errors = clean({**VALID, field: value})
    assert errors == {}, errors
    return cleaned[field]


# --- submit and draft ----------------------------------------------------------------------------------------


def test_a_complete_form_is_accepted_and_empty_optional_fields_are_left_out() -> None:
    cleaned, errors = clean({**VALID, "notes": "  ", "applicant_email": None})
    assert errors == {}
    assert cleaned == VALID


def test_on_submit_every_missing_required_field_is_an_error_that_names_the_field() -> None:
    _, errors = clean({})
    assert errors["applicant_name"] == "Họ, chữ đệm, tên người yêu cầu: không được để trống."
    assert errors["child_date_of_birth"] == "Ngày sinh: không được để trống."
    assert set(errors) == {"applicant_name", "applicant_id_number", "applicant_phone", "applicant_address",
                           "child_full_name", "child_date_of_birth", "child_sex", "declaration"}


def test_a_draft_may_miss_required_fields_but_not_have_wrong_values() -> None:
    cleaned, errors = clean({"applicant_name": " Trần  Thị Cúc ", "applicant_phone": "12345"}, partial=True)
    assert cleaned == {"applicant_name": "Trần Thị Cúc"}
    assert set(errors) == {"applicant_phone"}


def test_an_unchecked_required_checkbox_is_fine_in_a_draft_but_not_on_submit() -> None:
    assert clean({**VALID, "declaration": False}, partial=True)[1] == {}
    assert clean({**VALID, "declaration": False})[1] == {"declaration": "Tôi cam đoan: cần đánh dấu để xác nhận."}


def test_unknown_keys_are_errors_under_their_own_name() -> None:
    _, errors = clean({**VALID, "is_admin": True}, partial=True)
    assert errors == {"is_admin": UNKNOWN_FIELD_MESSAGE}
    assert UNKNOWN_FIELD_MESSAGE == "Trường không tồn tại trong biểu mẫu."


# --- JSON types ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [
    ("applicant_name", 123), ("applicant_name", ["Nguyễn"]), ("child_date_of_birth", 20260301),
    ("child_sex", True), ("declaration", "true"), ("declaration", 1),
    ("copies_requested", 2.0), ("copies_requested", True), ("copies_requested", "2"), ("capital_vnd", 1.5),
])
def test_values_must_have_the_right_json_type(field: str, value: object) -> None:
    assert error_for(field, value) is not None


def test_every_error_message_starts_with_the_fields_label() -> None:
    _, errors = clean({"applicant_name": 1, "child_sex": "x", "copies_requested": -1, "capital_vnd": "a"})
    labels = {f.name: f.label for f in PROCEDURE.form}
    for name, message in errors.items():
        assert message.startswith(f"{labels[name]}: "), message


# --- text ----------------------------------------------------------------------------------------------------


def test_text_is_nfc_normalised_stripped_and_single_spaced() -> None:
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị  Bình ")
    assert cleaned_value("child_full_name", decomposed) == "Nguyễn Thị Bình"


@pytest.mark.parametrize("value", ["Nguyễn\x00An", "Bình\x1b[31m", "An\u202eBình", "An\tBình"])
def test_control_and_invisible_characters_are_refused(value: str) -> None:
    assert error_for("child_full_name", value) == (
        "Họ, chữ đệm, tên người được khai sinh: có ký tự điều khiển không hợp lệ.")


def test_a_textarea_keeps_its_line_breaks() -> None:
    assert cleaned_value("notes", "dòng 1\r\ndòng 2\n") == "dòng 1\ndòng 2"


def test_length_limits_count_characters_after_cleaning() -> None:
    assert error_for("child_full_name", "A") == "Họ, chữ đệm, tên người được khai sinh: cần ít nhất 2 ký tự."
    assert "không được quá 20 ký tự" in (error_for("child_full_name", "x" * 21) or "")
    assert cleaned_value("child_full_name", "x" * 20) == "x" * 20


def test_text_fields_default_to_200_characters_and_textareas_to_2000() -> None:
    text = FormField(name="a", label="A", label_en="A", type="text")
    area = FormField(name="b", label="B", label_en="B", type="textarea")
    assert (text.effective_max_length, area.effective_max_length) == (200, 2000)
    assert error_for("notes", "y" * 2001) is not None


def test_a_pattern_must_match_the_whole_value() -> None:
    assert cleaned_value("time_of_death", "14:30") == "14:30"
    assert error_for("time_of_death", "14:30 chiều") == "Giờ chết: không đúng định dạng."


# --- formatted values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [
    ("0912345678", "0912345678"), ("+84912345678", "0912345678"), ("84 912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"), ("(+84) 386-123-456", "0386123456"), ("0084 799 123 456", "0799123456"),
])
def test_mobile_numbers_are_stored_as_0xxxxxxxxx(typed: str, stored: str) -> None:
    assert cleaned_value("applicant_phone", typed) == stored


@pytest.mark.parametrize("typed", ["02513822222", "0212345678", "091234567", "09123456789", "+1 415 555 0100",
                                   "0912abc678", "1022"])
def test_landlines_short_numbers_and_other_countries_are_not_mobile_numbers(typed: str) -> None:
    assert error_for("applicant_phone", typed) == (
        "Số điện thoại di động: số di động không hợp lệ (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09).")


@pytest.mark.parametrize("typed", ["07912345678", "0791234567890", "07912345678a", "０７９１２３４５６７８９"])
def test_personal_id_numbers_have_exactly_12_ascii_digits(typed: str) -> None:
    assert error_for("applicant_id_number", typed) == (
        "Số định danh cá nhân của người yêu cầu: số định danh cá nhân phải gồm đúng 12 chữ số.")


def test_personal_id_numbers_may_be_typed_with_spaces() -> None:
    assert cleaned_value("applicant_id_number", "079 123 456 789") == "079123456789"


@pytest.mark.parametrize(("typed", "ok"), [("0312345678", True), ("0312345678-001", True), ("031234567", False),
                                           ("0312345678001", False), ("0312345678-01", False)])
def test_tax_codes_have_10_digits_or_13_with_a_dash(typed: str, ok: bool) -> None:
    assert (error_for("owner_tax_code", typed) is None) is ok


def test_emails_are_checked_and_their_domain_lower_cased() -> None:
    assert cleaned_value("applicant_email", "An.Nguyen@Example.VN") == "An.Nguyen@example.vn"
    assert error_for("applicant_email", "an@") is not None
    assert error_for("applicant_email", "an nguyen@example.vn") is not None


# --- dates, choices, numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2025-02-29", "2026-13-01", "2026-3-1", "01/03/2026", "2026-03-01T00:00"])
def test_dates_are_real_iso_dates(typed: str) -> None:
    assert error_for("child_date_of_birth", typed) == "Ngày sinh: ngày không hợp lệ."


def test_a_not_future_date_may_be_today_but_not_tomorrow() -> None:
    assert cleaned_value("child_date_of_birth", "2026-03-15") == "2026-03-15"
    assert error_for("child_date_of_birth", "2026-03-16") == "Ngày sinh: không được là ngày trong tương lai."


def test_dates_respect_their_bounds() -> None:
    assert error_for("child_date_of_birth", "1899-12-31") == "Ngày sinh: không được trước ngày 01/01/1900."
    assert cleaned_value("child_date_of_birth", "2024-02-29") == "2024-02-29"


def test_a_select_takes_one_of_its_option_values() -> None:
    assert cleaned_value("child_sex", "nam") == "nam"
    assert error_for("child_sex", "Nam") == "Giới tính: lựa chọn không hợp lệ."


def test_integers_and_money_respect_bounds() -> None:
    assert cleaned_value("copies_requested", 0) == 0
    assert error_for("copies_requested", 21) == "Số bản sao: không được lớn hơn 20."
    assert error_for("capital_vnd", -1) == "Vốn kinh doanh: phải từ 0 trở lên."
    assert error_for("capital_vnd", 10**16) == "Vốn kinh doanh: không được lớn hơn 1.000.000.000.000.000."
    assert cleaned_value("capital_vnd", 500_000_000) == 500_000_000


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([f.name for f in PROCEDURE.form] + ["extra"]), json_values),
       st.booleans())
def test_clean_form_never_crashes_and_cleaned_values_clean_to_themselves(values: dict[str, Any],
                                                                        partial: bool) -> None:
    cleaned, errors = PROCEDURE.clean_form(values, partial=partial, today=TODAY)
    assert not set(cleaned) & set(errors)
    again, again_errors = PROCEDURE.clean_form(cleaned, partial=True, today=TODAY)
    assert again == cleaned and again_errors == {}


# --- competent unit and fees ---------------------------------------------------------------------------------


def _unit(unit_id: str, level: Level, parent: str | None, office: bool = True) -> Unit:
    kind = UnitKind.SERVICE_CENTRE if unit_id == "trung-tam" else UnitKind.PEOPLE_COMMITTEE
    return Unit(unit_id, unit_id.upper().replace("-", "."), unit_id, unit_id, unit_id, level, kind, parent,
                office, "Tỉnh Đồng Nai")


UNITS = UnitTree([
    _unit("tinh", Level.PROVINCE, None, office=False),
    _unit("trung-tam", Level.PROVINCE, "tinh"),
    _unit("so-tu-phap", Level.PROVINCE, "tinh", office=False),
    _unit("xa-trang-bom", Level.COMMUNE, "tinh"),
    _unit("phuong-tran-bien", Level.COMMUNE, "tinh"),
])


def test_a_fixed_authority_is_always_that_unit() -> None:
    procedure = Procedure.model_validate(procedure_data(level="province", authority={"unit": "so-tu-phap"}))
    unit = procedure.competent_unit(UNITS, chosen_unit_id="xa-trang-bom", receiving_office_id="trung-tam")
    assert unit.id == "so-tu-phap"


def test_a_commune_level_authority_is_the_commune_the_applicant_chose() -> None:
    unit = PROCEDURE.competent_unit(UNITS, chosen_unit_id="phuong-tran-bien", receiving_office_id="xa-trang-bom")
    assert unit.id == "phuong-tran-bien"


def test_without_a_valid_choice_the_receiving_commune_decides() -> None:
    for chosen in (None, "khong-co", "so-tu-phap"):
        unit = PROCEDURE.competent_unit(UNITS, chosen_unit_id=chosen, receiving_office_id="xa-trang-bom")
        assert unit.id == "xa-trang-bom"


def test_filed_at_the_provincial_centre_a_commune_procedure_needs_a_chosen_commune() -> None:
    with pytest.raises(InvalidInput) as err:
        PROCEDURE.competent_unit(UNITS, chosen_unit_id=None, receiving_office_id="trung-tam")
    assert err.value.code == "competent_unit_required"
    assert "competent_unit_id" in err.value.fields
    assert "xã, phường" in err.value.message


def test_the_online_fee_is_the_reduced_rate_where_one_exists() -> None:
    assert PROCEDURE.fee_for("online") == 10000
    assert PROCEDURE.fee_for("counter") == 20000
    assert PROCEDURE.fee_for(Channel.POST) == 20000
    no_reduction = Procedure.model_validate(procedure_data(fee={"amount_vnd": 8000, "label_vi": "8.000 đồng"}))
    assert no_reduction.fee_for("online") == 8000


def test_channels_say_where_a_dossier_may_be_filed() -> None:
    counter_only = Procedure.model_validate(procedure_data(online_level="mot_phan", channels=["counter"]))
    assert counter_only.accepts("counter") and not counter_only.accepts("online")
    assert PROCEDURE.accepts("online") and PROCEDURE.accepts("post")


# --- what a valid definition is ------------------------------------------------------------------------------


def with_own_field(**changes: Any) -> dict[str, Any]:
    field = {"name": "extra", "label": "Thêm", "label_en": "Extra", "type": "text", **changes}
    return procedure_data(form=[*APPLICANT_FIELDS, field])


@pytest.mark.parametrize(("data", "fragment"), [
    (with_own_field(type="select"), "needs at least one option"),
    (with_own_field(options=[{"value": "a", "label": "A", "label_en": "A"}]), "select fields only"),
    (with_own_field(type="select", options=[{"value": "a", "label": "A", "label_en": "A"}] * 2), "unique"),
    (with_own_field(min=1), "date, integer and money"),
    (with_own_field(type="date", min=3), "must be a date"),
    (with_own_field(type="integer", min=5, max=1), "max is below min"),
    (with_own_field(min_length=5, max_length=2), "below min_length"),
    (with_own_field(pattern="(unclosed"), "regular expression"),
    (with_own_field(type="date", max_length=3), "text and textarea"),
    (with_own_field(type="integer", not_future=True), "date fields only"),
    (with_own_field(name="TenTre"), "String should match pattern"),
    (with_own_field(colour="red"), "Extra inputs"),
    (with_own_field(required="yes"), "valid boolean"),
    (procedure_data(form=OWN_FIELDS), "applicant block"),
    (procedure_data(form=[*APPLICANT_FIELDS, *OWN_FIELDS, OWN_FIELDS[0]]), "'child_full_name' is used more than once"),
    (procedure_data(documents=[{"id": "to_khai", "name": "A", "kind": "original"}] * 2), "'to_khai'"),
    (procedure_data(unconfirmed=["fee"]), "need a note"),
    (procedure_data(unconfirmed=["price"], note="x"), "not procedure fields"),
    (procedure_data(fee={"amount_vnd": 5, "label_vi": "5 đồng", "is_example": True}), "example fee"),
    (procedure_data(fee={"amount_vnd": 5, "online_amount_vnd": 6, "label_vi": "5 đồng"}), "cannot exceed"),
    (procedure_data(authority={"unit": "so-tu-phap", "level": "commune"}), "exactly one"),
    (procedure_data(authority={"level": "province"}), "not the procedure's"),
    (procedure_data(channels=["counter"]), "online channel"),
    (procedure_data(code=1.001193), "valid string"),
    (procedure_data(code="1001193"), "pattern"),
    (procedure_data(processing_time={"amount": "3"}), "whole number"),
    (procedure_data(processing_time={"amount": 3, "units": "days"}), "unexpected key"),
    (procedure_data(name=unicodedata.normalize("NFD", "Đăng ký khai sinh")), "NFC"),
    (procedure_data(result="   "), "must not be empty"),
])
def test_invalid_definitions_are_refused_with_a_reason(data: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        Procedure.model_validate(data)
    assert fragment in str(err.value)


def test_an_example_fee_says_so_in_its_label() -> None:
    procedure = Procedure.model_validate(procedure_data(
        fee={"amount_vnd": 15000, "label_vi": "Ví dụ: 15.000 đồng (chưa xác nhận)", "is_example": True},
        unconfirmed=["fee"], note="Mức lệ phí chưa xác nhận."))
    assert procedure.fee.is_example and procedure.is_unconfirmed("fee") and not procedure.is_unconfirmed("form")
