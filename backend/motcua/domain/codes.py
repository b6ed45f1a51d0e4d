"""Dossier codes: ``<agency code>-<yymmdd>-<4-digit daily sequence>``, e.g. ``H19.23-261126-0007``.

Unique per receiving agency and day; the sequence comes from an atomic counter (see services), the date is the
local (Asia/Ho_Chi_Minh) date of submission.
"""

from __future__ import annotations

import re
from datetime import date

CODE_RE = re.compile(r"^(?P<agency>[A-Z0-9.]{2,20})-(?P<day>\d{6})-(?P<seq>\d{4,6})$")


def format_dossier_code(agency_code: str, day: date, sequence: int) -> str:
    """Compose the code; sequences above 9999 widen rather than wrap, so a code is never reused."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


def sequence_key(agency_code: str, day: date) -> str:
    """Name of the daily counter for one agency and local day."""
    return f"dossier-seq#{agency_code}#{day:%Y%m%d}"


def normalise_code(raw: str) -> str | None:
    """Accept what people type (spaces, lower case) and return the canonical code, or None if it is not one."""
    candidate = re.sub(r"\s+", "", raw or "").upper()
    return candidate if CODE_RE.match(candidate) else None
