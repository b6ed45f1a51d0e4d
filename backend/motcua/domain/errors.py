"""Errors the domain and services raise. The API maps each kind to one HTTP status.

Every error carries a machine-readable ``code`` and a Vietnamese ``message`` (English second), and may carry
``fields``: a mapping from input field name to a Vietnamese message naming that field.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base class. ``code`` is stable (clients switch on it); ``message`` is for people."""

    http_status = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        message_en: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.message_en = message_en or message
        self.fields = dict(fields or {})


class InvalidInput(DomainError):
    """The caller sent something malformed or not allowed (400/422)."""

    http_status = 422


class NotFound(DomainError):
    """Nothing there, or nothing this caller may see (never says which)."""

    http_status = 404


class Conflict(DomainError):
    """The action does not fit the current state (illegal transition, stale version, reused key)."""

    http_status = 409


class Forbidden(DomainError):
    http_status = 403


class Unauthenticated(DomainError):
    http_status = 401


class TooManyRequests(DomainError):
    http_status = 429

    def __init__(self, code: str, message: str, *, retry_after: int, **kwargs: object) -> None:
        super().__init__(code, message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class PayloadTooLarge(DomainError):
    http_status = 413


class UnsupportedMedia(DomainError):
    http_status = 415
