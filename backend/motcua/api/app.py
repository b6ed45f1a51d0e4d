"""The Flask application factory: a thin HTTP skin over the services wired by bootstrap."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from motcua.api import (
    admin_routes,
    assistant_routes,
    auth_routes,
    catalog_routes,
    dev_routes,
    dossier_routes,
    feedback_routes,
    feedback_work_routes,
    notification_routes,
    official_routes,
    openapi,
    payment_routes,
    rating_routes,
    shell,
    stats_routes,
    tracking_routes,
    verify_routes,
    work_routes,
)
from motcua.api.http import domain_error_response, error_response, http_error_response
from motcua.api.security import apply_security_headers, check_csrf
from motcua.bootstrap import Container, bootstrap
from motcua.config import Settings
from motcua.domain.errors import DomainError

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> Flask:
    settings = settings or (container.settings if container else Settings.from_env())
    container = container or bootstrap(settings)
    app = Flask(__name__, static_folder=None)
    app.config["MOTCUA"] = container
    # Multipart overhead on top of the largest file we accept; Werkzeug answers 413 above it.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes + 256 * 1024
    app.config["MAX_FORM_MEMORY_SIZE"] = 64 * 1024
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if not settings.dev_mode:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    for module in (auth_routes, catalog_routes, dossier_routes, tracking_routes, official_routes, work_routes,
                   verify_routes, admin_routes, notification_routes, payment_routes, assistant_routes, rating_routes,
                   feedback_routes, feedback_work_routes, stats_routes, openapi):
        app.register_blueprint(module.bp)
    if settings.dev_mode:
        app.register_blueprint(dev_routes.bp)
    app.register_blueprint(shell.bp)  # last: its catch-all must not shadow the API

    app.before_request(_before)
    app.after_request(apply_security_headers)
    app.register_error_handler(DomainError, domain_error_response)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(Exception, _unexpected)
    return app


def _before() -> None:
    if request.path.startswith("/api/"):
        check_csrf()


def _too_large(exc: RequestEntityTooLarge) -> Response:
    return error_response("file_too_large", "Tệp quá lớn.", 413, message_en="The file is too large.")


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return http_error_response(exc)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response("internal_error", "Hệ thống đang gặp sự cố. Vui lòng thử lại sau.", 500,
                          message_en="Something went wrong on our side. Please try again later.")
