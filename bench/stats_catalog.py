"""The province of the statistics bench: the demo catalog's units, fields and procedures plus generated communes and
fields, to 100 units and 30 fields of work. Shared by the seeder (bench/stats.py) and the server (stats_wsgi.py)."""

from __future__ import annotations

from motcua.adapters.catalog_files import load_catalog
from motcua.domain.catalog import Catalog
from motcua.domain.procedures import FieldOfWork
from motcua.domain.units import Level, Unit, UnitKind, UnitTree

UNITS, FIELDS = 100, 30


def province_catalog() -> Catalog:
    base = load_catalog()
    units = list(base.units)
    for n in range(UNITS - len(units)):
        units.append(Unit(id=f"xa-bench-{n:03d}", agency_code=f"H19.9{n:03d}", name=f"Ủy ban nhân dân xã Thử {n:03d}",
                          name_en=f"Bench Commune {n:03d} People's Committee", short_name=f"Xã Thử {n:03d}",
                          level=Level.COMMUNE, kind=UnitKind.PEOPLE_COMMITTEE, parent_id="ubnd-tinh-dong-nai",
                          has_one_stop_office=True, address="Tỉnh Đồng Nai"))
    fields = list(base.fields_of_work.values())
    fields += [FieldOfWork(id=f"linh-vuc-thu-{n:02d}", name=f"Lĩnh vực thử {n:02d}", name_en=f"Bench field {n:02d}")
               for n in range(FIELDS - len(fields))]
    return Catalog(UnitTree(units), fields, base.all())

