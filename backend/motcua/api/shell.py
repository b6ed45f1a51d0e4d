"""Serves the built PWA (pwa/dist) on the same origin as the API, with caching that suits each file."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory
from werkzeug.exceptions import NotFound as HTTPNotFound

from motcua.api.http import error_response
from motcua.api.routing import Access, access_decision

bp = Blueprint("shell", __name__)

NEVER_STALE = {"index.html", "sw.js", "manifest.webmanifest", "registerSW.js"}


def _dist():  # type: ignore[no-untyped-def]
    return current_app.config["MOTCUA"].settings.pwa_dist


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>")
@access_decision(Access.PUBLIC)
def shell(path: str) -> Response:
    if path.startswith(("api/", "dev/")) or path in {"api", "dev"}:
        return error_response("not_found", "Không tìm thấy.", 404, message_en="Not found.")
    dist = _dist()
    if path and (dist / path).is_file():
        try:
            response = send_from_directory(dist, path)
        except HTTPNotFound:
            return error_response("not_found", "Không tìm thấy.", 404, message_en="Not found.")
        if path.startswith("assets/"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # hashed names
        elif path in NEVER_STALE or path.endswith(".js"):
            response.headers["Cache-Control"] = "no-cache"
        else:
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response
    index = dist / "index.html"
    if not index.is_file():
        return Response(
            "<!doctype html><meta charset=utf-8><title>motcua</title><p>Ứng dụng chưa được build. "
            "Chạy <code>make run</code>.</p>", status=503, mimetype="text/html")
    response = send_from_directory(dist, "index.html")
    response.headers["Cache-Control"] = "no-cache"
    return response
