"""Opaque keyset page tokens: where the next page starts, as URL-safe base64 of compact JSON.

One codec for every store and for services that page over several queries (the overdue list), so a token is
read the same way everywhere and a forged or garbled one is one clear 422."""

from __future__ import annotations

import base64
import json
from typing import Any

from motcua.domain.errors import InvalidInput


def encode_page_token(values: dict[str, Any]) -> str:
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_page_token(token: str) -> dict[str, Any]:
    """The position a token holds; ``InvalidInput('invalid_page_token')`` for anything that is not one."""
    try:
        padded = token + "=" * (-len(token) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(value, dict):
            raise ValueError
        return value
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("invalid_page_token", "Mã trang không hợp lệ.", message_en="Invalid page token.") from exc
