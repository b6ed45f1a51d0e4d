"""Load the catalog from YAML files: ``units.yaml`` and ``catalog/<field-of-work>.yaml``.

Data files are edited by hand, so a broken entry must fail loudly and say exactly where:
``data/catalog/ho-tich.yaml: procedures[2] (1.000894) → form[3].options: … (line 87)``.
Besides each entry's own schema (the domain models), the loader cross-checks what no single entry can:
unit ids referenced exist, codes are unique across files, document ids and form field names are unique.

Run ``python -m motcua.adapters.catalog_files [directory]`` to validate the data and print a summary.
"""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError

from motcua.domain.catalog import Catalog, CatalogInconsistency, check_procedure
from motcua.domain.procedures import APPLICANT_FIELD_NAMES, APPLICANT_FIELDS, FieldOfWork, Procedure
from motcua.domain.units import Level, Unit, UnitKind, UnitTree, UnitTreeError

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
Loc = tuple[str | int, ...]


class CatalogError(Exception):
    """A data file is broken. The message starts with the file, the entry and the field path."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# --- YAML with line numbers and no silent duplicate keys ------------------------------------------------------


class _Map(dict[Any, Any]):
    """A YAML mapping that remembers the line of each key (1-based)."""

    lines: dict[Any, int]


class _Seq(list[Any]):
    """A YAML sequence that remembers the line of each item (1-based)."""

    lines: list[int]


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(f"key '{key}' appears twice in the same mapping")
        self.line = line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that records line numbers and refuses duplicate keys (PyYAML keeps the last one silently).

    libyaml's parser when PyYAML has it (its wheels do): the same nodes, marks and results, and the catalog loads in
    a tenth of the time, which every Lambda cold start pays.
    """


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)  # type: ignore[no-untyped-call]
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)  # type: ignore[no-untyped-call]
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    # PyYAML raises a bare ValueError, without the line, for a date that does not exist (1900-02-30).
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(None, None, f"not a real date: {node.value}", node.start_mark) from exc


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _line_of(data: Any, loc: Loc) -> int | None:
    """The line of the deepest part of ``loc`` that exists in the loaded data."""
    line = None
    node = data
    for part in loc:
        if isinstance(node, _Map) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, _Seq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
    return line


# --- Locations in messages ------------------------------------------------------------------------------------


