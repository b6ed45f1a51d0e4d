"""Loading the catalog data files (motcua/data/units.yaml and catalog/*.yaml).

The real data must load and keep its promises; a broken copy must fail with the file, the entry and the
field path in the message, so that whoever edits the YAML sees at once what to fix.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from motcua.adapters.catalog_files import DEFAULT_DATA_DIR, CatalogError, load_catalog, main
from motcua.domain.catalog import Catalog
from motcua.domain.procedures import APPLICANT_FIELD_NAMES
from motcua.domain.units import Level, UnitKind
from support.catalog_copy import edit

# ------------------------------------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_the_packaged_data_is_found_inside_the_motcua_package() -> None:
    assert DEFAULT_DATA_DIR.parts[-2:] == ("motcua", "data")
    assert (DEFAULT_DATA_DIR / "units.yaml").is_file()
    assert len(list((DEFAULT_DATA_DIR / "catalog").glob("*.yaml"))) >= 8


def test_the_catalog_seeds_at_least_22_procedures_at_province_and_commune_level(catalog: Catalog) -> None:
    procedures = catalog.all()
    assert len(procedures) >= 22
    assert {p.level for p in procedures} == {Level.PROVINCE, Level.COMMUNE}
    assert {"ho-tich", "chung-thuc", "cu-tru", "ly-lich-tu-phap", "dang-ky-kinh-doanh", "xay-dung", "dat-dai",
            "lao-dong", "an-toan-thuc-pham", "giao-thong"} <= set(catalog.fields_of_work)


def test_the_2025_authorities_are_used(catalog: Catalog) -> None:
    assert catalog.get("3.000333").authority.unit == "cong-an-tinh"  # criminal records: police, not Sở Tư pháp
    assert catalog.get("3.000347").authority.unit == "cong-an-tinh"  # driving licences: police
    assert catalog.get("2.001610").authority.unit == "so-tai-chinh"  # enterprises: Sở Tài chính
    assert catalog.get("1.001612").authority.level == Level.COMMUNE  # household businesses: the commune
    assert catalog.get("1.014748").authority.unit == "so-noi-vu"  # unemployment benefit: Sở Nội vụ


def test_every_form_starts_with_the_applicant_block(catalog: Catalog) -> None:
    for procedure in catalog.all():
        names = tuple(f.name for f in procedure.form[: len(APPLICANT_FIELD_NAMES)])
        assert names == APPLICANT_FIELD_NAMES, procedure.code
        assert len(procedure.form) > len(APPLICANT_FIELD_NAMES), f"{procedure.code} has no fields of its own"


def test_every_procedure_keeps_its_sources_and_explains_what_is_unconfirmed(catalog: Catalog) -> None:
    for procedure in catalog.all():
        assert procedure.sources, procedure.code
        if procedure.fee.is_example:
            assert "fee" in procedure.unconfirmed, procedure.code
        if procedure.unconfirmed:
            assert procedure.note, procedure.code


def test_certification_is_done_at_the_counter_only(catalog: Catalog) -> None:
    for code in ("2.000815", "2.000884"):
        assert not catalog.get(code).accepts("online")


def test_every_commune_has_a_one_stop_office_and_the_provincial_centre_receives_for_departments(
    catalog: Catalog,
) -> None:
    units = catalog.units
    offices = units.offices()
    assert offices[0].id == "trung-tam-phuc-vu-hanh-chinh-cong"
    assert offices[0].kind is UnitKind.SERVICE_CENTRE
    communes = units.communes()
    assert len(communes) >= 8
    assert all(c.has_one_stop_office and c.office_name for c in communes)
    assert not any(u.has_one_stop_office for u in units if u.kind is UnitKind.DEPARTMENT)
    root = units.get("ubnd-tinh-dong-nai")
    assert root.parent_id is None and root.level is Level.PROVINCE


def test_the_data_files_are_nfc_normalised_vietnamese() -> None:
    for path in [DEFAULT_DATA_DIR / "units.yaml", *sorted((DEFAULT_DATA_DIR / "catalog").glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path.name


def test_the_command_line_check_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^OK: \d+ procedures in \d+ fields of work", out, re.MULTILINE)
    assert "By level: commune" in out and "trung-tam-phuc-vu-hanh-chinh-cong" in out


def test_python_dash_m_runs_the_check() -> None:
    backend = Path(__file__).resolve().parents[2] / "backend"  # this checkout's, whatever the venv points at
    done = subprocess.run([sys.executable, "-m", "motcua.adapters.catalog_files"], capture_output=True,
                          text=True, timeout=60, check=False, env={**os.environ, "PYTHONPATH": str(backend)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: ")


# --------------------------------------------------------------------------------------- broken copies


def broken(directory: Path) -> str:
    with pytest.raises(CatalogError) as err:
        load_catalog(directory)
    return str(err.value)


def test_a_select_without_options_names_file_entry_and_field_path(data_copy: Path) -> None:
    line = edit(data_copy / "catalog/ho-tich.yaml",
                "        options:\n          - {value: nam, label: Nam, label_en: Male}\n"
                "          - {value: nu, label: Nữ, label_en: Female}\n      - {name: child_ethnicity",
                "        options: []\n      - {name: child_ethnicity")
    message = broken(data_copy)
    assert message.startswith(
        "data/catalog/ho-tich.yaml: procedures[0] (1.001193) → form[3].options: "
        "a select field needs at least one option")
    assert message.endswith(f"(line {line})")


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("catalog/lao-dong.yaml", "authority: {unit: so-noi-vu}", "authority: {unit: so-lao-dong}",
     "data/catalog/lao-dong.yaml: procedures[0] (1.014199) → authority.unit: unknown unit 'so-lao-dong'"),
    ("catalog/lao-dong.yaml", "authority: {unit: so-noi-vu}", "authority: {unit: phuong-tran-bien}",
     "procedures[0] (1.014199) → authority.unit: unit 'phuong-tran-bien' is at level commune"),
    ("catalog/ho-tich.yaml", "id: bien_ban_tre_bi_bo_roi", "id: giay_chung_sinh",
     "procedures[0] (1.001193) → documents[2].id: 'giay_chung_sinh' is already used by documents[1]"),
    ("catalog/ho-tich.yaml", "{name: child_full_name,", "{name: childFullName,",
     "procedures[0] (1.001193) → form[1].name: String should match pattern"),
    ("catalog/ho-tich.yaml", "{name: mother_ethnicity,", "{name: mother_full_name,",
     "procedures[0] (1.001193) → form[10].name: 'mother_full_name' is already used by form[8]"),
    ("catalog/ho-tich.yaml", "{name: quan_he_voi_nguoi_duoc_khai_sinh,", "{name: applicant_phone,",
     "procedures[0] (1.001193) → form[0].name: 'applicant_phone' belongs to the applicant block"),
    ("catalog/ho-tich.yaml", 'code: "1.000894"', "code: 1.000894",
     "procedures[1] (1.000894) → code: must be a quoted string"),
    ("catalog/ho-tich.yaml", "    official_name: Thủ tục đăng ký kết hôn\n",
     "    official_name: Thủ tục đăng ký kết hôn\n    name: Kết hôn\n",
     "data/catalog/ho-tich.yaml: key 'name' appears twice in the same mapping"),
    ("catalog/ho-tich.yaml", "processing_time: {amount: 3, unit: working_days}",
     "processing_time: {amount: 3, unit: days}",
     "procedures[4] (1.004873) → processing_time.unit: Input should be 'working_days' or 'working_hours'"),
    ("catalog/ho-tich.yaml", 'label_vi: "Ví dụ: 15.000 đồng', 'label_vi: "15.000 đồng',
     "procedures[4] (1.004873) → fee: an example fee must say so in label_vi"),
    ("catalog/ho-tich.yaml", "    unconfirmed: [fee]\n", "    unconfirmed: [fee, price]\n",
     "procedures[4] (1.004873) → unconfirmed: not procedure fields: price"),
    ("catalog/ho-tich.yaml", "min: 1900-01-01, not_future: true, group: Người được khai sinh}",
     "min: 1900-02-30, not_future: true, group: Người được khai sinh}",
     "data/catalog/ho-tich.yaml: not valid YAML: not a real date: 1900-02-30"),
    ("catalog/ho-tich.yaml", "    level: commune\n    authority: {level: commune}\n",
     "    level: commune\n    authority: {level: commune, unit: so-tu-phap}\n",
     "procedures[0] (1.001193) → authority: give exactly one of 'unit'"),
    ("catalog/ho-tich.yaml", "  id: ho-tich\n", "  id: ho-tich-2\n",
     "data/catalog/ho-tich.yaml: field.id: the file of field 'ho-tich-2' must be named ho-tich-2.yaml"),
    ("catalog/ho-tich.yaml", "    name: Đăng ký khai sinh\n", "    name: Đăng ký khai sinh\n    price: 0\n",
     "procedures[0] (1.001193) → price: Extra inputs are not permitted"),
    ("catalog/ho-tich.yaml", "    name: Đăng ký khai sinh\n",
     "    name: " + unicodedata.normalize("NFD", "Đăng ký khai sinh") + "\n",
     "procedures[0] (1.001193) → name: text is not NFC-normalised"),
    ("catalog/ho-tich.yaml", "procedures:\n", "procedures:\n  - [\n",
     "data/catalog/ho-tich.yaml: not valid YAML"),
    ("catalog/chung-thuc.yaml", 'code: "2.000884"', 'code: "1.001193"',
     "data/catalog/ho-tich.yaml: procedures[0] (1.001193) → code: duplicate procedure code, already defined in "
     "data/catalog/chung-thuc.yaml: procedures[1]"),
    ("units.yaml", "    parent: ubnd-tinh-dong-nai\n    has_one_stop_office: true\n"
                   "    office_name: Trung tâm Phục vụ hành chính công phường Trấn Biên",
     "    parent: quan-1\n    has_one_stop_office: true\n"
     "    office_name: Trung tâm Phục vụ hành chính công phường Trấn Biên",
     "data/units.yaml: units[11] (phuong-tran-bien) → parent: unknown unit 'quan-1'"),
    ("units.yaml", "agency_code: H19.23.02", "agency_code: H19.23.01",
     "data/units.yaml: units[12] (phuong-bien-hoa) → agency_code: H19.23.01 is also used by 'phuong-tran-bien'"),
    ("units.yaml", "agency_code: H19.23.02", "agency_code: h19-23-02",
     "data/units.yaml: units[12] (phuong-bien-hoa) → agency_code: must match"),
    ("units.yaml", "    kind: police\n", "    kind: army\n",
     "data/units.yaml: units[10] (cong-an-tinh) → kind: Input should be"),
    ("units.yaml", "    has_one_stop_office: true\n    office_name: Trung tâm Phục vụ hành chính công xã Trảng Bom",
     "    has_one_stop_office: yes please\n    office_name: Trung tâm Phục vụ hành chính công xã Trảng Bom",
     "data/units.yaml: units[16] (xa-trang-bom) → has_one_stop_office: Input should be a valid boolean"),
])
def test_a_broken_entry_fails_with_its_location(data_copy: Path, file: str, old: str, new: str,
                                                 expected: str) -> None:
    line = edit(data_copy / file, old, new)
    message = broken(data_copy)
    assert expected in message
    assert re.search(r"\(line \d+\)$", message.splitlines()[0]), message
    assert message.startswith("data/")
    if "procedures[" in expected or "units[" in expected:
        assert re.match(r"^data/\S+\.yaml: (procedures|units)\[\d+\] \(\S+\) → ", message), message
    assert line > 0


def test_the_reported_line_is_the_line_of_the_broken_key(data_copy: Path) -> None:
    line = edit(data_copy / "catalog/lao-dong.yaml", "authority: {unit: so-noi-vu}", "authority: {unit: so-x}")
    assert broken(data_copy).endswith(f"(line {line})")


def test_a_directory_without_procedure_files_is_refused(data_copy: Path) -> None:
    for path in (data_copy / "catalog").glob("*.yaml"):
        path.unlink()
    assert "no *.yaml procedure files" in broken(data_copy)


def test_the_command_line_check_fails_with_the_location(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(data_copy / "catalog/lao-dong.yaml", "authority: {unit: so-noi-vu}", "authority: {unit: so-x}")
    assert main([str(data_copy)]) == 1
    assert "lao-dong.yaml: procedures[0] (1.014199) → authority.unit" in capsys.readouterr().err


# ------------------------------------------------------------------------- a three-level province as data


def test_a_three_level_structure_loads_as_data(data_copy: Path) -> None:
    district = (
        "  - id: ubnd-tp-bien-hoa\n"
        "    agency_code: H19.30\n"
        "    name: Ủy ban nhân dân thành phố Biên Hòa\n"
        "    name_en: Bien Hoa City People's Committee\n"
        "    short_name: Thành phố Biên Hòa\n"
        "    level: district\n"
        "    kind: people_committee\n"
        "    parent: ubnd-tinh-dong-nai\n"
        "    has_one_stop_office: true\n"
        "    office_name: Bộ phận Tiếp nhận và Trả kết quả thành phố Biên Hòa\n"
        "    address: Thành phố Biên Hòa, tỉnh Đồng Nai\n"
        "    phone: null\n\n"
    )
    edit(data_copy / "units.yaml", "  - id: phuong-tran-bien\n", district + "  - id: phuong-tran-bien\n")
    edit(data_copy / "units.yaml",
         "    parent: ubnd-tinh-dong-nai\n    has_one_stop_office: true\n"
         "    office_name: Trung tâm Phục vụ hành chính công phường Trấn Biên",
         "    parent: ubnd-tp-bien-hoa\n    has_one_stop_office: true\n"
         "    office_name: Trung tâm Phục vụ hành chính công phường Trấn Biên")
    catalog = load_catalog(data_copy)
    units = catalog.units
    assert [u.id for u in units.ancestors("phuong-tran-bien")] == ["ubnd-tp-bien-hoa", "ubnd-tinh-dong-nai"]
    assert units.get("ubnd-tp-bien-hoa") in units.offices()
    khai_sinh = catalog.get("1.001193")
    competent = khai_sinh.competent_unit(units, chosen_unit_id=None, receiving_office_id="phuong-tran-bien")
    assert competent.id == "phuong-tran-bien"
