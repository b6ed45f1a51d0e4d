"""Every route declares who may call it and what it takes and returns; the OpenAPI document is built from this.

A meta-test walks Flask's URL map and fails for any view without an access decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask import Blueprint
from pydantic import BaseModel


class Access(StrEnum):
    PUBLIC = "public"  # anyone, no session needed
    CITIZEN = "citizen"  # a signed-in citizen; only their own records
    SIGNED_IN = "signed_in"  # anyone signed in (citizen or official); only their own settings and inbox
    OFFICIAL = "official"  # a signed-in official; only their unit's records
    DEV_ONLY = "dev_only"  # exists only when MOTCUA_ENV=development


@dataclass(frozen=True)
class RouteSpec:
    rule: str
    methods: tuple[str, ...]
    access: Access
    summary: str
    tag: str
    request: type[BaseModel] | None = None
    request_content: str = "application/json"
    responses: dict[int, type[BaseModel] | str | None] = field(default_factory=dict)
    query: tuple[tuple[str, str, bool], ...] = ()  # (name, description, required)
    idempotent: bool = False


REGISTRY: list[RouteSpec] = []


def api_route(
    bp: Blueprint,
    rule: str,
    *,
    methods: tuple[str, ...] = ("GET",),
    access: Access,
    summary: str,
    tag: str,
    request: type[BaseModel] | None = None,
    request_content: str = "application/json",
    responses: dict[int, type[BaseModel] | str | None] | None = None,
    query: tuple[tuple[str, str, bool], ...] = (),
    idempotent: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view on ``bp`` with its access decision and contract."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        prefix = bp.url_prefix or ""
        spec = RouteSpec(rule=prefix + rule, methods=methods, access=access, summary=summary, tag=tag,
                         request=request, request_content=request_content, responses=responses or {},
                         query=query, idempotent=idempotent)
        if not any(s.rule == spec.rule and s.methods == spec.methods for s in REGISTRY):
            REGISTRY.append(spec)
        view.access = access  # type: ignore[attr-defined]
        bp.add_url_rule(rule, view_func=view, methods=list(methods))
        return view

    return decorate


def access_decision(access: Access) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For views outside the JSON API (the PWA shell, static files): the access decision only."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view.access = access  # type: ignore[attr-defined]
        return view

    return decorate
