"""Vietnamese mobile phone numbers, as people type them."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^0(3|5|7|8|9)\d{8}$")


def normalise_phone(raw: object) -> str | None:
    """Return the national form ``0XXXXXXXXX`` of a Vietnamese mobile number, or None if it is not one.

    Accepts +84 / 84 prefixes, spaces, dots and dashes ("+84 912.345.678" → "0912345678").
    """
    if not isinstance(raw, str):
        return None
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.match(digits) else None


def mask_phone(phone: str) -> str:
    """For logs and public pages: 0912***678."""
    return phone[:4] + "***" + phone[-3:] if len(phone) >= 7 else "***"
