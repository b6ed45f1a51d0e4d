"""Vietnamese mobile phone numbers, as people type them."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^0[35789][0-9]{8}$")  # ASCII digits only: \d would admit full-width ones


def normalise_phone(raw: object) -> str | None:
    """Return the national 10-digit form (0912345678) of a Vietnamese mobile number, or None if it is not one.

    Accepts +84 / 0084 / 84 prefixes, spaces, dots, dashes and brackets ("+84 912.345.678" → "0912345678").
    """
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    digits = re.sub(r"[\s.()\-]", "", raw)
    for prefix in ("+84", "0084", "84"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
            digits = "0" + digits[len(prefix):]
            break
    return digits if _MOBILE.match(digits) else None
