"""What the public list of feedback answers may never show: phones, e-mails, ID numbers, dossier codes, names."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.domain.redaction import CODE_LABEL, EMAIL_LABEL, ID_LABEL, NAME_LABEL, PHONE_LABEL, redact


@pytest.mark.parametrize("phone", [
    "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678", "+84912345678", "84912345678",
    "0084 912 345 678", "(0251) 3822 123", "0251.3822.123", "02513822123", "+84 (0) 912 345 678",
])
def test_phone_numbers_in_any_spelling_are_removed(phone):
    out = redact(f"Liên hệ {phone} giúp tôi.")
    assert out == f"Liên hệ {PHONE_LABEL} giúp tôi.", out


@pytest.mark.parametrize("email", ["ngocanh@example.vn", "Ngoc.Anh+pakn@mail.dongnai.gov.vn", "a_b@x.com",
                                   "ngocanh (at) example . vn"])
def test_email_addresses_are_removed(email):
    assert redact(f"Email: {email}.").startswith(f"Email: {EMAIL_LABEL}")


@pytest.mark.parametrize("number", ["075190001234", "271234567", "0751 9000 1234", "075.190.001.234"])
def test_identity_numbers_of_9_or_12_digits_are_removed(number):
    out = redact(f"CCCD số {number} cấp ngày 01/01/2021")
    assert out in (f"CCCD số {ID_LABEL} cấp ngày 01/01/2021", f"CCCD số {PHONE_LABEL} cấp ngày 01/01/2021"), out
    assert not any(ch.isdigit() for ch in out.split("cấp")[0])


@pytest.mark.parametrize("code", ["H19.23.01-261126-0002", "H19.23-261126-0975", "h15.50.05.13-261008-0975",
                                  "H19.23 - 261126 - 0002", "000.00.23.H19-261126-12345"])
def test_dossier_codes_are_removed(code):
    assert redact(f"Hồ sơ {code} quá hạn") == f"Hồ sơ {CODE_LABEL} quá hạn"


@pytest.mark.parametrize("written", ["Nguyễn Thị Ngọc Ánh", "NGUYỄN THỊ NGỌC ÁNH", "nguyen thi ngoc anh",
                                     "Nguyễn  Thị\nNgọc Ánh", "Ngọc Ánh", "ngoc anh"])
def test_the_senders_name_is_removed_ignoring_case_diacritics_and_spacing(written):
    assert redact(f"Tôi là {written}, xin hỏi.", names=["Nguyễn Thị Ngọc Ánh"]) == f"Tôi là {NAME_LABEL}, xin hỏi."


def test_a_name_inside_another_word_is_left_alone():
    assert redact("Anh Hưng hỏi về thủ tục", names=["Hưng"]) == f"Anh {NAME_LABEL} hỏi về thủ tục"
    assert redact("Hưngyên", names=["Hưng"]) == "Hưngyên"


def test_nfd_input_is_redacted_and_comes_out_nfc():
    import unicodedata

    text = unicodedata.normalize("NFD", "Tôi là Nguyễn Thị Ngọc Ánh, gọi 0912345678")
    out = redact(text, names=["Nguyễn Thị Ngọc Ánh"])
    assert out == f"Tôi là {NAME_LABEL}, gọi {PHONE_LABEL}" and unicodedata.is_normalized("NFC", out)


def test_ordinary_numbers_dates_money_and_times_stay():
    text = "Nộp ngày 26/11/2026 lúc 09:00, lệ phí 8.000 đồng, chờ 15 ngày, quầy số 3, năm 2026, 1.500.000 đ"
    assert redact(text) == text


def test_everything_at_once():
    text = ("Tôi tên Trần Văn Hùng (SĐT 0987.654.321, email hung.tv@gmail.com, CCCD 075090009999) nộp hồ sơ "
            "H19.23-261120-0012 ngày 20/11 nhưng chưa có kết quả. Hùng xin cảm ơn.")
    out = redact(text, names=["Trần Văn Hùng", None, ""])
    assert out == (f"Tôi tên {NAME_LABEL} (SĐT {PHONE_LABEL}, email {EMAIL_LABEL}, CCCD {ID_LABEL}) nộp hồ sơ "
                   f"{CODE_LABEL} ngày 20/11 nhưng chưa có kết quả. Hùng xin cảm ơn.")


def test_empty_and_missing_text():
    assert redact("") == "" and redact(None) == ""  # type: ignore[arg-type]


@given(st.text(max_size=300), st.from_regex(r"0[35789][0-9]{8}", fullmatch=True))
def test_no_mobile_number_survives_whatever_surrounds_it(noise, phone):
    out = redact(f"{noise} {phone} {noise}")
    assert phone not in out.replace(" ", "").replace(".", "").replace("-", "")
