"""WSGI entry point for gunicorn (`make run`): motcua.wsgi:app."""

from motcua.api.app import create_app

app = create_app()
