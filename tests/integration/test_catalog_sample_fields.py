"""The catalog's sample values and common mistakes are checked as strictly as the rest of an entry."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from motcua.adapters.catalog_files import CatalogError, load_catalog
from support.catalog_copy import edit

KHAI_SINH_RELATION = '{name: quan_he_voi_nguoi_duoc_khai_sinh, sample: "Cha",'
TIME_OF_DEATH = '{name: time_of_death, sample: "14:30",'
FIRST_DOCUMENT = (
    "        kind: original\n        note: Nộp trực tuyến thì dùng mẫu hộ tịch điện tử tương tác đăng ký khai sinh.\n")
MISTAKE = '      - "Để quá 60 ngày kể từ ngày sinh mới đăng ký: không còn được miễn lệ phí (đăng ký không đúng hạn)."\n'


@pytest.mark.parametrize(("old", "new", "expected"), [
    (KHAI_SINH_RELATION, "{name: quan_he_voi_nguoi_duoc_khai_sinh, sample: 42,",
     "procedures[0] (1.001193) → form[0]: sample is not a valid answer: giá trị phải là chuỗi ký tự."),
    (KHAI_SINH_RELATION, '{name: quan_he_voi_nguoi_duoc_khai_sinh, sample: "  Cha ",',
     "sample must be written as the form stores it ('Cha')"),
    (KHAI_SINH_RELATION, '{name: quan_he_voi_nguoi_duoc_khai_sinh, sample: "' + "x" * 51 + '",',
     "sample is not a valid answer: không được quá 50 ký tự."),
    (TIME_OF_DEATH, '{name: time_of_death, sample: "25:99",', "sample is not a valid answer: không đúng định dạng."),
    (KHAI_SINH_RELATION, '{name: quan_he_voi_nguoi_duoc_khai_sinh, sample: [Cha],',
     "procedures[0] (1.001193) → form[0].sample: Input should be a valid string"),
    ("{name: child_ethnicity,", "{name: child_ethnicity, sample: 2999-01-01,",
     "procedures[0] (1.001193) → form[4].sample: Input should be a valid string"),
    ("{name: child_date_of_birth,", "{name: child_date_of_birth, sample: 2999-01-01,",
     "procedures[0] (1.001193) → form[2]: sample is not a valid answer: không được là ngày trong tương lai."),
    (MISTAKE, MISTAKE + MISTAKE, "procedures[0] (1.001193) → common_mistakes: common mistake"),
    (MISTAKE, '      - "' + unicodedata.normalize("NFD", "Để quá hạn") + '"\n',
     "procedures[0] (1.001193) → common_mistakes[0]: text is not NFC-normalised"),
    (MISTAKE, '      - ""\n', "procedures[0] (1.001193) → common_mistakes[0]: must not be empty"),
    (FIRST_DOCUMENT, "        kind: original\n        common_mistake: [x]\n",
     "procedures[0] (1.001193) → documents[0].common_mistake: Extra inputs are not permitted"),
])
def test_a_bad_sample_or_mistake_fails_with_its_location(data_copy: Path, old: str, new: str, expected: str) -> None:
    edit(data_copy / "catalog/ho-tich.yaml", old, new)
    with pytest.raises(CatalogError) as err:
        load_catalog(data_copy)
    assert expected in str(err.value)
    assert str(err.value).startswith("data/catalog/ho-tich.yaml: procedures[")


def test_document_guidance_and_mistakes_load_when_valid(data_copy: Path) -> None:
    edit(data_copy / "catalog/ho-tich.yaml", FIRST_DOCUMENT,
         "        kind: original\n        guidance: Ghi đủ thông tin của cha và mẹ.\n"
         "        common_mistakes: [Bỏ trống quê quán.]\n")
    document = load_catalog(data_copy).get("1.001193").documents[0]
    assert document.guidance == "Ghi đủ thông tin của cha và mẹ."
    assert document.common_mistakes == ("Bỏ trống quê quán.",)