class _Source:
    """One data file: its display name, its parsed content, and how to word a problem in it."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        try:
            self.display = path.relative_to(root.parent).as_posix()
        except ValueError:
            self.display = path.as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogError([f"{self.display}: cannot read the file: {exc}"]) from exc
        try:
            self.data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
        except _DuplicateKey as exc:
            raise CatalogError([f"{self.display}: {exc} (line {exc.line})"]) from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise CatalogError([f"{self.display}: not valid YAML: {getattr(exc, 'problem', exc)}{where}"]) from exc

    def problem(self, loc: Loc, message: str, *, entry_label: str | None = None, entry_size: int = 2) -> str:
        """'file: procedures[2] (code) → form[3].options: message (line N)'."""
        if entry_size == 0:  # not inside a list entry: the plain path ("field.id")
            entry_size = len(loc)
        entry_loc, inner = loc[:entry_size], loc[entry_size:]
        head = _format_loc(entry_loc) or "(top level)"
        if entry_label:
            head += f" ({entry_label})"
        if inner:
            head += f" → {_format_loc(inner)}"
        line = _line_of(self.data, loc)
        suffix = f" (line {line})" if line is not None else ""
        return f"{self.display}: {head}: {message}{suffix}"


def _format_loc(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _pydantic_problems(
    source: _Source,
    exc: ValidationError,
    prefix: Loc,
    raw: Any,
    label: str | None,
    shift_form: int = 0,
    entry_size: int | None = None,
) -> list[str]:
    problems = []
    for error in exc.errors():
        loc: Loc = tuple(error["loc"])
        if shift_form and len(loc) >= 2 and loc[0] == "form" and isinstance(loc[1], int):
            # The loader put the applicant block in front of the file's form: point back at the file's index.
            loc = ("form", loc[1] - shift_form, *loc[2:])
        loc = _clean_loc(raw, loc, error["type"])
        message = str(error["msg"]).removeprefix("Value error, ")
        size = len(prefix) if entry_size is None else entry_size
        problems.append(source.problem(prefix + loc, message, entry_label=label, entry_size=size))
    return problems


def _clean_loc(data: Any, loc: Loc, error_type: str) -> Loc:
    """Keep the path parts that exist in the data (pydantic adds union member names such as 'int')."""
    kept: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        in_map = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_map or in_list:
            node = node[part]
        elif index == len(loc) - 1 and error_type in ("missing", "extra_forbidden"):
            kept.append(part)
            break
        else:
            break
        kept.append(part)
    return tuple(kept)


# --- Units ----------------------------------------------------------------------------------------------------


class _UnitRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: StrictStr
    agency_code: StrictStr
    name: StrictStr
    name_en: StrictStr
    short_name: StrictStr
    level: Level
    kind: UnitKind
    parent: StrictStr | None
    has_one_stop_office: StrictBool
    address: StrictStr
    phone: StrictStr | None = None
    office_name: StrictStr | None = None


def load_units(path: Path, root: Path | None = None) -> UnitTree:
    """Load and check ``units.yaml``; ``CatalogError`` with the unit's location if anything is wrong."""
    source = _Source(path, root or path.parent)
    data = source.data
    if not isinstance(data, dict) or set(data) != {"units"} or not isinstance(data["units"], list):
        raise CatalogError([f"{source.display}: expected a mapping with one key 'units' holding a list"])
    units: list[Unit] = []
    positions: dict[str, int] = {}
    for index, raw in enumerate(data["units"]):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        try:
            record = _UnitRecord.model_validate(raw)
        except ValidationError as exc:
            raise CatalogError(_pydantic_problems(source, exc, ("units", index), raw, label)) from exc
        for name in ("name", "name_en", "short_name", "address", "office_name"):
            value = getattr(record, name)
            if value is not None and unicodedata.normalize("NFC", value) != value:
                raise CatalogError([source.problem(("units", index, name), "text is not NFC-normalised",
                                                   entry_label=label)])
        try:
            unit = Unit(
                id=record.id, agency_code=record.agency_code, name=record.name, name_en=record.name_en,
                short_name=record.short_name, level=record.level, kind=record.kind, parent_id=record.parent,
                has_one_stop_office=record.has_one_stop_office, address=record.address, phone=record.phone,
                office_name=record.office_name,
            )
        except UnitTreeError as exc:
            raise CatalogError([source.problem(("units", index, exc.field), exc.reason, entry_label=label)]) from exc
        positions.setdefault(unit.id, index)
        units.append(unit)
    try:
        return UnitTree(units)
    except UnitTreeError as exc:
        # Point at the last unit with that id: for a duplicate id, that is the second one.
        index = max((i for i, u in enumerate(units) if u.id == exc.unit_id), default=0)
        loc: Loc = ("units", index, exc.field)
        raise CatalogError([source.problem(loc, exc.reason, entry_label=exc.unit_id)]) from exc


# --- Procedures -----------------------------------------------------------------------------------------------


def _procedure_files(directory: Path) -> Iterator[Path]:
    yield from sorted((directory / "catalog").glob("*.yaml"))


def _check_raw_procedure(source: _Source, index: int, raw: dict[str, Any], label: str | None) -> None:
    """Checks whose precise location pydantic cannot give: duplicates within lists."""

    def duplicates(list_name: str, key: str, reserved: Sequence[str] = ()) -> None:
        items = raw.get(list_name)
        if not isinstance(items, list):
            return
        seen: dict[str, int] = {}
        for position, item in enumerate(items):
            value = item.get(key) if isinstance(item, dict) else None
            if not isinstance(value, str):
                continue
            loc: Loc = ("procedures", index, list_name, position, key)
            if value in reserved:
                message = f"'{value}' belongs to the applicant block, which the loader adds to every form"
                raise CatalogError([source.problem(loc, message, entry_label=label)])
            if value in seen:
                message = f"'{value}' is already used by {list_name}[{seen[value]}]"
                raise CatalogError([source.problem(loc, message, entry_label=label)])
            seen[value] = position

    duplicates("documents", "id")
    duplicates("form", "name", reserved=APPLICANT_FIELD_NAMES)
    code = raw.get("code")
    if code is not None and not isinstance(code, str):
        message = 'must be a quoted string such as "1.000894" (unquoted, YAML reads it as a number)'
        raise CatalogError([source.problem(("procedures", index, "code"), message, entry_label=str(code))])


