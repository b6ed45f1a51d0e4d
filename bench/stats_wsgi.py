"""The app under the statistics bench (a province of 100 units and 30 fields: stats_catalog.py) and a bare Flask
endpoint (the ceiling) in the SAME gunicorn workers."""

from __future__ import annotations

from bench.harness import with_ceiling
from bench.stats_catalog import province_catalog

from motcua import bootstrap as composition
from motcua.adapters.calendar_file import load_calendar

composition._static_cache.update(catalog=province_catalog(), calendar=load_calendar())

from motcua.api.app import create_app  # noqa: E402 - after the catalog is in place

app = with_ceiling(create_app())
