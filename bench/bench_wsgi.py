"""The app under benchmark plus a bare Flask endpoint (the ceiling) in the SAME gunicorn workers."""

from bench.harness import with_ceiling

from motcua.api.app import create_app

app = with_ceiling(create_app())
