"""Rules of the organisation tree: a province, optional districts, communes, departments and centres."""

from __future__ import annotations

import pytest

from motcua.domain.errors import NotFound
from motcua.domain.units import Level, Unit, UnitKind, UnitTree, UnitTreeError


def unit(
    unit_id: str,
    *,
    level: Level = Level.COMMUNE,
    parent: str | None = "tinh",
    kind: UnitKind = UnitKind.PEOPLE_COMMITTEE,
    office: bool = False,
    code: str | None = None,
    short_name: str | None = None,
) -> Unit:
    return Unit(
        id=unit_id,
        agency_code=code or unit_id.upper().replace("-", "."),
        name=f"Ủy ban nhân dân {short_name or unit_id}",
        name_en=unit_id,
        short_name=short_name or unit_id,
        level=level,
        kind=kind,
        parent_id=parent,
        has_one_stop_office=office,
        address="Tỉnh Đồng Nai",
    )


PROVINCE = unit("tinh", level=Level.PROVINCE, parent=None, short_name="UBND tỉnh")
CENTRE = unit("trung-tam", level=Level.PROVINCE, kind=UnitKind.SERVICE_CENTRE, office=True,
              short_name="Trung tâm Phục vụ hành chính công tỉnh")
SO_TU_PHAP = unit("so-tu-phap", level=Level.PROVINCE, kind=UnitKind.DEPARTMENT, short_name="Sở Tư pháp")


def two_level_tree() -> UnitTree:
    return UnitTree([
        PROVINCE, CENTRE, SO_TU_PHAP,
        unit("xa-trang-bom", office=True, short_name="Xã Trảng Bom"),
        unit("phuong-dong-xoai", office=True, short_name="Phường Đồng Xoài"),
        unit("phuong-bien-hoa", office=True, short_name="Phường Biên Hòa"),
        unit("phuong-dien-hong", office=False, short_name="Phường Diên Hồng"),
    ])


def test_get_and_find_return_the_unit_or_say_it_is_missing() -> None:
    tree = two_level_tree()
    assert tree.get("so-tu-phap") is SO_TU_PHAP
    assert tree.find("so-tu-phap") is SO_TU_PHAP
    assert tree.find("khong-co") is None
    with pytest.raises(NotFound) as err:
        tree.get("khong-co")
    assert err.value.code == "unit_not_found"
    assert "so-tu-phap" in tree and "khong-co" not in tree


def test_offices_are_the_units_with_a_one_stop_office_province_first_then_by_vietnamese_name() -> None:
    offices = two_level_tree().offices()
    # Đ sorts after D and before E in Vietnamese, so "Đồng Xoài" comes after "Biên Hòa" but the wards
    # come before "Xã …"; a plain code-point sort would put "Đ" after "X".
    assert [u.id for u in offices] == ["trung-tam", "phuong-bien-hoa", "phuong-dong-xoai", "xa-trang-bom"]


def test_children_ancestors_and_communes() -> None:
    tree = two_level_tree()
    assert [u.id for u in tree.children("tinh")][:2] == ["so-tu-phap", "trung-tam"]
    assert tree.children("xa-trang-bom") == []
    assert [u.id for u in tree.ancestors("xa-trang-bom")] == ["tinh"]
    assert tree.ancestors("tinh") == []
    assert {u.id for u in tree.communes()} == {"xa-trang-bom", "phuong-dong-xoai", "phuong-bien-hoa",
                                              "phuong-dien-hong"}
    assert len(tree) == 7
    assert {u.id for u in tree} == {u.id for u in tree.at_level(Level.PROVINCE)} | {u.id for u in tree.communes()}


def test_a_three_level_province_fits_as_data() -> None:
    tree = UnitTree([
        PROVINCE,
        unit("tp-bien-hoa", level=Level.DISTRICT, office=True, short_name="Thành phố Biên Hòa"),
        unit("phuong-tan-mai", parent="tp-bien-hoa", office=True, short_name="Phường Tân Mai"),
    ])
    assert [u.id for u in tree.ancestors("phuong-tan-mai")] == ["tp-bien-hoa", "tinh"]
    assert [u.id for u in tree.offices()] == ["tp-bien-hoa", "phuong-tan-mai"]
    assert [u.id for u in tree.children("tp-bien-hoa")] == ["phuong-tan-mai"]


def test_unit_ids_must_be_unique() -> None:
    with pytest.raises(UnitTreeError) as err:
        UnitTree([PROVINCE, unit("xa-a"), unit("xa-a", code="H19.99")])
    assert err.value.unit_id == "xa-a" and err.value.field == "id"


def test_agency_codes_must_be_unique_because_they_prefix_dossier_codes() -> None:
    with pytest.raises(UnitTreeError) as err:
        UnitTree([PROVINCE, unit("xa-a", code="H19.23.01"), unit("xa-b", code="H19.23.01")])
    assert err.value.field == "agency_code"


def test_parents_must_exist() -> None:
    with pytest.raises(UnitTreeError) as err:
        UnitTree([PROVINCE, unit("xa-a", parent="huyen-khong-co")])
    assert (err.value.unit_id, err.value.field) == ("xa-a", "parent")


def test_cycles_are_refused() -> None:
    with pytest.raises(UnitTreeError) as err:
        UnitTree([PROVINCE, unit("xa-a", parent="xa-b"), unit("xa-b", parent="xa-a")])
    assert err.value.field == "parent"


def test_only_a_province_may_be_a_root() -> None:
    with pytest.raises(UnitTreeError):
        UnitTree([unit("xa-mo-coi", parent=None)])


def test_a_child_is_never_above_its_parent() -> None:
    with pytest.raises(UnitTreeError) as err:
        UnitTree([PROVINCE, unit("xa-a"), unit("huyen-b", level=Level.DISTRICT, parent="xa-a")])
    assert err.value.field == "level"


@pytest.mark.parametrize(("field", "value"), [("id", "Phuong Tran Bien"), ("agency_code", "h19-01"),
                                              ("agency_code", "H"), ("agency_code", "H" * 21)])
def test_ids_are_slugs_and_agency_codes_are_short_upper_case_codes(field: str, value: str) -> None:
    kwargs = {"unit_id": "xa-a", "code": None}
    if field == "id":
        kwargs["unit_id"] = value
    else:
        kwargs["code"] = value
    with pytest.raises(UnitTreeError) as err:
        unit(kwargs["unit_id"] or "", code=kwargs["code"])
    assert err.value.field == field


def test_levels_have_vietnamese_labels_and_an_order() -> None:
    assert Level.COMMUNE.label_vi() == "Cấp xã"
    assert Level.PROVINCE.rank < Level.DISTRICT.rank < Level.COMMUNE.rank
    assert Level("commune") is Level.COMMUNE and Level.COMMUNE == "commune"
