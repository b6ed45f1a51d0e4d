"""The app under benchmark plus a bare Flask endpoint (the ceiling) in the SAME gunicorn workers."""

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from motcua.api.app import create_app

bare = Flask("bare")


@bare.get("/hello")
def hello():
    return {"hello": "world"}


motcua_app = create_app()
app = motcua_app
app.wsgi_app = DispatcherMiddleware(motcua_app.wsgi_app, {"/bare": bare})
