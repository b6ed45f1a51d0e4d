"""The app under the statistics bench (a province of 100 units and 30 fields: stats_catalog.py) and a bare Flask
endpoint (the ceiling) in the SAME gunicorn workers."""

from __future__ import annotations

from bench.stats_catalog import province_catalog
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from motcua import bootstrap as composition
from motcua.adapters.calendar_file import load_calendar

composition._static_cache.update(catalog=province_catalog(), calendar=load_calendar())

from motcua.api.app import create_app  # noqa: E402 - after the catalog is in place

bare = Flask("bare")


@bare.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}


app = create_app()
app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/bare": bare})  # type: ignore[method-assign]
