"""The OpenAPI 3.1 document, built from the route registry and the pydantic schemas."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from motcua.api.routing import REGISTRY, Access, api_route

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

_cache: dict[str, Any] = {}


def _path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def build_document(*, include_dev: bool) -> dict[str, Any]:
    specs = [s for s in REGISTRY if include_dev or s.access is not Access.DEV_ONLY]
    models: set[type[BaseModel]] = set()
    for spec in specs:
        if spec.request:
            models.add(spec.request)
        models.update(m for m in spec.responses.values() if isinstance(m, type))
    ordered = sorted(models, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "serialization") for m in ordered], ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for spec in specs:
        path = _path(spec.rule)
        params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                  for n in re.findall(r"{([a-z_]+)}", path)]
        params += [{"name": n, "in": "query", "required": req, "description": d, "schema": {"type": "string"}}
                   for n, d, req in spec.query]
        if spec.idempotent:
            params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                           "schema": {"type": "string", "minLength": 8, "maxLength": 200}})
        for method in spec.methods:
            op: dict[str, Any] = {
                "summary": spec.summary, "tags": [spec.tag], "x-access": spec.access.value,
                "operationId": f"{method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}",
                "parameters": params, "responses": {},
            }
            if spec.access is not Access.PUBLIC:
                op["security"] = [{"session": []}]
            if spec.request:
                op["requestBody"] = {"required": True, "content": {
                    spec.request_content: {"schema": {"$ref": f"#/components/schemas/{spec.request.__name__}"}}}}
            for status, model in spec.responses.items():
                entry: dict[str, Any] = {"description": str(status)}
                if isinstance(model, type):
                    entry["content"] = {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}
                elif isinstance(model, str):
                    entry["content"] = {model: {"schema": {"type": "string", "format": "binary"}}}
                op["responses"][str(status)] = entry
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "motcua — Dịch vụ công một cửa điện tử", "version": "1.0.0",
                 "description": "JSON API of the one-stop public-services PWA. Errors: "
                                "{error: {code, message (Vietnamese), message_en, fields}}."},
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "motcua_session"}},
        },
    }


@api_route(bp, "/openapi.json", access=Access.PUBLIC, tag="meta", summary="This document")
def openapi_document() -> Response:
    from flask import current_app

    dev = current_app.config["MOTCUA"].settings.dev_mode
    key = "dev" if dev else "prod"
    if key not in _cache:
        _cache[key] = build_document(include_dev=dev)
    return jsonify(_cache[key])
