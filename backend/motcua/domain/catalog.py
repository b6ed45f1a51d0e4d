"""The catalog aggregate: the unit tree, the fields of work and the procedures, with lookups and search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from motcua.domain.errors import NotFound
from motcua.domain.procedures import FieldOfWork, Procedure
from motcua.domain.search import SearchDocument, SearchIndex, vi_sort_key
from motcua.domain.units import Unit, UnitTree


class CatalogInconsistency(ValueError):
    """Procedures, fields and units do not fit together (the data loader reports these with file locations)."""

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(f"{code} → {field}: {message}")
        self.code = code
        self.field = field
        self.reason = message


class Catalog:
    """Everything a citizen can look up: units, fields of work and procedures. Immutable once built."""

    def __init__(
        self, units: UnitTree, fields_of_work: Iterable[FieldOfWork], procedures: Iterable[Procedure]
    ) -> None:
        self.units = units
        fields = sorted(fields_of_work, key=lambda f: vi_sort_key(f.name))
        self.fields_of_work: dict[str, FieldOfWork] = {}
        for field in fields:
            if field.id in self.fields_of_work:
                raise CatalogInconsistency("-", "field", f"field of work '{field.id}' is defined twice")
            self.fields_of_work[field.id] = field
        self._procedures: dict[str, Procedure] = {}
        for procedure in procedures:
            check_procedure(procedure, units, self.fields_of_work)
            if procedure.code in self._procedures:
                raise CatalogInconsistency(procedure.code, "code", "procedure code is used twice")
            self._procedures[procedure.code] = procedure
        self._index = SearchIndex(
            SearchDocument(
                key=p.code,
                name=p.name,
                code=p.code,
                keywords=p.keywords,
                secondary=(p.official_name, self.fields_of_work[p.field].name, p.result),
                group=self.fields_of_work[p.field].name,
            )
            for p in self._procedures.values()
        )
        self._ordered = [self._procedures[code] for code in self._index.search("", limit=len(self._procedures))]

    def get(self, code: str) -> Procedure:
        """The procedure with this national code; ``NotFound("procedure_not_found")`` otherwise."""
        procedure = self._procedures.get(code) if isinstance(code, str) else None
        if procedure is None:
            raise NotFound("procedure_not_found", "Không tìm thấy thủ tục.", message_en="Procedure not found.")
        return procedure

    def find(self, code: str) -> Procedure | None:
        """The procedure with this code, or None."""
        return self._procedures.get(code)

    def all(self) -> list[Procedure]:
        """All procedures, by field of work then name (Vietnamese order)."""
        return list(self._ordered)

    def __len__(self) -> int:
        return len(self._procedures)

    def search(
        self,
        query: str = "",
        *,
        level: str | None = None,
        field: str | None = None,
        unit: str | None = None,
        limit: int = 50,
    ) -> list[Procedure]:
        """Procedures matching a query typed with or without diacritics, best first (see ``search.py``).

        Filters: ``level`` (province/district/commune), ``field`` (field of work id) and ``unit``: the
        procedures that unit may decide (its fixed ones, plus every procedure decided at its level by a
        unit of the applicant's choosing). Unknown filter values match nothing.
        """
        allowed: set[str] | None = None
        if level is not None or field is not None or unit is not None:
            target = self.units.find(unit) if unit is not None else None
            if unit is not None and target is None:
                return []
            allowed = {
                p.code
                for p in self._procedures.values()
                if (level is None or p.level == level)
                and (field is None or p.field == field)
                and (target is None or decided_by(p, target))
            }
            if not allowed:
                return []
        return [self._procedures[code] for code in self._index.search(query, allowed=allowed, limit=limit)]


def decided_by(procedure: Procedure, unit: Unit) -> bool:
    """Whether ``unit`` may be the competent unit of ``procedure``."""
    if procedure.authority.unit is not None:
        return procedure.authority.unit == unit.id
    return unit.level is procedure.authority.level


def check_procedure(procedure: Procedure, units: UnitTree, fields: Mapping[str, FieldOfWork]) -> None:
    """Cross-checks a procedure needs against the rest of the catalog; ``CatalogInconsistency`` if broken."""
    if procedure.field not in fields:
        raise CatalogInconsistency(procedure.code, "field", f"unknown field of work '{procedure.field}'")
    unit_id = procedure.authority.unit
    if unit_id is not None:
        unit = units.find(unit_id)
        if unit is None:
            raise CatalogInconsistency(procedure.code, "authority.unit", f"unknown unit '{unit_id}'")
        if unit.level is not procedure.level:
            raise CatalogInconsistency(
                procedure.code,
                "authority.unit",
                f"unit '{unit_id}' is at level {unit.level}, the procedure at level {procedure.level}",
            )
