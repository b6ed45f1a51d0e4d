"""Read the sign-in code out of the SMS the embedded runtime logged (``/dev/outbox``, newest first).

Only the sign-in SMS counts: a dossier notification to the same phone also carries six digits in a row (the
YYMMDD part of the dossier code), and the worker may log it after the code was sent."""

from __future__ import annotations

import re

_CODE = re.compile(r"^Ma xac thuc DVC Dong Nai: (\d{6})\.")


def code_from_outbox(items: list[dict], phone: str) -> str:
    for message in items:
        if message["to"] == phone and message["channel"] == "sms":
            found = _CODE.match(message["body"])
            if found:
                return found.group(1)
    raise AssertionError(f"no sign-in code was sent to {phone}")
