"""Helpers shared by the AWS tests (kept out of conftest.py so that importing them is unambiguous)."""

from __future__ import annotations

import uuid

import requests

REGION = "ap-southeast-1"
SENDER = "khong-tra-loi@dichvucong.dongnai.gov.vn"


def unique_name(prefix: str) -> str:
    """A bucket/queue/key name of its own for one test (the moto server is shared by the whole session)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def moto_state(moto_url: str) -> dict:
    """moto's view of everything it holds (sent SMS under "sns" → "SMS", e-mail under "ses" → "Message")."""
    return requests.get(f"{moto_url}/moto-api/data.json", timeout=120).json()


def reset_moto(moto_url: str) -> None:
    """Forget everything moto holds (data.json grows with every object and message of the session)."""
    requests.post(f"{moto_url}/moto-api/reset", timeout=120).raise_for_status()
