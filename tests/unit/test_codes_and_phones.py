from datetime import date

import pytest

from motcua.domain.codes import format_dossier_code, normalise_code, sequence_key
from motcua.domain.phones import normalise_phone


def test_dossier_code_is_agency_date_and_four_digit_sequence():
    assert format_dossier_code("H19.23", date(2026, 10, 8), 975) == "H19.23-261008-0975"


def test_sequence_beyond_9999_widens_instead_of_wrapping():
    assert format_dossier_code("H19", date(2026, 1, 1), 10000) == "H19-260101-10000"


def test_sequence_starts_at_one():
    with pytest.raises(ValueError):
        format_dossier_code("H19", date(2026, 1, 1), 0)


def test_daily_counter_is_per_agency_and_day():
    assert sequence_key("H19.23", date(2026, 1, 1)) != sequence_key("H19.24", date(2026, 1, 1))
    assert sequence_key("H19.23", date(2026, 1, 1)) != sequence_key("H19.23", date(2026, 1, 2))


@pytest.mark.parametrize("typed", ["h19.23-261008-0975", " H19.23-261008-0975 ", "H19.23 -261008-0975"])
def test_codes_typed_with_spaces_or_lower_case_are_understood(typed):
    assert normalise_code(typed) == "H19.23-261008-0975"


@pytest.mark.parametrize("bad", ["", "abc", "H19.23-2610-0975", "../etc", "H19.23-261008-0975; DROP", "x" * 500])
def test_anything_else_is_not_a_code(bad):
    assert normalise_code(bad) is None


@pytest.mark.parametrize("typed", ["0912345678", "+84912345678", "84912345678", "0912 345 678", "091.234.5678"])
def test_mobile_numbers_as_people_type_them(typed):
    assert normalise_phone(typed) == "0912345678"


@pytest.mark.parametrize("bad", ["", "012345678", "0212345678", "091234567", "09123456789", "abc", None, 912345678])
def test_not_a_vietnamese_mobile_number(bad):
    assert normalise_phone(bad) is None