def _load_procedure_file(
    source: _Source, units: UnitTree, seen_codes: dict[str, str]
) -> tuple[FieldOfWork, list[Procedure]]:
    data = source.data
    if not isinstance(data, dict) or set(data) != {"field", "procedures"} or not isinstance(data["procedures"], list):
        raise CatalogError([f"{source.display}: expected a mapping with keys 'field' and 'procedures' (a list)"])
    try:
        field = FieldOfWork.model_validate(data["field"])
    except ValidationError as exc:
        raise CatalogError(_pydantic_problems(source, exc, ("field",), data["field"], None, entry_size=0)) from exc
    if source.path.stem != field.id:
        message = f"the file of field '{field.id}' must be named {field.id}.yaml"
        raise CatalogError([source.problem(("field", "id"), message, entry_size=0)])
    procedures = []
    fields = {field.id: field}
    for index, raw in enumerate(data["procedures"]):
        if not isinstance(raw, dict):
            raise CatalogError([source.problem(("procedures", index), "expected a mapping")])
        label = raw["code"] if isinstance(raw.get("code"), str) else None
        _check_raw_procedure(source, index, raw, label)
        prepared = dict(raw)
        if prepared.setdefault("field", field.id) != field.id:
            message = f"procedures in {source.path.name} belong to field '{field.id}'"
            raise CatalogError([source.problem(("procedures", index, "field"), message, entry_label=label)])
        if isinstance(raw.get("form"), list):
            prepared["form"] = [*APPLICANT_FIELDS, *raw["form"]]
        try:
            procedure = Procedure.model_validate(prepared)
        except ValidationError as exc:
            problems = _pydantic_problems(source, exc, ("procedures", index), raw, label, len(APPLICANT_FIELDS))
            raise CatalogError(problems) from exc
        try:
            check_procedure(procedure, units, fields)
        except CatalogInconsistency as exc:
            loc: Loc = ("procedures", index, *exc.field.split("."))
            raise CatalogError([source.problem(loc, exc.reason, entry_label=label)]) from exc
        if procedure.code in seen_codes:
            message = f"duplicate procedure code, already defined in {seen_codes[procedure.code]}"
            raise CatalogError([source.problem(("procedures", index, "code"), message, entry_label=label)])
        seen_codes[procedure.code] = f"{source.display}: procedures[{index}]"
        procedures.append(procedure)
    return field, procedures


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load ``units.yaml`` and every ``catalog/*.yaml`` under ``directory`` (default: the packaged data).

    Raises ``CatalogError`` naming the file, the entry and the field path of the first broken entry.
    """
    root = Path(directory) if directory is not None else DEFAULT_DATA_DIR
    units = load_units(root / "units.yaml", root)
    files = list(_procedure_files(root))
    if not files:
        raise CatalogError([f"{root / 'catalog'}: no *.yaml procedure files found"])
    fields: list[FieldOfWork] = []
    procedures: list[Procedure] = []
    seen_codes: dict[str, str] = {}
    for path in files:
        field, found = _load_procedure_file(_Source(path, root), units, seen_codes)
        fields.append(field)
        procedures.extend(found)
    try:
        return Catalog(units, fields, procedures)
    except CatalogInconsistency as exc:  # every check above should have caught it first
        raise CatalogError([f"{root}: {exc}"]) from exc


def summary(catalog: Catalog) -> str:
    """A human-readable overview of a loaded catalog (what ``python -m`` prints)."""
    procedures = catalog.all()
    lines = [f"OK: {len(procedures)} procedures in {len(catalog.fields_of_work)} fields of work, "
             f"{len(catalog.units)} units ({len(catalog.units.offices())} one-stop offices)."]
    by_level = Counter(str(p.level) for p in procedures)
    lines.append("By level: " + ", ".join(f"{level} {count}" for level, count in sorted(by_level.items())))
    lines.append("By field of work:")
    by_field = Counter(p.field for p in procedures)
    for field in catalog.fields_of_work.values():
        lines.append(f"  {field.id:<22} {by_field[field.id]:>3}  {field.name}")
    lines.append("One-stop offices: " + ", ".join(u.id for u in catalog.units.offices()))
    unconfirmed = [p for p in procedures if p.unconfirmed]
    lines.append(f"Unconfirmed facts in {len(unconfirmed)} procedures:")
    for p in unconfirmed:
        lines.append(f"  {p.code} {p.name}: {', '.join(p.unconfirmed)}")
    examples = [p.code for p in procedures if p.fee.is_example]
    lines.append(f"Example (demo) fees: {', '.join(examples) or 'none'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Validate the catalog data and print a summary; exit status 1 if it is broken."""
    args = list(sys.argv[1:] if argv is None else argv)
    directory = Path(args[0]) if args else None
    try:
        catalog = load_catalog(directory)
    except CatalogError as exc:
        print(f"Catalog data is broken:\n{exc}", file=sys.stderr)
        return 1
    print(summary(catalog))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
