"""The organisation tree: province → optional district → commune, plus provincial departments and centres.

Pure domain: no I/O. The tree has no fixed depth so that the current two-level structure (province and
communes, since 1/7/2025) and an older or other province's three-level structure (province → district →
commune) are both just data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from motcua.domain.errors import NotFound
from motcua.domain.search import vi_sort_key

UNIT_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AGENCY_CODE_PATTERN = re.compile(r"^[A-Z0-9.]{2,20}$")


class Level(StrEnum):
    """Administrative level ("cấp") of a unit or of a procedure."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def rank(self) -> int:
        """0 for province, 1 for district, 2 for commune: a child never ranks above its parent."""
        return _LEVEL_RANK[self]

    def label_vi(self) -> str:
        """'Cấp tỉnh', 'Cấp huyện', 'Cấp xã' as the national database prints them."""
        return _LEVEL_LABEL_VI[self]


_LEVEL_RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
_LEVEL_LABEL_VI = {Level.PROVINCE: "Cấp tỉnh", Level.DISTRICT: "Cấp huyện", Level.COMMUNE: "Cấp xã"}


class UnitKind(StrEnum):
    """What sort of body a unit is; the competent body of a procedure is one of these."""

    PEOPLE_COMMITTEE = "people_committee"  # Ủy ban nhân dân
    DEPARTMENT = "department"  # Sở, and bodies under a Sở
    SERVICE_CENTRE = "service_centre"  # Trung tâm Phục vụ hành chính công
    POLICE = "police"  # Công an


class UnitTreeError(ValueError):
    """The units do not form a valid tree. ``unit_id`` and ``field`` say where, for the data loader."""

    def __init__(self, unit_id: str, field: str, message: str) -> None:
        super().__init__(f"{unit_id} → {field}: {message}")
        self.unit_id = unit_id
        self.field = field
        self.reason = message


@dataclass(frozen=True)
class Unit:
    """One body of the administration. ``has_one_stop_office``: citizens may file dossiers there."""

    id: str
    agency_code: str
    name: str
    name_en: str
    short_name: str
    level: Level
    kind: UnitKind
    parent_id: str | None
    has_one_stop_office: bool
    address: str
    phone: str | None = None
    # The counter's own name for receipts ("Trung tâm Phục vụ hành chính công phường Trấn Biên"); when
    # absent the unit's name is used.
    office_name: str | None = None

    def __post_init__(self) -> None:
        if not UNIT_ID_PATTERN.match(self.id):
            raise UnitTreeError(self.id, "id", "must be a lower-case slug like 'phuong-tran-bien'")
        if not AGENCY_CODE_PATTERN.match(self.agency_code):
            raise UnitTreeError(self.id, "agency_code", "must match ^[A-Z0-9.]{2,20}$")
        object.__setattr__(self, "level", Level(self.level))
        object.__setattr__(self, "kind", UnitKind(self.kind))
        for name in ("name", "name_en", "short_name", "address"):
            if not str(getattr(self, name)).strip():
                raise UnitTreeError(self.id, name, "must not be empty")

    @property
    def receiving_office_name(self) -> str:
        """Where a citizen hands in and collects papers at this unit."""
        return self.office_name or self.name


class UnitTree:
    """All units, checked to form a forest of trees whose roots are provinces.

    Invariants: unique ids and agency codes (agency codes prefix dossier codes, so two units sharing one
    would produce clashing dossier numbers), every parent exists, no cycles, a child is never at a higher
    level than its parent, and roots are provinces.
    """

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[str, Unit] = {}
        codes: dict[str, str] = {}
        for unit in units:
            if unit.id in self._units:
                raise UnitTreeError(unit.id, "id", "duplicate unit id")
            if unit.agency_code in codes:
                other = codes[unit.agency_code]
                raise UnitTreeError(unit.id, "agency_code", f"{unit.agency_code} is also used by '{other}'")
            self._units[unit.id] = unit
            codes[unit.agency_code] = unit.id
        self._children: dict[str, list[Unit]] = {unit_id: [] for unit_id in self._units}
        for unit in self._units.values():
            self._check_parent(unit)
            if unit.parent_id is not None:
                self._children[unit.parent_id].append(unit)
        for unit in self._units.values():
            self._check_no_cycle(unit)
        for siblings in self._children.values():
            siblings.sort(key=_unit_order)

    def _check_parent(self, unit: Unit) -> None:
        if unit.parent_id is None:
            if unit.level is not Level.PROVINCE:
                raise UnitTreeError(unit.id, "parent", "only a province-level unit may have no parent")
            return
        parent = self._units.get(unit.parent_id)
        if parent is None:
            raise UnitTreeError(unit.id, "parent", f"unknown unit '{unit.parent_id}'")
        if unit.level.rank < parent.level.rank:
            reason = f"a {unit.level} unit cannot sit under the {parent.level} unit '{parent.id}'"
            raise UnitTreeError(unit.id, "level", reason)

    def _check_no_cycle(self, unit: Unit) -> None:
        seen = {unit.id}
        current = unit
        while current.parent_id is not None:
            if current.parent_id in seen:
                raise UnitTreeError(unit.id, "parent", "the parent chain loops back on itself")
            seen.add(current.parent_id)
            current = self._units[current.parent_id]

    def get(self, unit_id: str) -> Unit:
        """The unit with this id; ``NotFound("unit_not_found")`` otherwise."""
        unit = self._units.get(unit_id)
        if unit is None:
            raise NotFound("unit_not_found", "Không tìm thấy cơ quan, đơn vị.", message_en="Unit not found.")
        return unit

    def find(self, unit_id: str) -> Unit | None:
        """The unit with this id, or None."""
        return self._units.get(unit_id)

    def offices(self) -> list[Unit]:
        """Units with a one-stop office, province level first, then by Vietnamese name order.

        Under "phi địa giới hành chính" a citizen may file at any of them; routing to the competent unit
        is the dossier service's job.
        """
        return sorted((u for u in self._units.values() if u.has_one_stop_office), key=_unit_order)

    def children(self, unit_id: str) -> list[Unit]:
        """Direct children of a unit, in display order. Raises NotFound for an unknown id."""
        self.get(unit_id)
        return list(self._children[unit_id])

    def ancestors(self, unit_id: str) -> list[Unit]:
        """The parent, grandparent, … up to the root (nearest first). Raises NotFound for an unknown id."""
        result: list[Unit] = []
        current = self.get(unit_id)
        while current.parent_id is not None:
            current = self._units[current.parent_id]
            result.append(current)
        return result

    def communes(self) -> list[Unit]:
        """All commune-level units (xã, phường, đặc khu), by Vietnamese name order."""
        return sorted((u for u in self._units.values() if u.level is Level.COMMUNE), key=_unit_order)

    def at_level(self, level: Level) -> list[Unit]:
        """All units at one level, in display order."""
        return sorted((u for u in self._units.values() if u.level is level), key=_unit_order)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units


def _unit_order(unit: Unit) -> tuple[int, tuple[tuple[int, ...], tuple[int, ...], str]]:
    return unit.level.rank, vi_sort_key(unit.short_name)
