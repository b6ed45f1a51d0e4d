"""Fixed rate-limit windows, the same arithmetic for every store: which window a moment falls in, and how long
until it resets."""

from __future__ import annotations

from datetime import datetime, timedelta


def window_start(now: datetime, window_seconds: int) -> str:
    start = int(now.timestamp()) // window_seconds * window_seconds
    return datetime.fromtimestamp(start, tz=now.tzinfo).isoformat()


def seconds_until_reset(start: str, window_seconds: int, now: datetime) -> int:
    reset = datetime.fromisoformat(start) + timedelta(seconds=window_seconds)
    return max(1, int((reset - now).total_seconds()))
