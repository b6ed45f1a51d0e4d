"""Sessions, CSRF and security headers for the JSON API and the PWA shell.

CSRF: a signed double-submit token bound to the session. The token lives in an HttpOnly cookie and is handed to
the page by GET /api/v1/auth/session; every unsafe request must echo it in ``X-CSRF-Token``. Cross-site requests
(Sec-Fetch-Site: cross-site) are refused outright.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Response, current_app, g, request

from motcua.domain.errors import Forbidden, Unauthenticated
from motcua.services.dossiers import Actor
from motcua.services.ports import Session

SESSION_COOKIE = "motcua_session"
CSRF_COOKIE = "motcua_csrf"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _secret() -> bytes:
    return current_app.config["MOTCUA"].settings.secret_key  # type: ignore[no-any-return]


def session_binding(raw_session_token: str | None) -> str:
    """What a CSRF token is bound to: the session cookie (or 'anonymous' before sign-in)."""
    return hashlib.sha256(raw_session_token.encode()).hexdigest()[:32] if raw_session_token else "anonymous"


def _binding() -> str:
    return session_binding(request.cookies.get(SESSION_COOKIE))


def make_csrf_token(binding: str | None = None) -> str:
    nonce = secrets.token_urlsafe(16)
    mac = hmac.new(_secret(), f"{binding or _binding()}|{nonce}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{nonce}.{mac}"


def _signed_for_this_session(token: str) -> bool:
    if "." not in token:
        return False
    nonce, mac = token.split(".", 1)
    expected = hmac.new(_secret(), f"{_binding()}|{nonce}".encode(), hashlib.sha256).hexdigest()[:32]
    return hmac.compare_digest(mac, expected)


def current_csrf_token() -> str:
    """The token already in the cookie if it still fits this session (so other tabs keep theirs), else a new one."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return cookie if cookie and len(cookie) < 200 and _signed_for_this_session(cookie) else make_csrf_token()


def csrf_valid(token: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not token or not cookie or not hmac.compare_digest(token, cookie):
        return False
    return _signed_for_this_session(token)


def check_csrf() -> None:
    """Called before every request: unsafe methods need a valid token and must not come from another site."""
    if request.method not in UNSAFE:
        return
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise Forbidden("csrf_failed", "Yêu cầu từ trang khác bị từ chối.", message_en="Cross-site request refused.")
    if not csrf_valid(request.headers.get(CSRF_HEADER)):
        raise Forbidden("csrf_failed", "Phiên làm việc đã thay đổi. Vui lòng tải lại trang và thử lại.",
                        message_en="Missing or invalid CSRF token. Reload and try again.")


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None) -> None:
    settings = current_app.config["MOTCUA"].settings
    response.set_cookie(name, value, max_age=max_age, httponly=True, secure=settings.secure_cookies,
                        samesite="Lax", path="/")


def current_session() -> Session | None:
    if "session" not in g:
        g.session = current_app.config["MOTCUA"].auth.session_for(request.cookies.get(SESSION_COOKIE))
    return g.session  # type: ignore[no-any-return]


def current_actor() -> Actor:
    session = current_session()
    if session is None or session.user_kind != "citizen":
        raise Unauthenticated("unauthenticated", "Vui lòng đăng nhập để tiếp tục.", message_en="Please sign in.")
    return Actor(session=session, device=device_label())


def device_label() -> str:
    """What the audit trail records as the device: user agent and address, trimmed."""
    return f"{client_ip()} {request.headers.get('User-Agent', '')[:150]}"


def client_ip() -> str:
    # Behind a proxy, ProxyFix (configured in the app factory) has already put the client address here.
    return request.remote_addr or "unknown"


def apply_security_headers(response: Response) -> Response:
    settings = current_app.config["MOTCUA"].settings
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if not settings.dev_mode:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
